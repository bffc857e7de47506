import { parseArgs } from 'node:util';
import { issueToken } from '../db/api-tokens';
import { createDb } from '../db/connection';
import { migrateLatest } from '../db/migrate';
import { loadConfig } from '../lib/config';
import { runMain } from '../lib/process';
import { embeddedDatabaseUrl } from './embedded-defaults';

/**
 * `npm run create-admin -- --name "…" --email …`: creates the first admin (or gives an
 * existing admin a new token) and prints the token once. Uses DATABASE_URL, else the
 * embedded PostgreSQL of a running `npm start`.
 */
async function main() {
  const { values } = parseArgs({ options: { name: { type: 'string' }, email: { type: 'string' } } });
  if (!values.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email))
    throw new Error('--email <address> is required');
  const config = loadConfig();
  const db = createDb(config.databaseUrl ?? embeddedDatabaseUrl(config));
  try {
    await migrateLatest(db);
    const email = values.email.toLowerCase();
    let user = await db('staff_users').where({ email }).first();
    if (user && !user.roles.includes('admin')) throw new Error(`${email} exists but is not an admin`);
    if (!user) {
      if (!values.name) throw new Error('--name "<full name>" is required for a new admin');
      [user] = await db('staff_users')
        .insert({ name: values.name, email, roles: ['admin'] })
        .returning('*');
    }
    const { token } = await issueToken(db, { staffUserId: user.id }, 'create-admin');
    console.log(`Admin ${user.name} <${email}> (id ${user.id})`);
    console.log(`API token (shown once): ${token}`);
  } finally {
    await db.destroy();
  }
}

runMain(main);
