import { randomInt } from 'node:crypto';
import { issueToken } from '../../db/api-tokens';
import { createDb } from '../../db/connection';
import { loadConfig } from '../../lib/config';
import { runMain } from '../../lib/process';
import { STAFF_ROLES } from '../../lib/roles';
import { embeddedDatabaseUrl } from '../embedded-defaults';
import { randomBinIin } from '../sample-data';

/**
 * `tsx ops/fuzz/tokens.ts`: for the fuzzer (ops/fuzz/schemathesis.sh) — a staff user with every role and a client
 * with a token of every scope, in the database of a running `npm start` (or DATABASE_URL). Prints two lines,
 * `STAFF_TOKEN=…` and `CLIENT_TOKEN=…`. Never run it against production: it makes an all-powerful staff user.
 */
async function main() {
  const config = loadConfig();
  const db = createDb(config.databaseUrl ?? embeddedDatabaseUrl(config));
  try {
    const suffix = randomInt(1e9);
    const [staff] = await db('staff_users')
      .insert({ name: 'Fuzzer', email: `fuzz-${suffix}@ismet.local`, roles: [...STAFF_ROLES] })
      .returning('*');
    const [client] = await db('clients')
      .insert({ bin_iin: randomBinIin(), name: 'ТОО «Фаззер»', email: `fuzz-client-${suffix}@example.kz` })
      .returning('*');
    const staffToken = await issueToken(db, { staffUserId: staff.id }, 'fuzz');
    const clientToken = await issueToken(db, { clientId: client.id }, 'fuzz', { scopes: ['cabinet', 'station'] });
    console.log(`STAFF_TOKEN=${staffToken.token}`);
    console.log(`CLIENT_TOKEN=${clientToken.token}`);
  } finally {
    await db.destroy();
  }
}

runMain(main);
