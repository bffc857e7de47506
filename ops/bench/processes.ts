/**
 * What the benchmarks that run the app as deployed share: their services started and stopped (withAppStack), the environment of its API and worker processes on
 * the bench's PostgreSQL and Temporal dev server, and the CPU time of each process (and of PostgreSQL's) read from
 * /proc.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createDb, type Db } from '../../db/connection';
import { prepareDatabase } from '../../db/migrate';
import { type CodeKey, formatKeyRing } from '../../lib/codes';
import { CONFIG_VARIABLES } from '../../lib/config';
import { WORKER_TUNING_VARIABLES } from '../../lib/worker-tuning';
import { freePort } from '../services/ports';
import { startTemporalDevServer, type TemporalDevServerHandle } from '../services/temporal-dev-server';
import type { AppProcess } from '../topology/app-process';
import { describeDurability, type Server, startServer } from './setup';

/**
 * utime + stime of a process, in ms (clock ticks of 10 ms); 0 once it is gone. With `reaped`, plus cutime + cstime:
 * the time of its children that have exited and been waited for.
 */
export function cpuMs(pid: number, reaped = false): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return (own + (reaped ? Number(fields[13]) + Number(fields[14]) : 0)) * 10;
  } catch {
    return 0;
  }
}

/**
 * The CPU ms of the PostgreSQL server: the postmaster, its children (backends, writer, WAL…) and the children that have
 * exited (a backend whose connection closed), so the sum never goes down.
 */
export function postgresCpuMs(postmaster: number): number {
  return cpuMs(postmaster, true) + postgresChildren(postmaster).reduce((sum, pid) => sum + cpuMs(pid), 0);
}

function postgresChildren(postmaster: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.split(') ')[1].split(' ')[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/** The postmaster's pid: the parent of this connection's backend (the server runs on this machine). */
export async function postmasterPid(db: Db): Promise<number> {
  const backend = (await db.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  return Number(fs.readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
}

/** CPU ms so far of each named process or group (`postgresCpuMs`), read at once. */
export function cpuMeter(cpuOf: Record<string, () => number>): () => Record<string, number> {
  return () => Object.fromEntries(Object.entries(cpuOf).map(([name, cpu]) => [name, cpu()]));
}

/**
 * The environment of the app's processes on the bench's services: this process's environment without any of the
 * app's own variables, then the bench's database, Temporal, task queue, code key and data folder, then `extra`.
 */
export function benchAppEnv(p: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  codeKey: CodeKey;
  dataDir: string;
  extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  // The worker's knobs pass through, to be measured (README, orders); nothing else of this shell's configuration.
  for (const name of CONFIG_VARIABLES) if (!WORKER_TUNING_VARIABLES.includes(name)) delete inherited[name];
  return {
    ...inherited,
    DATABASE_URL: p.databaseUrl,
    TEMPORAL_ADDRESS: p.temporalAddress,
    TEMPORAL_NAMESPACE: p.namespace,
    TEMPORAL_TASK_QUEUE: p.taskQueue,
    OPERATOR_TIME_ZONE: 'Asia/Almaty',
    CODE_KEYS: formatKeyRing({ current: p.codeKey, byId: new Map([[p.codeKey.id, p.codeKey]]) }),
    DATA_DIR: p.dataDir,
    LOG_LEVEL: 'info',
    ...p.extra,
  };
}

/** What a benchmark running the app as deployed has started: stopped by `withAppStack` at the end, whatever happens. */
export interface AppStack {
  /** A folder of its own (the app's data, logs), removed at the end. */
  dir: string;
  server: Server;
  db: Db;
  /** The app's processes the benchmark started: stopped first. */
  processes: AppProcess[];
  /** Starts the Temporal dev server (once) and connects to it. */
  startTemporal(namespace: string): Promise<{ server: TemporalDevServerHandle; connection: Connection }>;
}

/**
 * Runs `run` on a PostgreSQL of its own (startServer: durable unless `--fast`; said before and after), migrated, and
 * a folder of its own; then stops the app's processes, Temporal and PostgreSQL and removes the folder.
 */
export async function withAppStack<T>(name: string, run: (stack: AppStack) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ismet-bench-${name}-`));
  const server = await startServer(name);
  console.log(describeDurability(server));
  const db = createDb(server.url);
  let temporal: { server: TemporalDevServerHandle; connection: Connection } | undefined;
  const stack: AppStack = {
    dir,
    server,
    db,
    processes: [],
    async startTemporal(namespace) {
      if (!temporal) {
        const handle = await startTemporalDevServer({ port: await freePort(), namespace });
        temporal = { server: handle, connection: undefined as never };
        temporal.connection = await Connection.connect({ address: handle.address });
      }
      return temporal;
    },
  };
  try {
    await prepareDatabase(db);
    const result = await run(stack);
    console.log(describeDurability(server));
    return result;
  } finally {
    for (const app of stack.processes) await app.stop(10_000);
    await (temporal?.connection as Connection | undefined)?.close();
    await temporal?.server.stop();
    await db.destroy();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A task queue's backlog of workflow (or activity) tasks, as DescribeTaskQueue reports it: count and age of the oldest. */
export async function taskQueueBacklog(
  connection: Connection,
  namespace: string,
  queue: string,
  type: 'workflow' | 'activity' = 'workflow',
): Promise<{ count: number; ageS: number }> {
  const answer = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: queue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType:
      type === 'workflow'
        ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
        : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    reportStats: true,
  });
  const stats = answer.stats;
  const age = stats?.approximateBacklogAge;
  return {
    count: Number(stats?.approximateBacklogCount ?? 0),
    ageS: age ? Number(age.seconds ?? 0) + (age.nanos ?? 0) / 1e9 : 0,
  };
}
