import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { MAX_NOTICE_ATTEMPTS } from '../../activities/notice-batches';
import { systemClock } from '../../lib/clock';
import { createMailer, Mailer } from '../../lib/mailer';
import { BusinessStatus } from '../../lib/search-attributes';
import {
  tariffAnnouncement,
  tariffAnnouncementQuery,
  tariffWithdrawnSignal,
} from '../../workflows/tariff-announcement';
import { eventually } from '../helpers/eventually';
import { workflowBundle } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertClient } from '../helpers/fixtures';
import { isTo, startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { createTimeSkippingEnv, weekendsOnlyCalendarAroundNow } from '../helpers/time-skipping';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let smtp: SmtpReceiver;

// A mail server that refuses one mailbox at RCPT TO, as real ones do for a dead address: the real mailer meets the 550.
const DEAD = 'dead@example.kz';
beforeAll(async () => {
  [env, database, smtp] = await Promise.all([
    createTimeSkippingEnv(),
    createTestDatabase(),
    startSmtpReceiver({ refuse: { [DEAD]: { code: 550, message: 'mailbox unavailable' } } }),
  ]);
});
afterAll(async () => {
  await Promise.all([env?.teardown(), database?.drop(), smtp?.close()]);
});

async function withWorker<T>(mailer: Mailer, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `tariffs-${Math.random().toString(36).slice(2)}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({ db: database.db, mailer, clock: systemClock }),
  });
  try {
    return await worker.runUntil(fn(taskQueue));
  } finally {
    mailer.close();
  }
}

test('6.1: every client whose contract runs — suspended ones too — is told in batches; a dead mailbox is given up; the tariff is in force at its date', async () => {
  await weekendsOnlyCalendarAroundNow(env, database.db);
  const clients: { id: string }[] = [];
  for (let i = 0; i < 205; i++) clients.push(await insertClient(database.db, { email: `client-${i}@example.kz` }));
  const dead = await insertClient(database.db, { email: DEAD });
  await database.db('clients').where({ id: clients[0].id }).update({ status: 'terminated' });
  await database.db('clients').where({ id: clients[1].id }).update({ status: 'suspended' });
  await database.db('clients').where({ id: clients[2].id }).update({ status: 'pending' });
  // Three read Kazakh first (issue #21): their notice is in Kazakh, Russian below.
  const kazakh = clients.slice(3, 6).map((c) => c.id);
  await database.db('clients').whereIn('id', kazakh).update({ language: 'kk' });

  const now = new Date(await env.currentTimeMs());
  const effectiveFrom = new Date(now.getTime() + 40 * 86_400_000).toISOString().slice(0, 10);
  const [tariff] = await database
    .db('tariffs')
    .insert({ price_per_code_tiyn: 300, effective_from: effectiveFrom, basis: 'Тестовый приказ' })
    .returning('*');

  const mailer = createMailer({ smtpUrl: smtp.url, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });

  const state = await withWorker(mailer, async (taskQueue) => {
    const handle = await env.client.workflow.start(tariffAnnouncement, {
      taskQueue,
      workflowId: `tariff-${tariff.id}`,
      args: [{ tariffId: tariff.id, pricePerCodeTiyn: 300, effectiveFrom }],
    });
    const result = await handle.result();
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(BusinessStatus)).toBe('in_force');
    expect(await handle.query(tariffAnnouncementQuery)).toEqual(result);
    return result;
  });

  const active = clients.length - 2 + 1; // one terminated and one still joining are not told; the suspended one is; plus the dead mailbox
  expect(state).toEqual({ tariffId: tariff.id, status: 'in_force', clients: active, sent: active - 1, failed: 1 });
  const notices = await database.db('notices').where({ topic: `tariff:${tariff.id}` });
  expect(notices).toHaveLength(active);
  expect(notices.find((n) => n.client_id === clients[0].id)).toBeUndefined();
  expect(notices.find((n) => n.client_id === clients[2].id)).toBeUndefined();
  expect(notices.find((n) => n.client_id === clients[1].id)).toMatchObject({ status: 'sent' });
  // Given up after its attempts, each refused by the server with its own reply.
  expect(notices.find((n) => n.client_id === dead.id)).toMatchObject({
    status: 'failed',
    attempts: MAX_NOTICE_ATTEMPTS,
    last_error: expect.stringContaining('550 mailbox unavailable'),
  });
  expect(smtp.messages.filter((m) => isTo(m, DEAD))).toEqual([]);
  const received = smtp.messages.filter(
    (m) => m.subject?.startsWith('Изменение размера платы') || m.subject?.includes('төлем мөлшерінің өзгеруі'),
  );
  expect(received).toHaveLength(active - 1);
  expect(new Set(received.map((m) => (m.to as { text: string }).text)).size).toBe(active - 1);
  const inKazakh = notices.filter((n) => kazakh.includes(n.client_id));
  expect(inKazakh).toHaveLength(3);
  for (const notice of inKazakh) {
    expect(notice.subject).toMatch(/бастап таңбалау кодтары үшін төлем мөлшерінің өзгеруі$/);
    expect(notice.body).toMatch(/^Құрметті клиент!/);
    expect(notice.body).toContain('Уважаемый клиент!');
  }
  expect(notices.filter((n) => n.body.startsWith('Уважаемый клиент!'))).toHaveLength(active - 3);
  // The workflow waited for the date: the server's clock passed it.
  expect(new Date(await env.currentTimeMs()).toISOString().slice(0, 10) >= effectiveFrom).toBe(true);
}, 180_000);

test('6.1: an announced tariff withdrawn before its date never takes effect, and the clients told of it are told it is withdrawn', async () => {
  await weekendsOnlyCalendarAroundNow(env, database.db);
  await database.db('clients').update({ status: 'terminated' }); // the first test's clients, the dead mailbox among them
  const told = await insertClient(database.db, { email: 'told@example.kz' });
  const now = new Date(await env.currentTimeMs());
  const effectiveFrom = new Date(now.getTime() + 45 * 86_400_000).toISOString().slice(0, 10);
  const [tariff] = await database
    .db('tariffs')
    .insert({ price_per_code_tiyn: 310, effective_from: effectiveFrom, basis: 'Тестовый приказ № 2' })
    .returning('*');
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
  const state = await withWorker(mailer, async (taskQueue) => {
    const handle = await env.client.workflow.start(tariffAnnouncement, {
      taskQueue,
      workflowId: `tariff-${tariff.id}`,
      args: [{ tariffId: tariff.id, pricePerCodeTiyn: 310, effectiveFrom }],
    });
    await eventually(async () => (await handle.query(tariffAnnouncementQuery)).status === 'announced', 60_000);
    await database.db('tariffs').where({ id: tariff.id }).update({ withdrawn_at: new Date() });
    await handle.signal(tariffWithdrawnSignal, { reason: 'приказ отменён', replacedBy: null });
    return handle.result();
  });
  // Withdrawn before its date: the workflow never reached `in_force`.
  expect(state.status).toBe('withdrawn');
  expect(
    await database
      .db('notices')
      .where({ topic: `tariff:${tariff.id}:withdrawn`, client_id: told.id })
      .first(),
  ).toMatchObject({ subject: expect.stringContaining('Отмена изменения размера платы') });
}, 180_000);
