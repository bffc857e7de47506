import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice } from './shared/notify';

/** An accountant answers a refund request within 15 calendar days (6.11). */
export const ANSWER_CALENDAR_DAYS = 15;

export interface RefundRequestInput {
  refundId: string;
  clientId: string;
  requestedAt: string;
  kind: 'request' | 'one_year' | 'termination';
  /** Workflows waiting for the decision (the client's lifecycle, a termination): signalled when it is made. */
  notify?: string[];
}

export interface RefundState {
  refundId: string;
  status: 'pending' | 'paid' | 'refused';
  dueAt?: string;
  overdue: boolean;
  paidTiyn?: number;
  feeTiyn?: number;
  clientFeesTiyn?: number;
}

const KIND_TITLES = {
  request: '6.11, on request',
  one_year: '3.7, one year unused',
  termination: '4.1.2, 10.4, the contract ended',
};

export const refundWorkflowId = (refundId: string) => `refund-${refundId}`;
/** Sent to the workflows in `notify` once the refund is paid or refused. */
export const refundDecidedSignal = defineSignal<[{ refundId: string; status: 'paid' | 'refused' }]>('refundDecided');
export const refundStateQuery = defineQuery<RefundState>('refundState');
/** The accountant pays the refund: in full (6.11, 10.4), less the operator's actual bank cost (3.7), or with the client's bank fees (4.1.2). */
export const approveRefundUpdate = defineUpdate<
  RefundState,
  [{ staffId: string; bankFeeTiyn?: number; clientBankFeesTiyn?: number; clientBankFeesDocument?: string }]
>('approveRefund');
/** The accountant refuses it — which the system itself refuses when the contract does not allow (6.11). */
export const refuseRefundUpdate = defineUpdate<RefundState, [{ staffId: string; reason: string }]>('refuseRefund');

const { payRefund, recordRefundDue, refuseRefund } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '5 minutes' },
});

/**
 * A refund of unused money (6.11): the accountant answers within 15 calendar days — pays it
 * (in full; under 3.7 less the operator's actual bank cost; under 4.1.2 with the client's bank
 * fees), or refuses it where the contract allows; past the deadline the
 * request is recorded overdue and still waits for its answer.
 */
export async function refundRequest(input: RefundRequestInput): Promise<RefundState> {
  const state: RefundState = { refundId: input.refundId, status: 'pending', overdue: false };
  const now = () => new Date().toISOString();
  const show = (details: string) => {
    upsertSearchAttributes([
      { key: ClientId, value: input.clientId },
      {
        key: BusinessStatus,
        value: `refund_${state.overdue && state.status === 'pending' ? 'overdue' : state.status}`,
      },
    ]);
    setCurrentDetails(`Refund ${input.refundId} (${KIND_TITLES[input.kind]}): ${state.status}. ${details}`);
  };
  setHandler(refundStateQuery, () => state);
  const tellWaiting = async () => {
    for (const workflowId of input.notify ?? []) {
      await getExternalWorkflowHandle(workflowId)
        .signal(refundDecidedSignal, { refundId: input.refundId, status: state.status as 'paid' | 'refused' })
        .catch(() => undefined); // it polls as well (workflows/shared/contract-refund.ts)
    }
  };
  let deciding = false;
  const pending = () => {
    if (state.status !== 'pending') throw new Error(`the refund is ${state.status}`);
    if (deciding) throw new Error('another decision on the refund is in progress');
  };
  /** One decision at a time; a refused one (e.g. REFUSAL_NOT_ALLOWED) leaves the refund pending. */
  const decide = async <T>(act: () => Promise<T>): Promise<T> => {
    deciding = true;
    try {
      return await act();
    } finally {
      deciding = false;
    }
  };
  setHandler(
    approveRefundUpdate,
    async ({ staffId, ...decision }) => {
      const paid = await decide(() => payRefund(input.refundId, decision, staffId, now()));
      Object.assign(state, {
        status: 'paid',
        paidTiyn: paid.paidTiyn,
        feeTiyn: paid.feeTiyn,
        clientFeesTiyn: paid.clientFeesTiyn,
      });
      show(
        `Paid ${paid.paidTiyn} tiyn; operator's bank cost kept ${paid.feeTiyn ?? 0}, client's bank fees added ${paid.clientFeesTiyn ?? 0}.`,
      );
      await deliverNotice(paid.notice);
      await tellWaiting();
      return state;
    },
    {
      validator: ({ bankFeeTiyn = 0, clientBankFeesTiyn = 0 }) => {
        pending();
        // What each clause allows (3.7 deducts, 4.1.2 adds) is checked by the payment itself (lib/refund-rules.ts).
        if (![bankFeeTiyn, clientBankFeesTiyn].every((n) => Number.isInteger(n) && n >= 0))
          fail('bank fees are whole numbers of tiyn ≥ 0');
      },
    },
  );
  setHandler(
    refuseRefundUpdate,
    async ({ staffId, reason }) => {
      const refused = await decide(() => refuseRefund(input.refundId, reason, staffId, now()));
      state.status = 'refused';
      show(`Refused: ${reason}.`);
      await deliverNotice(refused.notice);
      await tellWaiting();
      return state;
    },
    {
      validator: ({ reason }) => {
        pending();
        if (input.kind !== 'request') fail('a refund the contract owes (3.7, 10.4) may not be refused');
        if (!reason?.trim()) fail('a refusal needs its reason');
      },
    },
  );

  show('Waiting for an accountant.');
  const outcome = await waitForDecisionOrDeadline({
    process: 'refunds',
    compute: (calendar) => calendar.addCalendarDays(input.requestedAt, ANSWER_CALENDAR_DAYS),
    done: () => state.status !== 'pending',
    onDeadline: async (due) => {
      state.dueAt = due.toISOString();
      await recordRefundDue(input.refundId, state.dueAt, false);
      show(`The answer is due by ${state.dueAt} (6.11).`);
    },
  });
  if (outcome === 'deadline') {
    state.overdue = true;
    await recordRefundDue(input.refundId, state.dueAt!, true);
    show(`No answer within ${ANSWER_CALENDAR_DAYS} calendar days: overdue.`);
    await waitForDecisionOrDeadline({
      compute: (calendar) => calendar.addCalendarDays(now(), 3650),
      done: () => state.status !== 'pending',
    });
  }
  await condition(allHandlersFinished);
  return state;
}

function fail(message: string): never {
  throw new Error(message);
}
