import type { BusinessCalendar, Pause } from '../../lib/calendar';
import {
  CLOSE_AFTER_WORKING_DAYS,
  Line,
  Priority,
  REACTION_MINUTES,
  RESOLUTION_HOURS,
  WARNING_SHARE,
} from '../../lib/support';

/** A support ticket's state and its rules (Прил. 3): what an agent's action needs, and what falls due next. */

export type TicketStatus = 'new' | 'in_progress' | 'waiting_client' | 'resolved' | 'closed';
export type ResolutionKind = 'solution' | 'workaround' | 'forecast';

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

export const MINUTE = 60_000;
const HOUR = 3_600_000;

/* What an agent's action needs (the Updates' validators: a refused action leaves no trace in the history). */

export function requireStatus(state: TicketState, ...allowed: TicketStatus[]): void {
  if (!allowed.includes(state.status))
    throw new Error(`the ticket is ${state.status}; this needs ${allowed.join(' or ')}`);
}

function requireText(text: string | undefined, message: string): void {
  if (!text?.trim()) throw new Error(message);
}

export function checkClassify(state: TicketState, { priority }: { priority: string }): void {
  requireStatus(state, 'new');
  if (!['high', 'medium', 'low'].includes(priority)) throw new Error('priority is high, medium or low');
}

/** Прил. 3: three lines of support; the third is the last. */
export function checkEscalate(state: TicketState, { note }: { note: string }): void {
  requireStatus(state, 'in_progress');
  if (state.line >= 3) throw new Error('line 3 is the last line');
  requireText(note, 'say why it goes to the next line');
}

export function checkWaitForClient(state: TicketState, { question }: { question: string }): void {
  requireStatus(state, 'in_progress');
  requireText(question, 'ask the client what is needed');
}

export function checkReply(state: TicketState, { text }: { text: string }): void {
  requireStatus(state, 'new', 'in_progress', 'waiting_client', 'resolved');
  requireText(text, 'the reply is empty');
}

/** Прил. 3 п.4e: a resolution is a solution, a workaround or a forecast with reasons. */
export function checkResolve(state: TicketState, { kind, text }: { kind: string; text: string }): void {
  requireStatus(state, 'in_progress');
  if (!['solution', 'workaround', 'forecast'].includes(kind))
    throw new Error('kind is solution, workaround or forecast');
  requireText(text, 'say what the solution is');
}

/* What falls due (Прил. 3 п.4d, п.4e), on the business calendar. */

/** What the ticket waits for next: a warning, a breach, the close without an answer, or nothing (`idle`). */
export type Due =
  'reaction-warning' | 'resolution-warning' | 'reaction-breach' | 'resolution-breach' | 'close' | 'idle';

const closedPauses = (state: Pick<TicketState, 'pauses'>): Pause[] =>
  state.pauses.filter((p) => p.end).map((p) => ({ start: p.start, end: p.end! }));

/** The reaction deadline at the ticket's line: its reaction time in working minutes from arrival at the line (Прил. 3 п.4d). */
export function reactionDue(calendar: BusinessCalendar, state: Pick<TicketState, 'line' | 'lineArrivedAt'>): Date {
  return calendar.addWorkingTime(state.lineArrivedAt, REACTION_MINUTES[state.line] * MINUTE);
}

/** The resolution deadline from registration, in working hours, without the time paused (Прил. 3 п.4e). */
export function resolutionDue(
  calendar: BusinessCalendar,
  state: Pick<TicketState, 'receivedAt' | 'pauses'>,
  priority: Priority | undefined,
): Date | undefined {
  if (!priority || state.pauses.some((p) => !p.end)) return undefined;
  return calendar.addWorkingTime(state.receivedAt, RESOLUTION_HOURS[priority] * HOUR, { pauses: closedPauses(state) });
}

/** The next thing due for the ticket, and which; `idle` (far ahead) when only the client can move it. */
export function nextDeadline(
  calendar: BusinessCalendar,
  state: TicketState,
  priority: Priority | undefined,
  plan: { kind?: Due },
): Date {
  const candidates: [Due, Date][] = [];
  const warnedOf = (kind: Due) => state.warned.includes(`${kind}:${state.line}:${state.status}`);
  if (state.status === 'new') {
    const budget = REACTION_MINUTES[state.line] * MINUTE;
    if (!warnedOf('reaction-warning'))
      candidates.push([
        'reaction-warning',
        calendar.addWorkingTime(state.lineArrivedAt, Math.floor(budget * WARNING_SHARE)),
      ]);
    if (!state.reactionBreachedLines.includes(state.line))
      candidates.push(['reaction-breach', reactionDue(calendar, state)]);
  }
  if (state.status === 'new' || state.status === 'in_progress') {
    const due = resolutionDue(calendar, state, priority);
    if (due && priority) {
      const budget = RESOLUTION_HOURS[priority] * HOUR;
      if (!warnedOf('resolution-warning'))
        candidates.push([
          'resolution-warning',
          calendar.addWorkingTime(state.receivedAt, Math.floor(budget * WARNING_SHARE), {
            pauses: closedPauses(state),
          }),
        ]);
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
