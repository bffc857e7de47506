import type { Knex } from 'knex';
import type { Priority } from '../lib/support';
import { lockDocumentCounter } from './invoices';

/** Support tickets in PostgreSQL: registered with a number at once (Прил. 3 п.2a), 24/7. */

export interface EmailAuth {
  results: string | null;
  verdict: 'pass' | 'fail' | 'none';
}

export interface NewTicket {
  clientId: string | null;
  contactEmail: string;
  contactName?: string | null;
  channel: 'api' | 'phone' | 'email' | 'system';
  subject: string;
  body: string;
  receivedAt: Date;
  /** Where a ticket raised by a process comes from, e.g. `emission_deadline:<orderId>`: one ticket each. */
  sourceRef?: string;
  /** For the ticket's first message, e.g. an e-mail's Message-ID. */
  emailMessageId?: string;
  /** What the relay found about an e-mail's sender (`Authentication-Results`, lib/mail-auth.ts). */
  emailAuth?: EmailAuth;
  author: string;
  priority?: Priority;
}

/** Registers a ticket and its first message in `trx`; a source already ticketed returns its ticket. */
export async function registerTicket(trx: Knex.Transaction, t: NewTicket): Promise<{ ticket: Record<string, any>; created: boolean }> {
  if (t.sourceRef) {
    const existing = await trx('tickets').where({ source_ref: t.sourceRef }).first();
    if (existing) return { ticket: existing, created: false };
  }
  const year = t.receivedAt.getUTCFullYear();
  const number = `SD-${year}-${String(await (await lockDocumentCounter(trx, 'ticket', year)).take()).padStart(6, '0')}`;
  const [ticket] = await trx('tickets')
    .insert({
      number,
      client_id: t.clientId,
      contact_email: t.contactEmail,
      contact_name: t.contactName ?? null,
      channel: t.channel,
      source_ref: t.sourceRef ?? null,
      subject: t.subject.slice(0, 500),
      received_at: t.receivedAt,
      line_arrived_at: t.receivedAt,
      priority: t.priority ?? null,
    })
    .returning('*');
  await trx('ticket_messages').insert({ ticket_id: ticket.id, direction: 'in', author: t.author, body: t.body, email_message_id: t.emailMessageId ?? null, at: t.receivedAt, auth_results: t.emailAuth?.results ?? null, auth_verdict: t.emailAuth?.verdict ?? null });
  await trx('ticket_events').insert({ ticket_id: ticket.id, kind: 'registered', actor: t.author, note: `${t.channel}${t.priority ? `, ${t.priority} priority` : ''}`, at: t.receivedAt });
  return { ticket, created: true };
}

/** A client's message on an existing ticket (API or e-mail reply); the same e-mail twice is recorded once. */
export async function appendClientMessage(db: Knex, ticketId: string, body: string, author: string, emailMessageId?: string, emailAuth?: EmailAuth): Promise<number | undefined> {
  const [row] = await db('ticket_messages')
    .insert({ ticket_id: ticketId, direction: 'in', author, body, email_message_id: emailMessageId ?? null, auth_results: emailAuth?.results ?? null, auth_verdict: emailAuth?.verdict ?? null })
    .onConflict('email_message_id')
    .ignore()
    .returning('id');
  return row?.id;
}
