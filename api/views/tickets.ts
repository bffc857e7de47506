import type { Db } from '../../db/connection';
import { stationLog, stationLogs } from '../../db/station-logs';
import { PRIORITY_HINTS } from '../../lib/support';
import { notFound } from '../http/errors';
import { toTicket, toTicketDetail } from '../schemas/tickets';

/** Support (Прил. 3) as agents and clients see it: tickets, their messages, the mail held back, the logs clients' software sent. */

const iso = (at: unknown) => new Date(at as string).toISOString();

/** The queue, nearest deadline first (reaction for unclassified tickets, resolution for the others). */
export async function ticketQueue(
  db: Db,
  {
    status = 'open',
    line,
    priority,
    breached,
  }: { status?: string; line?: number; priority?: string; breached?: boolean },
) {
  const rows = await db('tickets')
    .modify((q) => {
      if (status === 'open') q.whereIn('status', ['new', 'in_progress', 'waiting_client']);
      else q.where({ status });
      if (line) q.where({ line });
      if (priority) q.where({ priority });
      if (breached) q.where((w) => w.whereNotNull('reaction_breached_at').orWhereNotNull('resolution_breached_at'));
    })
    .orderByRaw(`CASE WHEN status = 'new' THEN reaction_due_at ELSE resolution_due_at END ASC NULLS LAST, received_at`)
    .limit(1000);
  return {
    tickets: rows.map((r: Record<string, any>) => ({
      ...toTicket(r),
      dueKind:
        r.status === 'new' ? 'reaction' : r.status === 'in_progress' && r.resolution_due_at ? 'resolution' : null,
      dueAt:
        r.status === 'new'
          ? r.reaction_due_at
            ? iso(r.reaction_due_at)
            : null
          : r.status === 'in_progress' && r.resolution_due_at
            ? iso(r.resolution_due_at)
            : null,
    })),
    priorityHints: PRIORITY_HINTS,
  };
}

/** A ticket's row. */
export async function ticketRow(db: Db, id: string) {
  const ticket = await db('tickets').where({ id }).first();
  if (!ticket) throw notFound('ticket', id);
  return ticket;
}

/** A ticket as agents see it: messages, history. */
export async function ticketDetail(db: Db, id: string) {
  const ticket = await ticketRow(db, id);
  const [messages, events] = await Promise.all([
    ticketMessages(db, ticket.id),
    db('ticket_events').where({ ticket_id: ticket.id }).orderBy('id'),
  ]);
  return toTicketDetail(ticket, messages, events);
}

export const ticketMessages = (db: Db, ticketId: string) =>
  db('ticket_messages').where({ ticket_id: ticketId }).orderBy('id');

/** The client's tickets, newest first. */
export async function clientTickets(db: Db, clientId: string) {
  return (await db('tickets').where({ client_id: clientId }).orderBy('received_at', 'desc').limit(500)).map(toTicket);
}

/** One of the client's tickets' row. */
export async function ownTicket(db: Db, clientId: string, ticketId: string) {
  const ticket = await db('tickets').where({ id: ticketId, client_id: clientId }).first();
  if (!ticket) throw notFound('ticket', ticketId);
  return ticket;
}

/** A ticket with its messages, as its client sees it (no history). */
export async function clientTicketDetail(db: Db, ticket: Record<string, any>) {
  return toTicketDetail(ticket, await ticketMessages(db, ticket.id), []);
}

/** A message held back from the support intake (api/intake/support-mail.ts). */
export const toHeld = (row: Record<string, any>) => ({
  id: row.id,
  receivedAt: iso(row.received_at),
  sender: row.sender,
  senderName: row.sender_name ?? null,
  subject: row.subject,
  body: row.body,
  reason: row.reason,
  ticketId: row.ticket_id ?? null,
  authResults: row.auth_results ?? null,
  authVerdict: row.auth_verdict,
  status: row.status,
  decidedBy: row.decided_by ?? null,
  decidedAt: row.decided_at ? iso(row.decided_at) : null,
  decisionNote: row.decision_note ?? null,
});

/** The messages held back, newest first. */
export const quarantinedMail = async (deps: { db: Db }, status: string | undefined) =>
  (
    await deps
      .db('mail_quarantine')
      .modify((q) => void (status && q.where({ status })))
      .orderBy('received_at', 'desc')
      .limit(500)
  ).map(toHeld);

/** Logs the client's software uploaded to the order station, newest first. */
export async function stationLogList(db: Db, clientId: string) {
  return (await stationLogs(db, clientId)).map((l) => ({
    id: l.id,
    fileName: l.file_name,
    contentType: l.content_type,
    size: l.size,
    sha256: l.sha256,
    uploadedAt: iso(l.uploaded_at),
  }));
}

/** One uploaded log file, with its content. */
export async function stationLogFile(db: Db, clientId: string, logId: string) {
  const log = await stationLog(db, clientId, logId);
  if (!log) throw notFound('log', logId);
  return log;
}
