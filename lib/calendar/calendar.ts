import { DateTime } from 'luxon';
import { FIRST_DERIVABLE_YEAR, provisionalYear } from './provisional';
import {
  CalendarData,
  CalendarDay,
  CalendarOptions,
  CalendarSettings,
  CalendarSource,
  CalendarYear,
  CalendarYearMissingError,
  DayEnd,
  DEFAULT_SETTINGS,
  Pause,
  PeriodOptions,
} from './types';

type Instant = Date | string;
type Span = readonly [number, number];

export interface DayInfo {
  date: string;
  working: boolean;
  /** A calendar record's kind, or the ordinary `weekday` / `weekend`. */
  kind: CalendarDay['kind'] | 'weekday' | 'weekend';
  name: string;
  source?: string;
}

/** Where a year's days come from: the data (official or provisional), or derived from the law. */
export interface YearStatus {
  year: number;
  status: CalendarYear['status'];
  /** No data for the year: derived from the Law on holidays (provisional.ts), always provisional. */
  derived: boolean;
  sources: CalendarSource[];
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAY_NAMES = ['', 'Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'];

const ms = (instant: Instant) => (instant instanceof Date ? instant.getTime() : Date.parse(instant));
/** A local date (YYYY-MM-DD) plus whole calendar days, e.g. the day after the joining date (10.5.3). */
export const addDaysToDate = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
/**
 * ISO dates (YYYY-MM-DD) of instants in a zone, one formatter per zone: Intl's en-CA form is the ISO one, at a seventh
 * of luxon's cost (issue #20: a hot read's date). Undefined where this Intl lacks it (a small ICU): luxon then.
 */
const isoDateFormats = new Map<string, Intl.DateTimeFormat | undefined>();
function isoDateFormat(zone: string): Intl.DateTimeFormat | undefined {
  if (!isoDateFormats.has(zone)) {
    let format: Intl.DateTimeFormat | undefined;
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      // not a zone Intl knows: luxon says so its own way
    }
    const probe = Date.UTC(2026, 11, 5, 12);
    isoDateFormats.set(
      zone,
      format?.format(probe) === DateTime.fromMillis(probe, { zone }).toISODate() ? format : undefined,
    );
  }
  return isoDateFormats.get(zone);
}
/** The local date (YYYY-MM-DD) of an instant in a zone: the day a payment, a letter or a deadline falls on there. */
export const localDateIn = (zone: string, instant: Instant) =>
  isoDateFormat(zone)?.format(ms(instant)) ?? DateTime.fromMillis(ms(instant), { zone }).toISODate()!;
const nextDate = (date: string) => addDaysToDate(date, 1);

/**
 * Local times as instants, by zone, date and time: every deadline's computation walks the same few days, and luxon's
 * zone arithmetic was most of a ticket's wake (issue #20). Pure, so kept for as long as the module lives: a process's
 * life in the API and activities, a workflow's in the worker (its sandbox loads its own modules). Emptied when large.
 */
const localInstants = new Map<string, number>();
function localInstant(zone: string, date: string, time: { hour: number; minute: number }): number {
  const key = `${zone} ${date} ${time.hour}:${time.minute}`;
  let instant = localInstants.get(key);
  if (instant === undefined) {
    if (localInstants.size >= 20_000) localInstants.clear();
    instant = DateTime.fromISO(date, { zone }).set(time).toMillis();
    localInstants.set(key, instant);
  }
  return instant;
}
/** ISO weekday of a local date, 1 (Monday) … 7 (Sunday). */
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

/**
 * The Kazakhstan business calendar: every deadline of the contract is computed here.
 * Pure and deterministic (no clock, no I/O): workflows use it on data an activity loaded.
 *
 * Conventions (docs/CALENDAR.md), after the Civil Code of the Republic of Kazakhstan:
 * - a period of N days starts on the day after the event, its local date in the zone (art. 173);
 * - if its last day is a non-working day, the period ends on the next working day (art. 175);
 * - it ends at 24:00 of the last day (returned as 00:00 of the next local day), or at the
 *   close of working hours for an act that must be done at the operator (art. 176);
 * - working time counts only inside working hours on working days; an event outside them
 *   starts the clock at the next opening;
 * - pauses (waiting for the client, force majeure) do not count: working time inside a
 *   pause is skipped; a day that a pause touches is not counted as a day of the period.
 *
 * A year the data lacks is derived from the Law on holidays when a computation reaches it
 * (provisional.ts), status `provisional`; `provisionalYearsIn` tells whether a result depends
 * on a provisional year, derived or provisional in the data.
 */
export class BusinessCalendar {
  private readonly records = new Map<string, CalendarDay>();
  private readonly covered: ReadonlySet<number>;
  /** Every year consulted so far, from the data or derived on first use. */
  private readonly years = new Map<number, YearStatus>();
  private readonly opens: { hour: number; minute: number };
  private readonly closes: { hour: number; minute: number };

  /**
   * `standing` pauses count against every period this calendar computes, besides those a call
   * gives: the force-majeure events that suspend a process's deadlines (8.3-8.5).
   */
  constructor(
    data: CalendarData,
    readonly settings: CalendarSettings = DEFAULT_SETTINGS,
    private readonly standing: readonly Pause[] = [],
    private readonly options: CalendarOptions = {},
  ) {
    for (const [year, content] of Object.entries(data.years)) {
      for (const day of content.days) this.records.set(day.date, day);
      this.years.set(Number(year), {
        year: Number(year),
        status: content.status,
        derived: false,
        sources: content.sources,
      });
    }
    this.covered = new Set(Object.keys(data.years).map(Number));
    this.opens = parseTime(settings.opens);
    this.closes = parseTime(settings.closes);
    if (this.opens.hour * 60 + this.opens.minute >= this.closes.hour * 60 + this.closes.minute) {
      throw new Error(`working hours ${settings.opens}-${settings.closes} are empty`);
    }
  }

  private pausesWith(pauses: readonly Pause[] = []): Span[] {
    return mergePauses([...this.standing, ...pauses]);
  }

  /** The same calendar with more standing pauses (a process's force-majeure events). */
  withPauses(pauses: readonly Pause[]): BusinessCalendar {
    const copy = Object.create(BusinessCalendar.prototype) as BusinessCalendar;
    Object.assign(copy, this, { standing: [...this.standing, ...pauses] });
    return copy;
  }

  /** The years the data has (derived years not included). */
  coveredYears(): number[] {
    return [...this.covered].sort((a, b) => a - b);
  }

  /** Where a year's days come from; a year the data lacks is derived here (or refused). */
  yearStatus(year: number): YearStatus {
    const known = this.years.get(year);
    if (known) return known;
    if (this.options.missingYears === 'refuse' || year < FIRST_DERIVABLE_YEAR) throw new CalendarYearMissingError(year);
    const derived = provisionalYear(year);
    for (const day of derived.days) this.records.set(day.date, day);
    const status: YearStatus = { year, status: derived.status, derived: true, sources: derived.sources };
    this.years.set(year, status);
    return status;
  }

  /**
   * The provisional years (derived, or provisional in the data) a result computed over the
   * period [from, to) depends on, e.g. `provisionalYearsIn(event, deadline)`: the years of the
   * local days from the event's day to the day of the last instant before `to`. Empty when
   * every day of the period comes from official data.
   */
  provisionalYearsIn(from: Instant, to: Instant): number[] {
    const first = Number(this.localDate(from).slice(0, 4));
    const last = Number(this.localDate(new Date(Math.max(ms(from), ms(to) - 1))).slice(0, 4));
    const years: number[] = [];
    for (let year = first; year <= last; year++) if (this.yearStatus(year).status === 'provisional') years.push(year);
    return years;
  }

  /** The local date (YYYY-MM-DD) of an instant in the operator's zone. */
  localDate(instant: Instant): string {
    return localDateIn(this.settings.zone, instant);
  }

  /** An instant as ISO 8601 with the zone's offset, e.g. 2026-03-10T00:00:00.000+05:00. */
  format(instant: Instant): string {
    return DateTime.fromMillis(ms(instant), { zone: this.settings.zone }).toISO()!;
  }

  /** The instant a local date (YYYY-MM-DD) begins in the operator's zone. */
  startOfDay(date: string): Date {
    return new Date(this.at(date, { hour: 0, minute: 0 }));
  }

  /** A local date (YYYY-MM-DD), or the local date of an instant. */
  dayInfo(day: string | Date): DayInfo {
    const date = typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : this.localDate(day);
    this.yearStatus(Number(date.slice(0, 4)));
    const record = this.records.get(date);
    const dow = weekday(date);
    if (record) {
      return {
        date,
        working: record.kind === 'working_day_transfer',
        kind: record.kind,
        name: record.name,
        source: record.source,
      };
    }
    return { date, working: dow <= 5, kind: dow <= 5 ? 'weekday' : 'weekend', name: WEEKDAY_NAMES[dow] };
  }

  isWorkingDay(day: string | Date): boolean {
    return this.dayInfo(day).working;
  }

  /** Every non-working day of a year (weekends included), each with its reason. */
  nonWorkingDays(year: number): DayInfo[] {
    return this.daysOfYear(year).filter((d) => !d.working);
  }

  /** Weekend days a decree made working days. */
  workingWeekendDays(year: number): DayInfo[] {
    return this.daysOfYear(year).filter((d) => d.working && d.kind === 'working_day_transfer');
  }

  /** N calendar days after the event; the last day moves to the next working day. */
  addCalendarDays(from: Instant, days: number, options: PeriodOptions = {}): Date {
    const pauses = this.pausesWith(options.pauses);
    let date = this.localDate(from);
    for (let counted = 0; counted < days;) {
      date = nextDate(date);
      if (!this.touched(date, pauses)) counted++;
    }
    while (!this.isWorkingDay(date) || this.touched(date, pauses)) date = nextDate(date);
    return this.endOf(date, options.endsAt);
  }

  /** N working days after the event (Civil Code: counting starts the next day). */
  addWorkingDays(from: Instant, days: number, options: PeriodOptions = {}): Date {
    const pauses = this.pausesWith(options.pauses);
    let date = this.localDate(from);
    let counted = 0;
    if (days === 0) {
      while (!this.isWorkingDay(date) || this.touched(date, pauses)) date = nextDate(date);
    }
    while (counted < days) {
      date = nextDate(date);
      if (this.isWorkingDay(date) && !this.touched(date, pauses)) counted++;
    }
    return this.endOf(date, options.endsAt);
  }

  /**
   * The same local date and time `years` later (or earlier, when negative): a period of years
   * ends on the corresponding month and day of its last year (Civil Code art. 176), e.g. the
   * 5 years codes are kept (4.4.8). 29 February maps to 28 February in a common year.
   */
  addYears(from: Instant, years: number): Date {
    return DateTime.fromMillis(ms(from), { zone: this.settings.zone }).plus({ years }).toJSDate();
  }

  /**
   * The end of a term of `years` years from the event: the end (24:00) of the corresponding day of
   * its last year (Civil Code art. 174: a term ends at 24 hours of its last day; art. 176), e.g.
   * codes kept 5 years (4.4.8) are kept through the whole anniversary day.
   */
  endOfYearsFrom(from: Instant, years: number): Date {
    return this.endOf(this.localDate(this.addYears(from, years)));
  }

  /**
   * The end of a period of `years` years from the event: the corresponding month and day of
   * its last year (Civil Code art. 176), moved to the next working day when that one is not
   * (art. 173), e.g. the calendar year an advance may stay unused (3.7).
   */
  addCalendarYears(from: Instant, years: number, options: PeriodOptions = {}): Date {
    let date = this.localDate(this.addYears(this.startOfDay(this.localDate(from)), years));
    while (!this.isWorkingDay(date)) date = nextDate(date);
    return this.endOf(date, options.endsAt);
  }

  /**
   * The instant when `hours` of clock time have passed since `from`, for deadlines that run
   * round the clock (4.4.4: codes within 4 hours of the order's registration); time inside a
   * pause (force majeure, 8.3) does not count.
   */
  addClockHours(from: Instant, hours: number, options: { pauses?: readonly Pause[] } = {}): Date {
    if (!(hours >= 0)) throw new RangeError('a number of hours cannot be negative');
    let cursor = ms(from);
    let remaining = Math.round(hours * HOUR_MS);
    for (const [start, end] of this.pausesWith(options.pauses)) {
      if (end <= cursor) continue;
      if (start > cursor) {
        if (start - cursor >= remaining) break;
        remaining -= start - cursor;
      }
      cursor = end;
    }
    return new Date(cursor + remaining);
  }

  /** The instant when `hours` of working time have passed since `from`. */
  addWorkingHours(from: Instant, hours: number, options: { pauses?: readonly Pause[] } = {}): Date {
    return this.addWorkingTime(from, Math.round(hours * HOUR_MS), options);
  }

  /** The instant when `durationMs` of working time have passed since `from`. */
  addWorkingTime(from: Instant, durationMs: number, options: { pauses?: readonly Pause[] } = {}): Date {
    if (!(durationMs >= 0)) throw new RangeError('a duration of working time cannot be negative');
    let remaining = durationMs;
    for (const [start, end] of this.workingSpans(ms(from), this.pausesWith(options.pauses))) {
      if (end - start >= remaining) return new Date(start + remaining);
      remaining -= end - start;
    }
    throw new Error('unreachable: working spans are endless');
  }

  /** Working time between two instants in ms, pauses excluded; negative when `to` is earlier. */
  workingTimeBetween(from: Instant, to: Instant, options: { pauses?: readonly Pause[] } = {}): number {
    const [a, b] = [ms(from), ms(to)];
    if (b < a) return -this.workingTimeBetween(to, from, options);
    let total = 0;
    for (const [start, end] of this.workingSpans(a, this.pausesWith(options.pauses))) {
      if (start >= b) break;
      total += Math.min(end, b) - start;
    }
    return total;
  }

  /** Working time, pauses excluded, from `from` on: endless, clipped to start at `from`. */
  private *workingSpans(from: number, pauses: Span[]): Generator<Span> {
    for (let date = this.localDate(new Date(from)); ; date = nextDate(date)) {
      if (!this.isWorkingDay(date)) continue;
      const open = Math.max(from, this.at(date, this.opens));
      const close = this.at(date, this.closes);
      if (close > open) yield* subtract([open, close], pauses);
    }
  }

  private daysOfYear(year: number): DayInfo[] {
    const days: DayInfo[] = [];
    for (let date = `${year}-01-01`; date.startsWith(String(year)); date = nextDate(date))
      days.push(this.dayInfo(date));
    return days;
  }

  private at(date: string, time: { hour: number; minute: number }): number {
    return localInstant(this.settings.zone, date, time);
  }

  private endOf(date: string, endsAt: DayEnd = 'midnight'): Date {
    return new Date(
      endsAt === 'midnight' ? this.at(nextDate(date), { hour: 0, minute: 0 }) : this.at(date, this.closes),
    );
  }

  /** Whether a pause overlaps the local day. */
  private touched(date: string, pauses: Span[]): boolean {
    if (pauses.length === 0) return false;
    const start = this.at(date, { hour: 0, minute: 0 });
    const end = this.at(nextDate(date), { hour: 0, minute: 0 });
    return pauses.some(([s, e]) => s < end && e > start);
  }
}

function parseTime(value: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`expected a time HH:mm, got ${JSON.stringify(value)}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Pauses as sorted, non-overlapping [start, end) spans in ms. */
function mergePauses(pauses: readonly Pause[] = []): Span[] {
  const spans = pauses
    .map((p) => [ms(p.start), ms(p.end)] as [number, number])
    .filter(([s, e]) => {
      if (Number.isNaN(s) || Number.isNaN(e)) throw new RangeError('a pause needs a valid start and end');
      return e > s;
    })
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

function* subtract([start, end]: Span, pauses: Span[]): Generator<Span> {
  let cursor = start;
  for (const [s, e] of pauses) {
    if (e <= cursor) continue;
    if (s >= end) break;
    if (s > cursor) yield [cursor, s];
    cursor = Math.max(cursor, e);
    if (cursor >= end) return;
  }
  if (cursor < end) yield [cursor, end];
}
