import type { Knex } from 'knex';
import { BUNDLED_CALENDAR } from '../lib/calendar/bundled';
import { seedCalendar } from './calendar-seed';
import type { Db } from './connection';
import { migrations } from './migrations';

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};

/** Applies every pending migration; returns the names applied. Safe to run concurrently (knex lock). */
export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}

export interface PreparedDatabase {
  applied: string[];
  /** Calendar years of the bundled data the database lacked. */
  calendarYearsAdded: number[];
  /** Calendar years replaced by newer bundled data (never edited by staff). */
  calendarYearsUpdated: number[];
  /** Calendar years whose newer bundled data differs from a staff edit, which was kept. */
  calendarYearsKept: number[];
}

/**
 * Migrations, then reference data the code ships: the bundled calendar years the database
 * lacks, or has older than the bundled data, unless staff edited them (db/calendar-seed.ts).
 */
export async function prepareDatabase(db: Db): Promise<PreparedDatabase> {
  const applied = await migrateLatest(db);
  const { added, updated, kept } = await seedCalendar(db, BUNDLED_CALENDAR);
  return { applied, calendarYearsAdded: added, calendarYearsUpdated: updated, calendarYearsKept: kept };
}
