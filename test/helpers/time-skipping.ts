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

/**
 * Temporal's Java time-skipping test server (resolved by ops/install-test-server.sh),
 * started by the SDK as an existing executable; a year of timers passes in seconds.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: SERVER } },
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

/**
 * A time-skipping server and a worker of the project's workflows with the real activities for
 * each test (the server's clock only moves forward, and one test's finished workflows can stop
 * it skipping for the next). `deps` is read when each test starts.
 */
export function workerPerTest(taskQueue: string, deps: () => { db: Db; smtpUrl: string; codeKeys?: KeyRing }) {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  beforeEach(async () => {
    env = await createTimeSkippingEnv();
    const { db, smtpUrl, codeKeys } = deps();
    const mailer = createMailer({ smtpUrl, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: createActivities({ db, mailer, clock: systemClock, codeKeys }) });
    running = worker.run();
  });
  afterEach(async () => {
    worker.shutdown();
    await running;
    await env.teardown();
  });
  return {
    get env() {
      return env;
    },
    /** Skips the server's time to a local instant ahead of it. */
    async sleepUntil(local: string) {
      const ms = Date.parse(local) - (await env.currentTimeMs());
      expect(ms).toBeGreaterThan(0);
      await env.sleep(ms);
    },
  };
}
