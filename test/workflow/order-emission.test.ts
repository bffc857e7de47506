import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { readCalendar } from '../../db/calendar-store';
import { clientBalance } from '../../db/ledger';
import { BusinessCalendar } from '../../lib/calendar';
import { generateKey, KeyRing, parseMarkingCode, verifyMarkingCode } from '../../lib/codes';
import { systemClock } from '../../lib/clock';
import { createMailer } from '../../lib/mailer';
import { formatMoney } from '../../lib/format-ru';
import { priceOfCodes } from '../../lib/money';
import { BusinessStatus } from '../../lib/search-attributes';
import { closeBufferUpdate, OrderEmissionInput, orderEmission, orderStateQuery } from '../../workflows/order-emission';
import { workflowBundle } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { fundedClient, line, placeOrder, randomGtin } from '../helpers/orders';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { eventually } from '../helpers/eventually';
import { createTimeSkippingEnv, weekendsOnlyCalendarAroundNow } from '../helpers/time-skipping';
import { updatesAccepted } from '../helpers/workflow-history';

const PRICE_2026 = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
const key = generateKey('WT01');
const keys: KeyRing = { current: key, byId: new Map([[key.id, key]]) };

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let smtp: SmtpReceiver;
/**
 * Makes emission slow on purpose, in the test server's skipped time: until this instant each
 * attempt fails and asks to be retried when it has passed.
 */
let slowUntil: number | undefined;
/** Holds the order's READY between the database's commit and the workflow's hearing of it. */
let readyGate: Promise<void> | undefined;

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
});
afterAll(async () => {
  await Promise.all([database?.drop(), smtp?.close()]);
});
// A server of its own per test: a workflow that completes right after starting a child (a
// notice, a ticket) can leave the Java test server no longer skipping time for the next test.
beforeEach(async () => {
  env = await createTimeSkippingEnv();
  await weekendsOnlyCalendarAroundNow(env, database.db);
});

async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `orders-${Math.random().toString(36).slice(2)}`;
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
  const activities = createActivities({ db: database.db, mailer, clock: systemClock, codeKeys: keys });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      ...activities,
      emitCodes: async (...args: Parameters<typeof activities.emitCodes>) => {
        const { attempt, scheduledTimestampMs } = Context.current().info;
        if (slowUntil && attempt === 1 && scheduledTimestampMs < slowUntil) {
          throw ApplicationFailure.create({
            message: 'emission slow on purpose',
            nextRetryDelay: slowUntil - scheduledTimestampMs,
            category: 'BENIGN',
          });
        }
        return activities.emitCodes(...args);
      },
      markOrderReady: async (orderId: string) => {
        await activities.markOrderReady(orderId);
        await readyGate;
      },
    },
  });
  try {
    return await worker.runUntil(fn(taskQueue));
  } finally {
    mailer.close();
  }
}

const start = (taskQueue: string, input: OrderEmissionInput) =>
  env.client.workflow.start(orderEmission, { taskQueue, workflowId: `order-${input.orderId}`, args: [input] });
afterEach(() => env.teardown());
const now = async () => new Date(await env.currentTimeMs());

test('codes are emitted and the money reserved within 4 hours; closing the buffers releases what was not downloaded', async () => {
  const [a, b] = [randomGtin(), randomGtin()];
  const client = await fundedClient(database.db, 100_000_00, [a, b]);
  const input = await placeOrder(database.db, client, [line(a, 15_000), line(b, 7)], await now());
  const price = priceOfCodes(15_007, PRICE_2026).total;

  const state = await withWorker(async (taskQueue) => {
    const handle = await start(taskQueue, input);
    await smtp.waitFor((m) => m.subject === `Коды маркировки по заказу ${input.orderId} готовы`);
    const ready = await handle.query(orderStateQuery);
    expect(ready).toMatchObject({ status: 'READY', emitted: 15_007, totalCodes: 15_007, reservedTiyn: price });
    expect(ready.deadlineMissedAt).toBeUndefined();
    expect((await handle.describe()).typedSearchAttributes.get(BusinessStatus)).toBe('READY');
    expect(await clientBalance(database.db, client.id)).toMatchObject({
      available: 100_000_00 - price,
      reserved: price,
    });

    const closed = await handle.executeUpdate(closeBufferUpdate, { args: [{ gtin: b }] });
    expect(closed.buffers.map((x) => [x.gtin, x.status])).toEqual([
      [a, 'ACTIVE'],
      [b, 'CLOSED'],
    ]);
    await handle.executeUpdate(closeBufferUpdate, { args: [{}] });
    return handle.result();
  });

  expect(state).toMatchObject({ status: 'CLOSED', releasedTiyn: price });
  expect(await clientBalance(database.db, client.id)).toMatchObject({
    available: 100_000_00,
    reserved: 0,
    totalCharged: 0,
  });
  const codes = await database
    .db('marking_codes as c')
    .join('order_products as p', 'p.id', 'c.order_product_id')
    .where('p.order_id', input.orderId)
    .select('c.code', 'c.gtin', 'c.serial', 'c.status');
  expect(codes).toHaveLength(15_007);
  expect(new Set(codes.map((c) => `${c.gtin}${c.serial}`)).size).toBe(15_007);
  expect(codes.every((c) => c.status === 'CANCELLED')).toBe(true);
  const sample = codes[123];
  expect(parseMarkingCode(sample.code)).toMatchObject({ gtin: sample.gtin, serial: sample.serial, keyId: 'WT01' });
  expect(verifyMarkingCode(sample.code, keys).valid).toBe(true);
  expect(sample.serial[0]).toBe('3');
  expect(await database.db('orders').where({ id: input.orderId }).first()).toMatchObject({
    status: 'CLOSED',
    reserved_amount: price,
    deadline_missed_at: null,
  });
}, 120_000);

test('a buffer closed in the moment the database says READY and the workflow does not yet: the request waits for the workflow and is carried out', async () => {
  const gtin = randomGtin();
  const client = await fundedClient(database.db, 10_000_00, [gtin]);
  const input = await placeOrder(database.db, client, [line(gtin, 20)], await now());
  let open!: () => void;
  readyGate = new Promise((resolve) => (open = resolve));
  try {
    const state = await withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, input);
      await waitUntil(
        async () => (await database.db('orders').where({ id: input.orderId }).first()).status === 'READY',
      );
      expect((await handle.query(orderStateQuery)).status).toBe('APPROVED');
      const closing = handle.executeUpdate(closeBufferUpdate, { args: [{ gtin }] });
      // The race happens: the workflow has taken the request while READY is still held back.
      await waitUntil(async () => (await updatesAccepted(handle)) === 1);
      expect((await handle.query(orderStateQuery)).status).toBe('APPROVED');
      open();
      expect((await closing).buffers.map((b) => [b.gtin, b.status])).toEqual([[gtin, 'CLOSED']]);
      return handle.result();
    });
    expect(state).toMatchObject({ status: 'CLOSED' });
  } finally {
    readyGate = undefined;
  }
  expect(await database.db('order_products').where({ order_id: input.orderId }).first()).toMatchObject({
    status: 'CLOSED',
  });
  expect(await clientBalance(database.db, client.id)).toMatchObject({ available: 10_000_00, reserved: 0 });
}, 120_000);

test('emission slower than 4 hours: the breach is recorded with a Medium ticket request (Прил. 3) and the client told; the codes still come', async () => {
  const gtin = randomGtin();
  const client = await fundedClient(database.db, 10_000_00, [gtin]);
  const input = await placeOrder(database.db, client, [line(gtin, 50)], await now());
  slowUntil = new Date(input.registeredAt).getTime() + (4 * 60 + 30) * 60_000;
  try {
    const state = await withWorker(async (taskQueue) => {
      const handle = await start(taskQueue, input);
      await env.sleep(250 * 60_000);
      const late = await handle.query(orderStateQuery);
      expect(late).toMatchObject({ status: 'APPROVED', emitted: 0 });
      expect(late.deadlineMissedAt).toBeDefined();
      expect(await database.db('order_breaches').where({ order_id: input.orderId }).first()).toMatchObject({
        codes_ready_at: null,
      });
      await env.sleep(30 * 60_000);
      await waitUntil(async () => (await handle.query(orderStateQuery)).status === 'READY');
      await handle.executeUpdate(closeBufferUpdate, { args: [{}] });
      await smtp.waitFor((m) => m.subject === `Задержка эмиссии по заказу ${input.orderId}`);
      return handle.result();
    });
    expect(state.status).toBe('CLOSED');
  } finally {
    slowUntil = undefined;
  }
  const order = await database.db('orders').where({ id: input.orderId }).first();
  expect(order.deadline_missed_at).not.toBeNull();
  expect(new Date(order.deadline_missed_at).getTime()).toBeGreaterThanOrEqual(
    new Date(order.emission_deadline_at).getTime(),
  );
  expect(await database.db('order_breaches').where({ order_id: input.orderId }).first()).toMatchObject({
    client_id: client.id,
    compensation_status: 'eligible',
    codes_ready_at: expect.any(Date),
  });
  // Прил. 3 lists «Задержка в эмиссии» under Medium.
  expect(
    await database
      .db('support_ticket_requests')
      .where({ source: 'emission_deadline', source_id: input.orderId })
      .first(),
  ).toMatchObject({ priority: 'medium', client_id: client.id });
  // …and the ticket it asked for, Medium priority, with its own workflow.
  const ticket = await database
    .db('tickets')
    .where({ source_ref: `emission_deadline:${input.orderId}` })
    .first();
  expect(ticket).toMatchObject({ priority: 'medium', channel: 'system', client_id: client.id });
  const mail = await smtp.waitFor((m) => m.subject === `Задержка эмиссии по заказу ${input.orderId}`);
  expect(mail.text).toContain('п. 7.3');
}, 120_000);

test('codes not downloaded within their lifetime — never shorter than the 4.1.6 period, 30 working days from READY — expire: cancelled, the reservation released', async () => {
  const gtin = randomGtin();
  const client = await fundedClient(database.db, 10_000_00, [gtin]);
  const registeredAt = await now();
  const input = await placeOrder(database.db, client, [line(gtin, 3)], registeredAt);
  const state = await withWorker(async (taskQueue) => {
    const handle = await start(taskQueue, input);
    await waitUntil(async () => !!(await handle.query(orderStateQuery)).expiresAt);
    const { expiresAt } = await handle.query(orderStateQuery);
    // READY moments after registration (the server's clock): not the former 30 calendar days, but the client's 30 working days to apply the codes.
    const calendar = new BusinessCalendar(await readCalendar(database.db));
    const ends = [registeredAt, new Date(registeredAt.getTime() + 10 * 60_000)].map((t) =>
      calendar.addWorkingDays(t, 30).toISOString(),
    );
    expect(ends).toContain(expiresAt);
    expect(new Date(expiresAt!).getTime()).toBeGreaterThan(calendar.addCalendarDays(registeredAt, 30).getTime());
    return handle.result();
  });
  expect(state).toMatchObject({
    status: 'EXPIRED',
    releasedTiyn: priceOfCodes(3, PRICE_2026).total,
    buffers: [{ status: 'EXPIRED' }],
  });
  expect(await clientBalance(database.db, client.id)).toMatchObject({ available: 10_000_00, reserved: 0 });
  expect(await database.db('marking_codes').where({ client_id: client.id }).pluck('status')).toEqual([
    'CANCELLED',
    'CANCELLED',
    'CANCELLED',
  ]);
}, 60_000);

test('a short balance declines the order: nothing reserved, the client told why', async () => {
  const gtin = randomGtin();
  const client = await fundedClient(database.db, priceOfCodes(100, PRICE_2026).total - 1, [gtin]);
  const input = await placeOrder(database.db, client, [line(gtin, 100)], await now());
  const state = await withWorker(async (taskQueue) => {
    const result = await (await start(taskQueue, input)).result();
    // The notice is delivered by its own workflow, on this worker.
    await smtp.waitFor((m) => m.subject === `Заказ кодов маркировки ${input.orderId} отклонён: недостаточно средств`);
    return result;
  });
  expect(state).toMatchObject({
    status: 'DECLINED',
    declineReason: 'insufficient funds',
    emitted: 0,
    buffers: [{ status: 'REJECTED' }],
  });
  expect(await clientBalance(database.db, client.id)).toMatchObject({
    available: priceOfCodes(100, PRICE_2026).total - 1,
    reserved: 0,
  });
  expect(await database.db('marking_codes').where({ client_id: client.id })).toHaveLength(0);
  expect(await database.db('order_products').where({ order_id: input.orderId }).first()).toMatchObject({
    status: 'REJECTED',
    rejection_reason: 'Order declined: insufficient funds',
  });
  const mail = await smtp.waitFor(
    (m) => m.subject === `Заказ кодов маркировки ${input.orderId} отклонён: недостаточно средств`,
  );
  expect(mail.text).toContain(`Стоимость заказа с НДС: ${formatMoney(priceOfCodes(100, PRICE_2026).total)}`);
  expect(mail.text).toContain('Деньги не зарезервированы');
}, 60_000);

test('an order whose transaction never committed (the database went away at COMMIT, after the start) ends quietly, doing nothing', async () => {
  const gtin = randomGtin();
  const client = await fundedClient(database.db, 100_000_00, [gtin]);
  const input = await placeOrder(database.db, client, [line(gtin, 5)], await now());
  // As if the API's transaction had rolled back: the workflow was started, the rows are gone.
  await database.db('order_products').where({ order_id: input.orderId }).delete();
  await database.db('orders').where({ id: input.orderId }).delete();

  const state = await withWorker(async (taskQueue) => (await start(taskQueue, input)).result());

  expect(state).toMatchObject({ status: 'PENDING', notRecorded: true, emitted: 0 });
  expect(await clientBalance(database.db, client.id)).toMatchObject({ available: 100_000_00, reserved: 0 });
}, 120_000);

const waitUntil = (check: () => Promise<boolean>) => eventually(check, 30_000);
