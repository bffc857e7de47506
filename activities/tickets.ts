import { DEFAULT_SETTINGS } from '../lib/calendar';
import { formatDateTime } from '../lib/format-ru';
import { supportAddressFor } from '../lib/mailer';
import type { SupportTicketInput } from '../lib/support';
import {
  applyTicketAction,
  markMessageSent,
  markRegistrationSent,
  markTicketBreached,
  recordTicketEvent,
  registerTicket,
  setTicketDeadlines,
  storeAgentMessage,
  TicketAction,
} from '../db/tickets';
import type { ActivityDeps } from './deps';
import { recordSent } from './record-sent';
import { committedRow } from './rows';
import { clientLanguage } from '../db/client-profile-store';
import { agentMessageMail, agentWarningMail, breachMail, registrationMail } from './texts/tickets';

/** Support tickets (Прил. 3): their e-mails; the ticket's row and history change through db/tickets.ts. */
export function createTicketActivities({
  db,
  mailer,
  clock,
  calendarSettings = DEFAULT_SETTINGS,
  publicUrl = '',
  supportAddress,
}: ActivityDeps) {
  const ticket = (ticketId: string) =>
    committedRow(() => db('tickets').where({ id: ticketId }).first(), `ticket ${ticketId}`, 'TicketNotFound');
  const local = (instant: string | Date) => formatDateTime(instant, calendarSettings.zone);
  /** The client's replies go to the support address, where the listener threads them into the ticket by its number. */
  const support = () => supportAddress ?? supportAddressFor(mailer?.from);

  return {
    /**
     * A ticket a process asked for (support_ticket_requests, e.g. a missed emission deadline,
     * high priority): registered once; returns what its workflow needs.
     */
    async openRequestedTicket(source: string, sourceId: string): Promise<SupportTicketInput> {
      const request = await committedRow(
        () => db('support_ticket_requests').where({ source, source_id: sourceId }).first(),
        `ticket request ${source}:${sourceId}`,
        'TicketRequestNotFound',
      );
      const client = await db('clients').where({ id: request.client_id }).first('email', 'name');
      const { ticket } = await db.transaction(async (trx) => {
        const registered = await registerTicket(trx, {
          clientId: request.client_id,
          contactEmail: client.email,
          contactName: client.name,
          channel: 'system',
          subject: request.subject,
          body: request.body,
          receivedAt: new Date(request.requested_at),
          sourceRef: `${source}:${sourceId}`,
          author: 'system',
          priority: request.priority,
        });
        await trx('support_ticket_requests').where({ id: request.id }).update({ ticket_id: registered.ticket.id });
        return registered;
      });
      return {
        ticketId: ticket.id,
        number: ticket.number,
        clientId: ticket.client_id,
        subject: ticket.subject,
        receivedAt: new Date(ticket.received_at).toISOString(),
        priority: ticket.priority ?? undefined,
      };
    },

    /** The registration number, by e-mail, once (Прил. 3 п.2a, п.3e). */
    async sendTicketRegistration(ticketId: string): Promise<void> {
      const row = await ticket(ticketId);
      if (row.registration_sent_at) return;
      await mailer.send({
        to: row.contact_email,
        ...registrationMail({
          number: row.number,
          subject: row.subject,
          supportAddress: support(),
          language: await clientLanguage(db, row.client_id),
        }),
        messageId: `<ticket-${ticketId}-registration@ismet-backoffice>`,
      });
      const at = clock.now();
      await recordSent(() => markRegistrationSent(db, { ticketId, at }));
    },

    /** An agent's or the client's action on the ticket: its fields and its history. */
    async recordTicketAction(ticketId: string, action: TicketAction): Promise<void> {
      await applyTicketAction(db, await ticket(ticketId), action);
    },

    /** An agent's message to the client by e-mail (a question, a reply, the resolution), recorded once. */
    async sendTicketMessage(ticketId: string, message: { author: string; body: string; kind: string }): Promise<void> {
      const row = await ticket(ticketId);
      const messageId = `<ticket-${ticketId}-${message.kind}-${Buffer.from(message.body).toString('base64url').slice(0, 24)}@ismet-backoffice>`;
      const record = await storeAgentMessage(db, {
        ticketId,
        author: message.author,
        body: message.body,
        emailMessageId: messageId,
      });
      if (record.sent_at) return;
      await mailer.send({
        to: row.contact_email,
        ...agentMessageMail({
          number: row.number,
          subject: row.subject,
          kind: message.kind,
          body: message.body,
          supportAddress: support(),
          language: await clientLanguage(db, row.client_id),
        }),
        messageId,
      });
      const at = clock.now();
      await recordSent(() => markMessageSent(db, record.id, at));
    },

    /** The deadlines as the workflow computed them, for the queue and the console. */
    async recordTicketDeadlines(
      ticketId: string,
      deadlines: { reactionDueAt: string | null; resolutionDueAt: string | null },
    ): Promise<void> {
      await setTicketDeadlines(db, ticketId, deadlines);
    },

    /** Warns the support agents that a deadline of the ticket is near. */
    async warnSupportAgents(ticketId: string, kind: 'reaction' | 'resolution', dueAt: string): Promise<number> {
      const row = await ticket(ticketId);
      const agents = await db('staff_users').where({ active: true }).whereRaw("'support' = ANY(roles)").select('email');
      for (const { email } of agents) {
        await mailer.send({
          ...agentWarningMail({
            to: email,
            number: row.number,
            subject: row.subject,
            kind,
            line: row.line,
            dueAt,
            zone: calendarSettings.zone,
            consoleUrl: `${publicUrl}/console/support#${ticketId}`,
          }),
          messageId: `<ticket-${ticketId}-warning-${kind}-${row.line}-${email}@ismet-backoffice>`,
        });
      }
      const at = clock.now().toISOString();
      await recordSent(() =>
        recordTicketEvent(db, {
          ticketId,
          kind: `${kind}_warning`,
          actor: 'operator',
          at,
          note: `due ${local(dueAt)}`,
        }),
      );
      return agents.length;
    },

    /** A missed deadline: recorded, and the client informed (Прил. 3 п.3b). */
    async recordTicketBreach(
      ticketId: string,
      kind: 'registration' | 'reaction' | 'resolution',
      at: string,
    ): Promise<void> {
      const row = await ticket(ticketId);
      await markTicketBreached(db, {
        ticketId,
        kind,
        at,
        note:
          kind === 'registration'
            ? 'the registration e-mail has not gone out within 5 minutes (Прил. 3 п.2a)'
            : `line ${row.line}`,
      });
      // The registration e-mail itself is what is late: it still goes out, and says nothing more.
      if (kind === 'registration') return;
      await mailer.send({
        to: row.contact_email,
        ...breachMail({
          number: row.number,
          subject: row.subject,
          kind,
          priority: row.priority,
          supportAddress: support(),
          language: await clientLanguage(db, row.client_id),
        }),
        messageId: `<ticket-${ticketId}-breach-${kind}-${row.line}@ismet-backoffice>`,
      });
    },
  };
}
