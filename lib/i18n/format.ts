import { formatDeadline, formatDeadlineMoment, isEndOfDay } from '../format-ru';
import { tiynToDecimal } from '../money';
import type { Language } from './languages';

/**
 * Money, dates and months as a reader of each language expects them, from `Intl` (Node's full ICU carries Kazakh):
 * «1 234 567,89 ₸» in both; «05.12.2026» in both; «2026 ж. 5 желтоқсан» and «5 декабря 2026 г.»; «2026 ж. желтоқсан» and
 * «декабрь 2026 г.». Instants are read in the operator's zone (Astana time) unless another is given.
 */

const OPERATOR_ZONE = 'Asia/Almaty';

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (!made) formatters.set(key, (made = make()));
  return made;
}

/** Tiyn as tenge with the sign ₸, exact (formatted from the decimal string, never a float). */
export function formatMoneyIn(language: Language, tiyn: number): string {
  const money = formatter(
    `money ${language}`,
    () => new Intl.NumberFormat(language, { style: 'currency', currency: 'KZT', currencyDisplay: 'narrowSymbol' }),
  );
  return money.format(tiynToDecimal(tiyn) as unknown as number);
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A local date 'YYYY-MM-DD' is that day wherever it is read; anything else an instant. */
const dayOf = (value: Date | string | number, zone: string): [Date, string] =>
  typeof value === 'string' && LOCAL_DATE.test(value)
    ? [new Date(`${value}T12:00:00Z`), 'UTC']
    : [new Date(value), zone];

function dateFormat(language: Language, style: string, options: Intl.DateTimeFormatOptions, zone: string) {
  return formatter(
    `${style} ${language} ${zone}`,
    () => new Intl.DateTimeFormat(language, { ...options, timeZone: zone }),
  );
}

/** «05.12.2026». */
export function formatDateIn(language: Language, value: Date | string | number, zone = OPERATOR_ZONE): string {
  const [date, in_] = dayOf(value, zone);
  return dateFormat(language, 'date', { day: '2-digit', month: '2-digit', year: 'numeric' }, in_).format(date);
}

/** «2026 ж. 5 желтоқсан», «5 декабря 2026 г.»: a date as a document's heading writes it. */
export function formatLongDateIn(language: Language, value: Date | string | number, zone = OPERATOR_ZONE): string {
  const [date, in_] = dayOf(value, zone);
  return dateFormat(language, 'long', { dateStyle: 'long' }, in_).format(date);
}

/** «2026 ж. желтоқсан», «декабрь 2026 г.»: the month an act covers. */
export function formatMonthIn(language: Language, month: string): string {
  const [date] = dayOf(`${month}-01`, 'UTC');
  return dateFormat(language, 'month', { month: 'long', year: 'numeric' }, 'UTC').format(date);
}

/**
 * A deadline as a notice says it: «до конца 05.01.2027» / «05.01.2027 соңына дейін» for one that ends with a day (stored
 * as the next local midnight), «до 05.01.2027 14:05» / «05.01.2027 14:05 дейін» for one at a time of day.
 */
export function formatDeadlineIn(language: Language, value: Date | string | number, zone = OPERATOR_ZONE): string {
  if (language === 'ru') return formatDeadline(value, zone);
  const moment = formatDeadlineMoment(value, zone);
  return isEndOfDay(value, zone) ? `${moment} соңына дейін` : `${moment} дейін`;
}
