import type { CalendarData, CalendarDay, CalendarYear } from '../lib/calendar';
import type { Db } from './connection';

/** The business calendar in PostgreSQL: read whole, replaced a year at a time, audited. */

export async function readCalendar(db: Db): Promise<CalendarData> {
  const [years, days] = await Promise.all([db('calendar_years').orderBy('year'), db('calendar_days').orderBy('date')]);
  const data: CalendarData = { years: {} };
  for (const y of years) data.years[y.year] = { status: y.status, sources: y.sources, days: [] };
  for (const d of days) data.years[d.year].days.push(toDay(d));
  return data;
}

export async function readCalendarYear(
  db: Db,
  year: number,
): Promise<(CalendarYear & { updatedAt: string }) | undefined> {
  const row = await db('calendar_years').where({ year }).first();
  if (!row) return undefined;
  const days = await db('calendar_days').where({ year }).orderBy('date');
  return {
    status: row.status,
    sources: row.sources,
    days: days.map(toDay),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * Replaces a year's data in one transaction and records the change (who, why, before,
 * after). Returns whether anything changed.
 */
export async function replaceCalendarYear(
  db: Db,
  year: number,
  data: CalendarYear,
  change: { by?: string; reason: string },
): Promise<{ created: boolean; changed: boolean }> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [7_000_000 + year]);
    const before = await readCalendarYear(trx, year);
    const after = normalise(data);
    if (before && JSON.stringify(normalise(before)) === JSON.stringify(after))
      return { created: false, changed: false };
    await trx('calendar_years')
      .insert({
        year,
        status: after.status,
        sources: JSON.stringify(after.sources),
        updated_by: change.by ?? null,
        updated_at: trx.fn.now(),
      })
      .onConflict('year')
      .merge();
    await trx('calendar_days').where({ year }).delete();
    if (after.days.length) await trx('calendar_days').insert(after.days.map((d) => fromDay(year, d)));
    await trx('calendar_changes').insert({
      year,
      changed_by: change.by ?? null,
      reason: change.reason,
      before: before ? JSON.stringify(normalise(before)) : null,
      after: JSON.stringify(after),
    });
    return { created: !before, changed: true };
  });
}

export async function listCalendarChanges(db: Db, options: { year?: number; limit: number }) {
  const query = db('calendar_changes as c')
    .leftJoin('staff_users as s', 's.id', 'c.changed_by')
    .select('c.*', 's.name as changed_by_name')
    .orderBy('c.id', 'desc')
    .limit(options.limit);
  if (options.year) query.where('c.year', options.year);
  return query;
}

/** A year's content in one key order and without extra fields: comparable as JSON (jsonb reorders keys). */
export function normalise(year: CalendarYear): CalendarYear {
  return {
    status: year.status,
    sources: year.sources.map(({ title, url }) => (url ? { title, url } : { title })),
    days: [...year.days]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((d) => {
        const day: CalendarDay = { date: d.date, kind: d.kind, name: d.name, source: d.source };
        if (d.category) day.category = d.category;
        if (d.movedFrom) day.movedFrom = d.movedFrom;
        if (d.pairedWith) day.pairedWith = d.pairedWith;
        return day;
      }),
  };
}

function toDay(row: Record<string, any>): CalendarDay {
  const day: CalendarDay = { date: row.date, kind: row.kind, name: row.name, source: row.source };
  if (row.category) day.category = row.category;
  if (row.moved_from) day.movedFrom = row.moved_from;
  if (row.paired_with) day.pairedWith = row.paired_with;
  return day;
}

function fromDay(year: number, d: CalendarDay) {
  return {
    date: d.date,
    year,
    kind: d.kind,
    name: d.name,
    source: d.source,
    category: d.category ?? null,
    moved_from: d.movedFrom ?? null,
    paired_with: d.pairedWith ?? null,
  };
}
