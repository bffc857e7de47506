import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
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
