import { Type } from 'typebox';
import { IsoInstant, StringEnum, Uuid } from './common';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

export const Ticket = Type.Object(
  {
    id: Uuid,
    number: Type.String({ description: 'Registration number, e.g. SD-2026-000123; keep it in the subject of e-mails' }),
    clientId: nullable(Uuid),
    contactEmail: Type.String(),
    channel: StringEnum(['api', 'phone', 'email', 'system']),
    subject: Type.String(),
    status: StringEnum(['new', 'in_progress', 'waiting_client', 'resolved', 'closed'], {
      description: 'new: awaiting classification at its line',
    }),
    line: Type.Integer({ minimum: 1, maximum: 3 }),
    priority: nullable(StringEnum(['high', 'medium', 'low'])),
    receivedAt: IsoInstant,
    reactionDueAt: nullable(IsoInstant),
    resolutionDueAt: nullable(IsoInstant),
    resolvedAt: nullable(IsoInstant),
    closedAt: nullable(IsoInstant),
    reactionBreachedAt: nullable(IsoInstant),
    resolutionBreachedAt: nullable(IsoInstant),
  },
  { $id: 'Ticket', title: 'Support ticket' },
);

export const toTicket = (row: Record<string, any>) => ({
  id: row.id,
  number: row.number,
  clientId: row.client_id,
  contactEmail: row.contact_email,
  channel: row.channel,
  subject: row.subject,
  status: row.status,
  line: row.line,
  priority: row.priority,
  receivedAt: iso(row.received_at)!,
  reactionDueAt: iso(row.reaction_due_at),
  resolutionDueAt: iso(row.resolution_due_at),
  resolvedAt: iso(row.resolved_at),
  closedAt: iso(row.closed_at),
  reactionBreachedAt: iso(row.reaction_breached_at),
  resolutionBreachedAt: iso(row.resolution_breached_at),
});

export const TicketDetail = Type.Object({
  ticket: Ticket,
  messages: Type.Array(
    Type.Object({
      id: Type.Integer(),
      direction: StringEnum(['in', 'out']),
      author: Type.String(),
      body: Type.String(),
      at: IsoInstant,
    }),
  ),
  history: Type.Array(
    Type.Object({ at: IsoInstant, kind: Type.String(), actor: Type.String(), note: nullable(Type.String()) }),
  ),
  workflowId: Type.String(),
});

export const toTicketDetail = (
  ticket: Record<string, any>,
  messages: Record<string, any>[],
  events: Record<string, any>[],
) => ({
  ticket: toTicket(ticket),
  messages: messages.map((m) => ({ id: m.id, direction: m.direction, author: m.author, body: m.body, at: iso(m.at)! })),
  history: events.map((e) => ({ at: iso(e.at)!, kind: e.kind, actor: e.actor, note: e.note ?? null })),
  workflowId: `ticket-${ticket.id}`,
});
