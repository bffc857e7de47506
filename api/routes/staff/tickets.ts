import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UpdateDefinition } from '@temporalio/common';
import { stringify } from 'csv-stringify/sync';
import { Type } from 'typebox';
import { readCalendar } from '../../../db/calendar-store';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { PRIORITY_HINTS } from '../../../lib/support';
import { classifyUpdate, escalateUpdate, reopenUpdate, replyUpdate, resolveUpdate, TicketState, ticketWorkflowId, waitForClientUpdate } from '../../../workflows/support-ticket';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams, StringEnum, Uuid } from '../../schemas/common';
import { Ticket, TicketDetail, toTicket, toTicketDetail } from '../../schemas/tickets';
import { openTicket } from '../../intake/tickets';
import { updateRefusal } from '../../http/workflow-errors';
import { ticketReport } from '../../views/ticket-report';

const security = [{ staffToken: [] }];
const agents = { staff: ['support', 'admin'] as const };

const QueueQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(['new', 'in_progress', 'waiting_client', 'resolved', 'closed', 'open'], { description: 'open (default): not resolved or closed' })),
    line: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
    priority: Type.Optional(StringEnum(['high', 'medium', 'low'])),
    breached: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The support service's side of tickets (Прил. 3): the queue by nearest deadline, every agent action, the monthly report. */
export const staffTicketRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, temporal, clock, config } = deps;
    const TicketParams = IdParams('ticketId');
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    app.get(
      '/tickets',
      {
        config: { auth: agents },
        schema: {
          tags: ['support'],
          summary: 'The queue, nearest deadline first (reaction for unclassified tickets, resolution for the others)',
          security,
          querystring: QueueQuery,
          response: { 200: Type.Object({ tickets: Type.Array(Type.Object({ ...Ticket.properties, dueAt: Type.Union([Type.String(), Type.Null()]), dueKind: Type.Union([Type.String(), Type.Null()]) })), priorityHints: Type.Record(Type.String(), Type.String()) }), ...authErrors },
        },
      },
      async (request) => {
        const { status = 'open', line, priority, breached } = request.query;
        const rows = await db('tickets')
          .modify((q) => {
            if (status === 'open') q.whereIn('status', ['new', 'in_progress', 'waiting_client']);
            else q.where({ status });
            if (line) q.where({ line });
            if (priority) q.where({ priority });
            if (breached) q.where((w) => w.whereNotNull('reaction_breached_at').orWhereNotNull('resolution_breached_at'));
          })
          .orderByRaw(`CASE WHEN status = 'new' THEN reaction_due_at ELSE resolution_due_at END ASC NULLS LAST, received_at`)
          .limit(1000);
        return {
          tickets: rows.map((r: Record<string, any>) => ({
            ...toTicket(r),
            dueKind: r.status === 'new' ? 'reaction' : r.status === 'in_progress' && r.resolution_due_at ? 'resolution' : null,
            dueAt: r.status === 'new' ? (r.reaction_due_at ? new Date(r.reaction_due_at).toISOString() : null) : r.status === 'in_progress' && r.resolution_due_at ? new Date(r.resolution_due_at).toISOString() : null,
          })),
          priorityHints: PRIORITY_HINTS,
        };
      },
    );

    app.post(
      '/tickets',
      {
        config: { auth: agents },
        schema: {
          tags: ['support'],
          summary: 'Register a ticket for a phone call (Прил. 3 п.1a); the client gets the number by e-mail',
          security,
          body: Type.Object({ clientId: Type.Optional(Uuid), contactEmail: Type.Optional(Type.String({ format: 'email' })), contactName: Type.Optional(Type.String({ maxLength: 300 })), subject: Type.String({ minLength: 3, maxLength: 300 }), body: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false }),
          response: { 201: Ticket, ...authErrors, ...errorResponses(400, 404) },
        },
      },
      async (request, reply) => {
        const { clientId, subject, body } = request.body;
        const client = clientId ? await db('clients').where({ id: clientId }).first('id', 'email', 'name') : undefined;
        if (clientId && !client) throw notFound('client', clientId);
        const contactEmail = request.body.contactEmail ?? client?.email;
        if (!contactEmail) throw conflict('CONTACT_REQUIRED', 'Give the client or an e-mail to send the registration number to');
        const ticket = await db.transaction((trx) =>
          openTicket(trx, deps, { clientId: client?.id ?? null, contactEmail, contactName: request.body.contactName ?? client?.name, channel: 'phone', subject, body, receivedAt: clock.now(), author: `agent:${requireStaff(request).staffUserId}` }),
        );
        return reply.status(201).send(toTicket(ticket));
      },
    );

    app.get(
      '/tickets/report',
      {
        config: { auth: agents },
        schema: {
          tags: ['support'],
          summary: 'The month’s report: breach rate per priority and line; median reaction and resolution in working time',
          security,
          querystring: Type.Object({ month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }), format: Type.Optional(StringEnum(['json', 'csv'])) }, { additionalProperties: false }),
        },
      },
      async (request, reply) => {
        const calendar = new BusinessCalendar(await readCalendar(db), settings);
        const report = await ticketReport(db, calendar, request.query.month);
        if (request.query.format !== 'csv') return report;
        const rows = report.rows.map((r) => [r.group, r.priority ?? '', r.line ?? '', r.tickets, r.breached, r.breachRate.toFixed(3), r.medianReactionMinutes ?? '', r.medianResolutionMinutes ?? '']);
        const header = ['group', 'priority', 'line', 'tickets', 'breached', 'breach_rate', 'median_reaction_working_minutes', 'median_resolution_working_minutes'];
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="tickets_${request.query.month}.csv"`).send(stringify([header, ...rows]));
      },
    );

    app.get(
      '/tickets/:ticketId',
      { config: { auth: agents }, schema: { tags: ['support'], summary: 'A ticket: messages, history and its workflow', security, params: TicketParams, response: { 200: TicketDetail, ...authErrors, ...errorResponses(404) } } },
      async (request) => {
        const ticket = await db('tickets').where({ id: request.params.ticketId }).first();
        if (!ticket) throw notFound('ticket', request.params.ticketId);
        const [messages, events] = await Promise.all([db('ticket_messages').where({ ticket_id: ticket.id }).orderBy('id'), db('ticket_events').where({ ticket_id: ticket.id }).orderBy('id')]);
        return toTicketDetail(ticket, messages, events);
      },
    );

    const action = <B extends Record<string, unknown>>(path: string, summary: string, body: ReturnType<typeof Type.Object>, update: UpdateDefinition<TicketState, [B & { agentId: string }]>) =>
      app.post(
        `/tickets/:ticketId/${path}`,
        { config: { auth: agents }, schema: { tags: ['support'], summary, security, params: TicketParams, body, response: { 200: Ticket, ...authErrors, ...errorResponses(404, 409) } } },
        async (request) => {
          const ticketId = (request.params as { ticketId: string }).ticketId;
          const ticket = await db('tickets').where({ id: ticketId }).first('id');
          if (!ticket) throw notFound('ticket', ticketId);
          try {
            await temporal.client.workflow.getHandle(ticketWorkflowId(ticketId)).executeUpdate(update, { args: [{ ...(request.body as B), agentId: requireStaff(request).staffUserId }] });
          } catch (error) {
            const refusal = updateRefusal(error, 'ILLEGAL_TRANSITION');
            if (refusal) throw refusal;
            if ((error as Error).name === 'WorkflowNotFoundError') throw conflict('TICKET_CLOSED', 'The ticket is closed');
            throw error;
          }
          return toTicket(await db('tickets').where({ id: ticketId }).first());
        },
      );

    const text = (name: string, description: string) => Type.Object({ [name]: Type.String({ minLength: 1, maxLength: 20_000, description }) }, { additionalProperties: false });
    action('classify', 'Classify at the current line (ends its reaction time) with a priority (sets the resolution time)', Type.Object({ priority: StringEnum(['high', 'medium', 'low']), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }), classifyUpdate);
    action('escalate', 'Pass to the next line (Прил. 3 п.2c): its own reaction time starts', text('note', 'Why the next line'), escalateUpdate);
    action('wait-for-client', 'Ask the client for information: the resolution clock pauses until the client answers', text('question', 'What is needed'), waitForClientUpdate);
    action('reply', 'Reply to the client by e-mail', text('text', 'The reply'), replyUpdate);
    action('resolve', 'Resolve: a solution, a workaround, or a forecast with reasons (Прил. 3 п.4e)', Type.Object({ kind: StringEnum(['solution', 'workaround', 'forecast']), text: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false }), resolveUpdate);
    action('reopen', 'Reopen a resolved ticket', text('note', 'Why'), reopenUpdate);
  };
