import type { Knex } from 'knex';
import type { Price } from '../lib/money';

/** The tariff (6.1) and VAT rate in force on a local date, with the records they come from. */
export interface PriceInForce extends Price {
  date: string;
  tariff: { id: string; effectiveFrom: string; basis: string };
  vatRate: { id: string; effectiveFrom: string; source: string };
}

export class NoPriceError extends Error {
  constructor(
    readonly date: string,
    what: string,
  ) {
    super(`No ${what} is in force on ${date}`);
    this.name = 'NoPriceError';
  }
}

export async function priceOn(db: Knex, date: string): Promise<PriceInForce> {
  const { rows } = await db.raw(`SELECT ${inForceSelect('?')}`, [date, date]);
  return priceFrom(date, rows[0]);
}

/**
 * The tariff and the VAT rate in force on a date (the latest from that day or before, not withdrawn), as two JSON
 * columns `tariff` and `vat` of a SELECT list, the date given twice as `param` (`?` for knex, `$2` for pg): priceOn's
 * query, and part of the account's one read (db/account-read.ts).
 */
export const inForceSelect = (param: string) => `
  (SELECT row_to_json(x) FROM (SELECT id, effective_from, basis, price_per_code_tiyn FROM tariffs
     WHERE withdrawn_at IS NULL AND effective_from <= CAST(${param} AS date) ORDER BY effective_from DESC LIMIT 1) x) AS tariff,
  (SELECT row_to_json(x) FROM (SELECT id, effective_from, source, rate_bp FROM vat_rates
     WHERE withdrawn_at IS NULL AND effective_from <= CAST(${param} AS date) ORDER BY effective_from DESC LIMIT 1) x) AS vat`;

type InForceRow = { id: string; effective_from: string; [key: string]: unknown } | null;

/** The price from inForceSelect's columns; NoPriceError when either is missing. */
export function priceFrom(date: string, row: { tariff: InForceRow; vat: InForceRow }): PriceInForce {
  const { tariff, vat } = row;
  if (!tariff) throw new NoPriceError(date, 'tariff');
  if (!vat) throw new NoPriceError(date, 'VAT rate');
  return {
    date,
    pricePerCodeTiyn: Number(tariff.price_per_code_tiyn),
    vatRateBp: Number(vat.rate_bp),
    tariff: { id: tariff.id, effectiveFrom: tariff.effective_from, basis: String(tariff.basis) },
    vatRate: { id: vat.id, effectiveFrom: vat.effective_from, source: String(vat.source) },
  };
}

/** The VAT rate in force on a local date, in basis points; null when none is recorded. */
export async function vatRateOn(db: Knex, date: string): Promise<number | null> {
  const vat = await db('vat_rates')
    .whereNull('withdrawn_at')
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .first('rate_bp');
  return vat ? vat.rate_bp : null;
}

/**
 * The last local day (in `zone`) priced at the rates then in force: a money reservation or charge
 * was booked on it, or an act or invoice covers it. A new VAT rate may not take effect on or
 * before it — issued documents and booked charges are not rewritten.
 */
export async function lastPricedDay(db: Knex, zone: string): Promise<string | null> {
  const { rows } = await db.raw(
    `SELECT MAX(day)::text AS day FROM (
       SELECT MAX((created_at AT TIME ZONE ?)::date) AS day FROM ledger_transactions WHERE kind IN ('reserve', 'capture')
       UNION ALL SELECT MAX(period_to) FROM acts
       UNION ALL SELECT MAX(issued_on) FROM invoices
     ) d`,
    [zone],
  );
  return rows[0]?.day ?? null;
}

/**
 * Records a tariff or a VAT rate from its date; undefined when one not withdrawn is already
 * recorded from that date (the partial unique index decides, so two requests cannot both win).
 */
export async function recordDatedPrice(
  db: Knex,
  table: 'tariffs' | 'vat_rates',
  values: Record<string, unknown>,
): Promise<Record<string, any> | undefined> {
  const [row] = await db(table)
    .insert(values)
    .onConflict(db.raw('(effective_from) WHERE withdrawn_at IS NULL'))
    .ignore()
    .returning('*');
  return row;
}
