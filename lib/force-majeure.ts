import type { BusinessCalendar, Pause } from './calendar';

/**
 * Force majeure (8.3-8.6): the deadlines of the processes an event affects stand still while it
 * lasts: once it is over its interval is a pause of their calendars; while it goes on (no end
 * recorded yet) they are suspended altogether (workflows/shared/deadline.ts).
 */
export const FORCE_MAJEURE_PROCESSES = [
  'all',
  'emission',
  'tickets',
  'acts',
  'notices',
  'application',
  'onboarding',
  'refunds',
  'claims',
] as const;
export type ForceMajeureProcess = Exclude<(typeof FORCE_MAJEURE_PROCESSES)[number], 'all'>;

export interface ForceMajeureEvent {
  start: string;
  end: string | null;
  processes: string[];
}

const affects = (e: ForceMajeureEvent, process: ForceMajeureProcess) =>
  e.processes.includes('all') || e.processes.includes(process);

/** An event affecting the process that has no end yet: its deadlines are suspended altogether. */
export function ongoingForceMajeure(
  events: readonly ForceMajeureEvent[],
  process: ForceMajeureProcess,
): ForceMajeureEvent | undefined {
  return events.find((e) => !e.end && affects(e, process));
}

/** The pauses a process's deadlines take from the force-majeure events that are over. */
export function forceMajeurePauses(events: readonly ForceMajeureEvent[], process: ForceMajeureProcess): Pause[] {
  return events.filter((e) => e.end && affects(e, process)).map((e) => ({ start: e.start, end: e.end! }));
}

/** 8.3: the party hit notifies within 5 working days. */
export const NOTICE_WORKING_DAYS = 5;

/** 8.3: when the notice of an event that started at `startedAt` is due: the end of the 5th working day after it. */
export function noticeDueAt(calendar: BusinessCalendar, startedAt: string | Date): Date {
  return calendar.addWorkingDays(startedAt, NOTICE_WORKING_DAYS);
}

/**
 * Where an event stands with a second person (the four-eyes rule of the operator, on top of
 * 8.3): `recorded` needed none; `pending_confirmation` was proposed to be relied on although
 * its notice was late, with a reason, and waits for a different admin; `confirmed` and
 * `rejected` are that admin's decision.
 */
export const FORCE_MAJEURE_STATUSES = ['recorded', 'pending_confirmation', 'confirmed', 'rejected'] as const;
export type ForceMajeureStatus = (typeof FORCE_MAJEURE_STATUSES)[number];

/**
 * Whether the operator may rely on an event (8.3, 8.5): a well-known fact needs no notice; any
 * other event counts only if its notice went out within 5 working days of its start — or, while
 * that time is not over, may still go out. An event noticed late does not suspend any deadline,
 * unless a second admin confirmed relying on it for the reason recorded (e.g. the event itself
 * kept the notice from going out, 8.3 last sentence); one waiting for that confirmation, or
 * rejected, does not.
 */
export function reliedOn(
  calendar: BusinessCalendar,
  e: { startedAt: string | Date; notifiedAt: string | Date | null; wellKnown: boolean; status?: ForceMajeureStatus },
  now: Date,
): boolean {
  if (e.status === 'confirmed') return true;
  if (e.status === 'pending_confirmation' || e.status === 'rejected') return false;
  if (e.wellKnown) return true;
  const due = noticeDueAt(calendar, e.startedAt).getTime();
  return e.notifiedAt ? new Date(e.notifiedAt).getTime() <= due : now.getTime() <= due;
}

/**
 * What a notice later than 8.3 allows takes (staff recording an event, staff accepting a
 * client's declaration): `in_time` — timely (or may still be) or a well-known fact (8.5), no
 * reason wanted; `late` — late and no reason given: not relied on; `needs_confirmation` — late
 * with a reason to rely on it anyway: a different admin must confirm; `reason_not_needed` — a
 * reason was given for a notice that is not late (refused, so that nothing waits for nobody).
 */
export type LateNoticeOutcome = 'in_time' | 'late' | 'needs_confirmation' | 'reason_not_needed';

export function lateNoticeOutcome(
  calendar: BusinessCalendar,
  e: { startedAt: string | Date; notifiedAt: string | Date | null; wellKnown: boolean },
  now: Date,
  reason: string | undefined,
): LateNoticeOutcome {
  const late = !reliedOn(calendar, { ...e, status: 'recorded' }, now);
  const hasReason = !!reason?.trim();
  if (!late) return hasReason ? 'reason_not_needed' : 'in_time';
  return hasReason ? 'needs_confirmation' : 'late';
}

/** The four-eyes rule: a proposal is confirmed or rejected by a staff user other than the one who made it. */
export function isSecondPerson(proposedBy: string | null | undefined, decidedBy: string): boolean {
  return !!proposedBy && proposedBy !== decidedBy;
}

/**
 * A client's force majeure (8.3-8.5). The client is the party affected: 8.4 extends the
 * performance periods of ITS obligations — and only its own, only for the time the event lasts.
 * The obligations of the client that run on a deadline here:
 * - `acts`: signing the monthly act or sending a motivated refusal within 5 working days (6.7, 6.8);
 * - `application`: applying received codes to the goods within 30 working days (4.1.6);
 * - `notices`: answering the operator's notice within 5 working days (10.2.1), or its
 *   information request within 1 (4.3.2).
 * The operator's deadlines towards that client (emission within 4 hours, support, refunds,
 * claims, compensations) are not moved: the operator is not the party affected.
 */
export const CLIENT_OBLIGATIONS = ['acts', 'application', 'notices'] as const;
export type ClientObligation = (typeof CLIENT_OBLIGATIONS)[number];

/**
 * A client's declaration: `under_review` when received; staff accept it (it then suspends the
 * client's deadlines, 8.4) or reject it with a reason; accepting one whose notice was late needs a
 * reason and a second admin (`pending_confirmation`).
 */
export const DECLARATION_STATUSES = ['under_review', 'pending_confirmation', 'accepted', 'rejected'] as const;
export type DeclarationStatus = (typeof DECLARATION_STATUSES)[number];

/** 8.5: the proof is a certificate of a competent authority of Kazakhstan or an authorised organisation (e.g. the NCE «Atameken»); other papers support it. */
export const EVIDENCE_KINDS = ['certificate', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * Why staff cannot accept a declaration as it stands (8.3, 8.5), or undefined: a declaration that
 * is not a well-known fact needs the certificate (8.5); a well-known fact needs no proof.
 */
export function missingProof(d: { wellKnown: boolean; evidenceKinds: readonly string[] }): string | undefined {
  if (d.wellKnown || d.evidenceKinds.includes('certificate')) return undefined;
  return 'The declaration has no certificate of a competent authority or organisation (e.g. the NCE «Atameken»), and is not a well-known fact (8.5)';
}

/** An accepted declaration as a force-majeure event of the client's own deadlines (8.4). */
export function declaredEvent(d: {
  started_at: string | Date;
  ended_at: string | Date | null;
  obligations: string[];
}): ForceMajeureEvent {
  return {
    start: new Date(d.started_at).toISOString(),
    end: d.ended_at ? new Date(d.ended_at).toISOString() : null,
    processes: d.obligations.filter((o) => (CLIENT_OBLIGATIONS as readonly string[]).includes(o)),
  };
}
