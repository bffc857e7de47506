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
import type { ClaimDecision } from '../activities/claims';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice } from './shared/notify';

/** A claim is answered on the merits within 15 working days of its actual receipt (9.3). */
export const CLAIM_ANSWER_WORKING_DAYS = 15;

export interface ClaimInput {
  claimId: string;
  clientId: string;
  number: number;
  receivedAt: string;
  /** Proof of the signer's authority came with it; without, the claim is not considered (9.4). */
  considered: boolean;
}

export interface ClaimState {
  claimId: string;
  status: 'not_considered' | 'under_review' | ClaimDecision;
  dueAt?: string;
  overdue: boolean;
  suspendedSince?: string;
}

export const claimWorkflowId = (claimId: string) => `claim-${claimId}`;
export const claimStateQuery = defineQuery<ClaimState>('claimState');
export const answerClaimUpdate = defineUpdate<
  ClaimState,
  [{ decision: ClaimDecision; answer: string; amountAwardedTiyn?: number; staffId: string }]
>('answerClaim');

const { acknowledgeClaim, answerClaim, recordClaimDue, recordClaimOverdue } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '5 minutes' },
});

/**
 * A claim (9.2-9.4): without proof of the signer's authority it is recorded as not considered;
 * otherwise the operator answers on the merits — full or partial satisfaction, or refusal —
 * within 15 working days; force majeure stops that clock (8.4).
 */
export async function claim(input: ClaimInput): Promise<ClaimState> {
  const state: ClaimState = {
    claimId: input.claimId,
    status: input.considered ? 'under_review' : 'not_considered',
    overdue: false,
  };
  const show = (details: string) => {
    upsertSearchAttributes([
      { key: ClientId, value: input.clientId },
      {
        key: BusinessStatus,
        value: `claim_${state.overdue && state.status === 'under_review' ? 'overdue' : state.status}`,
      },
    ]);
    setCurrentDetails(
      `Claim № ${input.number} received ${input.receivedAt}: ${state.status.replace(/_/g, ' ')}. ${details}`,
    );
  };
  setHandler(claimStateQuery, () => state);
  let answering = false;
  setHandler(
    answerClaimUpdate,
    async (a) => {
      answering = true;
      try {
        const notice = await answerClaim(input.claimId, { ...a, at: new Date().toISOString() });
        state.status = a.decision;
        show(`Answered${state.overdue ? ' late' : ''}.`);
        await deliverNotice(notice);
      } finally {
        answering = false;
      }
      return state;
    },
    {
      validator: ({ decision, answer, amountAwardedTiyn }) => {
        if (state.status !== 'under_review') throw new Error(`the claim is ${state.status.replace(/_/g, ' ')}`);
        if (answering) throw new Error('an answer is being recorded');
        if (!answer?.trim()) throw new Error('the answer states its reasons');
        if (
          amountAwardedTiyn !== undefined &&
          (decision === 'refused' || !Number.isSafeInteger(amountAwardedTiyn) || amountAwardedTiyn <= 0)
        )
          throw new Error('an amount is awarded, in whole tiyn, only when the claim is satisfied');
      },
    },
  );

  if (!input.considered) {
    show('No proof of the signer’s authority: not considered (9.4).');
    await deliverNotice(await acknowledgeClaim(input.claimId, null));
    await condition(allHandlersFinished);
    return state;
  }

  let acknowledged = false;
  show('Under review.');
  const outcome = await waitForDecisionOrDeadline({
    process: 'claims',
    compute: (calendar) => calendar.addWorkingDays(input.receivedAt, CLAIM_ANSWER_WORKING_DAYS),
    done: () => state.status !== 'under_review',
    onDeadline: async (due) => {
      state.dueAt = due.toISOString();
      state.suspendedSince = undefined;
      if (!acknowledged) {
        await deliverNotice(await acknowledgeClaim(input.claimId, state.dueAt));
        acknowledged = true;
      } else await recordClaimDue(input.claimId, state.dueAt);
      show(`The answer is due by ${state.dueAt} (9.3).`);
    },
    onSuspended: (since) => {
      state.suspendedSince = since;
      show(`The deadline stands still: force majeure since ${since} (8.4).`);
    },
  });
  if (outcome === 'deadline') {
    state.overdue = true;
    await recordClaimOverdue(input.claimId);
    show(`No answer within ${CLAIM_ANSWER_WORKING_DAYS} working days: overdue.`);
    await waitForDecisionOrDeadline({
      compute: (calendar) => calendar.addCalendarDays(new Date(), 3650),
      done: () => state.status !== 'under_review',
    });
  }
  await condition(allHandlersFinished);
  return state;
}
