import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { emitCodeRange } from '../../db/codes';
import { generateKey } from '../../lib/codes';
import { systemClock } from '../../lib/clock';
import { createMailer } from '../../lib/mailer';
import { applicationDeadline } from '../../workflows/application-deadline';
import { codeRetention, retentionStateQuery } from '../../workflows/code-retention';
import { workflowBundle } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { fundedClient, line, placeOrder, randomGtin } from '../helpers/orders';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { createTimeSkippingEnv, weekendsOnlyCalendarAroundNow } from '../helpers/time-skipping';
import { readCalendar } from '../../db/calendar-store';
import { addDaysToDate, BusinessCalendar } from '../../lib/calendar';
import { replaceCalendarYear } from '../../db/calendar-store';

// What happens to codes over the years: the application period after download (4.1.6) and
// retention for 5 years (4.4.8), with years passing in seconds on the time-skipping server.
const key = generateKey('LT01');
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let smtp: SmtpReceiver;

beforeAll(async () => {
  [env, database, smtp] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startSmtpReceiver()]);
});
afterAll(async () => {
  await Promise.all([env?.teardown(), database?.drop(), smtp?.close()]);
});

async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `lifetime-${Math.random().toString(36).slice(2)}`;
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({
      db: database.db,
      mailer,
      clock: systemClock,
      codeKeys: { current: key, byId: new Map([[key.id, key]]) },
    }),
  });
  try {
    return await worker.runUntil(fn(taskQueue));
  } finally {
    mailer.close();
  }
}

/** Codes of an order, emitted at `emittedAt` (the test server's time). */
async function codesEmittedAt(emittedAt: Date, count: number) {
  const gtin = randomGtin();
  const client = await fundedClient(database.db, 0, [gtin]);
  const order = await placeOrder(database.db, client, [line(gtin, count)], emittedAt);
  await emitCodeRange(database.db, { orderProductId: order.products[0].orderProductId, from: 0, to: count, key });
  await database
    .db('marking_codes')
    .where({ order_product_id: order.products[0].orderProductId })
    .update({ emitted_at: emittedAt });
  return { client, order };
}

/** A calendar of weekends only for every year from `from` to `to`. */
async function calendarYears(from: number, to: number) {
  for (let year = from; year <= to; year++) {
    await replaceCalendarYear(
      database.db,
      year,
      { status: 'official', sources: [{ title: 'test calendar: weekends only' }], days: [] },
      { reason: 'test' },
    );
  }
}

test('codes are kept 5 years, then purged; GTIN and serial stay so a serial is never issued again', async () => {
  const now = new Date(await env.currentTimeMs());
  const year = now.getUTCFullYear();
  await calendarYears(year - 6, year + 6);
  const old = await codesEmittedAt(new Date(now.getTime() - 4 * 365 * 86_400_000), 3);
  const young = await codesEmittedAt(now, 2);

  const purged = await withWorker(async (taskQueue) => {
    const handle = await env.client.workflow.start(codeRetention, {
      taskQueue,
      workflowId: `retention-${Math.random()}`,
      args: [{ purged: 0 }],
    });
    // A year and a bit later the oldest codes are past their 5 years; the young ones are not.
    await env.sleep(400 * 86_400_000);
    const afterOne = await handle.query(retentionStateQuery);
    const rows = await database
      .db('marking_codes')
      .whereIn('client_id', [old.client.id, young.client.id])
      .select('client_id', 'code', 'purged_at', 'gtin', 'serial');
    await handle.terminate('test over');
    return { afterOne, rows };
  });
  expect(purged.afterOne.purged).toBe(3);
  const oldRows = purged.rows.filter((r) => r.client_id === old.client.id);
  const youngRows = purged.rows.filter((r) => r.client_id === young.client.id);
  expect(oldRows.every((r) => r.code === null && r.purged_at !== null && r.serial.length === 13)).toBe(true);
  expect(youngRows.every((r) => r.code !== null && r.purged_at === null)).toBe(true);
  // The next run waits for the young codes' 5 years.
  expect(new Date(purged.afterOne.nextRunAt!).getUTCFullYear()).toBe(year + 5);
}, 120_000);

test('4.4.8 with Civil Code art. 174: a code is kept through the whole day 5 years after its emission, and purged from the next day', async () => {
  const now = new Date(await env.currentTimeMs());
  const year = now.getUTCFullYear();
  await calendarYears(year - 6, year + 6);
  const calendar = new BusinessCalendar(await readCalendar(database.db));
  // Emitted at 10:00 (local) on tomorrow's date 5 years ago: its term ends at 24:00 tomorrow.
  const tomorrow = addDaysToDate(calendar.localDate(now), 1);
  const anniversary = `${Number(tomorrow.slice(0, 4)) - 5}${tomorrow.slice(4)}`;
  const emittedAt = new Date(calendar.startOfDay(anniversary).getTime() + 10 * 3_600_000);
  const kept = await codesEmittedAt(emittedAt, 2);
  const end = calendar.startOfDay(addDaysToDate(tomorrow, 1)).getTime();
  const state = await withWorker(async (taskQueue) => {
    const handle = await env.client.workflow.start(codeRetention, {
      taskQueue,
      workflowId: `retention-${Math.random()}`,
      args: [{ purged: 0 }],
    });
    const codes = () =>
      database
        .db('marking_codes')
        .where({ client_id: kept.client.id })
        .whereNull('purged_at')
        .count<{ n: number }[]>('* as n')
        .then(([r]) => Number(r.n));
    // 23:50 of the anniversary day: still kept (an instant-exact rule would have purged them at 10:00).
    await env.sleep(end - 10 * 60_000 - (await env.currentTimeMs()));
    const before = await codes();
    await env.sleep(end + 60_000 - (await env.currentTimeMs()));
    await env.sleep(1_000);
    const after = await codes();
    const s = await handle.query(retentionStateQuery);
    await handle.terminate('test over');
    return { before, after, s };
  });
  expect(state.before).toBe(2);
  expect(state.after).toBe(0);
}, 120_000);

test('the application period (4.1.6): a reminder a working day before its end, then the codes not in circulation are overdue', async () => {
  await weekendsOnlyCalendarAroundNow(env, database.db);
  const now = new Date(await env.currentTimeMs());
  const year = now.getUTCFullYear();
  await calendarYears(year, year + 1);
  const { client, order } = await codesEmittedAt(now, 4);
  const buffer = order.products[0].orderProductId;
  const [block] = await database
    .db('code_blocks')
    .insert({
      order_product_id: buffer,
      client_id: client.id,
      request_ref: 'key:test',
      requested: 4,
      quantity: 4,
      amount: 0,
      channel: 'cabinet',
      codes_sha256: 'x'.repeat(64),
      delivered_at: now,
    })
    .returning('*');
  await database
    .db('marking_codes')
    .where({ order_product_id: buffer })
    .update({ status: 'APPLIED', block_id: block.id, applied_at: now });
  await database
    .db('marking_codes')
    .where({ order_product_id: buffer, seq: 0 })
    .update({ status: 'INTRODUCED', introduced_at: now });

  const result = await withWorker(async (taskQueue) => {
    const handle = await env.client.workflow.start(applicationDeadline, {
      taskQueue,
      workflowId: `apply-${block.id}`,
      args: [{ blockId: block.id, clientId: client.id, orderId: order.orderId, deliveredAt: now.toISOString() }],
    });
    const done = await handle.result();
    await smtp.waitFor((m) => m.subject?.startsWith('Срок нанесения кодов маркировки истекает') ?? false);
    return done;
  });
  expect(result.overdueCodes).toBe(3);
  const row = await database.db('code_blocks').where({ id: block.id }).first();
  expect(row.reminded_at).not.toBeNull();
  expect(row.overdue_at).not.toBeNull();
  const mail = smtp.messages.find((m) => m.subject?.startsWith('Срок нанесения'))!;
  expect(mail.text).toContain('ещё не введены в оборот: 3 шт.');
  expect(mail.text).toContain('п. 4.1.6');
}, 120_000);
