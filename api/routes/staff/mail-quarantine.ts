import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { decideQuarantinedMail } from '../../intake/support-mail';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { quarantinedMail } from '../../views/tickets';

const security = [{ staffToken: [] }];
const agents = { staff: ['support', 'admin'] as const };

const HeldMail = Type.Object(
  {
    id: Uuid,
    receivedAt: IsoInstant,
    sender: Type.String(),
    senderName: Type.Union([Type.String(), Type.Null()]),
    subject: Type.String(),
    body: Type.String(),
    reason: StringEnum(['NOT_A_TICKET_CONTACT', 'SENDER_NOT_AUTHENTICATED', 'RATE_LIMITED'], {
      description:
        'NOT_A_TICKET_CONTACT: a reply to a ticket from an address that is neither its contact nor its client’s; SENDER_NOT_AUTHENTICATED: the relay found the sender forged (SPF/DKIM/DMARC fail); RATE_LIMITED: the sender wrote more than the hourly limit',
    }),
    ticketId: Type.Union([Uuid, Type.Null()], {
      description: 'The ticket its subject named, or the one it was released into',
    }),
    authResults: Type.Union([Type.String(), Type.Null()], { description: 'The relay’s Authentication-Results header' }),
    authVerdict: StringEnum(['pass', 'fail', 'none']),
    status: StringEnum(['pending', 'released', 'discarded']),
    decidedBy: Type.Union([Uuid, Type.Null()]),
    decidedAt: Type.Union([IsoInstant, Type.Null()]),
    decisionNote: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'HeldMail', title: 'Quarantined e-mail' },
);

/** E-mail to the support address the intake would not take on its own: agents release or discard it. */
export const staffMailQuarantineRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/mail-quarantine',
      {
        config: { auth: agents },
        schema: {
          tags: ['tickets'],
          summary:
            'Messages to the support address waiting for an agent (a stranger’s reply to a ticket, a forged sender, a sender over the hourly limit)',
          security,
          querystring: Type.Object(
            { status: Type.Optional(StringEnum(['pending', 'released', 'discarded'])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ messages: Type.Array(HeldMail) }), ...authErrors },
        },
      },
      async (request) => ({ messages: await quarantinedMail(deps, request.query.status) }),
    );

    app.post(
      '/mail-quarantine/:messageId/release',
      {
        config: { auth: agents },
        schema: {
          tags: ['tickets'],
          summary:
            'Release a held message: into its ticket (or the one given), or as a new ticket — for the client given, if the agent established who wrote',
          security,
          params: IdParams('messageId'),
          body: Type.Object(
            {
              ticketId: Type.Optional(Uuid),
              clientId: Type.Optional(Uuid),
              note: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: HeldMail, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        decideQuarantinedMail(deps, requireStaff(request).staffUserId, request.params.messageId, {
          action: 'release',
          ...request.body,
        }),
    );

    app.post(
      '/mail-quarantine/:messageId/discard',
      {
        config: { auth: agents },
        schema: {
          tags: ['tickets'],
          summary: 'Discard a held message, with a note; nothing is sent to its sender',
          security,
          params: IdParams('messageId'),
          body: Type.Object({ note: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false }),
          response: { 200: HeldMail, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        decideQuarantinedMail(deps, requireStaff(request).staffUserId, request.params.messageId, {
          action: 'discard',
          note: request.body.note,
        }),
    );
  };
