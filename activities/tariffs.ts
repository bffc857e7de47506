import type { Language } from '../lib/i18n/languages';
import type { ActivityDeps } from './deps';
import { recordNoticeToEach } from './notice-records';
import { committedRow } from './rows';
import { tariffChangeNotice, tariffWithdrawnNotice } from './texts/account';

/** Clients whose contract runs: joined (not pending) and not terminated. */
const CONTRACT_RUNS = ['active', 'suspended'];

/**
 * Announcing a tariff change to every client whose contract runs (6.1) — suspended ones included,
 * whose contract still binds them: a notice each, in the cabinet and by e-mail.
 */
export function createTariffActivities({ db }: ActivityDeps) {
  return {
    /** One notice per client under contract for the tariff (a retry adds none twice); returns how many there are. */
    async prepareTariffNotices(tariffId: string): Promise<number> {
      const tariff = await committedRow(
        () => db('tariffs').where({ id: tariffId }).first(),
        `tariff ${tariffId}`,
        'TariffNotFound',
      );
      const previous = await db('tariffs')
        .whereNull('withdrawn_at')
        .where('effective_from', '<', tariff.effective_from)
        .orderBy('effective_from', 'desc')
        .first();
      const change = {
        pricePerCodeTiyn: tariff.price_per_code_tiyn,
        previousPerCodeTiyn: previous?.price_per_code_tiyn ?? null,
        effectiveFrom: tariff.effective_from,
        basis: tariff.basis,
      };
      const text = (language: Language) => tariffChangeNotice(change, language);
      return recordNoticeToEach(db, db('clients').whereIn('status', CONTRACT_RUNS), `tariff:${tariffId}`, text);
    },

    /** The announced change will not happen: the clients told of it are told so (a retry adds none twice). */
    async prepareTariffWithdrawalNotices(tariffId: string, reason: string): Promise<number> {
      const tariff = await committedRow(
        () => db('tariffs').where({ id: tariffId }).first(),
        `tariff ${tariffId}`,
        'TariffNotFound',
      );
      const replacement = await db('tariffs')
        .whereNull('withdrawn_at')
        .where('announced_at', '>', tariff.announced_at)
        .orderBy('announced_at', 'desc')
        .first();
      const withdrawal = {
        pricePerCodeTiyn: tariff.price_per_code_tiyn,
        effectiveFrom: tariff.effective_from,
        reason,
        replacement: replacement
          ? { pricePerCodeTiyn: replacement.price_per_code_tiyn, effectiveFrom: replacement.effective_from }
          : null,
      };
      const text = (language: Language) => tariffWithdrawnNotice(withdrawal, language);
      const told = db('notices')
        .where({ topic: `tariff:${tariffId}` })
        .select('client_id');
      return recordNoticeToEach(db, db('clients').whereIn('id', told), `tariff:${tariffId}:withdrawn`, text);
    },
  };
}
