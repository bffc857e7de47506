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
  const tariff = await db('tariffs')
    .whereNull('withdrawn_at')
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .first();
  const vat = await db('vat_rates')
    .whereNull('withdrawn_at')
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .first();
  if (!tariff) throw new NoPriceError(date, 'tariff');
  if (!vat) throw new NoPriceError(date, 'VAT rate');
  return {
    date,
    pricePerCodeTiyn: tariff.price_per_code_tiyn,
    vatRateBp: vat.rate_bp,
    tariff: { id: tariff.id, effectiveFrom: tariff.effective_from, basis: tariff.basis },
    vatRate: { id: vat.id, effectiveFrom: vat.effective_from, source: vat.source },
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
