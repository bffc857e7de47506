import { DateTime } from 'luxon';
import { formatTenge, tiynToDecimal } from './money';

/**
 * How dates, times, deadlines and money read in what people get from the operator (e-mails,
 * notices, exports): Russian format, the operator's zone (Astana time). One pure module, used by
 * every e-mail template (activities/texts/*), so that no ISO string ever reaches a reader.
 *
 * - a date: «05.01.2027»;
 * - a time: «14:05» (24-hour, the operator's zone);
 * - a date and time: «05.01.2027 14:05»;
 * - a deadline that ends with a day (stored as the next local midnight): «до конца 05.01.2027»,
 *   otherwise «до 05.01.2027 14:05»;
 * - money: «1 234,56 ₸» (no-break spaces, so an amount never wraps).
 */

/** The operator's zone by default (Kazakhstan has a single UTC+5 zone since 1 March 2024, no DST). */
export const OPERATOR_ZONE = 'Asia/Almaty';

/** An instant (a Date, epoch milliseconds, ISO 8601 with an offset or Z) or a local date 'YYYY-MM-DD'. */
export type DateLike = Date | string | number;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function instant(value: Date | string | number, zone: string): DateTime {
  const parsed =
    value instanceof Date
      ? DateTime.fromJSDate(value, { zone })
      : typeof value === 'number'
        ? DateTime.fromMillis(value, { zone })
        : DateTime.fromISO(value, { zone, setZone: false });
  if (!parsed.isValid) throw new RangeError(`not a date or instant: ${String(value)}`);
  return parsed.setZone(zone);
}

/**
 * A local date 'YYYY-MM-DD' is the day itself (no zone shift); an instant is read in `zone`.
 * Returns the day as luxon's DateTime at its start in `zone`.
 */
function day(value: DateLike, zone: string): DateTime {
  if (typeof value === 'string' && LOCAL_DATE.test(value)) {
    const parsed = DateTime.fromISO(value, { zone });
    if (!parsed.isValid) throw new RangeError(`not a date: ${value}`);
    return parsed;
  }
  return instant(value, zone);
}

/** «05.01.2027»: a local date as is, an instant's date in the operator's zone. */
export function formatDate(value: DateLike, zone: string = OPERATOR_ZONE): string {
  return day(value, zone).toFormat('dd.MM.yyyy');
}

/** «01.2027»: the month of a date (acts name the month they cover). */
export function formatMonth(value: DateLike, zone: string = OPERATOR_ZONE): string {
  return day(value, zone).toFormat('MM.yyyy');
}

/** «14:05»: an instant's local time in the operator's zone. */
export function formatTime(value: Date | string | number, zone: string = OPERATOR_ZONE): string {
  return instant(value, zone).toFormat('HH:mm');
}

/** «05.01.2027 14:05». */
export function formatDateTime(value: Date | string | number, zone: string = OPERATOR_ZONE): string {
  return instant(value, zone).toFormat('dd.MM.yyyy HH:mm');
}

/** Whether an instant is a local midnight in the zone: the end of the day before it. */
export function isEndOfDay(value: Date | string | number, zone: string = OPERATOR_ZONE): boolean {
  const local = instant(value, zone);
  return local.hour === 0 && local.minute === 0 && local.second === 0 && local.millisecond === 0;
}

/**
 * The moment a deadline ends, without the preposition: «05.01.2027» for a deadline that ends
 * with that day (stored as the next local midnight), «05.01.2027 14:05» for one that ends at a
 * time of day (e.g. when the working hours close).
 */
export function formatDeadlineMoment(value: Date | string | number, zone: string = OPERATOR_ZONE): string {
  const local = instant(value, zone);
  return isEndOfDay(local.toJSDate(), zone)
    ? local.minus({ days: 1 }).toFormat('dd.MM.yyyy')
    : local.toFormat('dd.MM.yyyy HH:mm');
}

/** «до конца 05.01.2027» (a deadline at the next local midnight) or «до 05.01.2027 14:05». */
export function formatDeadline(value: Date | string | number, zone: string = OPERATOR_ZONE): string {
  return isEndOfDay(value, zone)
    ? `до конца ${formatDeadlineMoment(value, zone)}`
    : `до ${formatDeadlineMoment(value, zone)}`;
}

/** «1 234,56 ₸» from tiyn (exact, no float); negative amounts «-1 234,56 ₸». */
export function formatMoney(tiyn: number): string {
  return `${formatTenge(tiyn)}\u00a0₸`;
}

/** «1234,56» from tiyn: tenge with a decimal comma and no grouping, as a Russian spreadsheet reads a number. */
export function formatDecimal(tiyn: number): string {
  return tiynToDecimal(tiyn).replace('.', ',');
}
