import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { BASIS_TITLES, TerminationBasis } from '../lib/termination';
import { clientWorkflowId, contractEndedSignal } from './client-lifecycle';
import { settleObligations } from './shared/contract-end';
import { refundContractBalance } from './shared/contract-refund';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice, deliverNoticeAndWait } from './shared/notify';
import type { RecordedNotice } from '../activities/notice-records';

export interface ContractTerminationInput {
  terminationId: string;
  clientId: string;
  initiator: 'operator' | 'client';
  basis: TerminationBasis;
  /** The local date the contract ends on, checked by the API against the notice period (10.4.3, 10.4.4). */
  terminationDate: string;
}

export interface ContractTerminationState {
  terminationId: string;
  status: 'scheduled' | 'withdrawn' | 'settling' | 'refunding' | 'terminated';
  terminationDate: string;
  openObligations: string[];
  refund?: 'paid' | 'nothing_to_refund';
  endedAt?: string;
}

export const terminationWorkflowId = (terminationId: string) => `termination-${terminationId}`;
export const terminationStateQuery = defineQuery<ContractTerminationState>('terminationState');
/** The notice is withdrawn before the date (the party that gave it, or both by agreement). */
export const withdrawTerminationUpdate = defineUpdate<
  ContractTerminationState,
  [{ reason: string; staffId: string | null }]
>('withdrawTermination');

const {
  countTerminationFromDelivery,
  endContract,
  finishTermination,
  noticeOfTermination,
  startSettlingTermination,
  withdrawalOfTermination,
} = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '10 minutes' } });

/**
 * An early end of the contract (4.1.1, 4.3.1, 10.4): the notice with its grounds goes out; on the
 * date no new orders are taken and access ends once what is open is settled — reservations,
 * acts — the unused balance is refunded, and the contract ends.
 */
export async function contractTermination(input: ContractTerminationInput): Promise<ContractTerminationState> {
  const state: ContractTerminationState = {
    terminationId: input.terminationId,
    status: 'scheduled',
    terminationDate: input.terminationDate,
    openObligations: [],
  };
  const show = (details: string) => {
    upsertSearchAttributes([
      { key: ClientId, value: input.clientId },
      { key: BusinessStatus, value: `termination_${state.status}` },
    ]);
    setCurrentDetails(
      `Termination by the ${input.initiator} on ${state.terminationDate}: ${BASIS_TITLES[input.basis]}. ${details}`,
    );
  };
  setHandler(terminationStateQuery, () => state);
  setHandler(
    withdrawTerminationUpdate,
    async ({ reason, staffId }) => {
      const notice = await withdrawalOfTermination(input.terminationId, reason, staffId, new Date().toISOString());
      state.status = 'withdrawn';
      show(`Withdrawn: ${reason}.`);
      await deliverNotice(notice);
      return state;
    },
    {
      validator: ({ reason }) => {
        if (state.status !== 'scheduled')
          throw new Error(`the termination is ${state.status}: only a scheduled one may be withdrawn`);
        if (!reason?.trim()) throw new Error('a withdrawal needs its reason');
      },
    },
  );

  const notice = await noticeOfTermination(input.terminationId);
  if (input.initiator === 'operator' && patched('termination-counts-from-delivery'))
    await countFromDelivery(input, state, notice, show);
  else await deliverNotice(notice);
  show('Notice sent; the contract runs as usual until the date.');
  await waitForDecisionOrDeadline({
    compute: (calendar) => calendar.startOfDay(state.terminationDate),
    done: () => state.status === 'withdrawn',
  });
  if (state.status === 'withdrawn') {
    await condition(allHandlersFinished);
    return state;
  }

  state.status = 'settling';
  await startSettlingTermination(input.terminationId);
  await settleObligations(input.clientId, (open) => {
    state.openObligations = open;
    if (open.length) show(`The date has come: no new orders; waiting for ${open.join(', ')}.`);
  });

  state.status = 'refunding';
  show('Obligations settled; the unused balance is being returned.');
  const reason = `расторжение Договора: ${BASIS_TITLES[input.basis]}`;
  for (;;) {
    const refund = await refundContractBalance({
      clientId: input.clientId,
      kind: 'termination',
      terminationId: input.terminationId,
    });
    if (state.refund !== 'paid') state.refund = refund;
    state.endedAt = new Date().toISOString();
    await finishTermination(input.terminationId, state.endedAt);
    const notice = await endContract(input.clientId, reason, state.endedAt);
    if (!notice) continue; // money came in meanwhile: it goes back before the account closes
    await deliverNotice(notice);
    break;
  }
  state.status = 'terminated';
  show(`Terminated; access ended ${state.endedAt}.`);
  await getExternalWorkflowHandle(clientWorkflowId(input.clientId))
    .signal(contractEndedSignal, { at: state.endedAt, reason: `${input.basis}: terminated` })
    .catch(() => undefined); // no lifecycle running (it ended on its own, 3.7)
  await condition(allHandlersFinished);
  return state;
}

/**
 * 10.4.4: the operator's notice counts from the moment it reaches the client. The workflow waits
 * for the e-mail to be delivered; delivered later than the date allows, the date moves so the 30
 * working days run in full, and the client is told.
 */
async function countFromDelivery(
  input: ContractTerminationInput,
  state: ContractTerminationState,
  notice: RecordedNotice,
  show: (details: string) => void,
): Promise<void> {
  show('Notice on its way; its period counts from its delivery (10.4.4).');
  const delivered = await Promise.race([
    deliverNoticeAndWait(notice),
    condition(() => state.status === 'withdrawn').then(() => undefined),
  ]);
  if (!delivered?.sent) return; // withdrawn meanwhile, or given up (the notice shows failed for staff)
  const moved = await countTerminationFromDelivery(input.terminationId, delivered.at.toISOString());
  if (!moved) return;
  state.terminationDate = moved.date;
  show(`The notice reached the client on ${delivered.at.toISOString()}: the date moved to ${moved.date} (10.4.4).`);
  await deliverNotice(moved.notice);
}
