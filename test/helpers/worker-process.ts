import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { formatKeyRing } from '../../lib/codes';
import { TEST_CODE_KEYS } from './api';

const ROOT = path.resolve(__dirname, '../..');

/** The worker as a deployment runs it (`workflows/worker.ts`), in its own process, to be killed. */
export function startWorkerProcess(options: {
  databaseUrl: string;
  taskQueue: string;
  smtpUrl: string;
  temporalAddress?: string;
  /** More of its environment (WORKER_METRICS_ADDRESS, OTEL_…). */
  env?: NodeJS.ProcessEnv;
}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'workflows/worker.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress ?? process.env.TEST_TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      SMTP_URL: options.smtpUrl,
      CODE_KEYS: formatKeyRing(TEST_CODE_KEYS),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** SIGKILL: no shutdown, no goodbye — as when a machine dies. */
export async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
