import { registerTicket } from '../../db/tickets';
import { supportTicket, ticketStateQuery, ticketWorkflowId } from '../../workflows/support-ticket';
import { eventually, useTestApi } from '../helpers/api';
import { runsOf } from '../helpers/workflow-history';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';

// A ticket argued over for a long time must not fill its history (issue #19): past its history
// limit it goes on in a new run as it stood — status, line, priority, pauses, deadlines — and
// its actions and the client's messages keep working; nothing is recorded twice or lost.
const ctx = useTestApi();

test('a ticket past its history limit continues in new runs, and its story is told once, whole', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  const token = await clientToken(db, client.id);
  const agent = await insertStaff(db, ['support']);
  const { ticket } = await db.transaction((trx) =>
    registerTicket(trx, {
      clientId: client.id,
      contactEmail: client.email,
      channel: 'api',
      subject: 'Коды не проходят проверку',
      body: '…',
      receivedAt: new Date(),
      author: 'client',
    }),
  );
  const first = await ctx.api.temporal.client.workflow.start(supportTicket, {
    taskQueue: ctx.api.taskQueue,
    workflowId: ticketWorkflowId(ticket.id),
    args: [
      {
        ticketId: ticket.id,
        number: ticket.number,
        clientId: client.id,
        subject: ticket.subject,
        receivedAt: new Date(ticket.received_at).toISOString(),
        historyLimit: 40,
      },
    ],
  });
  const handle = ctx.api.temporal.client.workflow.getHandle(ticketWorkflowId(ticket.id));
  const status = async () => (await handle.query(ticketStateQuery)).status;
  const act = async (path: string, body: unknown) => {
    const answer = await ctx.api.request('POST', `/staff/v1/tickets/${ticket.id}/${path}`, {
      token: agent.token,
      body,
    });
    expect([path, answer.status]).toEqual([path, 200]);
    return answer.body;
  };
  await eventually(async () => (await status()) === 'new');

  await act('classify', { priority: 'medium' });
  for (let round = 1; round <= 4; round++) {
    expect((await act('wait-for-client', { question: `Вопрос ${round}` })).status).toBe('waiting_client');
    const wrote = await ctx.api.request('POST', `/client/v1/tickets/${ticket.id}/messages`, {
      token,
      body: { body: `Ответ ${round}` },
    });
    expect(wrote.status).toBe(202);
    await eventually(async () => (await status()) === 'in_progress');
  }
  expect((await act('resolve', { kind: 'solution', text: 'Перевыпустите коды' })).status).toBe('resolved');

  expect((await runsOf(ctx.api.temporal.client.workflow, ticketWorkflowId(ticket.id))).length).toBeGreaterThan(1);
  expect((await handle.describe()).runId).not.toBe(first.firstExecutionRunId);
  const state = await handle.query(ticketStateQuery);
  expect(state).toMatchObject({ status: 'resolved', priority: 'medium', number: ticket.number });
  // Four answered questions, and the resolution awaiting the client's word (Прил. 3 п.4e).
  expect(state.pauses.map((p) => Boolean(p.end))).toEqual([true, true, true, true, false]);

  expect((await ctx.api.request('POST', `/client/v1/tickets/${ticket.id}/confirm`, { token })).status).toBe(202);
  expect(await handle.result()).toMatchObject({ status: 'closed' });
  const kinds = (await db('ticket_events').where({ ticket_id: ticket.id }).orderBy('id').pluck('kind')).filter(
    (kind: string) => kind !== 'registration_sent' && kind !== 'registered',
  );
  expect(kinds).toEqual([
    'classified',
    ...Array.from({ length: 4 }, () => ['waiting_for_client', 'client_replied']).flat(),
    'resolved',
    'closed',
  ]);
  expect(await db('tickets').where({ id: ticket.id }).first('status')).toEqual({ status: 'closed' });
}, 180_000);
