import '../lib/telemetry/register';
import { bundleWorkflowCode, NativeConnection, Worker, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import path from 'node:path';
import { createActivities, ActivityDeps } from '../activities';
import { createDb } from '../db/connection';
import { createStoreEdsVerifier } from '../db/eds-trust';
import { DEFAULT_SETTINGS } from '../lib/calendar';
import { codeKeysFor } from '../lib/code-keys';
import { operatorSignerFor } from '../lib/operator-signature';
import { systemClock } from '../lib/clock';
import { Config, loadConfig } from '../lib/config';
import { createLogger, Logger } from '../lib/logger';
import { createMailer, supportAddressFor } from '../lib/mailer';
import { runMain, stopOnSignals } from '../lib/process';
import { installTemporalRuntime } from '../lib/temporal-runtime';
import { taskQueueOf, WORK_KINDS, WorkKind } from '../lib/task-queues';
import { tracedWorkerOptions, tracedWorkflowModules } from '../lib/telemetry/temporal';
import { tracing } from '../lib/telemetry/tracing';
import { workerTuningOptions, WorkerTuning } from '../lib/worker-tuning';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** Workflow code is bundled once per process (webpack), then shared by every Worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('./index'),
    workflowInterceptorModules: tracedWorkflowModules(),
    logger: quietBundlerLogger,
  });
  return bundle;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface WorkerOptions {
  address: string;
  namespace: string;
  /** The deployment's base task queue (TEMPORAL_TASK_QUEUE); each kind of work polls its own (lib/task-queues.ts). */
  taskQueue: string;
  /** The kinds of work this process takes; every kind by default. */
  kinds?: readonly WorkKind[];
  /** Knobs for measuring (WORKER_WORKFLOW_SLOTS, WORKER_STICKY_CACHE, WORKER_WORKFLOW_POLLERS); the defaults when unset. */
  tuning?: WorkerTuning;
  deps: ActivityDeps;
  logger: Logger;
  /** Pause before reconnecting after the server went away. */
  retryDelayMs?: number;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * Slots per kind of work, per process. Orders' activities write tens of thousands of codes
 * each and hold a database connection: a few at a time. The contract's processes are many, small
 * and waiting on clocks: their slots stay free for a ticket's first task whatever orders do.
 */
const SLOTS: Record<
  WorkKind,
  { maxConcurrentActivityTaskExecutions: number; maxConcurrentWorkflowTaskExecutions: number }
> = {
  contract: { maxConcurrentActivityTaskExecutions: 20, maxConcurrentWorkflowTaskExecutions: 20 },
  orders: { maxConcurrentActivityTaskExecutions: 8, maxConcurrentWorkflowTaskExecutions: 20 },
};

/**
 * Runs a worker per kind of work on one connection and keeps them running: when Temporal is
 * unreachable at start or a worker fails later, they reconnect after a pause instead of taking
 * the process down.
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const { logger } = options;
  const kinds = options.kinds ?? WORK_KINDS;
  let stopping = false;
  let current: Worker[] = [];
  let wake: (() => void) | undefined;

  const loop = (async () => {
    const workflows = await workflowBundle();
    const activities = createActivities(options.deps);
    while (!stopping) {
      let connection: NativeConnection | undefined;
      try {
        connection = await NativeConnection.connect({ address: options.address });
        for (const kind of kinds)
          current.push(
            await Worker.create({
              connection,
              namespace: options.namespace,
              taskQueue: taskQueueOf(options.taskQueue, kind),
              workflowBundle: workflows,
              activities,
              ...tracedWorkerOptions(),
              ...SLOTS[kind],
              ...workerTuningOptions(options.tuning),
            }),
          );
        // Stopped while connecting: a created worker holds its workflow threads until it has run and shut down.
        if (stopping) {
          await Promise.all(current.map((worker) => worker.runUntil(Promise.resolve())));
          break;
        }
        logger.info(
          { taskQueues: current.map((w) => w.options.taskQueue), address: options.address },
          'worker polling',
        );
        await runTogether(current);
      } catch (error) {
        if (!stopping) logger.warn({ err: error }, 'worker stopped; reconnecting');
      } finally {
        current = [];
        await connection?.close().catch(() => undefined);
      }
      if (!stopping)
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, options.retryDelayMs ?? 3000);
        });
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      for (const worker of current) if (worker.getState() === 'RUNNING') worker.shutdown();
      await loop;
    },
  };
}

/** Runs the workers until each has stopped; when one fails, the others are shut down and the failure thrown. */
async function runTogether(workers: Worker[]): Promise<void> {
  const outcomes = await Promise.allSettled(
    workers.map((worker) =>
      worker.run().catch((error) => {
        for (const other of workers) if (other !== worker && other.getState() === 'RUNNING') other.shutdown();
        throw error;
      }),
    ),
  );
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** Activity dependencies from the configuration: the system clock, the operator's zone, the EDS trust store. */
export function activityDepsFor(config: Config, services: Pick<ActivityDeps, 'db' | 'mailer'>): ActivityDeps {
  return {
    ...services,
    clock: systemClock,
    calendarSettings: { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone },
    eds: createStoreEdsVerifier(services.db),
    codeKeys: codeKeysFor(config),
    operatorSigner: operatorSignerFor({ pem: config.operatorSigningKey, dataDir: config.dataDir }),
    publicUrl: config.publicUrl,
    supportAddress: config.supportMailAddress ?? supportAddressFor(config.mailFrom),
  };
}

/** `node dist/workflows/worker.js`: the worker process of a deployment. */
async function main() {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new Error(
      'DATABASE_URL and TEMPORAL_ADDRESS are required for a standalone worker (npm start runs one for you)',
    );
  }
  const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs, name: 'worker' });
  installTemporalRuntime(logger, { metricsAddress: config.workerMetricsAddress });
  const db = createDb(config.databaseUrl);
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    outboxDir: path.join(config.dataDir, 'mail'),
  });
  const worker = startWorker({
    address: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    kinds: config.workerKinds,
    tuning: config,
    deps: activityDepsFor(config, { db, mailer }),
    logger,
  });
  stopOnSignals(async () => {
    logger.info('worker shutting down');
    await worker.stop();
    mailer.close();
    await db.destroy();
    await tracing()?.shutdown();
  });
}

if (require.main === module) runMain(main);
