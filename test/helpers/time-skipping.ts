import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { systemClock } from '../../lib/clock';
import type { KeyRing } from '../../lib/codes';
import { createMailer } from '../../lib/mailer';
import { workflowBundle } from '../../workflows/worker';
import { replaceCalendarYear } from '../../db/calendar-store';
import type { Db } from '../../db/connection';
import type { CalendarData } from '../../lib/calendar';
import { ensureSearchAttributes } from '../../lib/temporal';

const SERVER = path.resolve(__dirname, '../../ops/temporal-test-server/server.sh');

export interface TimeSkippingOptions {
  /**
   * The instant the server's clock starts at (ops/temporal-test-server/server.sh runs it under
   * libfaketime): a scenario on the real calendar of a given date is then the same whatever day
   * the tests run. Unset: the server starts at the process's own time ("around now" tests).
   */
  startAt?: string;
}

/**
 * Temporal's Java time-skipping test server (resolved by ops/install-test-server.sh),
 * started by the SDK as an existing executable; a year of timers passes in seconds.
 */
export async function createTimeSkippingEnv(options: TimeSkippingOptions = {}): Promise<TestWorkflowEnvironment> {
  const extraArgs = options.startAt ? [`--start-at=${new Date(options.startAt).toISOString()}`] : [];
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: SERVER }, extraArgs },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/**
 * The test server's clock runs ahead of the real one when it skips idle time (years, at
 * times): the year it is in and the next get a weekends-only calendar, so expected deadlines
 * do not depend on the day the tests run. Returns the data, for computing expectations.
 */
export async function weekendsOnlyCalendarAroundNow(env: TestWorkflowEnvironment, db: Db): Promise<CalendarData> {
  const year = new Date(await env.currentTimeMs()).getUTCFullYear();
  const data: CalendarData = { years: {} };
  for (const y of [year, year + 1]) {
    data.years[y] = { status: 'official', sources: [{ title: 'test calendar: weekends only' }], days: [] };
    await replaceCalendarYear(db, y, data.years[y], { reason: 'test' });
  }
  return data;
}

/** Skips a server's time to an instant ahead of it. */
export async function skipTo(env: TestWorkflowEnvironment, instant: string): Promise<void> {
  const ms = Date.parse(instant) - (await env.currentTimeMs());
  if (ms <= 0)
    throw new Error(
      `the test server's clock (${new Date(await env.currentTimeMs()).toISOString()}) is already past ${instant}`,
    );
  await env.sleep(ms);
}

/** How long before a scenario's first instant its server starts (the JVM and the worker start meanwhile). */
const LEAD_MS = 60_000;

/**
 * A time-skipping server and a worker of the project's workflows with the real activities for
 * each test (the server's clock only moves forward, and one test's finished workflows can stop
 * it skipping for the next). Each test starts its server with its first `sleepUntil`, a minute
 * before that instant, so the scenario runs on the same dates whatever day the tests run.
 * `deps` is read when the server starts.
 */
export function workerPerTest(taskQueue: string, deps: () => { db: Db; smtpUrl: string; codeKeys?: KeyRing }) {
  let env: TestWorkflowEnvironment | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  async function start(startAt: string) {
    env = await createTimeSkippingEnv({ startAt });
    const { db, smtpUrl, codeKeys } = deps();
    const mailer = createMailer({ smtpUrl, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({ db, mailer, clock: systemClock, codeKeys }),
    });
    running = worker.run();
  }
  afterEach(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    [env, worker, running] = [undefined, undefined, undefined];
  });
  return {
    get env(): TestWorkflowEnvironment {
      if (!env) throw new Error('the test server starts with the first sleepUntil of a test');
      return env;
    },
    /** Skips the server's time to a local instant ahead of it; the first call of a test starts the server just before it. */
    async sleepUntil(local: string) {
      if (!env) await start(new Date(Date.parse(local) - LEAD_MS).toISOString());
      await skipTo(env!, local);
    },
  };
}
