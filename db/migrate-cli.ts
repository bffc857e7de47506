import { loadConfig } from '../lib/config';
import { runMain } from '../lib/process';
import { createDb } from './connection';
import { prepareDatabase } from './migrate';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required (npm start migrates the embedded database itself)');
  const db = createDb(config.databaseUrl);
  try {
    const { applied, calendarYearsAdded } = await prepareDatabase(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date');
    if (calendarYearsAdded.length) console.log(`Calendar years seeded: ${calendarYearsAdded.join(', ')}`);
  } finally {
    await db.destroy();
  }
}

runMain(main);
