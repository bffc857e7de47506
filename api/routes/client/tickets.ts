import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { confirmResolution, openClientTicket, postClientMessage } from '../../intake/tickets';
import { Ticket, TicketDetail, toTicket } from '../../schemas/tickets';
import { clientTicketDetail, clientTickets, ownTicket } from '../../views/tickets';

/** The client's support tickets (Прил. 3): opened any time, answered in working hours. */
export const clientTicketRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    const security = [{ clientToken: [] }];

    app.post(
      '/tickets',
      {
        schema: {
          tags: ['support'],
          summary: 'Open a support ticket; its registration number is e-mailed within 5 minutes (Прил. 3 п.2a)',
          security,
          body: Type.Object(
            {
              subject: Type.String({ minLength: 3, maxLength: 300 }),
              body: Type.String({ minLength: 1, maxLength: 20_000 }),
            },
            { additionalProperties: false },
          ),
          response: { 201: Ticket, ...authErrors, ...errorResponses(503) },
        },
      },
      async (request, reply) => {
        const ticket = await openClientTicket(deps, requireClient(request).clientId, request.body);
        return reply.status(201).send(toTicket(ticket));
      },
    );

    app.get(
      '/tickets',
      {
        schema: {
          tags: ['support'],
          summary: 'The client’s tickets, newest first',
          security,
          response: { 200: Type.Object({ tickets: Type.Array(Ticket) }), ...authErrors },
        },
      },
      async (request) => ({ tickets: await clientTickets(db, requireClient(request).clientId) }),
    );

    app.get(
      '/tickets/:ticketId',
      {
        schema: {
          tags: ['support'],
          summary: 'A ticket with its messages',
          security,
          params: IdParams('ticketId'),
          response: { 200: TicketDetail, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) =>
        clientTicketDetail(db, await ownTicket(db, requireClient(request).clientId, request.params.ticketId)),
    );

    app.post(
      '/tickets/:ticketId/messages',
      {
        schema: {
          tags: ['support'],
          summary:
            'Write on a ticket: the information asked for (the resolution clock resumes) or that a resolution did not help (it reopens)',
          security,
          params: IdParams('ticketId'),
          body: Type.Object(
            { body: Type.String({ minLength: 1, maxLength: 20_000 }) },
            { additionalProperties: false },
          ),
          response: { 202: TicketDetail, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const ticket = await ownTicket(db, requireClient(request).clientId, request.params.ticketId);
        await postClientMessage(deps, ticket, request.body.body);
        return reply.status(202).send(await clientTicketDetail(db, ticket));
      },
    );

    app.post(
      '/tickets/:ticketId/confirm',
      {
        schema: {
          tags: ['support'],
          summary: 'Confirm the resolution: the ticket closes',
          security,
          params: IdParams('ticketId'),
          response: { 202: Ticket, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const ticket = await ownTicket(db, requireClient(request).clientId, request.params.ticketId);
        await confirmResolution(deps, ticket);
        return reply.status(202).send(toTicket(ticket));
      },
    );
  };
