import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { systemClock } from '../../lib/clock';
import { createMailer, Mailer } from '../../lib/mailer';
import { replaceCalendarYear } from '../../db/calendar-store';
import { BusinessCalendar, CalendarData } from '../../lib/calendar';
import { BusinessStatus, ClientId, DeadlineAt } from '../../lib/search-attributes';
import {
  noticeAnsweredSignal,
  noticeDelivery,
  NoticeDeliveryState,
  noticeStateQuery,
} from '../../workflows/notice-delivery';
import { calendarChangedSignal } from '../../workflows/shared/deadline';
import { workflowBundle } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertClient } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { eventually } from '../helpers/eventually';
import { createTimeSkippingEnv, weekendsOnlyCalendarAroundNow } from '../helpers/time-skipping';

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

async function insertNotice(subject: string, answerWithinWorkingDays?: number) {
  const client = await insertClient(database.db);
  const [notice] = await database
    .db('notices')
    .insert({
      client_id: client.id,
      recipient: client.email,
      subject,
      body: 'Текст уведомления.',
      answer_within_working_days: answerWithinWorkingDays ?? null,
      answer_status: answerWithinWorkingDays ? 'awaiting' : 'not_required',
    })
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
  const mailer = createMailer({
    smtpUrl: `smtp://127.0.0.1:${deadPort}`,
    from: 'noreply@ismet.local',
    outboxDir: '/nonexistent',
  });
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

describe('a notice that needs an answer (10.2.1) waits for it on the business calendar', () => {
  let data: CalendarData;
  const save = async (year: number) => replaceCalendarYear(database.db, year, data.years[year], { reason: 'test' });
  beforeEach(async () => {
    data = await weekendsOnlyCalendarAroundNow(env, database.db);
  });

  const start = (taskQueue: string, client: { id: string }, notice: { id: string; subject: string }, days: number) =>
    env.client.workflow.start(noticeDelivery, {
      workflowId: `notice-${notice.id}`,
      taskQueue,
      args: [{ noticeId: notice.id, clientId: client.id, subject: notice.subject, answerWithinWorkingDays: days }],
    });

  test('unanswered: overdue at the deadline, which moves when staff add a holiday inside the period', async () => {
    const { client, notice } = await insertNotice('Запрос ответа на извещение', 5);
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'noreply@ismet.local', outboxDir: '/nonexistent' });
    await runWithWorker(mailer, async (taskQueue) => {
      const handle = await start(taskQueue, client, notice, 5);
      const waiting = await eventuallyQuery(handle, (s) => !!s.answer?.dueAt);
      const sentAt = waiting.answer!.receivedAt!;
      const expected = new BusinessCalendar(data).addWorkingDays(sentAt, 5);
      expect(waiting.answer).toEqual({ status: 'awaiting', receivedAt: sentAt, dueAt: expected.toISOString() });
      // The search attribute is the server's once the workflow task that set it has completed: a query can answer sooner.
      await eventually(
        async () =>
          (await handle.describe()).typedSearchAttributes.get(DeadlineAt)?.toISOString() === expected.toISOString(),
      );
      expect((await database.db('notices').where({ id: notice.id }).first()).answer_due_at.toISOString()).toBe(
        expected.toISOString(),
      );

      // A decree makes the first working day of the period a holiday: the deadline moves by a day.
      const before = new BusinessCalendar(data);
      const firstDay = before.localDate(new Date(before.addWorkingDays(sentAt, 1).getTime() - 1));
      const year = Number(firstDay.slice(0, 4));
      data.years[year].days.push({ date: firstDay, kind: 'holiday', name: 'Праздник (тест)', source: 'test decree' });
      await save(year);
      await handle.signal(calendarChangedSignal);
      const moved = new BusinessCalendar(data).addWorkingDays(sentAt, 5);
      expect(moved.getTime()).toBeGreaterThan(expected.getTime());
      await eventuallyQuery(handle, (s) => s.answer?.dueAt === moved.toISOString());

      const done = await handle.result();
      expect(done.answer).toEqual({ status: 'overdue', receivedAt: sentAt, dueAt: moved.toISOString() });
      expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(moved.getTime());
      expect((await handle.describe()).typedSearchAttributes.get(BusinessStatus)).toBe('answer_overdue');
    });
    const row = await database.db('notices').where({ id: notice.id }).first();
    expect(row).toMatchObject({ answer_status: 'overdue', answered_at: null });
  });

  test('answered within the period: the wait ends, nothing is overdue', async () => {
    const { client, notice } = await insertNotice('Запрос информации', 1);
    const mailer = createMailer({ smtpUrl: smtp.url, from: 'noreply@ismet.local', outboxDir: '/nonexistent' });
    const done = await runWithWorker(mailer, async (taskQueue) => {
      const handle = await start(taskQueue, client, notice, 1);
      await eventuallyQuery(handle, (s) => !!s.answer?.dueAt);
      const answeredAt = new Date(await env.currentTimeMs());
      await database
        .db('notices')
        .where({ id: notice.id })
        .update({ answered_at: answeredAt, answer_text: 'Ответ', answer_status: 'answered' });
      await handle.signal(noticeAnsweredSignal, { answeredAt: answeredAt.toISOString() });
      return handle.result();
    });
    expect(done.answer).toMatchObject({ status: 'answered' });
    expect((await database.db('notices').where({ id: notice.id }).first()).answer_status).toBe('answered');
  });
});

async function eventuallyQuery(
  handle: { query: (q: typeof noticeStateQuery) => Promise<NoticeDeliveryState> },
  predicate: (state: NoticeDeliveryState) => boolean,
): Promise<NoticeDeliveryState> {
  for (let i = 0; i < 100; i++) {
    const state = await handle.query(noticeStateQuery);
    if (predicate(state)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the workflow did not reach the expected state');
}
