import { saveCalendarYear } from '../../api/intake/calendar';
import { deliverOutbox, writeAndTell } from '../../api/intake/outbox';
import { takeSupportMail } from '../../api/intake/support-mail';
import { postClientMessage } from '../../api/intake/tickets';
import { readCalendarYear } from '../../db/calendar-store';
import { Clock } from '../../lib/clock';
import type { AppDeps } from '../../api/http/deps';
import { ticketStateQuery } from '../../workflows/support-ticket';
import { eventually, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';

// The transactional outbox (issue #19): a write that a workflow must hear of commits with the
// word to it; when Temporal is away at that moment the write stands and the relay tells the
// workflow later — once, whichever API process delivers it.
const ctx = useTestApi();

/** Temporal as seen while its frontend is down: every call fails as the SDK's would. */
function temporalAway(): AppDeps['temporal'] {
  const unavailable = () => {
    throw Object.assign(new Error('14 UNAVAILABLE: No connection established'), { name: 'ServiceError' });
  };
  return {
    client: {
      workflow: {
        getHandle: () => ({ signal: async () => unavailable() }),
        list: () => unavailable(),
      },
    },
  } as unknown as AppDeps['temporal'];
}

/** The relay's clock: past the moment a request would have delivered its own messages. */
const later: Clock = { now: () => new Date(Date.now() + 10 * 60_000) };

function deps(temporal: AppDeps['temporal'], clock: Clock = { now: () => new Date() }) {
  return {
    db: ctx.database.db,
    temporal,
    clock,
    config: {
      bodyLimit: 1048576,
      temporalTaskQueue: ctx.api.taskQueue,
      publicUrl: ctx.api.url,
      operatorTimeZone: 'Asia/Almaty',
    },
  } as unknown as Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;
}

const pending = (where: Record<string, string>) =>
  ctx.database.db('workflow_outbox').where(where).whereNull('delivered_at').orderBy('id');

/** A client's ticket an agent has asked a question on: its workflow waits for the client's answer. */
async function ticketWaitingForClient() {
  const client = await insertClient(ctx.database.db);
  const token = await clientToken(ctx.database.db, client.id);
  const agent = await insertStaff(ctx.database.db, ['support']);
  const opened = await ctx.api.request('POST', '/client/v1/tickets', {
    token,
    body: { subject: 'Ошибка агрегации', body: 'Не могу агрегировать коды' },
  });
  const id: string = opened.body.id;
  const handle = ctx.api.temporal.client.workflow.getHandle(`ticket-${id}`);
  await eventually(async () => (await handle.query(ticketStateQuery)).status === 'new');
  const act = (path: string, body: unknown) =>
    ctx.api.request('POST', `/staff/v1/tickets/${id}/${path}`, { token: agent.token, body });
  expect((await act('classify', { priority: 'medium' })).status).toBe(200);
  expect((await act('wait-for-client', { question: 'Пришлите скриншот' })).body.status).toBe('waiting_client');
  const ticket = await ctx.database.db('tickets').where({ id }).first();
  return { client, ticket, handle };
}

test("a client's message written while Temporal is away is kept, and reaches the ticket once when the relay runs", async () => {
  const { ticket, handle } = await ticketWaitingForClient();

  await postClientMessage(deps(temporalAway()), ticket, 'Скриншот во вложении');

  expect(
    await ctx.database
      .db('ticket_messages')
      .where({ ticket_id: ticket.id, author: 'client' })
      .orderBy('id')
      .pluck('body'),
  ).toEqual(['Не могу агрегировать коды', 'Скриншот во вложении']);
  const [message] = await pending({ workflow_id: `ticket-${ticket.id}` });
  expect(message).toMatchObject({ kind: 'signal', workflow_id: `ticket-${ticket.id}`, signal: 'clientMessage' });
  expect(message.attempts).toBe(1);
  expect(message.last_error).toMatch(/UNAVAILABLE/);
  expect((await handle.query(ticketStateQuery)).status).toBe('waiting_client');

  expect(await deliverOutbox(deps(ctx.api.temporal, later))).toEqual({
    workflowsSignalled: 1,
    workflowEnded: false,
    pending: 0,
  });
  await eventually(async () => (await handle.query(ticketStateQuery)).status === 'in_progress');
  expect(await pending({ workflow_id: `ticket-${ticket.id}` })).toEqual([]);
  expect((await deliverOutbox(deps(ctx.api.temporal, later))).workflowsSignalled).toBe(0);
});

test('an e-mail whose word to the ticket failed is a duplicate when the relay resends it, and the outbox still tells the ticket', async () => {
  const { client, ticket, handle } = await ticketWaitingForClient();
  const mail = {
    from: client.email.toLowerCase(),
    subject: `Re: [${ticket.number}] Ошибка агрегации`,
    body: 'Вот скриншот',
    messageId: `<${ticket.id}@client.kz>`,
    authentication: { header: null, verdict: 'none' as const },
  };

  expect(await takeSupportMail(deps(temporalAway()), mail)).toEqual({ outcome: 'appended', ticketId: ticket.id });
  // The mail relay got an answer and would not resend; had it, the message is not taken twice.
  expect(await takeSupportMail(deps(temporalAway()), mail)).toEqual({ outcome: 'duplicate' });
  expect(await ctx.database.db('ticket_messages').where({ email_message_id: mail.messageId })).toHaveLength(1);
  expect(await pending({ workflow_id: `ticket-${ticket.id}` })).toHaveLength(1);

  expect((await deliverOutbox(deps(ctx.api.temporal, later))).workflowsSignalled).toBe(1);
  await eventually(async () => (await handle.query(ticketStateQuery)).status === 'in_progress');
});

test('a calendar edit made while Temporal is away is saved, and the deadline waiters are told when it is back', async () => {
  // A year the bundled calendar has (lib/calendar/data/kz.json), whatever the day the test runs.
  const year = 2027;
  const current = await readCalendarYear(ctx.database.db, year);
  expect(current).toBeDefined();
  const data = {
    status: current!.status,
    days: current!.days,
    sources: [...current!.sources, { title: `Постановление об изменении ${year}` }],
  };

  const admin = await insertStaff(ctx.database.db, ['admin']);
  const saved = await saveCalendarYear(deps(temporalAway()), year, data, {
    by: admin.id,
    reason: 'Новое постановление',
  });

  expect(saved).toMatchObject({ changed: true, workflowsSignalled: 0 });
  expect((await readCalendarYear(ctx.database.db, year))!.sources).toEqual(data.sources);
  expect(await pending({ kind: 'deadlines-changed' })).toMatchObject([{ attempts: 1 }]);
  const delivered = await deliverOutbox(deps(ctx.api.temporal, later));
  expect(delivered.pending).toBe(0);
  expect(await pending({ kind: 'deadlines-changed' })).toEqual([]);
  const [row] = await ctx.database.db('workflow_outbox').where({ kind: 'deadlines-changed' });
  expect(row.outcome).toMatch(/^signalled \d+$/);
});

test('two relays at once deliver each message once; a word to a workflow that has ended is dropped as such', async () => {
  await writeAndTell(deps(temporalAway()), async (_trx, tell) => {
    for (let i = 0; i < 6; i++)
      await tell({ kind: 'signal', workflowId: `ended-${i}`, signal: 'clientMessage', args: [{ messageId: i }] });
  });
  const ids = (await ctx.database.db('workflow_outbox').where('workflow_id', 'like', 'ended-%')).map((row) =>
    Number(row.id),
  );
  expect(ids).toHaveLength(6);

  const [a, b] = await Promise.all([
    deliverOutbox(deps(ctx.api.temporal, later)),
    deliverOutbox(deps(ctx.api.temporal, later)),
  ]);

  expect(a.pending + b.pending).toBe(0);
  const rows = await ctx.database.db('workflow_outbox').whereIn('id', ids);
  expect(rows.map((row) => [row.outcome, row.attempts])).toEqual(ids.map(() => ['workflow ended', 2]));
});
