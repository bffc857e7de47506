import type { Knex } from 'knex';
import { NewTicket, registerTicket } from '../../db/tickets';
import { BusinessStatus, ClientId, SupportLine, TicketPriority } from '../../lib/search-attributes';
import { supportTicket, ticketWorkflowId } from '../../workflows/support-ticket';
import type { AppDeps } from '../http/deps';

/**
 * Opens a ticket: registered in `trx` and its workflow started in the same transaction (the
 * ticket commits only with its workflow). Used by the client API, the staff console (a phone
 * call) and the support e-mail listener.
 */
export async function openTicket(trx: Knex.Transaction, { temporal, config }: Pick<AppDeps, 'temporal' | 'config'>, t: NewTicket) {
  const { ticket, created } = await registerTicket(trx, t);
  if (!created) return ticket;
  await temporal.client.workflow.start(supportTicket, {
    workflowId: ticketWorkflowId(ticket.id),
    taskQueue: config.temporalTaskQueue,
    args: [{ ticketId: ticket.id, number: ticket.number, clientId: ticket.client_id, subject: ticket.subject, receivedAt: new Date(ticket.received_at).toISOString(), priority: t.priority }],
    typedSearchAttributes: [
      { key: BusinessStatus, value: 'new' },
      { key: SupportLine, value: 1 },
      { key: TicketPriority, value: t.priority ?? 'unclassified' },
      ...(ticket.client_id ? [{ key: ClientId, value: ticket.client_id }] : []),
    ],
    staticSummary: `Ticket ${ticket.number}: ${ticket.subject}`,
    staticDetails: `From ${ticket.contact_email} by ${ticket.channel}`,
  });
  return ticket;
}
