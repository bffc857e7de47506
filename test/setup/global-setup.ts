import os from 'node:os';
import path from 'node:path';
import { createDb } from '../../db/connection';
import { prepareDatabase } from '../../db/migrate';
import { createTemporalClient, ensureSearchAttributes } from '../../lib/temporal';
import { ensureDatabase, startEmbeddedPostgres } from '../../ops/services/embedded-postgres';
import { startTemporalDevServer } from '../../ops/services/temporal-dev-server';
import { freePort } from '../helpers/ports';
import { TEMPLATE_DATABASE } from '../helpers/db';

/**
 * Once per `jest` run: one embedded PostgreSQL with a migrated template database (each
 * test file clones it) and one Temporal dev server for the integration tests. Their
 * addresses reach the test workers through the environment. Both are external processes told
 * their port up front (PostgreSQL's `-p`, the Temporal CLI's `--port`), hence `freePort`.
 */
export default async function globalSetup() {
  const started = Date.now();
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(os.tmpdir(), `ismet-test-pg-${process.pid}`),
    port: await freePort(),
    persistent: false,
    fast: true,
  });
  (globalThis as any).__TEST_POSTGRES__ = postgres;
  await ensureDatabase(postgres.serverUrl, TEMPLATE_DATABASE);
  const template = createDb(postgres.urlFor(TEMPLATE_DATABASE));
  await prepareDatabase(template);
  await template.destroy();

  const temporal = await startTemporalDevServer({ port: await freePort() });
  (globalThis as any).__TEST_TEMPORAL__ = temporal;
  const admin = createTemporalClient(temporal.address, 'default');
  await ensureSearchAttributes(admin.connection, 'default');
  await admin.connection.close();

  process.env.TEST_PG_SERVER_URL = postgres.serverUrl;
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  console.log(
    `\nTest services ready in ${Date.now() - started} ms: PostgreSQL ${postgres.serverUrl}, Temporal ${temporal.address}`,
  );
}
