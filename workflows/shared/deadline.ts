import {
  condition,
  defineSignal,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { LoadedCalendar } from '../../activities/calendar';
import { BusinessCalendar, CalendarYearMissingError } from '../../lib/calendar';
import { ClientId, DeadlineAt } from '../../lib/search-attributes';
import { ShownAttributes } from './shown-attributes';
import { forceMajeurePauses, ForceMajeureProcess, ongoingForceMajeure } from '../../lib/force-majeure';

/**
 * Sent by the API to every running workflow with a deadline ahead when staff change the
 * calendar (a new decree) or record force majeure: the workflow reloads the calendar and
 * recomputes its deadline.
 */
export const calendarChangedSignal = defineSignal('calendarChanged');

const { loadCalendar } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
});

/** Calendar changes this workflow has been told of (calendarChangedSignal): a calendar loaded before one is stale. */
let changesTold = 0;

/** The calendar as a workflow loaded it for its waits (DeadlineWait.loaded), and the changes it had been told of. */
export interface CalendarForWaits {
  calendar: LoadedCalendar;
  changesTold: number;
}

/**
 * Loads the calendar once, in a local activity, for the workflow's waits one after another: each computes from it
 * unless the calendar changed since (issue #20: an order loaded it twice, an activity task each time). Not for a
 * workflow running another local activity at the same time: their results could come back in another order on
 * replay.
 */
export async function loadCalendarForWaits(clientId: string): Promise<CalendarForWaits> {
  return { calendar: await local.loadCalendar(new Date().toISOString(), clientId), changesTold };
}

/**
 * The calendar kept in a workflow's state across its waits, one after another (a ticket's warnings and breaches): each
 * wait computes from it unless the workflow was told of a change since, or it is older than `maxAgeMs` — the bound on
 * a change whose signal missed the workflow while it was between two waits (DeadlineAt is cleared then, and the API
 * signals only workflows with it set; signalDeadlineWaiters). Loaded in a local activity, inside the workflow task:
 * the same rule as `localCalendar`.
 */
export class KeptCalendar {
  private kept?: { calendar: LoadedCalendar; changesTold: number; at: number };
  constructor(private readonly maxAgeMs: number) {}

  /** The calendar kept, unless a change was told since or it is too old. */
  current(): LoadedCalendar | undefined {
    const kept = this.kept;
    return kept && kept.changesTold === changesTold && Date.now() - kept.at < this.maxAgeMs ? kept.calendar : undefined;
  }

  /** `told`: the changes told before the load began (one told during the load makes the calendar stale). */
  keep(calendar: LoadedCalendar, told: number): void {
    this.kept = { calendar, changesTold: told, at: Date.now() };
  }
}

export interface DeadlineWait {
  /** The deadline from the calendar as it stands, e.g. `(c) => c.addWorkingDays(sentAt, 5)`. */
  compute(calendar: BusinessCalendar): Date;
  /** The awaited decision has come. */
  done(): boolean;
  /** Told each (re)computed deadline, to record it and show it in state and current details. */
  onDeadline?(deadline: Date, calendar: BusinessCalendar): Promise<void> | void;
  /** The process whose deadline this is: force-majeure events affecting it suspend it (8.3-8.5). */
  process?: ForceMajeureProcess;
  /** Told when a force-majeure event without an end suspends the deadline altogether. */
  onSuspended?(since: string): Promise<void> | void;
  /**
   * The client whose deadline this is: its own accepted force majeure suspends it too, for the
   * client's obligations (8.4, lib/force-majeure.ts CLIENT_OBLIGATIONS). Defaults to the
   * workflow's ClientId search attribute.
   */
  clientId?: string;
  /** The calendar loaded before (loadCalendarForWaits): the first computation uses it unless it changed since. */
  loaded?: CalendarForWaits;
  /**
   * Load the calendar (again) in a local activity, inside the workflow task: for a workflow that patched to it and
   * runs no other local activity meanwhile.
   */
  localCalendar?: boolean;
  /** The calendar kept across waits (KeptCalendar): used while current, and what the wait loads is kept in it. */
  kept?: KeptCalendar;
  /**
   * For a workflow that waits again at once (a ticket's loop of waits): DeadlineAt is left as it is when the wait ends,
   * upserted only when it changes, and cleared by the workflow with `clearDeadlineShown()` when it stops waiting.
   * Each upsert is a history event and a write to the server's visibility store (issue #20).
   */
  keepShown?: boolean;
}

/** DeadlineAt as this workflow last upserted it. */
const shownDeadline = new ShownAttributes(true);

/** Upserts DeadlineAt; with `onChange`, only when it differs from the last upserted. */
function showDeadline(value: Date | null, onChange: boolean): void {
  shownDeadline.show([{ key: DeadlineAt, value }], { always: !onChange });
}

/** A workflow whose waits keep DeadlineAt shown (`keepShown`) stops waiting: DeadlineAt cleared, unless it is. */
export function clearDeadlineShown(): void {
  showDeadline(null, true);
}

/**
 * Since this patch a year without data is derived from the Law on holidays (provisional) instead
 * of waited for. A workflow that waited for such a year before replays as it ran then, and
 * derives from its next live recomputation on (a calendar edit wakes it).
 */
export const DERIVED_YEARS_PATCH = 'calendar-derived-years';

/** DeadlineAt of a wait suspended by force majeure: far ahead, but set, so the end of the event reaches it. */
const SUSPENDED = new Date('2999-12-31T00:00:00Z');

/**
 * Waits for a decision or a deadline from the business calendar, whichever comes first.
 * The deadline is recomputed whenever the calendar changes: a year without data is derived
 * from the Law on holidays (provisional; `calendar.provisionalYearsIn(event, deadline)` in
 * onDeadline tells), and staff entering the official year moves the deadline. Only a year
 * that cannot be derived (before the law as now in force) makes it wait, visibly, until staff
 * add the year. DeadlineAt is cleared when the wait ends (unless `keepShown`).
 */
export async function waitForDecisionOrDeadline(wait: DeadlineWait): Promise<'done' | 'deadline'> {
  const outcome = await waitOn(wait);
  if (!wait.keepShown) showDeadline(null, false);
  return outcome;
}

async function waitOn(wait: DeadlineWait): Promise<'done' | 'deadline'> {
  let calendarChanged = false;
  setHandler(calendarChangedSignal, () => {
    calendarChanged = true;
    changesTold++;
  });
  let loaded = wait.loaded;
  for (;;) {
    calendarChanged = false;
    const unchanged =
      (loaded && loaded.changesTold === changesTold ? loaded.calendar : undefined) ?? wait.kept?.current();
    loaded = undefined;
    // Inline, no helper: one await more would reorder this wait's commands against the workflow's other coroutines
    // resumed in the same activation (an order reserves while its calendar loads), which replay refuses.
    const told = changesTold;
    const current =
      unchanged ??
      (await (wait.localCalendar || wait.kept ? local.loadCalendar : loadCalendar)(
        new Date().toISOString(),
        wait.clientId ?? workflowInfo().typedSearchAttributes.get(ClientId),
      ));
    if (!unchanged) wait.kept?.keep(current, told);
    const { data, settings, forceMajeure } = current;
    const ongoing = wait.process ? ongoingForceMajeure(forceMajeure ?? [], wait.process) : undefined;
    if (ongoing) {
      setCurrentDetails(
        `Deadline suspended by force majeure since ${ongoing.start} (8.3-8.5), until its end is recorded.`,
      );
      await wait.onSuspended?.(ongoing.start);
      showDeadline(SUSPENDED, !!wait.keepShown);
      await condition(() => wait.done() || calendarChanged);
      if (wait.done()) return 'done';
      continue;
    }
    const missingYears = patched(DERIVED_YEARS_PATCH) ? 'derive' : 'refuse';
    const calendar = new BusinessCalendar(
      data,
      settings,
      wait.process ? forceMajeurePauses(forceMajeure ?? [], wait.process) : [],
      { missingYears },
    );
    let deadline: Date;
    try {
      deadline = wait.compute(calendar);
    } catch (error) {
      if (!(error instanceof CalendarYearMissingError)) throw error;
      setCurrentDetails(`Waiting for the business calendar of ${error.year}: ${error.message}`);
      // At the earliest in that year; being set also puts this workflow on the list the API signals.
      showDeadline(new Date(Date.UTC(error.year, 0, 1)), !!wait.keepShown);
      await condition(() => wait.done() || calendarChanged);
      if (wait.done()) return 'done';
      continue;
    }
    await wait.onDeadline?.(deadline, calendar);
    showDeadline(deadline, !!wait.keepShown);
    const remaining = deadline.getTime() - Date.now();
    if (remaining > 0) await condition(() => wait.done() || calendarChanged, remaining);
    if (wait.done()) return 'done';
    if (!calendarChanged) return 'deadline';
  }
}
