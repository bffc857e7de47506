import { appendClientMessage } from '../../db/tickets';
import type { MailAuthentication } from '../../lib/mail-auth';
import { TICKET_NUMBER } from '../../lib/support';
import type { AppDeps } from '../http/deps';
import { conflict, notFound } from '../http/errors';
import { toHeld } from '../views/tickets';
import { writeAndTell } from './outbox';
import { clientMessage } from './outbox-messages';
import { openTicket } from './tickets';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;

export interface IncomingMail {
  from: string;
  name?: string;
  subject: string;
  body: string;
  messageId?: string;
  authentication: MailAuthentication;
}

export interface MailIntakePolicy {
  /** Messages one sender may have taken per hour; more wait in the quarantine. */
  hourlyLimitPerSender: number;
  /** Only senders the relay authenticated (SPF/DKIM/DMARC pass) are taken for the client their address belongs to. */
  requireAuthentication: boolean;
}

export const DEFAULT_MAIL_POLICY: MailIntakePolicy = { hourlyLimitPerSender: 20, requireAuthentication: false };

export type QuarantineReason = 'NOT_A_TICKET_CONTACT' | 'SENDER_NOT_AUTHENTICATED' | 'RATE_LIMITED';
export type MailOutcome =
  | { outcome: 'duplicate' }
  | { outcome: 'appended' | 'opened'; ticketId: string }
  | { outcome: 'quarantined'; reason: QuarantineReason; ticketId: string | null };

const HOUR = 3_600_000;

/** The addresses that speak for a ticket: its contact and its client's addresses of record. */
async function ticketContacts(deps: Deps, ticket: Record<string, any>): Promise<Set<string>> {
  const contacts = new Set([String(ticket.contact_email).toLowerCase()]);
  if (ticket.client_id) {
    const client = await deps.db('clients').where({ id: ticket.client_id }).first('email', 'details');
    for (const address of [client?.email, client?.details?.email])
      if (address) contacts.add(String(address).toLowerCase());
  }
  return contacts;
}

async function sentLastHour(deps: Deps, from: string): Promise<number> {
  const since = new Date(deps.clock.now().getTime() - HOUR);
  const [messages] = await deps
    .db('ticket_messages')
    .where({ author: `email:${from}` })
    .where('at', '>', since)
    .count<{ n: string }[]>('* as n');
  const [held] = await deps
    .db('mail_quarantine')
    .where({ sender: from })
    .where('received_at', '>', since)
    .count<{ n: string }[]>('* as n');
  return Number(messages.n) + Number(held.n);
}

async function quarantine(
  deps: Deps,
  mail: IncomingMail,
  reason: QuarantineReason,
  ticketId: string | null,
): Promise<MailOutcome> {
  await deps
    .db('mail_quarantine')
    .insert({
      received_at: deps.clock.now(),
      sender: mail.from,
      sender_name: mail.name ?? null,
      subject: mail.subject,
      body: mail.body,
      email_message_id: mail.messageId ?? null,
      reason,
      ticket_id: ticketId,
      auth_results: mail.authentication.header,
      auth_verdict: mail.authentication.verdict,
    })
    .onConflict('email_message_id')
    .ignore();
  return { outcome: 'quarantined', reason, ticketId };
}

/**
 * Where a message to the support address goes (Прил. 3 п.1b). A ticket's number grants nothing:
 * a reply joins the ticket only from its contact or an address of record of its client. A sender
 * the relay found forged, one that writes too often, or a stranger replying to a ticket waits in
 * the quarantine for an agent — and the operator mails nobody about it. A new message from a
 * client's address opens a ticket in that client's name only if its sender is not in doubt.
 */
export async function takeSupportMail(
  deps: Deps,
  mail: IncomingMail,
  policy: MailIntakePolicy = DEFAULT_MAIL_POLICY,
): Promise<MailOutcome> {
  const { db, clock } = deps;
  if (
    mail.messageId &&
    ((await db('ticket_messages').where({ email_message_id: mail.messageId }).first('id')) ||
      (await db('mail_quarantine').where({ email_message_id: mail.messageId }).first('id')))
  ) {
    return { outcome: 'duplicate' };
  }
  const auth = { results: mail.authentication.header, verdict: mail.authentication.verdict };
  const number = TICKET_NUMBER.exec(mail.subject)?.[0];
  const ticket = number ? await db('tickets').where({ number }).whereNot({ status: 'closed' }).first() : undefined;
  if ((await sentLastHour(deps, mail.from)) >= policy.hourlyLimitPerSender)
    return quarantine(deps, mail, 'RATE_LIMITED', ticket?.id ?? null);
  if (mail.authentication.verdict === 'fail')
    return quarantine(deps, mail, 'SENDER_NOT_AUTHENTICATED', ticket?.id ?? null);
  if (ticket) {
    if (!(await ticketContacts(deps, ticket)).has(mail.from))
      return quarantine(deps, mail, 'NOT_A_TICKET_CONTACT', ticket.id);
    // The message and the word to the ticket's workflow commit together: a relay that retries
    // after a failure finds a duplicate, and the outbox still tells the workflow.
    await writeAndTell(deps, async (trx, tell) => {
      const id = await appendClientMessage(trx, ticket.id, mail.body, `email:${mail.from}`, mail.messageId, auth);
      if (id) await tell(clientMessage(ticket.id, id));
    });
    return { outcome: 'appended', ticketId: ticket.id };
  }
  const vouched = mail.authentication.verdict === 'pass' || !policy.requireAuthentication;
  const client = vouched
    ? await db('clients').whereRaw('lower(email) = ?', [mail.from]).first('id', 'name')
    : undefined;
  const opened = await db.transaction((trx) =>
    openTicket(trx, deps, {
      clientId: client?.id ?? null,
      contactEmail: mail.from,
      contactName: mail.name || client?.name,
      channel: 'email',
      subject: mail.subject,
      body: mail.body,
      receivedAt: clock.now(),
      emailMessageId: mail.messageId,
      emailAuth: auth,
      author: `email:${mail.from}`,
    }),
  );
  return { outcome: 'opened', ticketId: opened.id };
}

/**
 * An agent decides a held message: released into its ticket (or into a new ticket, for the client
 * the agent names, if any), or discarded with a note. Each decision is recorded with who made it.
 */
export async function decideQuarantinedMail(
  deps: Deps,
  staffId: string,
  id: string,
  decision: { action: 'release' | 'discard'; ticketId?: string; clientId?: string; note?: string },
) {
  const { db, clock } = deps;
  const held = await db('mail_quarantine').where({ id }).first();
  if (!held) throw notFound('quarantined message', id);
  if (held.status !== 'pending') throw conflict('ALREADY_DECIDED', `The message was ${held.status} already`);
  const decided = { decided_by: staffId, decided_at: clock.now(), decision_note: decision.note ?? null };
  if (decision.action === 'discard') {
    const [row] = await db('mail_quarantine')
      .where({ id, status: 'pending' })
      .update({ status: 'discarded', ...decided })
      .returning('*');
    if (!row) throw conflict('ALREADY_DECIDED', 'The message was decided meanwhile');
    return toHeld(row);
  }
  const targetId = decision.ticketId ?? held.ticket_id;
  const auth = { results: held.auth_results, verdict: held.auth_verdict };
  const { result: row } = await writeAndTell(deps, async (trx, tell) => {
    const [row] = await trx('mail_quarantine')
      .where({ id, status: 'pending' })
      .update({ status: 'released', ...decided })
      .returning('*');
    if (!row) throw conflict('ALREADY_DECIDED', 'The message was decided meanwhile');
    if (targetId) {
      const ticket = await trx('tickets').where({ id: targetId }).whereNot({ status: 'closed' }).first('id');
      if (!ticket)
        throw conflict(
          'TICKET_CLOSED',
          `Ticket ${targetId} is closed or does not exist: release the message as a new ticket`,
        );
      const messageId = await appendClientMessage(
        trx,
        ticket.id,
        held.body,
        `email:${held.sender}`,
        held.email_message_id ?? undefined,
        auth,
      );
      if (messageId) await tell(clientMessage(ticket.id, messageId));
      return { ...row, appended: messageId };
    }
    if (decision.clientId && !(await trx('clients').where({ id: decision.clientId }).first('id')))
      throw notFound('client', decision.clientId);
    const opened = await openTicket(trx, deps, {
      clientId: decision.clientId ?? null,
      contactEmail: held.sender,
      contactName: held.sender_name,
      channel: 'email',
      subject: held.subject,
      body: held.body,
      receivedAt: new Date(held.received_at),
      emailMessageId: held.email_message_id ?? undefined,
      emailAuth: auth,
      author: `email:${held.sender}`,
    });
    await trx('mail_quarantine').where({ id }).update({ ticket_id: opened.id });
    return { ...row, ticket_id: opened.id };
  });
  return toHeld(row);
}
