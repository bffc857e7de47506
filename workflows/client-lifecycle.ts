import {
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { addDaysToDate } from '../lib/calendar';
import { lastDayToUse, oneYearDeadline, unusedAdvanceSince } from '../lib/one-year';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { endOpenOrders, settleObligations } from './shared/contract-end';
import { refundContractBalance } from './shared/contract-refund';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice } from './shared/notify';

export interface ClientLifecycleInput {
  clientId: string;
  /** The day the contract applies from (10.5.3). */
  effectiveFrom: string;
  /** Carried over continue-as-new. */
  state?: ClientLifecycleState;
}

export interface ClientLifecycleState {
  clientId: string;
  status: 'joined' | 'active' | 'refunding' | 'ended';
  effectiveFrom: string;
  detailChanges: number;
  lastDetailChangeAt?: string;
  consentWithdrawnAt?: string;
  /** The payment date the year of 3.7 runs from, and the end of that year. */
  unusedAdvanceSince?: string;
  oneYearDueAt?: string;
  /** A 3.7 refund was made for the advance paid on this date. */
  oneYearHandledFor?: string;
  /** What is still open while the contract ends under 3.7. */
  openObligations?: string[];
  /** No order within a year of the contract's conclusion: the operator may end it (4.3.1 b). */
  noOrderWithinYear?: boolean;
  endedAt?: string;
  endReason?: string;
  /** Runs of this workflow so far (continue-as-new). */
  run: number;
}

export const clientWorkflowId = (clientId: string) => `client-${clientId}`;
export const clientStateQuery = defineQuery<ClientLifecycleState>('clientState');
/** The client reported changed details (10.2.2). */
export const detailsChangedSignal = defineSignal<[{ at: string; fields: string[] }]>('detailsChanged');
/** The client withdrew consent to personal-data processing (10.7.3). */
export const consentWithdrawnSignal = defineSignal<[{ at: string }]>('consentWithdrawn');
/** The contract ended by termination (10.4): sent by its workflow once access has ended. */
export const contractEndedSignal = defineSignal<[{ at: string; reason: string }]>('contractEnded');
/** Payments or downloads changed: look at the advance again now rather than at the next check. */
export const advanceChangedSignal = defineSignal('advanceChanged');

/** With no unused advance, payments are looked at again this often (one may be dated back). */
const RECHECK_DAYS = 30;

const { advanceState, beginContractEnd, cancelContractEnd, endContract } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 minutes' },
});

/**
 * One client's life under the contract, from activation on: the contract takes effect the day
 * after joining (10.5.3); changed details and consent are recorded as they come; money paid in
 * advance and unused for a calendar year is returned and the contract ends (3.7); a year
 * without an order is flagged as a ground for the operator to end it (4.3.1 b); a termination
 * (10.4) ends it. Continues as new when its history grows long.
 */
export async function clientLifecycle(input: ClientLifecycleInput): Promise<ClientLifecycleState> {
  const state: ClientLifecycleState = input.state ?? {
    clientId: input.clientId,
    status: 'joined',
    effectiveFrom: input.effectiveFrom,
    detailChanges: 0,
    run: 0,
  };
  state.run++;
  let recheck = false;
  const ended = () => state.status === 'ended';
  const show = () => {
    upsertSearchAttributes([
      { key: ClientId, value: state.clientId },
      { key: BusinessStatus, value: state.status },
    ]);
    setCurrentDetails(
      [
        state.status === 'ended'
          ? `Contract ended ${state.endedAt}: ${state.endReason}.`
          : `Contract ${state.status === 'joined' ? 'takes effect' : 'in effect'} from ${state.effectiveFrom} (10.5.3).`,
        state.oneYearDueAt
          ? `Advance paid ${state.unusedAdvanceSince} unused: returned unless services are used by ${state.oneYearDueAt} (3.7).`
          : '',
        state.status === 'refunding'
          ? 'A year unused: no new orders; what is open is settled, the advance returned, then the contract ends (3.7).'
          : '',
        state.status === 'refunding' && state.openObligations?.length
          ? `Waiting for ${state.openObligations.join(', ')}.`
          : '',
        state.noOrderWithinYear ? 'No order within a year of the contract: the operator may end it (4.3.1 b).' : '',
        state.detailChanges
          ? `Details changed ${state.detailChanges} time(s), last at ${state.lastDetailChangeAt} (10.2.2).`
          : '',
        state.consentWithdrawnAt
          ? `Consent to personal-data processing withdrawn at ${state.consentWithdrawnAt} (10.7.3).`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  };
  setHandler(clientStateQuery, () => state);
  setHandler(detailsChangedSignal, ({ at }) => {
    state.detailChanges++;
    state.lastDetailChangeAt = at;
    show();
  });
  setHandler(consentWithdrawnSignal, ({ at }) => {
    state.consentWithdrawnAt = at;
    show();
  });
  setHandler(contractEndedSignal, ({ at, reason }) => {
    Object.assign(state, { status: 'ended', endedAt: at, endReason: reason, oneYearDueAt: undefined });
    show();
  });
  setHandler(advanceChangedSignal, () => void (recheck = true));
  show();

  if (state.status === 'joined') {
    await waitForDecisionOrDeadline({ compute: (calendar) => calendar.startOfDay(state.effectiveFrom), done: ended });
    if (state.status === 'joined') state.status = 'active';
    show();
  }

  const contractDate = addDaysToDate(state.effectiveFrom, -1);
  while (!ended()) {
    recheck = false;
    const facts = await advanceState(state.clientId, null);
    if (facts.contractEnded) break;
    const since = unusedAdvanceSince(facts);
    const orderDue = !facts.firstOrderDate && !state.noOrderWithinYear;
    const next: { check: 'one_year' | 'no_order' | 'recheck' } = { check: 'recheck' };
    const outcome = await waitForDecisionOrDeadline({
      compute: (calendar) => {
        const candidates: Array<[typeof next.check, Date]> = [
          ['recheck', calendar.addCalendarDays(new Date(), RECHECK_DAYS)],
        ];
        if (since && since !== state.oneYearHandledFor) candidates.push(['one_year', oneYearDeadline(calendar, since)]);
        if (orderDue) candidates.push(['no_order', calendar.addCalendarYears(contractDate, 1)]);
        const [check, at] = candidates.reduce((a, b) => (b[1] < a[1] ? b : a));
        next.check = check;
        Object.assign(state, {
          unusedAdvanceSince: since ?? undefined,
          oneYearDueAt: since && since !== state.oneYearHandledFor ? lastDayToUse(calendar, since) : undefined,
        });
        return at;
      },
      done: () => ended() || recheck || workflowInfo().continueAsNewSuggested,
      onDeadline: () => show(),
    });
    if (ended()) break;
    if (outcome === 'done') {
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof clientLifecycle>({ ...input, state });
      continue;
    }
    if (next.check === 'no_order') {
      state.noOrderWithinYear = !(await advanceState(state.clientId, null)).firstOrderDate;
      show();
    }
    if (next.check === 'one_year' && since && state.oneYearDueAt) {
      // Only uses up to the last day of the year count (3.7).
      const atDeadline = await advanceState(state.clientId, state.oneYearDueAt);
      if (unusedAdvanceSince(atDeadline) === since) await returnUnusedAdvance(state, since, show);
    }
  }
  show();
  return state;
}

/**
 * 3.7: the contract ends with the return of the advance. First everything is settled — no new
 * orders, open orders ended and their reservations released, every month with services acted —
 * then the whole balance goes back less the operator's actual bank cost, then the account closes
 * (no money may stay on a closed one: what came in meanwhile is returned first).
 */
async function returnUnusedAdvance(state: ClientLifecycleState, since: string, show: () => void): Promise<void> {
  state.status = 'refunding';
  state.oneYearHandledFor = since;
  show();
  if (patched('3.7-settles-before-refund')) {
    await beginContractEnd(state.clientId, '3.7', new Date().toISOString());
    await endOpenOrders(state.clientId, '3.7');
    await settleObligations(state.clientId, (open) => {
      state.openObligations = open;
      show();
    });
  }
  for (;;) {
    const outcome = await refundContractBalance({ clientId: state.clientId, kind: 'one_year' });
    if (state.status !== 'refunding') return; // ended meanwhile by a termination
    if (outcome === 'nothing_to_refund') {
      await cancelContractEnd(state.clientId);
      state.status = 'active';
      return;
    }
    const endedAt = new Date().toISOString();
    const notice = await endContract(
      state.clientId,
      'аванс не использован в течение одного календарного года и возвращён (п. 3.7 Договора)',
      endedAt,
    );
    if (!notice) continue; // money came in meanwhile: it goes back too
    await deliverNotice(notice);
    Object.assign(state, {
      status: 'ended',
      endedAt,
      endReason: '3.7: the advance was unused for a year and returned',
      oneYearDueAt: undefined,
    });
    return;
  }
}
