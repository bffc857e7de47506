import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice } from './shared/notify';

/** 7.2: within 5 working days of signing the defect act; 7.3: within 10 working days of the client's demand. */
export const COMPENSATION_WORKING_DAYS = { defect_act: 5, late_service: 10 } as const;

export interface CompensationInput {
  compensationId: string;
  clientId: string;
  basis: 'defect_act' | 'late_service';
  /** The defect act's signing (7.2) or the demand's receipt (7.3). */
  eventAt: string;
  amountTiyn: number;
}

export interface CompensationState {
  compensationId: string;
  status: 'pending' | 'paid' | 'refused';
  dueAt?: string;
  overdue: boolean;
  amountPaidTiyn?: number;
  paidBy?: 'accountant' | 'system';
}

export const compensationWorkflowId = (compensationId: string) => `compensation-${compensationId}`;
export const compensationStateQuery = defineQuery<CompensationState>('compensationState');
/** The accountant pays the compensation: the agreed cost (7.2) or the actual damage established (7.3, at most what was demanded). */
export const payCompensationUpdate = defineUpdate<CompensationState, [{ amountTiyn: number; staffId: string }]>(
  'payCompensation',
);
/** The accountant refuses a demand for damage (7.3) with the reason. */
export const refuseCompensationUpdate = defineUpdate<CompensationState, [{ reason: string; staffId: string }]>(
  'refuseCompensation',
);

const { payCompensation, recordCompensationDue, refuseCompensation } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '5 minutes' },
});

/**
 * A compensation owed to the client. 7.2: the cost of services not rendered or defective, per
 * a signed defect act, goes back to the personal account within 5 working days — credited by
 * the system at the deadline if no accountant did it before. 7.3: actual damage from late
 * service is paid within 10 working days of the demand, to the bank or the personal account;
 * past the deadline it is overdue and still awaits the accountant.
 */
export async function compensation(input: CompensationInput): Promise<CompensationState> {
  const state: CompensationState = { compensationId: input.compensationId, status: 'pending', overdue: false };
  const clause = input.basis === 'defect_act' ? '7.2' : '7.3';
  const show = (details: string) => {
    upsertSearchAttributes([
      { key: ClientId, value: input.clientId },
      {
        key: BusinessStatus,
        value: `compensation_${state.overdue && state.status === 'pending' ? 'overdue' : state.status}`,
      },
    ]);
    setCurrentDetails(`Compensation (${clause}) of up to ${input.amountTiyn} tiyn: ${state.status}. ${details}`);
  };
  setHandler(compensationStateQuery, () => state);
  let deciding = false;
  const decide = async (act: () => Promise<void>) => {
    deciding = true;
    try {
      await act();
    } finally {
      deciding = false;
    }
    return state;
  };
  const pending = () => {
    if (state.status !== 'pending') throw new Error(`the compensation is ${state.status}`);
    if (deciding) throw new Error('another decision is in progress');
  };
  const pay = async (amountTiyn: number, staffId: string | null) => {
    const paid = await payCompensation(input.compensationId, amountTiyn, staffId, new Date().toISOString());
    Object.assign(state, {
      status: 'paid',
      amountPaidTiyn: paid.amountTiyn,
      paidBy: staffId ? 'accountant' : 'system',
    });
    show(`Paid ${paid.amountTiyn} tiyn${state.overdue ? ' late' : ''}.`);
    await deliverNotice(paid.notice);
  };
  setHandler(payCompensationUpdate, ({ amountTiyn, staffId }) => decide(() => pay(amountTiyn, staffId)), {
    validator: ({ amountTiyn }) => {
      pending();
      if (!Number.isSafeInteger(amountTiyn) || amountTiyn <= 0 || amountTiyn > input.amountTiyn)
        throw new Error(`the amount is 1..${input.amountTiyn} tiyn`);
      if (input.basis === 'defect_act' && amountTiyn !== input.amountTiyn)
        throw new Error('a signed defect act is compensated in the amount it states (7.2)');
    },
  });
  setHandler(
    refuseCompensationUpdate,
    ({ reason, staffId }) =>
      decide(async () => {
        const notice = await refuseCompensation(input.compensationId, reason, staffId, new Date().toISOString());
        state.status = 'refused';
        show(`Refused: ${reason}.`);
        await deliverNotice(notice);
      }),
    {
      validator: ({ reason }) => {
        pending();
        if (input.basis === 'defect_act') throw new Error('a signed defect act is owed (7.2) and may not be refused');
        if (!reason?.trim()) throw new Error('a refusal needs its reason');
      },
    },
  );

  show('Waiting for an accountant.');
  const outcome = await waitForDecisionOrDeadline({
    process: 'claims',
    compute: (calendar) => calendar.addWorkingDays(input.eventAt, COMPENSATION_WORKING_DAYS[input.basis]),
    done: () => state.status !== 'pending',
    onDeadline: async (due) => {
      state.dueAt = due.toISOString();
      await recordCompensationDue(input.compensationId, state.dueAt, false);
      show(`Due by ${state.dueAt} (${clause}).`);
    },
  });
  if (outcome === 'deadline' && input.basis === 'defect_act') {
    await pay(input.amountTiyn, null);
    await condition(allHandlersFinished);
    return state;
  }
  if (outcome === 'deadline') {
    state.overdue = true;
    await recordCompensationDue(input.compensationId, state.dueAt!, true);
    show(`Not paid within ${COMPENSATION_WORKING_DAYS[input.basis]} working days: overdue.`);
  }
  await waitForDecisionOrDeadline({
    compute: (calendar) => calendar.addCalendarDays(new Date(), 3650),
    done: () => state.status !== 'pending' && !deciding,
  });
  await condition(allHandlersFinished);
  return state;
}
