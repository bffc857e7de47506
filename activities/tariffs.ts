import type { ActivityDeps } from './deps';
import { recordNoticeToEach } from './notice-records';
import { committedRow } from './rows';
import { tariffChangeNotice } from './texts/account';

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
      const tariff = await committedRow(() => db('tariffs').where({ id: tariffId }).first(), `tariff ${tariffId}`, 'TariffNotFound');
      const previous = await db('tariffs').where('effective_from', '<', tariff.effective_from).orderBy('effective_from', 'desc').first();
      const text = tariffChangeNotice({
        pricePerCodeTiyn: tariff.price_per_code_tiyn,
        previousPerCodeTiyn: previous?.price_per_code_tiyn ?? null,
        effectiveFrom: tariff.effective_from,
        basis: tariff.basis,
      });
      return recordNoticeToEach(db, db('clients').whereIn('status', CONTRACT_RUNS), `tariff:${tariffId}`, text);
    },
  };
}
