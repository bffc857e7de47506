import type { CalendarData, CalendarYear } from '../lib/calendar';
import { normalise, readCalendarYear, replaceCalendarYear } from './calendar-store';
import type { Db } from './connection';

/**
 * The calendar data the code ships (lib/calendar/data/kz.json) brought into PostgreSQL at start
 * (db/migrate.ts prepareDatabase). A year is compared with the database when its bundled content
 * is new or differs from the content compared last time (calendar_bundled_years):
 * - a year the database lacks is added;
 * - a year that differs, which staff never edited, is replaced (a corrected year in a release);
 * - a year staff edited (PUT /staff/v1/calendar/years) is kept, and the audit says so, once per
 *   bundled content, not on every start.
 * Each change is written to calendar_changes like a staff edit, without a staff user.
 */

export const SEEDED = 'seeded from lib/calendar/data/kz.json';
export const BUNDLED_UPDATED = 'bundled data updated (lib/calendar/data/kz.json)';
export const keptStaffEdit = (editedAt: string) => `bundled data differs; kept staff edit of ${editedAt}`;

export interface SeedResult {
  /** Years the database lacked. */
  added: number[];
  /** Years replaced by newer bundled data. */
  updated: number[];
  /** Years whose bundled data differs from a staff edit, which was kept. */
  kept: number[];
}

type Outcome = keyof SeedResult | 'unchanged';

const canonical = (year: CalendarYear) => JSON.stringify(normalise(year));

export async function seedCalendar(db: Db, data: CalendarData): Promise<SeedResult> {
  const result: SeedResult = { added: [], updated: [], kept: [] };
  for (const [key, content] of Object.entries(data.years)) {
    const outcome = await seedYear(db, Number(key), content);
    if (outcome !== 'unchanged') result[outcome].push(Number(key));
  }
  return result;
}

async function seedYear(db: Db, year: number, bundled: CalendarYear): Promise<Outcome> {
  return db.transaction(async (trx) => {
    // The lock replaceCalendarYear takes: one start at a time compares a year.
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [7_000_000 + year]);
    const compared = await trx('calendar_bundled_years').where({ year }).first();
    if (compared && canonical(compared.content) === canonical(bundled)) return 'unchanged';
    const outcome = await apply(trx, year, bundled);
    await trx('calendar_bundled_years')
      .insert({ year, content: JSON.stringify(normalise(bundled)), compared_at: trx.fn.now() })
      .onConflict('year')
      .merge();
    return outcome;
  });
}

async function apply(trx: Db, year: number, bundled: CalendarYear): Promise<Outcome> {
  const current = await readCalendarYear(trx, year);
  if (!current) {
    await replaceCalendarYear(trx, year, bundled, { reason: SEEDED });
    return 'added';
  }
  if (canonical(current) === canonical(bundled)) return 'unchanged';
  const editedAt = await lastStaffEdit(trx, year);
  if (editedAt) {
    const kept = JSON.stringify(normalise(current));
    await trx('calendar_changes').insert({
      year,
      changed_by: null,
      reason: keptStaffEdit(editedAt),
      before: kept,
      after: kept,
    });
    return 'kept';
  }
  await replaceCalendarYear(trx, year, bundled, { reason: BUNDLED_UPDATED });
  return 'updated';
}

/** When staff last saved the year (a change with a staff user, or the year's updated_by), if ever. */
async function lastStaffEdit(trx: Db, year: number): Promise<string | undefined> {
  const change = await trx('calendar_changes')
    .where({ year })
    .whereNotNull('changed_by')
    .max('changed_at as at')
    .first();
  const saved = await trx('calendar_years').where({ year }).whereNotNull('updated_by').first('updated_at');
  const instants = [change?.at, saved?.updated_at].filter(Boolean).map((at) => new Date(at).getTime());
  return instants.length ? new Date(Math.max(...instants)).toISOString() : undefined;
}
