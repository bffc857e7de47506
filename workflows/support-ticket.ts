import { condition, defineQuery, defineSignal, defineUpdate, patched, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BusinessCalendar, Pause } from '../lib/calendar';
import { BusinessStatus, ClientId, ReactionDueAt, ResolutionDueAt, SlaBreached, SupportLine, TicketPriority } from '../lib/search-attributes';
import { CLOSE_AFTER_WORKING_DAYS, Line, Priority, REACTION_MINUTES, REGISTRATION_MINUTES, RESOLUTION_HOURS, type SupportTicketInput, WARNING_SHARE } from '../lib/support';
import { waitForDecisionOrDeadline } from './shared/deadline';

export type TicketStatus = 'new' | 'in_progress' | 'waiting_client' | 'resolved' | 'closed';
export type ResolutionKind = 'solution' | 'workaround' | 'forecast';

export type { SupportTicketInput };

export interface TicketState {
  ticketId: string;
  number: string;
  status: TicketStatus;
  line: Line;
  priority?: Priority;
  receivedAt: string;
  lineArrivedAt: string;
  reactionDueAt?: string;
  resolutionDueAt?: string;
  /** Time that does not count for resolution: waiting for the client, a solution under review. */
  pauses: { start: string; end?: string }[];
  breaches: { registration?: string; reaction?: string; resolution?: string };
  /** Lines whose reaction deadline was missed (each line has its own). */
  reactionBreachedLines: number[];
  warned: string[];
  lastAction?: string;
}

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

const { recordTicketAction, recordTicketBreach, recordTicketDeadlines, sendTicketMessage, warnSupportAgents } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' } });
// The registration e-mail must reach the client within 5 minutes (Прил. 3 п.2a): retried briskly.
const { sendTicketRegistration } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', maximumInterval: '10 seconds' } });

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * A support ticket (Прил. 3): registered and its number e-mailed; classified at its line
 * within the line's reaction time; resolved within its priority's resolution time in working
 * hours, time waiting for the client not counting; escalated line by line; agents warned before
 * a deadline, and a breach recorded and told to the client; closed when the client confirms or
 * after 5 working days without an answer.
 */
export async function supportTicket(input: SupportTicketInput): Promise<TicketState> {
  const state: TicketState = {
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
  const unclassifiedIsLow = patched('unclassified-ticket-is-low');
  const resolutionPriority = (): Priority | undefined => state.priority ?? (unclassifiedIsLow ? 'low' : undefined);
  let changed = false;
  let confirmed = false;
  let clientWrote: 'replied' | 'reopened' | undefined;
  const now = () => new Date().toISOString();
  const show = () => {
    upsertSearchAttributes([
      { key: BusinessStatus, value: state.status },
      { key: SupportLine, value: state.line },
      { key: TicketPriority, value: state.priority ?? 'unclassified' },
      { key: ReactionDueAt, value: state.status === 'new' && state.reactionDueAt ? new Date(state.reactionDueAt) : null },
      { key: ResolutionDueAt, value: state.resolutionDueAt && (state.status === 'new' || state.status === 'in_progress') ? new Date(state.resolutionDueAt) : null },
      { key: SlaBreached, value: !!(state.breaches.registration || state.breaches.reaction || state.breaches.resolution) },
      ...(input.clientId ? [{ key: ClientId, value: input.clientId }] : []),
    ]);
    setCurrentDetails(
      [
        `Ticket ${input.number}: ${state.status}, line ${state.line}, priority ${state.priority ?? 'not classified yet'}.`,
        state.status === 'new' && state.reactionDueAt ? `Reaction (classification) due ${state.reactionDueAt}.` : '',
        state.resolutionDueAt ? `Resolution due ${state.resolutionDueAt}${state.status === 'waiting_client' ? ' (paused: waiting for the client)' : ''}.` : '',
        state.breaches.registration ? `Registration e-mail not sent within ${REGISTRATION_MINUTES} minutes: breached ${state.breaches.registration}.` : '',
        state.breaches.reaction ? `Reaction deadline breached ${state.breaches.reaction}.` : '',
        state.breaches.resolution ? `Resolution deadline breached ${state.breaches.resolution}.` : '',
        state.lastAction ? `Last action: ${state.lastAction}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  };
  const act = async (kind: string, actor: string, patch: Record<string, unknown>, note?: string) => {
    await recordTicketAction(input.ticketId, { kind, actor, note, at: now(), patch });
    state.lastAction = `${kind} by ${actor}${note ? `: ${note}` : ''}`;
    changed = true;
    show();
  };
  const openPause = () => state.pauses.push({ start: now() });
  const closePause = () => {
    const open = state.pauses.find((p) => !p.end);
    if (open) open.end = now();
  };

  setHandler(ticketStateQuery, () => state);
  setHandler(
    classifyUpdate,
    async ({ agentId, priority, note }) => {
      state.priority = priority;
      state.status = 'in_progress';
      await act('classified', `agent:${agentId}`, { status: 'in_progress', priority, classified_at: now(), line: state.line }, `${priority}${note ? ` — ${note}` : ''}`);
      return state;
    },
    { validator: (request) => checkClassify(state, request) },
  );
  setHandler(
    escalateUpdate,
    async ({ agentId, note }) => {
      state.line = (state.line + 1) as Line;
      state.lineArrivedAt = now();
      state.status = 'new';
      state.reactionDueAt = undefined;
      await act('escalated', `agent:${agentId}`, { status: 'new', line: state.line, line_arrived_at: state.lineArrivedAt }, `to line ${state.line}: ${note}`);
      return state;
    },
    { validator: (request) => checkEscalate(state, request) },
  );
  setHandler(
    waitForClientUpdate,
    async ({ agentId, question }) => {
      openPause();
      state.status = 'waiting_client';
      await sendTicketMessage(input.ticketId, { author: `agent:${agentId}`, body: question, kind: 'question' });
      await act('waiting_for_client', `agent:${agentId}`, { status: 'waiting_client' }, question);
      return state;
    },
    { validator: (request) => checkWaitForClient(state, request) },
  );
  setHandler(
    replyUpdate,
    async ({ agentId, text }) => {
      await sendTicketMessage(input.ticketId, { author: `agent:${agentId}`, body: text, kind: 'reply' });
      await act('replied', `agent:${agentId}`, {}, text.slice(0, 200));
      return state;
    },
    { validator: (request) => checkReply(state, request) },
  );
  setHandler(
    resolveUpdate,
    async ({ agentId, kind, text }) => {
      state.status = 'resolved';
      openPause();
      await sendTicketMessage(input.ticketId, { author: `agent:${agentId}`, body: text, kind });
      await act('resolved', `agent:${agentId}`, { status: 'resolved', resolved_at: now(), resolution_kind: kind }, `${kind}: ${text.slice(0, 200)}`);
      return state;
    },
    { validator: (request) => checkResolve(state, request) },
  );
  setHandler(
    reopenUpdate,
    async ({ agentId, note }) => {
      closePause();
      state.status = 'in_progress';
      await act('reopened', `agent:${agentId}`, { status: 'in_progress', resolved_at: null }, note);
      return state;
    },
    { validator: (_request) => requireStatus(state, 'resolved') },
  );
  setHandler(clientMessageSignal, () => {
    if (state.status === 'waiting_client' || state.status === 'resolved') {
      clientWrote = state.status === 'waiting_client' ? 'replied' : 'reopened';
      closePause();
      state.status = 'in_progress';
      changed = true;
    }
  });
  setHandler(clientConfirmedSignal, () => {
    if (state.status === 'resolved') {
      confirmed = true;
      changed = true;
    }
  });

  if (patched('registration-email-watched')) await sendRegistrationWatched(input, state, show);
  else await sendTicketRegistration(input.ticketId);
  show();

  for (;;) {
    changed = false;
    if (clientWrote) {
      const what = clientWrote;
      clientWrote = undefined;
      await act(what === 'replied' ? 'client_replied' : 'reopened_by_client', 'client', { status: 'in_progress', resolved_at: null });
    }
    if (confirmed) {
      await close('client', 'the client confirmed the resolution');
      return state;
    }
    const plan: { kind?: string } = {};
    const outcome = await waitForDecisionOrDeadline({
      process: 'tickets',
      onSuspended: async () => {
        [state.reactionDueAt, state.resolutionDueAt] = [undefined, undefined];
        await recordTicketDeadlines(input.ticketId, { reactionDueAt: null, resolutionDueAt: null });
        show();
      },
      compute: (calendar) => nextDeadline(calendar, state, resolutionPriority(), plan),
      done: () => changed || confirmed,
      onDeadline: async (_due, calendar) => {
        const reaction = state.status === 'new' ? calendar.addWorkingTime(state.lineArrivedAt, REACTION_MINUTES[state.line] * MINUTE).toISOString() : state.reactionDueAt;
        const resolution = resolutionDue(calendar, state, resolutionPriority())?.toISOString();
        if (reaction !== state.reactionDueAt || resolution !== state.resolutionDueAt) {
          [state.reactionDueAt, state.resolutionDueAt] = [reaction, resolution];
          await recordTicketDeadlines(input.ticketId, { reactionDueAt: state.status === 'new' ? (reaction ?? null) : null, resolutionDueAt: resolution ?? null });
        }
        show();
      },
    });
    if (outcome !== 'deadline') continue;
    switch (plan.kind) {
      case 'reaction-warning':
      case 'resolution-warning':
        state.warned.push(`${plan.kind}:${state.line}:${state.status}`);
        await warnSupportAgents(input.ticketId, plan.kind === 'reaction-warning' ? 'reaction' : 'resolution', (plan.kind === 'reaction-warning' ? state.reactionDueAt : state.resolutionDueAt)!);
        break;
      case 'reaction-breach':
        state.breaches.reaction ??= now();
        state.reactionBreachedLines.push(state.line);
        await recordTicketBreach(input.ticketId, 'reaction', now());
        show();
        break;
      case 'resolution-breach':
        state.breaches.resolution = now();
        await recordTicketBreach(input.ticketId, 'resolution', state.breaches.resolution);
        show();
        break;
      case 'close':
        await close('operator', `no answer from the client within ${CLOSE_AFTER_WORKING_DAYS} working days of the resolution`);
        return state;
      case 'idle':
        // Nothing is due while the client is awaited: wait for the next change.
        await condition(() => changed || confirmed);
        break;
    }
  }

  async function close(actor: string, note: string) {
    state.status = 'closed';
    await act('closed', actor, { status: 'closed', closed_at: now() }, note);
  }
}

/* What an agent's action needs (the Updates' validators: a refused action leaves no trace in the history). */

function requireStatus(state: TicketState, ...allowed: TicketStatus[]): void {
  if (!allowed.includes(state.status)) throw new Error(`the ticket is ${state.status}; this needs ${allowed.join(' or ')}`);
}

function requireText(text: string | undefined, message: string): void {
  if (!text?.trim()) throw new Error(message);
}

function checkClassify(state: TicketState, { priority }: { priority: string }): void {
  requireStatus(state, 'new');
  if (!['high', 'medium', 'low'].includes(priority)) throw new Error('priority is high, medium or low');
}

/** Прил. 3: three lines of support; the third is the last. */
function checkEscalate(state: TicketState, { note }: { note: string }): void {
  requireStatus(state, 'in_progress');
  if (state.line >= 3) throw new Error('line 3 is the last line');
  requireText(note, 'say why it goes to the next line');
}

function checkWaitForClient(state: TicketState, { question }: { question: string }): void {
  requireStatus(state, 'in_progress');
  requireText(question, 'ask the client what is needed');
}

function checkReply(state: TicketState, { text }: { text: string }): void {
  requireStatus(state, 'new', 'in_progress', 'waiting_client', 'resolved');
  requireText(text, 'the reply is empty');
}

/** Прил. 3 п.4e: a resolution is a solution, a workaround or a forecast with reasons. */
function checkResolve(state: TicketState, { kind, text }: { kind: string; text: string }): void {
  requireStatus(state, 'in_progress');
  if (!['solution', 'workaround', 'forecast'].includes(kind)) throw new Error('kind is solution, workaround or forecast');
  requireText(text, 'say what the solution is');
}

const closedPauses = (state: TicketState): Pause[] => state.pauses.filter((p) => p.end).map((p) => ({ start: p.start, end: p.end! }));

/** The registration number goes out by e-mail, retried; not gone within 5 minutes of receipt, the breach is recorded (Прил. 3 п.2a). */
async function sendRegistrationWatched(input: SupportTicketInput, state: TicketState, show: () => void): Promise<void> {
  let sent = false;
  const sending = sendTicketRegistration(input.ticketId).then(() => void (sent = true));
  const left = new Date(input.receivedAt).getTime() + REGISTRATION_MINUTES * MINUTE - Date.now();
  if (!(left > 0 && (await condition(() => sent, left))) && !sent) {
    state.breaches.registration = new Date().toISOString();
    await recordTicketBreach(input.ticketId, 'registration', state.breaches.registration);
    show();
  }
  await sending;
}

/** The resolution deadline from registration, in working hours, without the time paused (Прил. 3 п.4e). */
function resolutionDue(calendar: BusinessCalendar, state: TicketState, priority: Priority | undefined): Date | undefined {
  if (!priority || state.pauses.some((p) => !p.end)) return undefined;
  return calendar.addWorkingTime(state.receivedAt, RESOLUTION_HOURS[priority] * HOUR, { pauses: closedPauses(state) });
}

/** The next thing due for the ticket, and which; `idle` (far ahead) when only the client can move it. */
function nextDeadline(calendar: BusinessCalendar, state: TicketState, priority: Priority | undefined, plan: { kind?: string }): Date {
  const candidates: [string, Date][] = [];
  const warnedOf = (kind: string) => state.warned.includes(`${kind}:${state.line}:${state.status}`);
  if (state.status === 'new') {
    const budget = REACTION_MINUTES[state.line] * MINUTE;
    const due = calendar.addWorkingTime(state.lineArrivedAt, budget);
    if (!warnedOf('reaction-warning')) candidates.push(['reaction-warning', calendar.addWorkingTime(state.lineArrivedAt, Math.floor(budget * WARNING_SHARE))]);
    if (!state.reactionBreachedLines.includes(state.line)) candidates.push(['reaction-breach', due]);
  }
  if (state.status === 'new' || state.status === 'in_progress') {
    const due = resolutionDue(calendar, state, priority);
    if (due && priority) {
      const budget = RESOLUTION_HOURS[priority] * HOUR;
      if (!warnedOf('resolution-warning')) candidates.push(['resolution-warning', calendar.addWorkingTime(state.receivedAt, Math.floor(budget * WARNING_SHARE), { pauses: closedPauses(state) })]);
      if (!state.breaches.resolution) candidates.push(['resolution-breach', due]);
    }
  }
  if (state.status === 'resolved') {
    const resolvedAt = state.pauses[state.pauses.length - 1]?.start ?? state.receivedAt;
    candidates.push(['close', calendar.addWorkingDays(resolvedAt, CLOSE_AFTER_WORKING_DAYS)]);
  }
  candidates.sort((a, b) => a[1].getTime() - b[1].getTime());
  if (candidates.length === 0) {
    plan.kind = 'idle';
    return new Date(0);
  }
  plan.kind = candidates[0][0];
  return candidates[0][1];
}
