import { stringify } from 'csv-stringify/sync';
import type { Knex } from 'knex';
import { clientBalance, clientStatement, StatementLine } from '../db/ledger';
import { NoPriceError, priceOn } from '../db/prices';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../lib/calendar';
import { tiynToDecimal } from '../lib/money';
import type { AppDeps } from './deps';
import { OPERATION_NAMES, toAccount, toStatementLine } from './schemas/account';

/** The personal account as its client and the accountants see it (6.10, Прил. 2 п.8). */

export const zoneCalendar = (config: AppDeps['config']) => new BusinessCalendar({ years: {} }, { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone });

export async function accountView(db: Knex, clientId: string, { config, clock }: Pick<AppDeps, 'config' | 'clock'>) {
  const now = clock.now();
  const account = await db('personal_accounts').where({ client_id: clientId }).first('number', 'status');
  const balance = await clientBalance(db, clientId);
  let price;
  try {
    price = await priceOn(db, zoneCalendar(config).localDate(now));
  } catch (error) {
    if (!(error instanceof NoPriceError)) throw error;
  }
  return toAccount({ clientId, account, balance, price, asOf: now });
}

export interface PeriodQuery {
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

/** Local dates of the operator zone → the statement's instants (the `to` day included). */
function periodBounds(query: PeriodQuery, config: AppDeps['config']) {
  const calendar = zoneCalendar(config);
  return {
    from: query.from ? calendar.startOfDay(query.from).toISOString() : undefined,
    to: query.to ? calendar.startOfDay(addDaysToDate(query.to, 1)).toISOString() : undefined,
  };
}

export async function statementView(db: Knex, clientId: string, query: PeriodQuery, config: AppDeps['config']) {
  const page = await clientStatement(db, clientId, { ...periodBounds(query, config), before: query.before, limit: query.limit ?? 50 });
  return { lines: page.lines.map(toStatementLine), next: page.next };
}

/** A spreadsheet must not read a text cell as a formula (CSV injection). */
export const safeText = (value: string | null | undefined) => (value && /^[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? ''));

/** The statement as CSV for spreadsheets: UTF-8 with BOM, `;`-separated, amounts in tenge with a point. */
export function statementCsv(lines: StatementLine[], config: AppDeps['config']): string {
  const calendar = zoneCalendar(config);
  const tenge = (tiyn: number | null) => (tiyn === null ? '' : tiynToDecimal(tiyn));
  const rows = lines.map((l) => [
    calendar.format(l.at),
    OPERATION_NAMES[l.kind],
    l.reference ? safeText(`${l.reference.type} ${l.reference.id}`) : '',
    l.clause,
    tenge(l.availableChange),
    tenge(l.reservedChange),
    tenge(l.availableAfter),
    tenge(l.reservedAfter),
    safeText(l.memo),
  ]);
  const header = ['Дата и время', 'Операция', 'Основание', 'Пункт договора', 'Доступно: изменение, тенге', 'Резерв: изменение, тенге', 'Доступно после, тенге', 'Резерв после, тенге', 'Комментарий'];
  return '\ufeff' + stringify([header, ...rows], { delimiter: ';', record_delimiter: '\r\n' });
}

/** Every line of a period, for exports (pages of 500). */
export async function wholeStatement(db: Knex, clientId: string, query: PeriodQuery, config: AppDeps['config']): Promise<StatementLine[]> {
  const lines: StatementLine[] = [];
  let before: number | undefined;
  const bounds = periodBounds(query, config);
  for (;;) {
    const page = await clientStatement(db, clientId, { ...bounds, before, limit: 500 });
    lines.push(...page.lines);
    if (page.next === null) return lines;
    before = page.next;
  }
}
