import {
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
import { SIGNING_WORKING_DAYS } from '../lib/contract-periods';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice } from './shared/notify';

export type ReconciliationActStatus = 'issued' | 'signed' | 'refused' | 'auto_accepted';

export interface ReconciliationActInput {
  reconciliationActId: string;
  clientId: string;
  number: string;
  /** When the operator signed it and it reached the client's cabinet: the 5 working days count from then (6.8). */
  issuedAt: string;
  /** The signing deadline as issued. */
  dueAt: string;
}

export interface ReconciliationActState extends ReconciliationActInput {
  status: ReconciliationActStatus;
  refusal?: string;
  /** The common name of the client's EDS certificate, once signed. */
  signer?: string;
}

export const reconciliationActWorkflowId = (reconciliationActId: string) => `reconciliation-act-${reconciliationActId}`;
export const reconciliationActStateQuery = defineQuery<ReconciliationActState>('reconciliationActState');
/** The client's EDS signature of the act's PDF (6.7); refused with the reason when it does not verify. */
export const signReconciliationActUpdate = defineUpdate<ReconciliationActState, [{ signature: string }]>(
  'signReconciliationAct',
);
/** The client's motivated refusal (6.8); the reasons are required. */
export const refuseReconciliationActUpdate = defineUpdate<ReconciliationActState, [{ reason: string }]>(
  'refuseReconciliationAct',
);

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '10 minutes' },
});

/**
 * A reconciliation act (6.6-6.8, Прил. 2 п.7), issued on the client's request and signed by the
 * operator (the API stores it and starts this): it is sent to the client, who within 5 working
 * days of receiving it signs it with EDS or sends a motivated refusal (6.8: «первичных
 * бухгалтерских документов и акта сверки»); with neither by the end of the 5th working day it
 * counts as signed by the client.
 */
export async function reconciliationAct(input: ReconciliationActInput): Promise<ReconciliationActState> {
  const state: ReconciliationActState = { ...input, status: 'issued' };
  const id = input.reconciliationActId;
  let decided = false;
  const show = (details: string) => {
    upsertSearchAttributes([
      { key: ClientId, value: input.clientId },
      { key: BusinessStatus, value: `reconciliation_${state.status}` },
    ]);
    setCurrentDetails(`Reconciliation act № ${input.number}: ${state.status}. ${details}`);
  };
  setHandler(reconciliationActStateQuery, () => state);
  /** A signature or refusal being recorded: one answer at a time (a refused signature leaves the act awaiting). */
  let answering = false;
  const whileAwaiting = () => {
    if (state.status !== 'issued' || decided)
      throw new Error(`the reconciliation act is ${state.status}: it no longer awaits the client`);
    if (answering) throw new Error('another answer to the reconciliation act is being recorded');
  };
  const answer = async <T>(record: () => Promise<T>): Promise<T> => {
    answering = true;
    try {
      return await record();
    } finally {
      answering = false;
    }
  };
  setHandler(
    signReconciliationActUpdate,
    async ({ signature }) => {
      const { signer } = await answer(() =>
        activities.recordReconciliationSignature(id, signature, new Date().toISOString()),
      );
      decided = true;
      state.status = 'signed';
      state.signer = signer;
      show('Signed by the client with EDS (6.7).');
      return state;
    },
    { validator: (_request) => whileAwaiting() },
  );
  setHandler(
    refuseReconciliationActUpdate,
    async ({ reason }) => {
      await answer(() => activities.recordReconciliationRefusal(id, reason, new Date().toISOString()));
      decided = true;
      state.status = 'refused';
      state.refusal = reason;
      show(`Refused with reasons (6.8): ${reason}.`);
      return state;
    },
    {
      validator: ({ reason }) => {
        whileAwaiting();
        if (!reason?.trim()) throw new Error('a motivated refusal needs its reasons');
      },
    },
  );

  show(`Sent to the client; awaiting its signature or motivated refusal until ${state.dueAt} (6.8).`);
  await deliverNotice(await activities.reconciliationNotice(id, 'issued'));
  // Reminded a working day before the end, as for the monthly act.
  const reminder = await waitForDecisionOrDeadline({
    process: 'acts',
    compute: (c) => c.addWorkingDays(input.issuedAt, SIGNING_WORKING_DAYS - 1),
    done: () => decided,
  });
  if (reminder === 'deadline') await deliverNotice(await activities.reconciliationNotice(id, 'reminder'));
  const outcome = await waitForDecisionOrDeadline({
    process: 'acts',
    compute: (c) => c.addWorkingDays(input.issuedAt, SIGNING_WORKING_DAYS),
    done: () => decided,
    // A new decree or force majeure (8.3-8.5) moves the deadline: the act's record follows.
    onDeadline: async (deadline) => {
      if (deadline.toISOString() === state.dueAt) return;
      await activities.moveReconciliationDeadline(id, deadline.toISOString());
      state.dueAt = deadline.toISOString();
      show(`Awaiting the client's signature or motivated refusal until ${state.dueAt} (6.8).`);
    },
  });
  // An answer being recorded as the deadline passes is heard out first.
  if (outcome === 'deadline') await condition(() => !answering);
  if (outcome === 'deadline' && !decided) {
    await activities.acceptReconciliationAct(id, new Date().toISOString());
    state.status = 'auto_accepted';
    show('No answer by the end of the 5th working day: the reconciliation act counts as signed (6.8).');
    await deliverNotice(await activities.reconciliationNotice(id, 'accepted'));
  }
  return state;
}
