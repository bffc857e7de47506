import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from 'knex';
import { loadBusinessCalendar } from '../../activities/calendar';
import { appendClientMessage, NewTicket, registerTicket, setTicketDeadlines } from '../../db/tickets';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../../lib/calendar';
import { forceMajeurePauses, ongoingForceMajeure } from '../../lib/force-majeure';
import { BusinessStatus, ClientId, SupportLine, TicketPriority } from '../../lib/search-attributes';
import { clientConfirmedSignal, supportTicket, TicketState, ticketWorkflowId } from '../../workflows/support-ticket';
import { reactionDue, resolutionDue } from '../../workflows/support-ticket/rules';
import type { AppDeps } from '../http/deps';
import { conflict, notFound } from '../http/errors';
import { updateOrRefuse } from '../http/workflow-errors';
import { writeAndTell } from './outbox';
import { clientMessage } from './outbox-messages';
import { ticketRow } from '../views/tickets';

/**
 * Opens a ticket: registered in `trx` and its workflow started in the same transaction (the
 * ticket commits only with its workflow). Used by the client API, the staff console (a phone
 * call) and the support e-mail listener.
 */
export async function openTicket(
  trx: Knex.Transaction,
  { temporal, config }: Pick<AppDeps, 'temporal' | 'config'>,
  t: NewTicket,
) {
  const { ticket, created } = await registerTicket(trx, t);
  if (!created) return ticket;
  await setTicketDeadlines(trx, ticket.id, await firstDeadlines(trx, config, t));
  await temporal.client.workflow.start(supportTicket, {
    workflowId: ticketWorkflowId(ticket.id),
    taskQueue: config.temporalTaskQueue,
    args: [
      {
        ticketId: ticket.id,
        number: ticket.number,
        clientId: ticket.client_id,
        subject: ticket.subject,
        receivedAt: new Date(ticket.received_at).toISOString(),
        priority: t.priority,
      },
    ],
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

/**
 * Прил. 3 п.4d, п.4e: the first line's reaction deadline and the resolution deadline (Low until an
 * agent classifies), recorded with the ticket, so that the queue shows them at once however busy the
 * workers are; the ticket's workflow keeps them from then on, moving them when the calendar moves.
 * None while force majeure suspends tickets' deadlines (8.3-8.5), or when the calendar cannot tell.
 */
async function firstDeadlines(
  trx: Knex.Transaction,
  config: AppDeps['config'],
  t: NewTicket,
): Promise<{ reactionDueAt: string | null; resolutionDueAt: string | null }> {
  const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };
  const loaded = await loadBusinessCalendar(trx, settings, t.receivedAt, t.clientId ?? undefined);
  if (ongoingForceMajeure(loaded.forceMajeure, 'tickets')) return { reactionDueAt: null, resolutionDueAt: null };
  const calendar = new BusinessCalendar(loaded.data, settings, forceMajeurePauses(loaded.forceMajeure, 'tickets'), {
    missingYears: 'derive',
  });
  const receivedAt = t.receivedAt.toISOString();
  try {
    return {
      reactionDueAt: reactionDue(calendar, { line: 1, lineArrivedAt: receivedAt }).toISOString(),
      resolutionDueAt: resolutionDue(calendar, { receivedAt, pauses: [] }, t.priority ?? 'low')!.toISOString(),
    };
  } catch (error) {
    if (error instanceof CalendarYearMissingError) return { reactionDueAt: null, resolutionDueAt: null };
    throw error;
  }
}

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;

/** A ticket for a phone call (Прил. 3 п.1a), for the client given or an e-mail to send its number to. */
export async function openPhoneTicket(
  deps: Deps,
  p: { clientId?: string; contactEmail?: string; contactName?: string; subject: string; body: string; agentId: string },
) {
  const client = p.clientId
    ? await deps.db('clients').where({ id: p.clientId }).first('id', 'email', 'name')
    : undefined;
  if (p.clientId && !client) throw notFound('client', p.clientId);
  const contactEmail = p.contactEmail ?? client?.email;
  if (!contactEmail)
    throw conflict('CONTACT_REQUIRED', 'Give the client or an e-mail to send the registration number to');
  return deps.db.transaction((trx) =>
    openTicket(trx, deps, {
      clientId: client?.id ?? null,
      contactEmail,
      contactName: p.contactName ?? client?.name,
      channel: 'phone',
      subject: p.subject,
      body: p.body,
      receivedAt: deps.clock.now(),
      author: `agent:${p.agentId}`,
    }),
  );
}

/** A ticket the client opens through the API, answered at its address of record. */
export async function openClientTicket(deps: Deps, clientId: string, p: { subject: string; body: string }) {
  const client = await deps.db('clients').where({ id: clientId }).first('email', 'name');
  return deps.db.transaction((trx) =>
    openTicket(trx, deps, {
      clientId,
      contactEmail: client.email,
      contactName: client.name,
      channel: 'api',
      subject: p.subject,
      body: p.body,
      receivedAt: deps.clock.now(),
      author: 'client',
    }),
  );
}

/** An agent's action on a ticket, through its workflow's Update; refused transitions are 409. */
export async function ticketAction<A>(
  deps: Deps,
  ticketId: string,
  update: UpdateDefinition<TicketState, [A]>,
  args: A,
) {
  await ticketRow(deps.db, ticketId);
  // Never longer than updateOrRefuse's wait: a workflow that cannot act now (Temporal restarting) is a 503.
  await updateOrRefuse(deps.temporal.client.workflow.getHandle(ticketWorkflowId(ticketId)), update, [args], {
    refused: 'ILLEGAL_TRANSITION',
    closed: 'TICKET_CLOSED',
  });
  return ticketRow(deps.db, ticketId);
}

/** Tells the ticket's workflow; one that has ended is a closed ticket. */
async function tellTicket(
  deps: Deps,
  ticketId: string,
  send: (handle: ReturnType<Deps['temporal']['client']['workflow']['getHandle']>) => Promise<void>,
) {
  try {
    await send(deps.temporal.client.workflow.getHandle(ticketWorkflowId(ticketId)));
  } catch (error) {
    if ((error as Error).name === 'WorkflowNotFoundError')
      throw conflict('TICKET_CLOSED', 'The ticket is closed: open a new one');
    throw error;
  }
}

/**
 * The client writes on its ticket: the information asked for (the resolution clock resumes) or
 * that a resolution did not help. The message and the word to its workflow commit together (the
 * outbox): recorded, it reaches the workflow even if Temporal is away at the moment.
 */
export async function postClientMessage(deps: Deps, ticket: Record<string, any>, body: string) {
  if (ticket.status === 'closed') throw conflict('TICKET_CLOSED', 'The ticket is closed: open a new one');
  const { delivery } = await writeAndTell(deps, async (trx, tell) => {
    const messageId = await appendClientMessage(trx, ticket.id, body, 'client');
    await tell(clientMessage(ticket.id, messageId!));
  });
  // Closed between the check and the message: the message stays on record; the client is told.
  if (delivery.workflowEnded) throw conflict('TICKET_CLOSED', 'The ticket is closed: open a new one');
}

/** The client confirms the resolution: the ticket closes. */
export async function confirmResolution(deps: Deps, ticket: Record<string, any>) {
  if (ticket.status !== 'resolved')
    throw conflict('TICKET_NOT_RESOLVED', `The ticket is ${ticket.status}: only a resolved ticket is confirmed`);
  await tellTicket(deps, ticket.id, (handle) => handle.signal(clientConfirmedSignal));
}
