import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { systemClock } from '../../lib/clock';
import { createMailer, Mailer } from '../../lib/mailer';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { noticeDelivery, noticeStateQuery } from '../../workflows/notice-delivery';
import { workflowBundle } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertClient } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { createTimeSkippingEnv } from '../helpers/time-skipping';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let smtp: SmtpReceiver;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  database = await createTestDatabase();
  smtp = await startSmtpReceiver();
});
afterAll(async () => {
  await Promise.all([env?.teardown(), database?.drop(), smtp?.close()]);
});

async function runWithWorker<T>(mailer: Mailer, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `notices-${Math.random().toString(36).slice(2)}`;
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

async function insertNotice(subject: string) {
  const client = await insertClient(database.db);
  const [notice] = await database.db('notices')
    .insert({ client_id: client.id, recipient: client.email, subject, body: 'Текст уведомления.' })
    .returning('*');
  return { client, notice };
}

test('a notice is e-mailed once, recorded as sent and visible to queries and search attributes', async () => {
  const { client, notice } = await insertNotice('Уведомление о предоставлении доступа');
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
  const result = await runWithWorker(mailer, async (taskQueue) => {
    const handle = await env.client.workflow.start(noticeDelivery, {
      workflowId: `notice-${notice.id}`,
      taskQueue,
      args: [{ noticeId: notice.id, clientId: client.id, subject: notice.subject }],
    });
    const done = await handle.result();
    expect(await handle.query(noticeStateQuery)).toEqual(done);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(ClientId)).toBe(client.id);
    expect(attributes.get(BusinessStatus)).toBe('sent');
    return done;
  });

  expect(result.status).toBe('sent');
  const mail = await smtp.waitFor((m) => m.subject === 'Уведомление о предоставлении доступа');
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(client.email);
  expect(mail.text?.trim()).toBe('Текст уведомления.');
  expect(mail.messageId).toBe(result.messageId);
  const row = await database.db('notices').where({ id: notice.id }).first();
  expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
});

test('an unreachable mail server is retried for three days, then the notice is marked failed', async () => {
  const { client, notice } = await insertNotice('Уведомление, которое не дойдёт');
  const deadPort = await freePort();
  const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${deadPort}`, from: 'noreply@ismet.local', outboxDir: '/nonexistent' });
  const startedAt = await env.currentTimeMs();
  const result = await runWithWorker(mailer, (taskQueue) =>
    env.client.workflow.execute(noticeDelivery, {
      workflowId: `notice-${notice.id}`,
      taskQueue,
      args: [{ noticeId: notice.id, clientId: client.id, subject: notice.subject }],
    }),
  );
  const elapsedDays = ((await env.currentTimeMs()) - startedAt) / 86_400_000;

  expect(result.status).toBe('failed');
  expect(elapsedDays).toBeGreaterThanOrEqual(2.9);
  const row = await database.db('notices').where({ id: notice.id }).first();
  expect(row.status).toBe('failed');
  // Retries at +10 s, doubling to the 1 h cap, inside a 3-day window: 1 + 9 + 70 = 80.
  expect(row.attempts).toBeGreaterThanOrEqual(78);
  expect(row.attempts).toBeLessThanOrEqual(81);
  expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
});

test('the workflow bundle holds no Node built-ins (it must stay deterministic)', async () => {
  const { code } = await workflowBundle();
  expect(code).not.toMatch(/require\(["']node:/);
  expect(path.basename(require.resolve('../../workflows'))).toBe('index.ts');
});
