import type { BusinessCalendar, Pause } from './calendar';

/**
 * Force majeure (8.3-8.6): the deadlines of the processes an event affects stand still while it
 * lasts: once it is over its interval is a pause of their calendars; while it goes on (no end
 * recorded yet) they are suspended altogether (workflows/shared/deadline.ts).
 */
export const FORCE_MAJEURE_PROCESSES = ['all', 'emission', 'tickets', 'acts', 'notices', 'application', 'onboarding', 'refunds', 'claims'] as const;
export type ForceMajeureProcess = Exclude<(typeof FORCE_MAJEURE_PROCESSES)[number], 'all'>;

export interface ForceMajeureEvent {
  start: string;
  end: string | null;
  processes: string[];
}

const affects = (e: ForceMajeureEvent, process: ForceMajeureProcess) => e.processes.includes('all') || e.processes.includes(process);

/** An event affecting the process that has no end yet: its deadlines are suspended altogether. */
export function ongoingForceMajeure(events: readonly ForceMajeureEvent[], process: ForceMajeureProcess): ForceMajeureEvent | undefined {
  return events.find((e) => !e.end && affects(e, process));
}

/** The pauses a process's deadlines take from the force-majeure events that are over. */
export function forceMajeurePauses(events: readonly ForceMajeureEvent[], process: ForceMajeureProcess): Pause[] {
  return events.filter((e) => e.end && affects(e, process)).map((e) => ({ start: e.start, end: e.end! }));
}

/** 8.3: the party hit notifies within 5 working days. */
export const NOTICE_WORKING_DAYS = 5;

/**
 * Whether the operator may rely on an event (8.3, 8.5): a well-known fact needs no notice; any
 * other event counts only if its notice went out within 5 working days of its start — or, while
 * that time is not over, may still go out. An event noticed late does not suspend any deadline.
 */
export function reliedOn(calendar: BusinessCalendar, e: { startedAt: string | Date; notifiedAt: string | Date | null; wellKnown: boolean }, now: Date): boolean {
  if (e.wellKnown) return true;
  const due = calendar.addWorkingDays(e.startedAt, NOTICE_WORKING_DAYS).getTime();
  return e.notifiedAt ? new Date(e.notifiedAt).getTime() <= due : now.getTime() <= due;
}
