import type { Knex } from 'knex';
import { BUNDLED_CALENDAR } from '../lib/calendar/bundled';
import { seedCalendar } from './calendar-store';
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

/** Migrations, then reference data the code ships (calendar years the database lacks). */
export async function prepareDatabase(db: Db): Promise<{ applied: string[]; calendarYearsAdded: number[] }> {
  const applied = await migrateLatest(db);
  const calendarYearsAdded = await seedCalendar(db, BUNDLED_CALENDAR);
  return { applied, calendarYearsAdded };
}
