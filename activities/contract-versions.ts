import { DEFAULT_SETTINGS, localDateIn } from '../lib/calendar';
import type { Language } from '../lib/i18n/languages';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { clientsWithContract, recordNoticeToEach } from './notice-records';
import { amendmentNotice } from './texts/lifecycle';

/** Amendments of the contract (4.3.5, 10.3.2): every client with a contract is told in the cabinet and by e-mail. */
export function createContractVersionActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  return {
    /** One notice per client whose contract has not ended (a retry adds none twice); returns how many there are. */
    async prepareAmendmentNotices(versionId: string): Promise<number> {
      const v = await committedRow(
        () => db('contract_versions').where({ id: versionId }).first(),
        `contract version ${versionId}`,
        'ContractVersionNotFound',
      );
      const amendment = {
        version: v.version,
        title: v.title,
        summary: v.summary,
        effectiveAt: localDateIn(calendarSettings.zone, v.effective_at),
        documentUrl: v.document_url,
      };
      // Each client reads it in its language first (issue #21).
      const text = (language: Language) => amendmentNotice(amendment, language);
      const count = await recordNoticeToEach(db, clientsWithContract(db), `amendment:${versionId}`, text);
      await db('contract_versions').where({ id: versionId }).update({ clients_notified: count });
      return count;
    },

    async putContractVersionInForce(versionId: string): Promise<void> {
      await db('contract_versions').where({ id: versionId, status: 'announced' }).update({ status: 'in_force' });
    },
  };
}
