import type { Knex } from 'knex';
import type { AppDeps } from '../http/deps';
import { toTariff, toVatRate } from '../schemas/tariffs';
import { zoneCalendar } from './account';

/** Tariffs (6.1) and VAT rates as staff see them. */

/** Every tariff, by date, the one in force today marked. */
export async function tariffList({ db, config, clock }: Pick<AppDeps, 'db' | 'config' | 'clock'>) {
  const today = zoneCalendar(config).localDate(clock.now());
  const rows = await db('tariffs').orderBy('effective_from');
  const current = rows.filter((r) => r.effective_from <= today && !r.withdrawn_at).pop()?.id;
  return { tariffs: rows.map((r) => toTariff(r, today, current)) };
}

/** Every VAT rate, by date. */
export const vatRateList = async (db: Knex) => ({
  vatRates: (await db('vat_rates').orderBy('effective_from')).map(toVatRate),
});
