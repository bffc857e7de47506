import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appendClientMessage } from '../../../db/tickets';
import { clientConfirmedSignal, clientMessageSignal, ticketWorkflowId } from '../../../workflows/support-ticket';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { openTicket } from '../../intake/tickets';
import { Ticket, TicketDetail, toTicket, toTicketDetail } from '../../schemas/tickets';

/** The client's support tickets (Прил. 3): opened any time, answered in working hours. */
export const clientTicketRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, temporal, clock } = deps;
    const security = [{ clientToken: [] }];
    const own = async (clientId: string, ticketId: string) => {
      const ticket = await db('tickets').where({ id: ticketId, client_id: clientId }).first();
      if (!ticket) throw notFound('ticket', ticketId);
      return ticket;
    };
    const signal = async (ticketId: string, send: (handle: ReturnType<typeof temporal.client.workflow.getHandle>) => Promise<void>) => {
      try {
        await send(temporal.client.workflow.getHandle(ticketWorkflowId(ticketId)));
      } catch (error) {
        if ((error as Error).name === 'WorkflowNotFoundError') throw conflict('TICKET_CLOSED', 'The ticket is closed: open a new one');
        throw error;
      }
    };

    app.post(
      '/tickets',
      {
        schema: {
          tags: ['support'],
          summary: 'Open a support ticket; its registration number is e-mailed within 5 minutes (Прил. 3 п.2a)',
          security,
          body: Type.Object({ subject: Type.String({ minLength: 3, maxLength: 300 }), body: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false }),
          response: { 201: Ticket, ...authErrors, ...errorResponses(503) },
        },
      },
      async (request, reply) => {
        const { clientId } = requireClient(request);
        const client = await db('clients').where({ id: clientId }).first('email', 'name');
        const ticket = await db.transaction((trx) =>
          openTicket(trx, deps, { clientId, contactEmail: client.email, contactName: client.name, channel: 'api', subject: request.body.subject, body: request.body.body, receivedAt: clock.now(), author: 'client' }),
        );
        return reply.status(201).send(toTicket(ticket));
      },
    );

    app.get(
      '/tickets',
      { schema: { tags: ['support'], summary: 'The client’s tickets, newest first', security, response: { 200: Type.Object({ tickets: Type.Array(Ticket) }), ...authErrors } } },
      async (request) => ({ tickets: (await db('tickets').where({ client_id: requireClient(request).clientId }).orderBy('received_at', 'desc').limit(500)).map(toTicket) }),
    );

    app.get(
      '/tickets/:ticketId',
      { schema: { tags: ['support'], summary: 'A ticket with its messages', security, params: IdParams('ticketId'), response: { 200: TicketDetail, ...authErrors, ...errorResponses(404) } } },
      async (request) => {
        const ticket = await own(requireClient(request).clientId, request.params.ticketId);
        const messages = await db('ticket_messages').where({ ticket_id: ticket.id }).orderBy('id');
        return toTicketDetail(ticket, messages, []);
      },
    );

    app.post(
      '/tickets/:ticketId/messages',
      {
        schema: {
          tags: ['support'],
          summary: 'Write on a ticket: the information asked for (the resolution clock resumes) or that a resolution did not help (it reopens)',
          security,
          params: IdParams('ticketId'),
          body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false }),
          response: { 202: TicketDetail, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const ticket = await own(requireClient(request).clientId, request.params.ticketId);
        if (ticket.status === 'closed') throw conflict('TICKET_CLOSED', 'The ticket is closed: open a new one');
        const messageId = await appendClientMessage(db, ticket.id, request.body.body, 'client');
        await signal(ticket.id, (handle) => handle.signal(clientMessageSignal, { messageId: messageId! }));
        const messages = await db('ticket_messages').where({ ticket_id: ticket.id }).orderBy('id');
        return reply.status(202).send(toTicketDetail(ticket, messages, []));
      },
    );

    app.post(
      '/tickets/:ticketId/confirm',
      { schema: { tags: ['support'], summary: 'Confirm the resolution: the ticket closes', security, params: IdParams('ticketId'), response: { 202: Ticket, ...authErrors, ...errorResponses(404, 409) } } },
      async (request, reply) => {
        const ticket = await own(requireClient(request).clientId, request.params.ticketId);
        if (ticket.status !== 'resolved') throw conflict('TICKET_NOT_RESOLVED', `The ticket is ${ticket.status}: only a resolved ticket is confirmed`);
        await signal(ticket.id, (handle) => handle.signal(clientConfirmedSignal));
        return reply.status(202).send(toTicket(ticket));
      },
    );
  };
