import nodemailer from 'nodemailer';
import { startSupportMailListener, SupportMailListener } from '../../api/http/mail-listener';
import { systemClock } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { insertClient, insertStaff } from '../helpers/fixtures';
import { isTo } from '../helpers/smtp';

// E-mail to the support address from outside (Прил. 3 п.1b), through the real SMTP listener:
// a ticket's number grants nothing; strangers, forged senders and floods wait in a quarantine
// agents review, and the operator mails nobody about them.
const ctx = useTestApi();
let open: SupportMailListener;
let relayed: SupportMailListener;
const RELAY = 'mx.ismet.kz';

beforeAll(async () => {
  const deps = () => ({
    db: ctx.database.db,
    temporal: ctx.api.temporal,
    config: {
      bodyLimit: 1048576,
      temporalTaskQueue: ctx.api.taskQueue,
      publicUrl: ctx.api.url,
      operatorTimeZone: 'Asia/Almaty',
    },
    clock: systemClock,
  });
  const logger = createLogger({ level: 'silent' });
  open = await startSupportMailListener(deps(), {
    host: '127.0.0.1',
    port: 0,
    logger,
    policy: { hourlyLimitPerSender: 3 },
  });
  relayed = await startSupportMailListener(deps(), { host: '127.0.0.1', port: 0, logger, authservId: RELAY });
});
afterAll(async () => {
  await open?.close();
  await relayed?.close();
});

const send = (
  listener: SupportMailListener,
  mail: { from: string; subject: string; text: string; messageId?: string; headers?: Record<string, string> },
) =>
  nodemailer
    .createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true })
    .sendMail({ to: 'mark@ismet.kz', ...mail });
const messagesOf = (ticketId: string) =>
  ctx.database.db('ticket_messages').where({ ticket_id: ticketId }).orderBy('id').pluck('body');

async function ticketOf(email: string) {
  const client = await insertClient(ctx.database.db, { email });
  expect((await send(open, { from: email, subject: 'Не приходят коды', text: 'Заказ висит' })).response).toMatch(
    /^250 /,
  );
  const ticket = await ctx.database.db('tickets').where({ contact_email: email }).first();
  await ctx.smtp.waitFor((m) => isTo(m, email) && m.subject === `[${ticket.number}] Не приходят коды`);
  return { client, ticket };
}

test('Прил. 3 п.1b: a stranger writing «Re: [ticket number]» joins nothing and is mailed nothing; the message waits for an agent', async () => {
  const { ticket } = await ticketOf('owner@shoes.kz');
  const attacker = 'attacker@evil.example';
  expect(
    (
      await send(open, {
        from: attacker,
        subject: `Re: [${ticket.number}] Не приходят коды`,
        text: 'Смените реквизиты на KZ00…',
        messageId: '<attack@evil.example>',
      })
    ).response,
  ).toMatch(/^250 /);
  expect(await messagesOf(ticket.id)).toEqual(['Заказ висит']);
  const held = await ctx.database.db('mail_quarantine').where({ sender: attacker }).first();
  expect(held).toMatchObject({
    reason: 'NOT_A_TICKET_CONTACT',
    ticket_id: ticket.id,
    status: 'pending',
    auth_verdict: 'none',
  });
  await new Promise((r) => setTimeout(r, 500));
  expect(ctx.smtp.messages.filter((m) => isTo(m, attacker))).toEqual([]);
  expect((await ctx.database.db('tickets').where({ id: ticket.id }).first()).status).toBe('new');

  // An agent reads it and discards it; the decision is recorded.
  const agent = await insertStaff(ctx.database.db, ['support']);
  const listed = (await ctx.api.request('GET', '/staff/v1/mail-quarantine?status=pending', { token: agent.token })).body
    .messages;
  expect(listed.find((m: { id: string }) => m.id === held.id)).toMatchObject({
    sender: attacker,
    reason: 'NOT_A_TICKET_CONTACT',
    ticketId: ticket.id,
  });
  const discarded = await ctx.api.request('POST', `/staff/v1/mail-quarantine/${held.id}/discard`, {
    token: agent.token,
    body: { note: 'Фишинг' },
  });
  expect(discarded.body).toMatchObject({ status: 'discarded', decidedBy: agent.id, decisionNote: 'Фишинг' });
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/mail-quarantine/${held.id}/release`, { token: agent.token, body: {} }),
    409,
    'ALREADY_DECIDED',
  );
  expectApiError(
    await ctx.api.request('GET', '/staff/v1/mail-quarantine', {
      token: (await insertStaff(ctx.database.db, ['accountant'])).token,
    }),
    403,
    'FORBIDDEN',
  );
});

test('Прил. 3 п.1b: the client’s address of record joins its ticket; a colleague held in the quarantine is released into it by an agent', async () => {
  const { client, ticket } = await ticketOf('contact@boots.kz');
  await ctx.database
    .db('clients')
    .where({ id: client.id })
    .update({ details: { email: 'office@boots.kz' } });
  expect(
    (await send(open, { from: 'office@boots.kz', subject: `Re: [${ticket.number}]`, text: 'Дополняем: заказ 123' }))
      .response,
  ).toMatch(/^250 /);
  expect(await messagesOf(ticket.id)).toEqual(['Заказ висит', 'Дополняем: заказ 123']);

  await send(open, { from: 'accountant@boots.kz', subject: `Re: [${ticket.number}]`, text: 'Я бухгалтер, у нас тоже' });
  const held = await eventually(async () =>
    ctx.database.db('mail_quarantine').where({ sender: 'accountant@boots.kz' }).first(),
  );
  const agent = await insertStaff(ctx.database.db, ['support']);
  const released = await ctx.api.request('POST', `/staff/v1/mail-quarantine/${held.id}/release`, {
    token: agent.token,
    body: { note: 'Подтвердили по телефону' },
  });
  expect(released.body).toMatchObject({ status: 'released', ticketId: ticket.id });
  expect(await messagesOf(ticket.id)).toEqual(['Заказ висит', 'Дополняем: заказ 123', 'Я бухгалтер, у нас тоже']);
});

test('Прил. 3 п.1b: a sender over the hourly limit waits in the quarantine and is not mailed back', async () => {
  const flooder = 'flood@spam.example';
  for (let i = 0; i < 5; i++)
    expect((await send(open, { from: flooder, subject: `Вопрос ${i}`, text: 'текст' })).response).toMatch(/^250 /);
  expect(await ctx.database.db('tickets').where({ contact_email: flooder })).toHaveLength(3);
  expect(await ctx.database.db('mail_quarantine').where({ sender: flooder }).pluck('reason')).toEqual([
    'RATE_LIMITED',
    'RATE_LIMITED',
  ]);
  await eventually(async () => ctx.smtp.messages.filter((m) => isTo(m, flooder)).length === 3);
  await new Promise((r) => setTimeout(r, 500));
  expect(ctx.smtp.messages.filter((m) => isTo(m, flooder))).toHaveLength(3);
});

test('a forged From: with a client’s address opens nothing in its name; the relay’s results are recorded; an authenticated one opens the client’s ticket', async () => {
  const victim = await insertClient(ctx.database.db, { email: 'director@sandals.kz' });
  const forged = {
    'Authentication-Results': `${RELAY}; spf=fail smtp.mailfrom=sandals.kz; dkim=none; dmarc=fail header.from=sandals.kz`,
  };
  expect(
    (
      await send(relayed, {
        from: 'director@sandals.kz',
        subject: 'Отзовите доверенность',
        text: 'Срочно',
        headers: forged,
      })
    ).response,
  ).toMatch(/^250 /);
  expect(await ctx.database.db('tickets').where({ client_id: victim.id })).toHaveLength(0);
  expect(await ctx.database.db('mail_quarantine').where({ sender: 'director@sandals.kz' }).first()).toMatchObject({
    reason: 'SENDER_NOT_AUTHENTICATED',
    auth_verdict: 'fail',
    auth_results: expect.stringContaining('dmarc=fail'),
  });

  // A header the sender wrote itself is not the relay's: nothing known, so not taken for the client either.
  const selfMade = { 'Authentication-Results': 'evil.example; dkim=pass header.d=sandals.kz; dmarc=pass' };
  expect(
    (await send(relayed, { from: 'director@sandals.kz', subject: 'Вопрос по счёту', text: 'Счёт?', headers: selfMade }))
      .response,
  ).toMatch(/^250 /);
  const unplaced = await ctx.database
    .db('tickets')
    .where({ contact_email: 'director@sandals.kz', subject: 'Вопрос по счёту' })
    .first();
  expect(unplaced.client_id).toBeNull();

  const authentic = {
    'Authentication-Results': `${RELAY}; spf=pass smtp.mailfrom=sandals.kz; dkim=pass header.d=sandals.kz; dmarc=pass header.from=sandals.kz`,
  };
  expect(
    (
      await send(relayed, {
        from: 'director@sandals.kz',
        subject: 'Акт за ноябрь',
        text: 'Где акт?',
        headers: authentic,
      })
    ).response,
  ).toMatch(/^250 /);
  const ticket = await ctx.database
    .db('tickets')
    .where({ contact_email: 'director@sandals.kz', subject: 'Акт за ноябрь' })
    .first();
  expect(ticket.client_id).toBe(victim.id);
  expect(await ctx.database.db('ticket_messages').where({ ticket_id: ticket.id }).first()).toMatchObject({
    auth_verdict: 'pass',
    auth_results: expect.stringContaining('dkim=pass'),
  });
});
