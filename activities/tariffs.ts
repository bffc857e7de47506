import type { ActivityDeps } from './deps';
import { recordNoticeToEach } from './notice-records';
import { committedRow } from './rows';
import { tariffChangeNotice } from './texts/account';

/** Announcing a tariff change to every active client (6.1): a notice each, in the cabinet and by e-mail. */
export function createTariffActivities({ db }: ActivityDeps) {
  return {
    /** One notice per active client for the tariff (a retry adds none twice); returns how many there are. */
    async prepareTariffNotices(tariffId: string): Promise<number> {
      const tariff = await committedRow(() => db('tariffs').where({ id: tariffId }).first(), `tariff ${tariffId}`, 'TariffNotFound');
      const previous = await db('tariffs').where('effective_from', '<', tariff.effective_from).orderBy('effective_from', 'desc').first();
      const text = tariffChangeNotice({
        pricePerCodeTiyn: tariff.price_per_code_tiyn,
        previousPerCodeTiyn: previous?.price_per_code_tiyn ?? null,
        effectiveFrom: tariff.effective_from,
        basis: tariff.basis,
      });
      return recordNoticeToEach(db, db('clients').where({ status: 'active' }), `tariff:${tariffId}`, text);
    },
  };
}
