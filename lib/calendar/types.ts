/**
 * Calendar data: for each covered year, every date that is not an ordinary weekday or
 * weekend, with its reason and the act it comes from. Kept in lib/calendar/data/kz.json
 * (seeded into PostgreSQL), edited by staff through the API when a decree is published.
 */
export const DAY_KINDS = ['holiday', 'holiday_moved', 'rest_day_transfer', 'working_day_transfer'] as const;
/**
 * - holiday: a public holiday (Law on holidays arts. 2-3) or a religious day off (Labour Code
 *   art. 84 p. 5), on whatever weekday it falls;
 * - holiday_moved: the day off that replaces a national or state holiday which fell on a
 *   weekend (Law on holidays art. 5; religious days off are not moved);
 * - rest_day_transfer: a weekday made a day off (Labour Code art. 85 p. 3: a Government
 *   decree until 2023, a Labour Minister's order since 2024);
 * - working_day_transfer: the weekend day worked in exchange.
 */
export type DayKind = (typeof DAY_KINDS)[number];

export interface CalendarDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  kind: DayKind;
  /** Russian name or reason, as the production calendar states it. */
  name: string;
  /** The act (and article) behind this date. */
  source: string;
  category?: 'national' | 'state' | 'religious';
  /** holiday_moved: the holiday date it replaces. */
  movedFrom?: string;
  /** Transfers: the other day of the pair. */
  pairedWith?: string;
}

export interface CalendarSource {
  title: string;
  url?: string;
}

export interface CalendarYear {
  /** provisional: expected dates, the decree for the year not yet published. */
  status: 'official' | 'provisional';
  sources: CalendarSource[];
  days: CalendarDay[];
}

export interface CalendarData {
  years: Record<string, CalendarYear>;
}

/** A span of time that does not count toward a deadline (client's reply awaited, force majeure). */
export interface Pause {
  start: Date | string;
  end: Date | string;
}

export interface CalendarSettings {
  /** IANA zone of working hours: Astana time (Прил. 3). */
  zone: string;
  /** Working hours, HH:mm local (Прил. 3: 9 to 18). */
  opens: string;
  closes: string;
}

export const DEFAULT_SETTINGS: CalendarSettings = { zone: 'Asia/Almaty', opens: '09:00', closes: '18:00' };

/**
 * Where a period of days ends on its last day (Civil Code art. 176): at 24:00, or when
 * the operator's working hours close, for an act that must be done at the operator.
 */
export type DayEnd = 'midnight' | 'close_of_business';

export interface PeriodOptions {
  pauses?: readonly Pause[];
  endsAt?: DayEnd;
}

/**
 * What a computation does on reaching a year the data lacks (see ./provisional.ts):
 * - derive: use the year derived from the Law on holidays, status `provisional` (the default);
 * - refuse: throw CalendarYearMissingError, as before derived years existed (kept for the
 *   replays of workflows that waited for a missing year then, workflows/shared/deadline.ts).
 */
export type MissingYears = 'derive' | 'refuse';

export interface CalendarOptions {
  missingYears?: MissingYears;
}

/**
 * A computation reached a year the calendar has no data for and may not derive: a year before
 * the holidays of the law as now in force (provisional.ts FIRST_DERIVABLE_YEAR), or any missing
 * year when derived years are refused. An error, never a guess.
 */
export class CalendarYearMissingError extends Error {
  constructor(public readonly year: number) {
    super(
      `The business calendar has no data for ${year}: add the year's non-working days before computing deadlines in it`,
    );
    this.name = 'CalendarYearMissingError';
  }
}
