import nodemailer from 'nodemailer';
import { startSupportMailListener, SupportMailListener } from '../../api/support-mail';
import { registerTicket } from '../../db/tickets';
import { systemClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import type { Priority } from '../../lib/support';
import { supportTicket, ticketStateQuery } from '../../workflows/support-ticket';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';

// Tickets on the Temporal dev server: e-mail intake through the real SMTP listener, the client
// and agent APIs, and the Web UI's view: search attributes that find exactly the breached
// high-priority tickets.
const ctx = useTestApi();
let listener: SupportMailListener;

beforeAll(async () => {
  const config = { bodyLimit: 1048576, temporalTaskQueue: ctx.api.taskQueue, publicUrl: ctx.api.url, operatorTimeZone: 'Asia/Almaty' };
  listener = await startSupportMailListener({ db: ctx.database.db, temporal: ctx.api.temporal, config, clock: systemClock }, { host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }) });
});
afterAll(() => listener?.close());

const send = (mail: { from: string; subject: string; text: string; messageId?: string }) =>
  nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true }).sendMail({ to: 'mark@ismet.kz', ...mail });

test('e-mail intake: a new message opens a ticket whose number is e-mailed back; a reply with the number joins it; the same message twice is taken once', async () => {
  const client = await insertClient(ctx.database.db, { email: 'shoes@example.kz' });
  await send({ from: 'Айгерим <Shoes@Example.kz>', subject: 'Не приходят коды', text: 'Заказ висит в статусе PENDING', messageId: '<first@client.kz>' });
  const ticket = await eventually(async () => ctx.database.db('tickets').where({ contact_email: 'shoes@example.kz' }).first());
  expect(ticket).toMatchObject({ client_id: client.id, channel: 'email', subject: 'Не приходят коды', status: 'new', contact_name: 'Айгерим' });
  const registration = await ctx.smtp.waitFor((m) => m.subject === `[${ticket.number}] Не приходят коды`);
  expect((registration.to as { text: string }).text).toBe('shoes@example.kz');
  expect(registration.text).toContain(`зарегистрировано под номером ${ticket.number}`);
  expect(new Date(registration.date!).getTime() - new Date(ticket.received_at).getTime()).toBeLessThan(5 * 60_000);

  await send({ from: 'shoes@example.kz', subject: `Re: [${ticket.number}] Не приходят коды`, text: 'Номер заказа 123', messageId: '<second@client.kz>' });
  await send({ from: 'shoes@example.kz', subject: `Re: [${ticket.number}] Не приходят коды`, text: 'Номер заказа 123', messageId: '<second@client.kz>' });
  await send({ from: 'Айгерим <Shoes@Example.kz>', subject: 'Не приходят коды', text: 'Заказ висит в статусе PENDING', messageId: '<first@client.kz>' });
  await eventually(async () => (await ctx.database.db('ticket_messages').where({ ticket_id: ticket.id })).length === 2);
  await new Promise((r) => setTimeout(r, 500));
  expect(await ctx.database.db('ticket_messages').where({ ticket_id: ticket.id }).pluck('body')).toEqual(['Заказ висит в статусе PENDING', 'Номер заказа 123']);
  expect(await ctx.database.db('tickets').where({ contact_email: 'shoes@example.kz' })).toHaveLength(1);
});

test('the client opens, an agent classifies, asks, the client answers, the agent resolves, the client confirms; illegal steps are refused', async () => {
  const client = await insertClient(ctx.database.db);
  const token = await clientToken(ctx.database.db, client.id);
  const agent = await insertStaff(ctx.database.db, ['support']);
  const opened = await ctx.api.request('POST', '/client/v1/tickets', { token, body: { subject: 'Ошибка агрегации', body: 'Не могу агрегировать коды' } });
  expect(opened.status).toBe(201);
  const id = opened.body.id;
  const act = (path: string, body: unknown) => ctx.api.request('POST', `/staff/v1/tickets/${id}/${path}`, { token: agent.token, body });
  await eventually(async () => (await ctx.api.temporal.client.workflow.getHandle(`ticket-${id}`).query(ticketStateQuery)).status === 'new');
  expectApiError(await act('resolve', { kind: 'solution', text: 'x' }), 409, 'ILLEGAL_TRANSITION');
  expect((await act('classify', { priority: 'medium' })).body).toMatchObject({ status: 'in_progress', priority: 'medium' });
  expect((await act('wait-for-client', { question: 'Пришлите скриншот' })).body.status).toBe('waiting_client');
  await ctx.smtp.waitFor((m) => m.text?.includes('Пришлите скриншот') ?? false);
  await ctx.api.request('POST', `/client/v1/tickets/${id}/messages`, { token, body: { body: 'Скриншот во вложении' } });
  await eventually(async () => (await ctx.database.db('tickets').where({ id }).first()).status === 'in_progress');
  expect((await act('resolve', { kind: 'workaround', text: 'Агрегируйте через API' })).body.status).toBe('resolved');
  await ctx.smtp.waitFor((m) => m.text?.includes('Агрегируйте через API') ?? false);
  expect((await ctx.api.request('POST', `/client/v1/tickets/${id}/confirm`, { token })).status).toBe(202);
  await eventually(async () => (await ctx.database.db('tickets').where({ id }).first()).status === 'closed');
  const detail = (await ctx.api.request('GET', `/staff/v1/tickets/${id}`, { token: agent.token })).body;
  // The registration e-mail goes out while the agent may already be at work: its place in the history varies.
  const kinds = detail.history.map((e: { kind: string }) => e.kind);
  expect(kinds).toContain('registration_sent');
  expect(kinds.filter((k: string) => k !== 'registration_sent')).toEqual(['registered', 'classified', 'waiting_for_client', 'client_replied', 'resolved', 'closed']);
  expectApiError(await ctx.api.request('GET', `/staff/v1/tickets/${id}`, { token }), 403, 'FORBIDDEN');
});

test('the Web UI’s search attributes find exactly the breached high-priority tickets', async () => {
  const client = await insertClient(ctx.database.db);
  const open = async (subject: string, priority: Priority, receivedAt: Date) => {
    const { ticket } = await ctx.database.db.transaction((trx) => registerTicket(trx, { clientId: client.id, contactEmail: client.email, channel: 'api', subject, body: '…', receivedAt, author: 'client', priority }));
    await ctx.api.temporal.client.workflow.start(supportTicket, {
      taskQueue: ctx.api.taskQueue,
      workflowId: `ticket-${ticket.id}`,
      args: [{ ticketId: ticket.id, number: ticket.number, clientId: client.id, subject, receivedAt: receivedAt.toISOString(), priority }],
    });
    return `ticket-${ticket.id}`;
  };
  // Tickets registered days ago (recorded late) are past their deadlines at once; one registered now is not.
  const daysAgo = new Date(Date.now() - 4 * 86_400_000);
  const breachedHigh = [await open('Авторизация недоступна', 'high', daysAgo), await open('Эмиссия не работает', 'high', daysAgo)];
  await open('Свежая', 'high', new Date());
  await open('Мелочь', 'low', new Date(Date.now() - 10 * 86_400_000));
  const query = `ClientId = '${client.id}' AND SlaBreached = true AND TicketPriority = 'high'`;
  const found = await eventually(async () => {
    const ids: string[] = [];
    for await (const workflow of ctx.api.temporal.client.workflow.list({ query })) ids.push(workflow.workflowId);
    return ids.length === 2 && ids;
  }, 60_000);
  expect([...found].sort()).toEqual([...breachedHigh].sort());
  // All breached ones, whatever the priority: the low one too.
  await eventually(async () => {
    const all: string[] = [];
    for await (const workflow of ctx.api.temporal.client.workflow.list({ query: `ClientId = '${client.id}' AND SlaBreached = true` })) all.push(workflow.workflowId);
    return all.length === 3;
  }, 60_000);
  const described = await ctx.api.temporal.client.workflow.getHandle(breachedHigh[0]).describe();
  expect(described.typedSearchAttributes.get({ name: 'SupportLine', type: 'INT' } as never)).toBe(1);
});

test('force majeure recorded by an admin: running deadlines of the affected process move at once; the notice and 30-day flags show', async () => {
  const client = await insertClient(ctx.database.db);
  const token = await clientToken(ctx.database.db, client.id);
  const admin = await insertStaff(ctx.database.db, ['admin']);
  const support = await insertStaff(ctx.database.db, ['support']);
  const { body: ticket } = await ctx.api.request('POST', '/client/v1/tickets', { token, body: { subject: 'Сбой', body: 'Не работает' } });
  await eventually(async () => (await ctx.api.request('POST', `/staff/v1/tickets/${ticket.id}/classify`, { token: support.token, body: { priority: 'low' } })).status === 200);
  const before = await eventually(async () => (await ctx.database.db('tickets').where({ id: ticket.id }).first()).resolution_due_at);
  const started = new Date(Date.now() - 40 * 86_400_000).toISOString();
  expectApiError(await ctx.api.request('POST', '/staff/v1/force-majeure', { token: support.token, body: { startedAt: started, processes: ['tickets'], description: 'Авария' } }), 403, 'FORBIDDEN');
  const recorded = await ctx.api.request('POST', '/staff/v1/force-majeure', { token: admin.token, body: { startedAt: started, processes: ['tickets'], description: 'Авария в ЦОД оператора связи' } });
  expect(recorded.status).toBe(201);
  expect(recorded.body).toMatchObject({ endedAt: null, terminationMayBeAgreed: true, noticeDueAt: expect.any(String) });
  expect(recorded.body.workflowsSignalled).toBeGreaterThan(0);
  // Open-ended: the ticket's deadline is suspended until the event ends.
  await eventually(async () => (await ctx.database.db('tickets').where({ id: ticket.id }).first()).resolution_due_at === null);
  const ended = await ctx.api.request('POST', `/staff/v1/force-majeure/${recorded.body.id}/end`, { token: admin.token, body: { endedAt: new Date().toISOString() } });
  expect(ended.body.endedAt).not.toBeNull();
  await eventually(async () => {
    const due = new Date((await ctx.database.db('tickets').where({ id: ticket.id }).first()).resolution_due_at).getTime();
    return due > new Date(before).getTime() && due < Date.now() + 30 * 86_400_000;
  });
  await ctx.database.db('force_majeure_events').del();
});
