import { signalDeadlineWaiters } from '../api/intake/deadline-waiters';
import { loadConfig } from '../lib/config';
import { runMain } from '../lib/process';
import { createTemporalClient } from '../lib/temporal';
import { createDb } from '../db/connection';
import { prepareDatabase } from '../db/migrate';

/** `npm run migrate`: applies pending migrations to DATABASE_URL and brings in the bundled calendar years. */
async function main() {
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new Error('DATABASE_URL is required (npm start migrates the embedded database itself)');
  const db = createDb(config.databaseUrl);
  try {
    const { applied, calendarYearsAdded, calendarYearsUpdated, calendarYearsKept } = await prepareDatabase(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date');
    if (calendarYearsAdded.length) console.log(`Calendar years seeded: ${calendarYearsAdded.join(', ')}`);
    if (calendarYearsUpdated.length)
      console.log(`Calendar years updated from the bundled data: ${calendarYearsUpdated.join(', ')}`);
    if (calendarYearsKept.length)
      console.log(`Calendar years whose bundled data differs from a staff edit, kept: ${calendarYearsKept.join(', ')}`);
    if ((calendarYearsAdded.length || calendarYearsUpdated.length) && config.temporalAddress) {
      // Running workflows recompute their deadlines with the new years (as after a staff edit).
      const temporal = createTemporalClient(config.temporalAddress, config.temporalNamespace);
      try {
        console.log(
          `Workflows told to recompute their deadlines: ${await signalDeadlineWaiters(temporal, config.temporalTaskQueue)}`,
        );
      } finally {
        await temporal.connection.close();
      }
    }
  } finally {
    await db.destroy();
  }
}

runMain(main);
