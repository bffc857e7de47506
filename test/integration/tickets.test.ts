import nodemailer from 'nodemailer';
import { startSupportMailListener, SupportMailListener } from '../../api/http/mail-listener';
import { readCalendar } from '../../db/calendar-store';
import { registerTicket } from '../../db/tickets';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { systemClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { ReactionDueAt, SlaBreached, SupportLine } from '../../lib/search-attributes';
import type { Priority } from '../../lib/support';
import { calendarChangedSignal } from '../../workflows/shared/deadline';
import { supportTicket, ticketStateQuery } from '../../workflows/support-ticket';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { isTo } from '../helpers/smtp';

// Tickets on the Temporal dev server: e-mail intake through the real SMTP listener, the client
// and agent APIs, and the Web UI's view: search attributes that find exactly the breached
// high-priority tickets.
const ctx = useTestApi();
let listener: SupportMailListener;

beforeAll(async () => {
  const config = {
    bodyLimit: 1048576,
    temporalTaskQueue: ctx.api.taskQueue,
    publicUrl: ctx.api.url,
    operatorTimeZone: 'Asia/Almaty',
  };
  listener = await startSupportMailListener(
    { db: ctx.database.db, temporal: ctx.api.temporal, config, clock: systemClock },
    { host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }) },
  );
});
afterAll(() => listener?.close());

const send = (mail: {
  from: string;
  subject: string;
  text: string;
  messageId?: string;
  to?: string;
  inReplyTo?: string;
}) =>
  nodemailer
    .createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true })
    .sendMail({ to: 'mark@ismet.kz', ...mail });
/** The support address the back office derives from MAIL_FROM («ИС МПТ <noreply@ismet.local>» in the tests). */
const SUPPORT_ADDRESS = 'support@ismet.local';
/** The address a «Reply» goes to: Reply-To, as the receiver parsed it from the message's header. */
const replyToOf = (mail: { replyTo?: { value: { address?: string }[] } }) => mail.replyTo?.value.map((a) => a.address);
/** The business calendar the worker computes with: the test database's. */
const calendar = async () =>
  new BusinessCalendar(await readCalendar(ctx.database.db), { ...DEFAULT_SETTINGS, zone: 'Asia/Almaty' });
/** A ticket registered as received at `receivedAt` (recorded late, for one in the past) and its workflow started. */
async function openTicket(
  client: { id: string; email: string },
  subject: string,
  receivedAt: Date,
  priority?: Priority,
) {
  const { ticket } = await ctx.database.db.transaction((trx) =>
    registerTicket(trx, {
      clientId: client.id,
      contactEmail: client.email,
      channel: 'api',
      subject,
      body: '…',
      receivedAt,
      author: 'client',
      priority,
    }),
  );
  const handle = await ctx.api.temporal.client.workflow.start(supportTicket, {
    taskQueue: ctx.api.taskQueue,
    workflowId: `ticket-${ticket.id}`,
    args: [
      {
        ticketId: ticket.id,
        number: ticket.number,
        clientId: client.id,
        subject,
        receivedAt: receivedAt.toISOString(),
        priority,
      },
    ],
  });
  return { ticket, handle };
}
const HOUR = 3_600_000;

test('e-mail intake: a new message opens a ticket whose number is e-mailed back; a reply with the number joins it; the same message twice is taken once', async () => {
  const client = await insertClient(ctx.database.db, { email: 'shoes@example.kz' });
  expect(
    (
      await send({
        from: 'Айгерим <Shoes@Example.kz>',
        subject: 'Не приходят коды',
        text: 'Заказ висит в статусе PENDING',
        messageId: '<first@client.kz>',
      })
    ).response,
  ).toMatch(/^250 /);
  // Answered once the ticket is registered (below).
  const ticket = await ctx.database.db('tickets').where({ contact_email: 'shoes@example.kz' }).first();
  expect(ticket).toMatchObject({
    client_id: client.id,
    channel: 'email',
    subject: 'Не приходят коды',
    status: 'new',
    contact_name: 'Айгерим',
  });
  const registration = await ctx.smtp.waitFor(
    (m) => isTo(m, 'shoes@example.kz') && m.subject === `[${ticket.number}] Не приходят коды`,
  );
  expect((registration.to as { text: string }).text).toBe('shoes@example.kz');
  expect(registration.text).toContain(`зарегистрировано под номером ${ticket.number}`);
  expect(new Date(registration.date!).getTime() - new Date(ticket.received_at).getTime()).toBeLessThan(5 * 60_000);
  // A reply reaches support and threads into the ticket: Reply-To the support address (the header as received), the number in the subject.
  expect(registration.headers.get('reply-to')).toBeDefined();
  expect(replyToOf(registration)).toEqual([SUPPORT_ADDRESS]);
  expect(registration.subject).toContain(`[${ticket.number}]`);

  // The listener answers 250 only once it has stored a message or found it stored before (anything else is a 4xx, and
  // the send rejects): when a send resolves, its message has been dealt with — the reply, its copy and the first again.
  // The reply as a mail program writes it: to the Reply-To address, «Re: » and the subject, In-Reply-To the message.
  const reply = {
    from: 'shoes@example.kz',
    to: replyToOf(registration)![0],
    subject: `Re: ${registration.subject}`,
    inReplyTo: registration.messageId,
    text: 'Номер заказа 123',
    messageId: '<second@client.kz>',
  };
  const first = {
    from: 'Айгерим <Shoes@Example.kz>',
    subject: 'Не приходят коды',
    text: 'Заказ висит в статусе PENDING',
    messageId: '<first@client.kz>',
  };
  for (const mail of [reply, reply, first]) expect((await send(mail)).response).toMatch(/^250 /);
  expect(await ctx.database.db('ticket_messages').where({ ticket_id: ticket.id }).orderBy('id').pluck('body')).toEqual([
    'Заказ висит в статусе PENDING',
    'Номер заказа 123',
  ]);
  expect(await ctx.database.db('tickets').where({ contact_email: 'shoes@example.kz' })).toHaveLength(1);
});

/** A ticket a client opened through the API (the client reading `language` first), and a support agent. */
async function openedByClient(subject: string, body: string, language: 'kk' | 'ru' = 'ru') {
  const client = await insertClient(ctx.database.db);
  await ctx.database.db('clients').where({ id: client.id }).update({ language });
  const token = await clientToken(ctx.database.db, client.id);
  const agent = await insertStaff(ctx.database.db, ['support']);
  const opened = await ctx.api.request('POST', '/client/v1/tickets', { token, body: { subject, body } });
  expect(opened.status).toBe(201);
  return { client, token, agent, opened };
}

test('the client opens, an agent classifies, asks, the client answers, the agent resolves, the client confirms; illegal steps are refused', async () => {
  const { client, token, agent, opened } = await openedByClient('Ошибка агрегации', 'Не могу агрегировать коды');
  const id = opened.body.id;
  const act = (path: string, body: unknown) =>
    ctx.api.request('POST', `/staff/v1/tickets/${id}/${path}`, { token: agent.token, body });
  await eventually(
    async () =>
      (await ctx.api.temporal.client.workflow.getHandle(`ticket-${id}`).query(ticketStateQuery)).status === 'new',
  );
  expectApiError(await act('resolve', { kind: 'solution', text: 'x' }), 409, 'ILLEGAL_TRANSITION');
  expect((await act('classify', { priority: 'medium' })).body).toMatchObject({
    status: 'in_progress',
    priority: 'medium',
  });
  expect((await act('wait-for-client', { question: 'Пришлите скриншот' })).body.status).toBe('waiting_client');
  const question = await ctx.smtp.waitFor(
    (m) => isTo(m, client.email) && (m.text?.includes('Пришлите скриншот') ?? false),
  );
  // The agent's e-mail, too: the ticket's number in the subject, Reply-To the support address.
  const { number } = await ctx.database.db('tickets').where({ id }).first('number');
  expect(question.subject).toBe(`[${number}] Ошибка агрегации`);
  expect(replyToOf(question)).toEqual([SUPPORT_ADDRESS]);
  expect(
    (
      await ctx.api.request('POST', `/client/v1/tickets/${id}/messages`, {
        token,
        body: { body: 'Скриншот во вложении' },
      })
    ).status,
  ).toBe(202);
  await eventually(async () => (await ctx.database.db('tickets').where({ id }).first()).status === 'in_progress');
  expect((await act('resolve', { kind: 'workaround', text: 'Агрегируйте через API' })).body.status).toBe('resolved');
  const workaround = await ctx.smtp.waitFor(
    (m) => isTo(m, client.email) && (m.text?.includes('Агрегируйте через API') ?? false),
  );
  expect(replyToOf(workaround)).toEqual([SUPPORT_ADDRESS]);
  expect((await ctx.api.request('POST', `/client/v1/tickets/${id}/confirm`, { token })).status).toBe(202);
  await eventually(async () => (await ctx.database.db('tickets').where({ id }).first()).status === 'closed');
  const detail = (await ctx.api.request('GET', `/staff/v1/tickets/${id}`, { token: agent.token })).body;
  // The registration e-mail goes out while the agent may already be at work: its place in the history varies.
  const kinds = detail.history.map((e: { kind: string }) => e.kind);
  expect(kinds).toContain('registration_sent');
  expect(kinds.filter((k: string) => k !== 'registration_sent')).toEqual([
    'registered',
    'classified',
    'waiting_for_client',
    'client_replied',
    'resolved',
    'closed',
  ]);
  expectApiError(await ctx.api.request('GET', `/staff/v1/tickets/${id}`, { token }), 403, 'FORBIDDEN');
});

test('the Web UI’s search attributes find exactly the breached high-priority tickets', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  // Tickets recorded late, received on working days of the official 2026 calendar: their deadlines (5 working minutes
  // to react; 4 working hours to resolve a high one, 24 a low one) passed long before whatever day the tests run on.
  // One received now is within all of its deadlines.
  const late = {
    high1: new Date('2026-11-24T10:00:00+05:00'),
    high2: new Date('2026-11-24T11:30:00+05:00'),
    low: new Date('2026-11-23T10:00:00+05:00'),
  };
  const c = await calendar();
  expect(c.addWorkingHours(late.low, 24).getTime()).toBeLessThan(Date.now());
  const breachedHigh = [
    await openTicket(client, 'Авторизация недоступна', late.high1, 'high'),
    await openTicket(client, 'Эмиссия не работает', late.high2, 'high'),
  ];
  const fresh = await openTicket(client, 'Свежая', new Date(), 'high');
  const low = await openTicket(client, 'Мелочь', late.low, 'low');
  const ids = (tickets: { handle: { workflowId: string } }[]) => tickets.map((t) => t.handle.workflowId).sort();

  // Each workflow has met its deadlines: the late ones recorded both breaches, the fresh one its reaction deadline ahead.
  await eventually(async () => {
    const rows = await db('tickets').where({ client_id: client.id });
    const byId = new Map(rows.map((r: Record<string, any>) => [r.id, r]));
    return (
      [...breachedHigh, low].every(
        (t) => byId.get(t.ticket.id)?.reaction_breached_at && byId.get(t.ticket.id)?.resolution_breached_at,
      ) && byId.get(fresh.ticket.id)?.reaction_due_at
    );
  }, 60_000);
  expect(
    new Date((await db('tickets').where({ id: fresh.ticket.id }).first()).reaction_due_at).getTime(),
  ).toBeGreaterThan(Date.now());
  // …and the Web UI's view (visibility, eventually consistent) shows what they upserted with it.
  await eventually(async () => {
    const seen = new Map<string, { breached?: boolean; reactionDue?: Date }>();
    for await (const workflow of ctx.api.temporal.client.workflow.list({ query: `ClientId = '${client.id}'` })) {
      seen.set(workflow.workflowId, {
        breached: workflow.typedSearchAttributes.get(SlaBreached),
        reactionDue: workflow.typedSearchAttributes.get(ReactionDueAt),
      });
    }
    return (
      [...breachedHigh, low].every((t) => seen.get(t.handle.workflowId)?.breached === true) &&
      seen.get(fresh.handle.workflowId)?.breached === false &&
      seen.get(fresh.handle.workflowId)?.reactionDue
    );
  }, 60_000);

  const list = async (query: string) => {
    const found: string[] = [];
    for await (const workflow of ctx.api.temporal.client.workflow.list({ query })) found.push(workflow.workflowId);
    return found.sort();
  };
  expect(await list(`ClientId = '${client.id}' AND SlaBreached = true AND TicketPriority = 'high'`)).toEqual(
    ids(breachedHigh),
  );
  // All breached ones, whatever the priority: the low one too, the fresh one not.
  expect(await list(`ClientId = '${client.id}' AND SlaBreached = true`)).toEqual(ids([...breachedHigh, low]));
  const described = await breachedHigh[0].handle.describe();
  expect(described.typedSearchAttributes.get(SupportLine)).toBe(1);
});

test('force majeure recorded by an admin: running deadlines of the affected process move at once; the notice and 30-day flags show', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  const admin = await insertStaff(db, ['admin']);
  const support = await insertStaff(db, ['support']);
  const c = await calendar();
  // Received an hour and a half of working time ago, whatever the hour and day the test runs at (just after a weekend or
  // long holidays that is days ago): its 24 working hours of resolution are ahead, and the hour of the event that ends
  // within them (below) is over already.
  const now = Date.now();
  let receivedAt = new Date(Math.floor(now / 900_000) * 900_000);
  while (c.workingTimeBetween(receivedAt, new Date(now)) < 1.5 * HOUR)
    receivedAt = new Date(receivedAt.getTime() - 900_000);
  const { ticket, handle } = await openTicket(client, 'Сбой', receivedAt);

  // A query is answered once the workflow has run its first task, its Update handlers set: the agent classifies once.
  await eventually(async () => (await handle.query(ticketStateQuery)).status === 'new');
  const classified = await ctx.api.request('POST', `/staff/v1/tickets/${ticket.id}/classify`, {
    token: support.token,
    body: { priority: 'low' },
  });
  expect(classified.status).toBe(200);
  expect(classified.body).toMatchObject({ status: 'in_progress', priority: 'low' });
  const before = new Date(
    await eventually(async () => (await db('tickets').where({ id: ticket.id }).first()).resolution_due_at),
  );
  expect(before.toISOString()).toBe(c.addWorkingHours(receivedAt, 24).toISOString());
  // The API tells the workflows it finds waiting on a deadline ahead in visibility, which lags the workflow: the ticket
  // is found once the deadline it waits on since its classification shows there.
  await eventually(async () => {
    for await (const workflow of ctx.api.temporal.client.workflow.list({
      query: `WorkflowId = '${handle.workflowId}' AND DeadlineAt > '${new Date().toISOString()}'`,
    }))
      return workflow.workflowId;
    return undefined;
  });

  const started = new Date(now - 40 * 86_400_000);
  try {
    expectApiError(
      await ctx.api.request('POST', '/staff/v1/force-majeure', {
        token: support.token,
        body: { startedAt: started.toISOString(), processes: ['tickets'], description: 'Авария' },
      }),
      403,
      'FORBIDDEN',
    );
    // Recorded 40 days on, its notice long overdue (8.3): relied on only as a well-known fact (8.5).
    const recorded = await ctx.api.request('POST', '/staff/v1/force-majeure', {
      token: admin.token,
      body: {
        startedAt: started.toISOString(),
        processes: ['tickets'],
        description: 'Авария в ЦОД оператора связи',
        wellKnown: true,
      },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      endedAt: null,
      terminationMayBeAgreed: true,
      noticeDueAt: c.addWorkingDays(started, 5).toISOString(),
      wellKnown: true,
      reliedOn: true,
    });
    // The ticket's own workflow was told (the count in the answer is of every workflow of the file's task queue with a deadline ahead).
    const told = async () =>
      ((await handle.fetchHistory()).events ?? []).filter(
        (e) => e.workflowExecutionSignaledEventAttributes?.signalName === calendarChangedSignal.name,
      ).length;
    expect(await told()).toBe(1);
    expect(recorded.body.workflowsSignalled).toBeGreaterThanOrEqual(1);
    // Open-ended: the ticket's deadline is suspended until the event ends.
    await eventually(async () => (await db('tickets').where({ id: ticket.id }).first()).resolution_due_at === null);

    // It ended an hour of working time after the receipt: the deadline moves by exactly that hour.
    const endedAt = c.addWorkingHours(receivedAt, 1);
    const ended = await ctx.api.request('POST', `/staff/v1/force-majeure/${recorded.body.id}/end`, {
      token: admin.token,
      body: { endedAt: endedAt.toISOString() },
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ endedAt: endedAt.toISOString(), terminationMayBeAgreed: true });
    expect(await told()).toBe(2);
    const expected = c.addWorkingHours(receivedAt, 24, {
      pauses: [{ start: started.toISOString(), end: endedAt.toISOString() }],
    });
    expect(c.workingTimeBetween(before, expected)).toBe(HOUR);
    const due = await eventually(async () => (await db('tickets').where({ id: ticket.id }).first()).resolution_due_at);
    expect(new Date(due).toISOString()).toBe(expected.toISOString());
  } finally {
    await db('force_majeure_events').del();
  }
});

test('a client that reads Kazakh first gets its ticket e-mails in Kazakh, Russian below (issue #21)', async () => {
  const { client, token, agent, opened } = await openedByClient(
    'Кодтар келмейді',
    'Тапсырыс PENDING күйінде тұр',
    'kk',
  );
  const id = opened.body.id;
  const { number } = await ctx.database.db('tickets').where({ id }).first('number');
  const registration = await ctx.smtp.waitFor(
    (m) => isTo(m, client.email) && m.subject === `[${number}] Кодтар келмейді`,
  );
  const text = registration.text ?? '';
  const kazakh = text.indexOf(`Сіздің өтінішіңіз ${number} нөмірімен тіркелді`);
  const russian = text.indexOf(`Ваше обращение зарегистрировано под номером ${number}`);
  expect(kazakh).toBeGreaterThanOrEqual(0);
  expect(russian).toBeGreaterThan(kazakh);
  expect(text.startsWith('Сәлеметсіз бе!')).toBe(true);

  // An agent's question: its text once, in the Kazakh part; the Russian part points to it.
  await eventually(
    async () =>
      (await ctx.api.temporal.client.workflow.getHandle(`ticket-${id}`).query(ticketStateQuery)).status === 'new',
  );
  const act = (path: string, body: unknown) =>
    ctx.api.request('POST', `/staff/v1/tickets/${id}/${path}`, { token: agent.token, body });
  expect((await act('classify', { priority: 'low' })).status).toBe(200);
  expect((await act('wait-for-client', { question: 'Скриншот жіберіңіз' })).status).toBe(200);
  const question = await ctx.smtp.waitFor(
    (m) => isTo(m, client.email) && (m.text?.includes('Скриншот жіберіңіз') ?? false),
  );
  const asked = question.text ?? '';
  expect(asked.split('Скриншот жіберіңіз')).toHaveLength(2);
  expect(asked.indexOf('Өтінішіңізді шешу үшін бізге ақпарат қажет:')).toBeLessThan(
    asked.indexOf('Для решения вашего обращения нам нужна информация: Текст сообщения — выше.'),
  );

  // Changed to Russian in the profile: the next e-mail is Russian first.
  expect(
    (await ctx.api.request('PUT', '/client/v1/profile/language', { token, body: { language: 'ru' } })).status,
  ).toBe(200);
  expect((await act('reply', { text: 'Қарап жатырмыз' })).status).toBe(200);
  const reply = await ctx.smtp.waitFor((m) => isTo(m, client.email) && (m.text?.includes('Қарап жатырмыз') ?? false));
  expect(reply.text?.startsWith('Здравствуйте!\n\nОтвет службы поддержки:')).toBe(true);
});
