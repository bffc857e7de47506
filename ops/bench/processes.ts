/**
 * What the benchmarks that run the app as deployed share (orders.ts, tickets.ts): the environment of its processes,
 * the CPU each process spent (from /proc) and a task queue's backlog as the Temporal server reports it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Db } from '../../db/connection';
import { formatKeyRing, generateKey } from '../../lib/codes';
import { CONFIG_VARIABLES } from '../../lib/config';

/**
 * utime + stime of a process, in ms (clock ticks of 10 ms); 0 once it is gone. With `reaped`, also the CPU of its
 * children that have exited and been waited for (cutime + cstime).
 */
export function cpuMs(pid: number, options: { reaped?: boolean } = {}): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (options.reaped ? ticks + Number(fields[13]) + Number(fields[14]) : ticks) * 10;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server's processes: the postmaster and its children (backends, writer, WAL…). */
export function postgresPids(postmaster: number): number[] {
  const pids = [postmaster];
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

/**
 * The CPU ms so far of the PostgreSQL server: its processes running now, and the backends that have exited (a pool
 * closing idle connections), which the postmaster has reaped — without them the sum would drop.
 */
export function postgresCpuMs(postmaster: number): number {
  return postgresPids(postmaster).reduce((sum, pid) => sum + cpuMs(pid, { reaped: pid === postmaster }), 0);
}

/** The postmaster of the server `db` is connected to: the parent of one of its backends (same machine only). */
export async function postmasterPid(db: Db): Promise<number> {
  const backend = (await db.raw('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  return Number(fs.readFileSync(`/proc/${backend}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
}

/** The CPU ms so far of each named process or group, e.g. `{ worker: () => cpuMs(worker.pid!) }`. */
export function cpuMeter(meters: Record<string, () => number>): () => Record<string, number> {
  return () => Object.fromEntries(Object.entries(meters).map(([name, ms]) => [name, ms()]));
}

/**
 * The environment of the app's processes (API, worker) as a deployment gives it: none of this process's own
 * settings (CONFIG_VARIABLES), the scratch database and Temporal, a fresh code key ring, DATA_DIR under `dir`
 * (e-mails as files under DATA_DIR/mail, no SMTP_URL), JSON logs at info level.
 */
export function appEnvironment(p: {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  dir: string;
  operatorTimeZone: string;
}): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  for (const name of CONFIG_VARIABLES) delete inherited[name];
  const key = generateKey('ID01');
  return {
    ...inherited,
    DATABASE_URL: p.databaseUrl,
    TEMPORAL_ADDRESS: p.temporalAddress,
    TEMPORAL_NAMESPACE: p.namespace,
    TEMPORAL_TASK_QUEUE: p.taskQueue,
    OPERATOR_TIME_ZONE: p.operatorTimeZone,
    CODE_KEYS: formatKeyRing({ current: key, byId: new Map([[key.id, key]]) }),
    DATA_DIR: path.join(p.dir, 'app-data'),
    LOG_LEVEL: 'info',
  };
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
