import type { Knex } from 'knex';
import { readAccount } from '../../db/account-read';
import { clientStatement, StatementLine } from '../../db/ledger';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS, localDateIn } from '../../lib/calendar';
import { formulaGuard, tableCsv } from '../../lib/files/table-csv';
import { formatDate, formatDecimal, formatTime } from '../../lib/format-ru';
import type { AppDeps } from '../http/deps';
import { OPERATION_NAMES, toAccount, toStatementLine } from '../schemas/account';

/** The personal account as its client and the accountants see it (6.10, Прил. 2 п.8). */

export const zoneCalendar = (config: AppDeps['config']) =>
  new BusinessCalendar({ years: {} }, { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone });

export async function accountView(db: Knex, clientId: string, { config, clock }: Pick<AppDeps, 'config' | 'clock'>) {
  const now = clock.now();
  // The date only: no calendar to build for it on this hot path.
  const facts = await readAccount(db, clientId, localDateIn(config.operatorTimeZone, now));
  return toAccount({ clientId, ...facts, asOf: now });
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
  const page = await clientStatement(db, clientId, {
    ...periodBounds(query, config),
    before: query.before,
    limit: query.limit ?? 50,
  });
  return { lines: page.lines.map(toStatementLine), next: page.next };
}

/**
 * A spreadsheet must not read a text cell as a formula (CSV injection): lib/files/table-csv.ts's
 * guard. tableCsv applies it to every cell already (and again changes nothing), so a table
 * written with it needs no call of its own.
 */
export const safeText = (value: string | null | undefined) => formulaGuard(value ?? '');

/** What a movement's reference is, as the statement's reader knows it. */
const REFERENCE_NAMES: Record<string, string> = {
  payment: 'Платёж',
  order: 'Заказ',
  download: 'Выгрузка кодов',
  refund: 'Возврат',
  correction: 'Корректировка',
  compensation: 'Компенсация',
  act: 'Акт',
  claim: 'Претензия',
};

/**
 * The statement as CSV that opens as a table in a Russian Excel: UTF-8 with a BOM, `;` between
 * fields, CRLF line ends, a Russian header; RFC 4180 quoting and every cell formula-guarded
 * (lib/files/table-csv.ts); dates «dd.MM.yyyy» and times «HH:mm» in the operator's
 * zone; tenge with a decimal comma («1234,56»); the bank document (number, date) of each payment
 * in its own columns.
 */
export function statementCsv(lines: StatementLine[], config: AppDeps['config']): string {
  const zone = config.operatorTimeZone;
  const tenge = (tiyn: number | null) => (tiyn === null ? '' : formatDecimal(tiyn));
  const rows = lines.map((l) => [
    formatDate(l.at, zone),
    formatTime(l.at, zone),
    OPERATION_NAMES[l.kind],
    l.reference ? `${REFERENCE_NAMES[l.reference.type] ?? l.reference.type} ${l.reference.id}` : '',
    l.payment?.documentNumber,
    l.payment ? formatDate(l.payment.documentDate) : '',
    // «п. 6.2», not «6.2», which a Russian Excel would read as a date.
    l.clause ? `п. ${l.clause}` : '',
    tenge(l.availableChange),
    tenge(l.reservedChange),
    tenge(l.availableAfter),
    tenge(l.reservedAfter),
    l.memo,
  ]);
  const header = [
    'Дата',
    'Время',
    'Операция',
    'Основание',
    '№ платёжного документа',
    'Дата платёжного документа',
    'Пункт договора',
    'Доступно: изменение, тенге',
    'Резерв: изменение, тенге',
    'Доступно после, тенге',
    'Резерв после, тенге',
    'Комментарий',
  ];
  // The tenge columns hold numbers («-1234,56»): left as numbers, not guarded as text.
  return tableCsv(rows, header, { delimiter: ';', bom: true, numeric: [7, 8, 9, 10] });
}

/** Every line of a period, for exports (pages of 500). */
export async function wholeStatement(
  db: Knex,
  clientId: string,
  query: PeriodQuery,
  config: AppDeps['config'],
): Promise<StatementLine[]> {
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
