import type { Knex } from 'knex';
import type { Priority } from '../lib/support';

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

/**
 * The next number of a ticket of `year`, from the year's PostgreSQL sequence rather than a counter
 * row: a row lock would be held until the caller commits, and the API registers a ticket and starts
 * its workflow in one transaction (api/intake/tickets.ts), so every other ticket — any client's,
 * any channel's — would queue behind that start (issue #19). A sequence is taken without a lock
 * and never given back: a registration rolled back (its workflow refused) leaves a gap. A ticket's
 * number only identifies it (Прил. 3 п.2a); it is no accounting document, which stay without gaps
 * (db/document-counters.ts). The year's sequence is made with its first ticket, after the numbers
 * the year's counter gave before (document_counters, kind 'ticket').
 */
async function nextTicketSeq(trx: Knex.Transaction, year: number): Promise<number> {
  if (!Number.isSafeInteger(year)) throw new Error(`not a year: ${year}`);
  const sequence = `ticket_numbers_${year}`;
  // Each attempt in a savepoint, so that a missing sequence does not abort the caller's transaction.
  const next = () =>
    trx.transaction(async (sp) => Number((await sp.raw('SELECT nextval(?::regclass) AS n', [sequence])).rows[0].n));
  try {
    return await next();
  } catch (error) {
    if ((error as { code?: string }).code !== '42P01') throw error; // undefined_table: the year's first ticket
  }
  const counted = await trx('document_counters').where({ kind: 'ticket', year }).first('last');
  try {
    await trx.transaction((sp) =>
      sp.raw(`CREATE SEQUENCE IF NOT EXISTS ${sequence} START WITH ${Number(counted?.last ?? 0) + 1}`),
    );
  } catch (error) {
    // Made at the same moment by another registration (which this one waited for): that one is the year's.
    if (!['42P07', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
  }
  return next();
}

/** Registers a ticket and its first message in `trx`; a source already ticketed returns its ticket. */
export async function registerTicket(
  trx: Knex.Transaction,
  t: NewTicket,
): Promise<{ ticket: Record<string, any>; created: boolean }> {
  if (t.sourceRef) {
    const existing = await trx('tickets').where({ source_ref: t.sourceRef }).first();
    if (existing) return { ticket: existing, created: false };
  }
  const year = t.receivedAt.getUTCFullYear();
  const number = `SD-${year}-${String(await nextTicketSeq(trx, year)).padStart(6, '0')}`;
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
  await trx('ticket_messages').insert({
    ticket_id: ticket.id,
    direction: 'in',
    author: t.author,
    body: t.body,
    email_message_id: t.emailMessageId ?? null,
    at: t.receivedAt,
    auth_results: t.emailAuth?.results ?? null,
    auth_verdict: t.emailAuth?.verdict ?? null,
  });
  await trx('ticket_events').insert({
    ticket_id: ticket.id,
    kind: 'registered',
    actor: t.author,
    note: `${t.channel}${t.priority ? `, ${t.priority} priority` : ''}`,
    at: t.receivedAt,
  });
  return { ticket, created: true };
}

/** A client's message on an existing ticket (API or e-mail reply); the same e-mail twice is recorded once. */
export async function appendClientMessage(
  db: Knex,
  ticketId: string,
  body: string,
  author: string,
  emailMessageId?: string,
  emailAuth?: EmailAuth,
): Promise<number | undefined> {
  const [row] = await db('ticket_messages')
    .insert({
      ticket_id: ticketId,
      direction: 'in',
      author,
      body,
      email_message_id: emailMessageId ?? null,
      auth_results: emailAuth?.results ?? null,
      auth_verdict: emailAuth?.verdict ?? null,
    })
    .onConflict('email_message_id')
    .ignore()
    .returning('id');
  return row?.id;
}

/*
 * The ticket's state after registration: its row in `tickets` and its history in `ticket_events` change only
 * through these, each one step of Прил. 3 and safe to repeat. The ticket's workflow decides when
 * (workflows/support-ticket.ts); activities/tickets.ts only calls them with the worker's clock and mails.
 */

/** The fields an agent's or the client's action may set on the ticket's row. */
const ACTION_FIELDS = [
  'status',
  'line',
  'priority',
  'line_arrived_at',
  'classified_at',
  'resolved_at',
  'resolution_kind',
  'closed_at',
  'reaction_due_at',
  'resolution_due_at',
] as const;

export interface TicketAction {
  kind: string;
  actor: string;
  note?: string;
  at: string;
  patch: Record<string, unknown>;
}

/** A line in the ticket's history. */
export async function recordTicketEvent(
  db: Knex,
  p: { ticketId: string; kind: string; actor: string; at: string; note?: string },
): Promise<void> {
  await db('ticket_events').insert({
    ticket_id: p.ticketId,
    kind: p.kind,
    actor: p.actor,
    note: p.note ?? null,
    at: p.at,
  });
}

/** The registration number e-mailed (Прил. 3 п.2a). */
export async function markRegistrationSent(db: Knex, p: { ticketId: string; at: Date }): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('tickets').where({ id: p.ticketId }).update({ registration_sent_at: p.at });
    await recordTicketEvent(trx, {
      ticketId: p.ticketId,
      kind: 'registration_sent',
      actor: 'operator',
      at: p.at.toISOString(),
    });
  });
}

/**
 * An agent's or the client's action (classified, escalated, waiting for the client, resolved, reopened, closed):
 * the fields it sets and its line in the history; the first classification measures the reaction (Прил. 3 п.4d).
 * `ticket` is the ticket's row as read before.
 */
export async function applyTicketAction(
  db: Knex,
  ticket: { id: string; line_arrived_at: Date | string; reaction_ms: number | null },
  action: TicketAction,
): Promise<void> {
  const patch = Object.fromEntries(
    Object.entries(action.patch).filter(([key]) => (ACTION_FIELDS as readonly string[]).includes(key)),
  );
  await db.transaction(async (trx) => {
    const measured: Record<string, number> = {};
    if (patch.classified_at && !ticket.reaction_ms)
      measured.reaction_ms = new Date(action.at).getTime() - new Date(ticket.line_arrived_at).getTime();
    if (Object.keys(patch).length || Object.keys(measured).length)
      await trx('tickets')
        .where({ id: ticket.id })
        .update({ ...patch, ...measured });
    await recordTicketEvent(trx, {
      ticketId: ticket.id,
      kind: action.kind,
      actor: action.actor,
      at: action.at,
      note: action.note,
    });
  });
}

/** The reaction and resolution deadlines as the workflow computed them (Прил. 3 п.4d, п.4e), for the queue and the console. */
export async function setTicketDeadlines(
  db: Knex,
  ticketId: string,
  deadlines: { reactionDueAt: string | null; resolutionDueAt: string | null },
): Promise<void> {
  await db('tickets')
    .where({ id: ticketId })
    .update({ reaction_due_at: deadlines.reactionDueAt, resolution_due_at: deadlines.resolutionDueAt });
}

/** A missed deadline (Прил. 3 п.2a, п.4d, п.4e): its first instant kept, and a line in the history. */
export async function markTicketBreached(
  db: Knex,
  p: { ticketId: string; kind: 'registration' | 'reaction' | 'resolution'; at: string; note: string },
): Promise<void> {
  const column = `${p.kind}_breached_at`;
  await db.transaction(async (trx) => {
    await trx('tickets')
      .where({ id: p.ticketId })
      .whereNull(column)
      .update({ [column]: p.at });
    await recordTicketEvent(trx, {
      ticketId: p.ticketId,
      kind: `${p.kind}_breached`,
      actor: 'operator',
      at: p.at,
      note: p.note,
    });
  });
}

/** An agent's message to the client (a question, a reply, the resolution), stored once under its e-mail Message-ID; returns its row. */
export async function storeAgentMessage(
  db: Knex,
  p: { ticketId: string; author: string; body: string; emailMessageId: string },
): Promise<{ id: number; sent_at: Date | null }> {
  const [stored] = await db('ticket_messages')
    .insert({
      ticket_id: p.ticketId,
      direction: 'out',
      author: p.author,
      body: p.body,
      email_message_id: p.emailMessageId,
    })
    .onConflict('email_message_id')
    .ignore()
    .returning('*');
  return stored ?? (await db('ticket_messages').where({ email_message_id: p.emailMessageId }).first());
}

/** The agent's message e-mailed. */
export async function markMessageSent(db: Knex, messageId: number, at: Date): Promise<void> {
  await db('ticket_messages').where({ id: messageId }).update({ sent_at: at });
}
