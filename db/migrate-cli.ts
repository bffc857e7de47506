import { loadConfig } from '../lib/config';
import { runMain } from '../lib/process';
import { createDb } from './connection';
import { migrateLatest } from './migrate';

/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required (npm start migrates the embedded database itself)');
  const db = createDb(config.databaseUrl);
  try {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date');
  } finally {
    await db.destroy();
  }
}

runMain(main);
