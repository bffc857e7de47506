import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import net from 'node:net';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../..');

/** What ops/install-temporal-server.sh installs: the server, its SQL tool and the PostgreSQL schema. */
export const TEMPORAL_SERVER_TOOLS = {
  server: process.env.TEMPORAL_SERVER_PATH ?? path.join(REPO, '.tools/bin/temporal-server'),
  sqlTool: process.env.TEMPORAL_SQL_TOOL_PATH ?? path.join(REPO, '.tools/bin/temporal-sql-tool'),
  schemaDir: process.env.TEMPORAL_SCHEMA_DIR ?? path.join(REPO, '.tools/temporal-server/schema/postgresql/v12'),
  /** The dynamic config docker-compose.yml gives its server (Updates on, id length). */
  dynamicConfig: path.join(REPO, 'ops/compose/dynamicconfig/development-sql.yaml'),
};

/** Runs ops/install-temporal-server.sh (a no-op when installed) and the Temporal CLI's install. */
export async function installTemporalServer(log: (line: string) => void = () => undefined): Promise<void> {
  for (const script of ['ops/install-temporal-server.sh', 'ops/install-temporal-cli.sh']) {
    const { stdout, stderr } = await run('bash', [script], { cwd: REPO, maxBuffer: 16 * 2 ** 20 });
    for (const line of `${stdout}${stderr}`.split('\n')) if (line.trim()) log(line.trim());
  }
}

/** Whether the server and its tool are installed (no build attempted). */
export const temporalServerInstalled = () =>
  fs.existsSync(TEMPORAL_SERVER_TOOLS.server) &&
  fs.existsSync(TEMPORAL_SERVER_TOOLS.sqlTool) &&
  fs.existsSync(path.join(TEMPORAL_SERVER_TOOLS.schemaDir, 'temporal/versioned'));

export interface TemporalDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * Creates Temporal's two databases and brings their schemas up to the server's version, as
 * ops/compose/setup-postgres.sh does with admin-tools: `create`, `setup-schema -v 0.0`, then
 * `update-schema -d <versioned>`. Safe to run again.
 */
export async function setupTemporalSchema(db: TemporalDatabase, log: (line: string) => void = () => undefined) {
  const base = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--pw', db.password];
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ]) {
    for (const command of [
      ['create'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '-d', path.join(TEMPORAL_SERVER_TOOLS.schemaDir, schema, 'versioned')],
    ]) {
      const { stdout, stderr } = await run(TEMPORAL_SERVER_TOOLS.sqlTool, [...base, '--db', database, ...command], {
        maxBuffer: 16 * 2 ** 20,
      });
      for (const line of `${stdout}${stderr}`.split('\n'))
        if (line.trim()) log(`[sql-tool ${database}] ${line.trim()}`);
    }
  }
}

export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** Ports handed out by this process. */
const handedOut = new Set<number>();

/**
 * A port nothing listens on, below 32768: Temporal stores each service's RPC port in
 * `cluster_membership.rpc_port`, a PostgreSQL smallint, so the system's ephemeral ports
 * (32768 and up, what ops/services/ports.ts's freePort gets) make the server exit at start.
 */
export async function lowFreePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.unref();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      handedOut.add(port);
      return port;
    }
  }
}

export async function pickTemporalPorts(): Promise<TemporalServerPorts> {
  return {
    frontend: await lowFreePort(),
    frontendHttp: await lowFreePort(),
    frontendMembership: await lowFreePort(),
    history: await lowFreePort(),
    historyMembership: await lowFreePort(),
    matching: await lowFreePort(),
    matchingMembership: await lowFreePort(),
    worker: await lowFreePort(),
    workerMembership: await lowFreePort(),
  };
}

/**
 * The server's configuration as temporalio/server renders it for DB=postgres12: default and
 * visibility stores on PostgreSQL, one cluster, the four services on loopback, the compose
 * dynamic config. JSON is YAML, so the file is written as JSON under a comment.
 */
export function serverConfig(p: { db: TemporalDatabase; ports: TemporalServerPorts; logLevel?: string }) {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${p.db.host}:${p.db.port}`,
      connectProtocol: 'tcp',
      user: p.db.user,
      password: p.db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: p.logLevel ?? 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': store('temporal', 10),
        'postgres-visibility': store('temporal_visibility', 5),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(p.ports.frontend, p.ports.frontendMembership, { httpPort: p.ports.frontendHttp }),
      history: service(p.ports.history, p.ports.historyMembership),
      matching: service(p.ports.matching, p.ports.matchingMembership),
      worker: service(p.ports.worker, p.ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${p.ports.frontend}`,
          httpAddress: `127.0.0.1:${p.ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: TEMPORAL_SERVER_TOOLS.dynamicConfig, pollInterval: '10s' },
  };
}

export interface TemporalServerHandle {
  address: string;
  ports: TemporalServerPorts;
  configFile: string;
  readonly process: ChildProcess | undefined;
  /** SIGTERM (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** Starts it again on the same ports and databases; resolves once the frontend answers. */
  start(): Promise<void>;
}

/**
 * Runs `temporal-server start` with a config written into `dir/config/topology.yaml`; output
 * appended to `logFile`. Resolves once the frontend answers and the cluster reports SERVING.
 */
export async function startTemporalServer(options: {
  dir: string;
  db: TemporalDatabase;
  logFile: string;
  ports?: TemporalServerPorts;
  logLevel?: string;
  readyTimeoutMs?: number;
}): Promise<TemporalServerHandle> {
  const ports = options.ports ?? (await pickTemporalPorts());
  const configDir = path.join(options.dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const configFile = path.join(configDir, 'topology.yaml');
  fs.writeFileSync(
    configFile,
    '# Written by ops/topology/temporal-server.ts: the Temporal server of the topology (JSON is YAML).\n' +
      JSON.stringify(serverConfig({ db: options.db, ports, logLevel: options.logLevel }), null, 2) +
      '\n',
  );
  const address = `127.0.0.1:${ports.frontend}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    const log = fs.openSync(options.logFile, 'a');
    fs.writeSync(log, `\n==== temporal-server start ${new Date().toISOString()}\n`);
    const started = spawn(
      TEMPORAL_SERVER_TOOLS.server,
      ['--root', options.dir, '--config', 'config', '--env', 'topology', '--allow-no-auth', 'start'],
      { stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    child = started;
    const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null)
        throw new Error(
          `temporal-server exited (${started.exitCode ?? started.signalCode}) before it served; see ${options.logFile}`,
        );
      if (await serving(address)) return;
      if (Date.now() > deadline)
        throw new Error(`temporal-server did not serve on ${address} in time; see ${options.logFile}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  const stop = async (graceMs = 20_000) => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    address,
    ports,
    configFile,
    get process() {
      return child;
    },
    stop,
    start,
  };
}

/** The frontend answers and reports the cluster SERVING. */
export async function serving(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    const health = await connection.withDeadline(Date.now() + 2000, () =>
      connection!.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' }),
    );
    return health.status === 1; // SERVING
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}
