import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  BusinessStatus,
  ClientId,
  ReactionDueAt,
  ResolutionDueAt,
  SlaBreached,
  SupportLine,
  TicketPriority,
} from '../lib/search-attributes';
import {
  CLOSE_AFTER_WORKING_DAYS,
  Line,
  Priority,
  REGISTRATION_MINUTES,
  type SupportTicketInput,
} from '../lib/support';
import { countBreach } from './shared/business-metrics';
import { clearDeadlineShown, KeptCalendar, waitForDecisionOrDeadline } from './shared/deadline';
import { ShownAttributes } from './shared/shown-attributes';
import {
  checkClassify,
  checkEscalate,
  checkReply,
  checkResolve,
  checkWaitForClient,
  Due,
  MINUTE,
  nextDeadline,
  reactionDue,
  requireStatus,
  resolutionDue,
  ResolutionKind,
  TicketState,
} from './support-ticket/rules';

export type { ResolutionKind, TicketState, TicketStatus } from './support-ticket/rules';
export type { SupportTicketInput };

/** A ticket's run: as registered, or going on in a new run after a long history (continue-as-new). */
export interface TicketRun extends SupportTicketInput {
  resumed?: { state: TicketState; unclassifiedIsLow: boolean };
  /** Events after which the ticket goes on in a new run (the server may suggest sooner); tests set it low. */
  historyLimit?: number;
}

/** Far above any ticket's usual life; a ticket argued over for months still stays small. */
const HISTORY_LIMIT = 10_000;

export const ticketWorkflowId = (ticketId: string) => `ticket-${ticketId}`;
export const ticketStateQuery = defineQuery<TicketState>('ticketState');

type Agent = { agentId: string };
export const classifyUpdate = defineUpdate<TicketState, [Agent & { priority: Priority; note?: string }]>('classify');
export const escalateUpdate = defineUpdate<TicketState, [Agent & { note: string }]>('escalate');
export const waitForClientUpdate = defineUpdate<TicketState, [Agent & { question: string }]>('waitForClient');
export const replyUpdate = defineUpdate<TicketState, [Agent & { text: string }]>('reply');
export const resolveUpdate = defineUpdate<TicketState, [Agent & { kind: ResolutionKind; text: string }]>('resolve');
export const reopenUpdate = defineUpdate<TicketState, [Agent & { note: string }]>('reopen');
/** The client wrote (API or e-mail; recorded before): waiting ends, a resolved ticket reopens. */
export const clientMessageSignal = defineSignal<[{ messageId: number }]>('clientMessage');
/** The client confirms the resolution: the ticket closes. */
export const clientConfirmedSignal = defineSignal('clientConfirmed');

// Short: a worker killed mid-activity is noticed within this and the step retried elsewhere, so an agent's
// action does not wait a minute on a dead worker (the soak, issue #19). Each is a few queries or one e-mail, whose
// record may be retried for 20 s while the database is away (activities/record-sent.ts).
const stepRetry = { initialInterval: '2 seconds', maximumInterval: '1 minute' };
const remoteSteps = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: stepRetry });
const { recordTicketAction, sendTicketMessage } = remoteSteps;
// The main loop's steps since LOCAL_STEPS_PATCH: inside the workflow task that woke for them (the agents' actions,
// which run beside the loop, keep theirs as activities: never two local activities at once).
const localSteps = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: stepRetry,
});
type TicketSteps = Pick<Activities, 'recordTicketBreach' | 'recordTicketDeadlines' | 'warnSupportAgents'>;

/**
 * Since this patch a ticket keeps its calendar across its waits and records its deadlines, warnings and breaches in
 * local activities (issue #20: a deadline fired cost three workflow tasks and two activity tasks — a calendar reload
 * and the record — and 10,000 open tickets queued behind each other).
 */
const LOCAL_STEPS_PATCH = 'ticket-local-steps';
/** Since this patch the search attributes are upserted only when they change (showTicket). */
const SHOWN_ON_CHANGE_PATCH = 'ticket-shown-on-change';
/** Since this patch DeadlineAt stays shown between the ticket's waits, upserted when it changes (`keepShown`). */
const DEADLINE_KEPT_PATCH = 'ticket-deadline-kept';
/** A calendar kept longer is loaded again at the next wake: the bound on a change a ticket missed between its waits. */
const CALENDAR_KEPT_FOR = 60 * MINUTE;
// The registration e-mail must reach the client within 5 minutes (Прил. 3 п.2a): retried briskly.
const { sendTicketRegistration } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
});

/**
 * A support ticket (Прил. 3): registered and its number e-mailed; classified at its line
 * within the line's reaction time; resolved within its priority's resolution time in working
 * hours, time waiting for the client not counting; escalated line by line; agents warned before
 * a deadline, and a breach recorded and told to the client; closed when the client confirms or
 * after 5 working days without an answer.
 */
export async function supportTicket(input: TicketRun): Promise<TicketState> {
  const ticket = openTicket(input);
  takeAgentActions(ticket);
  takeClientMessages(ticket);

  // п.2a: registered at once, its number e-mailed to the client within 5 minutes.
  if (!input.resumed) await sendRegistrationNumber(ticket);
  ticket.show();
  const historyLong = patched('ticket-continues-as-new') ? () => historyIsLong(input) : () => false;

  for (;;) {
    ticket.changed = false;
    await recordWhatTheClientWrote(ticket);
    if (ticket.confirmed) return close(ticket, 'client', 'the client confirmed the resolution');
    if (historyLong() && (await quietForNewRun(ticket))) return goOnInNewRun(ticket);
    // п.4d, п.4e: the line reacts (classifies) within its reaction time, the ticket is resolved within its
    // priority's resolution time; an agent's action or the client's message comes first, or the deadline.
    const due = await waitForActionOrDeadline(ticket);
    switch (due) {
      case 'reaction-warning':
      case 'resolution-warning':
        await warnAgents(ticket, due);
        break;
      case 'reaction-breach':
        await recordReactionBreach(ticket);
        break;
      case 'resolution-breach':
        await recordResolutionBreach(ticket);
        break;
      case 'close':
        return close(
          ticket,
          'operator',
          `no answer from the client within ${CLOSE_AFTER_WORKING_DAYS} working days of the resolution`,
        );
      case 'idle':
        // Nothing is due while the client is awaited: wait for the next change.
        stopWaitingOnDeadlines(ticket);
        await condition(() => ticket.changed || ticket.confirmed);
        break;
    }
  }
}

/** A ticket as its workflow runs it: its state, what came in since it last looked, and how a change is recorded and shown. */
interface Ticket {
  input: TicketRun;
  state: TicketState;
  /** Whether an unclassified ticket's resolution clock runs as Low (fixed for the ticket's life). */
  unclassifiedIsLow: boolean;
  /** An agent acted or the client wrote since the ticket last looked. */
  changed: boolean;
  /** The client confirmed the resolution. */
  confirmed: boolean;
  /** The client answered a question (`replied`) or wrote on a resolved ticket (`reopened`), not recorded yet. */
  clientWrote?: 'replied' | 'reopened';
  /** How the main loop records: as activities, or locally (LOCAL_STEPS_PATCH). */
  steps: TicketSteps;
  /** The calendar kept across waits (LOCAL_STEPS_PATCH). */
  calendar?: KeptCalendar;
  /** DeadlineAt kept shown from one wait to the next, cleared when the ticket stops waiting (DEADLINE_KEPT_PATCH). */
  deadlineKept: boolean;
  /** The priority the resolution clock runs at. */
  resolutionPriority(): Priority | undefined;
  /** The state in the search attributes and current details (the Web UI). */
  show(): void;
  /** An action on the ticket: its fields and history recorded, then shown. */
  act(kind: string, actor: string, patch: Record<string, unknown>, note?: string): Promise<void>;
}

const now = () => new Date().toISOString();

/** A newly registered ticket at line 1, unclassified unless its source gave the priority; or one going on as it stood. */
function openTicket(input: TicketRun): Ticket {
  const state: TicketState = input.resumed?.state ?? {
    ticketId: input.ticketId,
    number: input.number,
    status: 'new',
    line: 1,
    priority: input.priority,
    receivedAt: input.receivedAt,
    lineArrivedAt: input.receivedAt,
    pauses: [],
    breaches: {},
    reactionBreachedLines: [],
    warned: [],
  };
  // Прил. 3: a ticket not classified as High or Medium is Low — its 24-working-hour resolution
  // clock runs from registration until an agent sets the priority (histories before the patch: none).
  const unclassifiedIsLow = input.resumed?.unclassifiedIsLow ?? patched('unclassified-ticket-is-low');
  const stepsInTask = patched(LOCAL_STEPS_PATCH);
  const shown = new ShownAttributes(patched(SHOWN_ON_CHANGE_PATCH));
  const ticket: Ticket = {
    input,
    state,
    unclassifiedIsLow,
    changed: false,
    confirmed: false,
    steps: stepsInTask ? localSteps : remoteSteps,
    calendar: stepsInTask ? new KeptCalendar(CALENDAR_KEPT_FOR) : undefined,
    deadlineKept: patched(DEADLINE_KEPT_PATCH),
    resolutionPriority: () => state.priority ?? (unclassifiedIsLow ? 'low' : undefined),
    show: () => showTicket(input, state, shown),
    async act(kind, actor, patch, note) {
      await recordTicketAction(input.ticketId, { kind, actor, note, at: now(), patch });
      if (patched('deadline-recorded-after-action')) forgetClearedDeadlines(state, patch);
      state.lastAction = `${kind} by ${actor}${note ? `: ${note}` : ''}`;
      ticket.changed = true;
      ticket.show();
    },
  };
  setHandler(ticketStateQuery, () => state);
  return ticket;
}

/** The state in the search attributes (upserted when they change, since SHOWN_ON_CHANGE_PATCH) and the current details. */
function showTicket(input: SupportTicketInput, state: TicketState, shown: ShownAttributes): void {
  shown.show([
    { key: BusinessStatus, value: state.status },
    { key: SupportLine, value: state.line },
    { key: TicketPriority, value: state.priority ?? 'unclassified' },
    { key: ReactionDueAt, value: state.status === 'new' && state.reactionDueAt ? new Date(state.reactionDueAt) : null },
    {
      key: ResolutionDueAt,
      value:
        state.resolutionDueAt && (state.status === 'new' || state.status === 'in_progress')
          ? new Date(state.resolutionDueAt)
          : null,
    },
    {
      key: SlaBreached,
      value: !!(state.breaches.registration || state.breaches.reaction || state.breaches.resolution),
    },
    ...(input.clientId ? [{ key: ClientId, value: input.clientId }] : []),
  ]);
  setCurrentDetails(
    [
      `Ticket ${input.number}: ${state.status}, line ${state.line}, priority ${state.priority ?? 'not classified yet'}.`,
      state.status === 'new' && state.reactionDueAt ? `Reaction (classification) due ${state.reactionDueAt}.` : '',
      state.resolutionDueAt
        ? `Resolution due ${state.resolutionDueAt}${state.status === 'waiting_client' ? ' (paused: waiting for the client)' : ''}.`
        : '',
      state.breaches.registration
        ? `Registration e-mail not sent within ${REGISTRATION_MINUTES} minutes: breached ${state.breaches.registration}.`
        : '',
      state.breaches.reaction ? `Reaction deadline breached ${state.breaches.reaction}.` : '',
      state.breaches.resolution ? `Resolution deadline breached ${state.breaches.resolution}.` : '',
      state.lastAction ? `Last action: ${state.lastAction}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/** Time waiting for the client, or a resolution awaiting the client's word, does not count for resolution (Прил. 3 п.4e). */
const openPause = (state: TicketState) => state.pauses.push({ start: now() });
/**
 * An action that moves a deadline (a priority set, a pause ended, another line) clears it where the queue and the
 * cabinet show it, until the wait records it anew: never the old deadline shown as the one in force.
 */
function movedDeadline(state: TicketState, which: 'reaction' | 'resolution'): Record<string, null> {
  if (!patched('moved-deadline-cleared')) return {};
  if (which === 'reaction') state.reactionDueAt = undefined;
  else state.resolutionDueAt = undefined;
  return { [`${which}_due_at`]: null };
}

/**
 * The row's deadlines as an action just left them: one it cleared (movedDeadline) is recorded anew by the wait — also
 * when the wait had recorded it while the action's own record was still being retried, which cleared it after (the
 * soak: a ticket classified during a fault, in progress with no resolution deadline shown).
 */
function forgetClearedDeadlines(state: TicketState, patch: Record<string, unknown>): void {
  if (patch.reaction_due_at === null) state.reactionDueAt = undefined;
  if (patch.resolution_due_at === null) state.resolutionDueAt = undefined;
}

function closePause(state: TicketState): void {
  const open = state.pauses.find((p) => !p.end);
  if (open) open.end = now();
}

/** The agents' actions, as Updates, each checked by its validator before anything is recorded. */
function takeAgentActions(ticket: Ticket): void {
  const { input, state } = ticket;
  setHandler(
    classifyUpdate,
    async ({ agentId, priority, note }) => {
      state.priority = priority;
      state.status = 'in_progress';
      await ticket.act(
        'classified',
        `agent:${agentId}`,
        {
          status: 'in_progress',
          priority,
          classified_at: now(),
          line: state.line,
          ...movedDeadline(state, 'resolution'),
        },
        `${priority}${note ? ` — ${note}` : ''}`,
      );
      return state;
    },
    { validator: (request) => checkClassify(state, request) },
  );
  // Прил. 3: a line that cannot solve passes the ticket to the next, where its own reaction time runs.
  setHandler(
    escalateUpdate,
    async ({ agentId, note }) => {
      state.line = (state.line + 1) as Line;
      state.lineArrivedAt = now();
      state.status = 'new';
      state.reactionDueAt = undefined;
      await ticket.act(
        'escalated',
        `agent:${agentId}`,
        { status: 'new', line: state.line, line_arrived_at: state.lineArrivedAt, ...movedDeadline(state, 'reaction') },
        `to line ${state.line}: ${note}`,
      );
      return state;
    },
    { validator: (request) => checkEscalate(state, request) },
  );
  setHandler(
    waitForClientUpdate,
    async ({ agentId, question }) => {
      openPause(state);
      state.status = 'waiting_client';
      await sendTicketMessage(input.ticketId, { author: `agent:${agentId}`, body: question, kind: 'question' });
      await ticket.act('waiting_for_client', `agent:${agentId}`, { status: 'waiting_client' }, question);
      return state;
    },
    { validator: (request) => checkWaitForClient(state, request) },
  );
  setHandler(
    replyUpdate,
    async ({ agentId, text }) => {
      await sendTicketMessage(input.ticketId, { author: `agent:${agentId}`, body: text, kind: 'reply' });
      await ticket.act('replied', `agent:${agentId}`, {}, text.slice(0, 200));
      return state;
    },
    { validator: (request) => checkReply(state, request) },
  );
  setHandler(
    resolveUpdate,
    async ({ agentId, kind, text }) => {
      state.status = 'resolved';
      openPause(state);
      await sendTicketMessage(input.ticketId, { author: `agent:${agentId}`, body: text, kind });
      await ticket.act(
        'resolved',
        `agent:${agentId}`,
        { status: 'resolved', resolved_at: now(), resolution_kind: kind },
        `${kind}: ${text.slice(0, 200)}`,
      );
      return state;
    },
    { validator: (request) => checkResolve(state, request) },
  );
  setHandler(
    reopenUpdate,
    async ({ agentId, note }) => {
      closePause(state);
      state.status = 'in_progress';
      await ticket.act(
        'reopened',
        `agent:${agentId}`,
        { status: 'in_progress', resolved_at: null, ...movedDeadline(state, 'resolution') },
        note,
      );
      return state;
    },
    { validator: (_request) => requireStatus(state, 'resolved') },
  );
}

/** The client's messages (recorded before the signal): an answer ends the wait, a message on a resolved ticket reopens it; a confirmation closes it. */
function takeClientMessages(ticket: Ticket): void {
  const { state } = ticket;
  setHandler(clientMessageSignal, () => {
    if (state.status === 'waiting_client' || state.status === 'resolved') {
      ticket.clientWrote = state.status === 'waiting_client' ? 'replied' : 'reopened';
      closePause(state);
      state.status = 'in_progress';
      ticket.changed = true;
    }
  });
  setHandler(clientConfirmedSignal, () => {
    if (state.status === 'resolved') {
      ticket.confirmed = true;
      ticket.changed = true;
    }
  });
}

/** What the client wrote since the ticket last looked, in its history (the state changed when the message came). */
async function recordWhatTheClientWrote(ticket: Ticket): Promise<void> {
  if (!ticket.clientWrote) return;
  const what = ticket.clientWrote;
  ticket.clientWrote = undefined;
  await ticket.act(what === 'replied' ? 'client_replied' : 'reopened_by_client', 'client', {
    status: 'in_progress',
    resolved_at: null,
    ...movedDeadline(ticket.state, 'resolution'),
  });
}

/** The registration number goes out by e-mail, retried; not gone within 5 minutes of receipt, the breach is recorded (Прил. 3 п.2a). */
async function sendRegistrationNumber(ticket: Ticket): Promise<void> {
  if (!patched('registration-email-watched')) return sendTicketRegistration(ticket.input.ticketId);
  const { input, state } = ticket;
  let sent = false;
  const sending = sendTicketRegistration(input.ticketId).then(() => void (sent = true));
  const left = new Date(input.receivedAt).getTime() + REGISTRATION_MINUTES * MINUTE - Date.now();
  if (!(left > 0 && (await condition(() => sent, left))) && !sent) {
    state.breaches.registration = new Date().toISOString();
    await ticket.steps.recordTicketBreach(input.ticketId, 'registration', state.breaches.registration);
    countBreach('ticket_registration');
    ticket.show();
  }
  await sending;
}

/**
 * Waits for an agent's action or the client's message, or for the next thing due on the business calendar
 * (force majeure suspending the ticket's deadlines, 8.3-8.5): returns what fell due, or nothing when an action
 * came first. The deadlines as they stand are recorded for the queue and the console.
 */
async function waitForActionOrDeadline(ticket: Ticket): Promise<Due | undefined> {
  const { input, state } = ticket;
  const plan: { kind?: Due } = {};
  const outcome = await waitForDecisionOrDeadline({
    process: 'tickets',
    kept: ticket.calendar,
    keepShown: ticket.deadlineKept,
    onSuspended: async () => {
      [state.reactionDueAt, state.resolutionDueAt] = [undefined, undefined];
      await ticket.steps.recordTicketDeadlines(input.ticketId, { reactionDueAt: null, resolutionDueAt: null });
      ticket.show();
    },
    compute: (calendar) => nextDeadline(calendar, state, ticket.resolutionPriority(), plan),
    done: () => ticket.changed || ticket.confirmed,
    onDeadline: async (_due, calendar) => {
      const reaction = state.status === 'new' ? reactionDue(calendar, state).toISOString() : state.reactionDueAt;
      const resolution = resolutionDue(calendar, state, ticket.resolutionPriority())?.toISOString();
      if (reaction !== state.reactionDueAt || resolution !== state.resolutionDueAt) {
        [state.reactionDueAt, state.resolutionDueAt] = [reaction, resolution];
        await ticket.steps.recordTicketDeadlines(input.ticketId, {
          reactionDueAt: state.status === 'new' ? (reaction ?? null) : null,
          resolutionDueAt: resolution ?? null,
        });
      }
      ticket.show();
    },
  });
  return outcome === 'deadline' ? plan.kind : undefined;
}

/** A deadline near (Прил. 3): the support agents warned, once per deadline, line and status. */
async function warnAgents(ticket: Ticket, due: 'reaction-warning' | 'resolution-warning'): Promise<void> {
  const { input, state } = ticket;
  state.warned.push(`${due}:${state.line}:${state.status}`);
  await ticket.steps.warnSupportAgents(
    input.ticketId,
    due === 'reaction-warning' ? 'reaction' : 'resolution',
    (due === 'reaction-warning' ? state.reactionDueAt : state.resolutionDueAt)!,
  );
}

/** The line's reaction time passed unclassified (п.4d): recorded, once per line, and the client told (п.3b). */
async function recordReactionBreach(ticket: Ticket): Promise<void> {
  const { input, state } = ticket;
  state.breaches.reaction ??= now();
  state.reactionBreachedLines.push(state.line);
  await ticket.steps.recordTicketBreach(input.ticketId, 'reaction', now());
  countBreach('ticket_reaction');
  ticket.show();
}

/** The resolution time passed unresolved (п.4e): recorded, and the client told (п.3b). */
async function recordResolutionBreach(ticket: Ticket): Promise<void> {
  const { input, state } = ticket;
  state.breaches.resolution = now();
  await ticket.steps.recordTicketBreach(input.ticketId, 'resolution', state.breaches.resolution);
  countBreach('ticket_resolution');
  ticket.show();
}

/** The ticket closes: the client confirmed the resolution, or did not answer within 5 working days. */
/** Whether the history has grown long enough that the ticket should go on in a new run. */
function historyIsLong(input: TicketRun): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? HISTORY_LIMIT);
}

/** Once the actions under way are answered: true unless the client wrote meanwhile (recorded first, in this run). */
async function quietForNewRun(ticket: Ticket): Promise<boolean> {
  await condition(allHandlersFinished);
  return !ticket.clientWrote && !ticket.confirmed;
}

/** The ticket waits on no deadline for now (or ever again): DeadlineAt, kept shown between its waits, cleared. */
function stopWaitingOnDeadlines(ticket: Ticket): void {
  if (ticket.deadlineKept) clearDeadlineShown();
}

/** The ticket goes on in a new run as it stands. */
function goOnInNewRun(ticket: Ticket): Promise<TicketState> {
  stopWaitingOnDeadlines(ticket);
  const { resumed: _previous, ...input } = ticket.input;
  return continueAsNew<typeof supportTicket>({
    ...input,
    resumed: { state: ticket.state, unclassifiedIsLow: ticket.unclassifiedIsLow },
  });
}

async function close(ticket: Ticket, actor: string, note: string): Promise<TicketState> {
  stopWaitingOnDeadlines(ticket);
  ticket.state.status = 'closed';
  await ticket.act('closed', actor, { status: 'closed', closed_at: now() }, note);
  return ticket.state;
}
