import { parseArgs } from 'node:util';
import { runMain } from '../../lib/process';
import { ensureDatabase, startEmbeddedPostgres } from './embedded-postgres';

/**
 * Runs the embedded PostgreSQL in the foreground until SIGINT/SIGTERM:
 *   tsx ops/services/postgres-cli.ts --dir .data/postgres --port 54329 [--database ismet]
 * Prints `READY <url>` once it accepts connections. Tests use it to stop and restart a
 * real server (the package is ES-module only, which jest's CommonJS runtime cannot load).
 */
async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      port: { type: 'string' },
      database: { type: 'string' },
      fast: { type: 'boolean' },
    },
  });
  if (!values.dir || !values.port)
    throw new Error('usage: postgres-cli --dir <data dir> --port <port> [--database <name>] [--fast]');
  const server = await startEmbeddedPostgres({ dataDir: values.dir, port: Number(values.port), fast: values.fast });
  if (values.database) await ensureDatabase(server.serverUrl, values.database);
  console.log(`READY ${values.database ? server.urlFor(values.database) : server.serverUrl}`);
  // embedded-postgres itself stops the server on SIGINT/SIGTERM, then exits.
}

runMain(main);
