import type { ActivityDeps } from './deps';
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
      const topic = `tariff:${tariffId}`;
      await db.raw(
        `INSERT INTO notices (client_id, recipient, subject, body, topic)
         SELECT id, email, ?, ?, ? FROM clients WHERE status = 'active'
         ON CONFLICT (client_id, topic) WHERE topic IS NOT NULL DO NOTHING`,
        [text.subject, text.body, topic],
      );
      const [{ count }] = await db('notices').where({ topic }).count<{ count: number }[]>('* as count');
      return Number(count);
    },
  };
}
