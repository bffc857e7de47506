import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UpdateDefinition } from '@temporalio/common';
import { Type } from 'typebox';
import { tableCsv } from '../../../lib/files/table-csv';
import {
  classifyUpdate,
  escalateUpdate,
  reopenUpdate,
  replyUpdate,
  resolveUpdate,
  TicketState,
  waitForClientUpdate,
} from '../../../workflows/support-ticket';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { authErrors, errorResponses, IdParams, StringEnum, Uuid } from '../../schemas/common';
import { Ticket, TicketDetail, toTicket } from '../../schemas/tickets';
import { openPhoneTicket, ticketAction } from '../../intake/tickets';
import { operatorCalendar } from '../../views/operator-calendar';
import { ticketReport } from '../../views/ticket-report';
import { ticketDetail, ticketQueue } from '../../views/tickets';

const security = [{ staffToken: [] }];
const agents = { staff: ['support', 'admin'] as const };

const QueueQuery = Type.Object(
  {
    status: Type.Optional(
      StringEnum(['new', 'in_progress', 'waiting_client', 'resolved', 'closed', 'open'], {
        description: 'open (default): not resolved or closed',
      }),
    ),
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
    const { db } = deps;
    const TicketParams = IdParams('ticketId');

    app.get(
      '/tickets',
      {
        config: { auth: agents },
        schema: {
          tags: ['support'],
          summary: 'The queue, nearest deadline first (reaction for unclassified tickets, resolution for the others)',
          security,
          querystring: QueueQuery,
          response: {
            200: Type.Object({
              tickets: Type.Array(
                Type.Object({
                  ...Ticket.properties,
                  dueAt: Type.Union([Type.String(), Type.Null()]),
                  dueKind: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
              priorityHints: Type.Record(Type.String(), Type.String()),
            }),
            ...authErrors,
          },
        },
      },
      async (request) => ticketQueue(db, request.query),
    );

    app.post(
      '/tickets',
      {
        config: { auth: agents },
        schema: {
          tags: ['support'],
          summary: 'Register a ticket for a phone call (Прил. 3 п.1a); the client gets the number by e-mail',
          security,
          body: Type.Object(
            {
              clientId: Type.Optional(Uuid),
              contactEmail: Type.Optional(Type.String({ format: 'email' })),
              contactName: Type.Optional(Type.String({ maxLength: 300 })),
              subject: Type.String({ minLength: 3, maxLength: 300 }),
              body: Type.String({ minLength: 1, maxLength: 20_000 }),
            },
            { additionalProperties: false },
          ),
          response: { 201: Ticket, ...authErrors, ...errorResponses(400, 404, 409) },
        },
      },
      async (request, reply) => {
        const ticket = await openPhoneTicket(deps, { ...request.body, agentId: requireStaff(request).staffUserId });
        return reply.status(201).send(toTicket(ticket));
      },
    );

    app.get(
      '/tickets/report',
      {
        config: { auth: agents },
        schema: {
          tags: ['support'],
          summary:
            'The month’s report: breach rate per priority and line; median reaction and resolution in working time',
          security,
          querystring: Type.Object(
            {
              month: Type.String({ pattern: '^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
              format: Type.Optional(StringEnum(['json', 'csv'])),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const calendar = await operatorCalendar(deps);
        const report = await ticketReport(db, calendar, request.query.month);
        if (request.query.format !== 'csv') return report;
        const rows = report.rows.map((r) => [
          r.group,
          r.priority ?? '',
          r.line ?? '',
          r.tickets,
          r.breached,
          r.breachRate.toFixed(3),
          r.medianReactionMinutes ?? '',
          r.medianResolutionMinutes ?? '',
        ]);
        const header = [
          'group',
          'priority',
          'line',
          'tickets',
          'breached',
          'breach_rate',
          'median_reaction_working_minutes',
          'median_resolution_working_minutes',
        ];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="tickets_${request.query.month}.csv"`)
          .send(tableCsv(rows, header, { delimiter: ',', bom: false, numeric: [5] }));
      },
    );

    app.get(
      '/tickets/:ticketId',
      {
        config: { auth: agents },
        schema: {
          tags: ['support'],
          summary: 'A ticket: messages, history and its workflow',
          security,
          params: TicketParams,
          response: { 200: TicketDetail, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => ticketDetail(db, request.params.ticketId),
    );

    const action = <B extends Record<string, unknown>>(
      path: string,
      summary: string,
      body: ReturnType<typeof Type.Object>,
      update: UpdateDefinition<TicketState, [B & { agentId: string }]>,
    ) =>
      app.post(
        `/tickets/:ticketId/${path}`,
        {
          config: { auth: agents },
          schema: {
            tags: ['support'],
            summary,
            security,
            params: TicketParams,
            body,
            response: { 200: Ticket, ...authErrors, ...errorResponses(404, 409) },
          },
        },
        async (request) => {
          const ticketId = (request.params as { ticketId: string }).ticketId;
          return toTicket(
            await ticketAction(deps, ticketId, update, {
              ...(request.body as B),
              agentId: requireStaff(request).staffUserId,
            }),
          );
        },
      );

    const text = (name: string, description: string) =>
      Type.Object(
        { [name]: Type.String({ minLength: 1, maxLength: 20_000, description }) },
        { additionalProperties: false },
      );
    action(
      'classify',
      'Classify at the current line (ends its reaction time) with a priority (sets the resolution time)',
      Type.Object(
        { priority: StringEnum(['high', 'medium', 'low']), note: Type.Optional(Type.String({ maxLength: 2000 })) },
        { additionalProperties: false },
      ),
      classifyUpdate,
    );
    action(
      'escalate',
      'Pass to the next line (Прил. 3 п.2c): its own reaction time starts',
      text('note', 'Why the next line'),
      escalateUpdate,
    );
    action(
      'wait-for-client',
      'Ask the client for information: the resolution clock pauses until the client answers',
      text('question', 'What is needed'),
      waitForClientUpdate,
    );
    action('reply', 'Reply to the client by e-mail', text('text', 'The reply'), replyUpdate);
    action(
      'resolve',
      'Resolve: a solution, a workaround, or a forecast with reasons (Прил. 3 п.4e)',
      Type.Object(
        {
          kind: StringEnum(['solution', 'workaround', 'forecast']),
          text: Type.String({ minLength: 1, maxLength: 20_000 }),
        },
        { additionalProperties: false },
      ),
      resolveUpdate,
    );
    action('reopen', 'Reopen a resolved ticket', text('note', 'Why'), reopenUpdate);
  };
