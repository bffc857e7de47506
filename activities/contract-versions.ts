import { DateTime } from 'luxon';
import { DEFAULT_SETTINGS } from '../lib/calendar';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { amendmentNotice } from './texts/lifecycle';

/** Amendments of the contract (4.3.5, 10.3.2): every client with a contract is told in the cabinet and by e-mail. */
export function createContractVersionActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  return {
    /** One notice per client whose contract has not ended (a retry adds none twice); returns how many there are. */
    async prepareAmendmentNotices(versionId: string): Promise<number> {
      const v = await committedRow(() => db('contract_versions').where({ id: versionId }).first(), `contract version ${versionId}`, 'ContractVersionNotFound');
      const text = amendmentNotice({ version: v.version, title: v.title, summary: v.summary, effectiveAt: DateTime.fromJSDate(new Date(v.effective_at), { zone: calendarSettings.zone }).toISODate()!, documentUrl: v.document_url });
      const topic = `amendment:${versionId}`;
      await db.raw(
        `INSERT INTO notices (client_id, recipient, subject, body, topic)
         SELECT id, email, ?, ?, ? FROM clients WHERE status IN ('active','suspended') AND contract_ended_at IS NULL
         ON CONFLICT (client_id, topic) WHERE topic IS NOT NULL DO NOTHING`,
        [text.subject, text.body, topic],
      );
      const [{ count }] = await db('notices').where({ topic }).count<{ count: number }[]>('* as count');
      await db('contract_versions').where({ id: versionId }).update({ clients_notified: Number(count) });
      return Number(count);
    },

    async putContractVersionInForce(versionId: string): Promise<void> {
      await db('contract_versions').where({ id: versionId, status: 'announced' }).update({ status: 'in_force' });
    },
  };
}
