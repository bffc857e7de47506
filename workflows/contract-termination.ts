import { allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { BASIS_TITLES, TerminationBasis } from '../lib/termination';
import { clientWorkflowId, contractEndedSignal } from './client-lifecycle';
import { refundContractBalance } from './shared/contract-refund';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice } from './shared/notify';

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
export const withdrawTerminationUpdate = defineUpdate<ContractTerminationState, [{ reason: string; staffId: string | null }]>('withdrawTermination');

/** Open obligations are looked at again this often while they are settled. */
const SETTLING_CHECK = '1 day';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '10 minutes' } });

/**
 * An early end of the contract (4.1.1, 4.3.1, 10.4): the notice with its grounds goes out; on the
 * date no new orders are taken and access ends once what is open is settled — reservations,
 * acts — the unused balance is refunded, and the contract ends.
 */
export async function contractTermination(input: ContractTerminationInput): Promise<ContractTerminationState> {
  const state: ContractTerminationState = { terminationId: input.terminationId, status: 'scheduled', terminationDate: input.terminationDate, openObligations: [] };
  const show = (details: string) => {
    upsertSearchAttributes([{ key: ClientId, value: input.clientId }, { key: BusinessStatus, value: `termination_${state.status}` }]);
    setCurrentDetails(`Termination by the ${input.initiator} on ${input.terminationDate}: ${BASIS_TITLES[input.basis]}. ${details}`);
  };
  setHandler(terminationStateQuery, () => state);
  setHandler(
    withdrawTerminationUpdate,
    async ({ reason, staffId }) => {
      const notice = await acts.withdrawalOfTermination(input.terminationId, reason, staffId, new Date().toISOString());
      state.status = 'withdrawn';
      show(`Withdrawn: ${reason}.`);
      await deliverNotice(notice);
      return state;
    },
    {
      validator: ({ reason }) => {
        if (state.status !== 'scheduled') throw new Error(`the termination is ${state.status}: only a scheduled one may be withdrawn`);
        if (!reason?.trim()) throw new Error('a withdrawal needs its reason');
      },
    },
  );

  await deliverNotice(await acts.noticeOfTermination(input.terminationId));
  show('Notice sent; the contract runs as usual until the date.');
  await waitForDecisionOrDeadline({ compute: (calendar) => calendar.startOfDay(input.terminationDate), done: () => state.status === 'withdrawn' });
  if (state.status === 'withdrawn') {
    await condition(allHandlersFinished);
    return state;
  }

  state.status = 'settling';
  await acts.startSettlingTermination(input.terminationId);
  for (;;) {
    state.openObligations = await acts.openObligations(input.clientId);
    if (state.openObligations.length === 0) break;
    show(`The date has come: no new orders; waiting for ${state.openObligations.join(', ')}.`);
    await condition(() => false, SETTLING_CHECK);
  }

  state.status = 'refunding';
  show('Obligations settled; the unused balance is being returned.');
  state.refund = await refundContractBalance({ clientId: input.clientId, kind: 'termination', terminationId: input.terminationId });

  state.endedAt = new Date().toISOString();
  await acts.finishTermination(input.terminationId, state.endedAt);
  const reason = `расторжение Договора: ${BASIS_TITLES[input.basis]}`;
  await deliverNotice(await acts.endContract(input.clientId, reason, state.endedAt));
  state.status = 'terminated';
  show(`Terminated; access ended ${state.endedAt}.`);
  await getExternalWorkflowHandle(clientWorkflowId(input.clientId))
    .signal(contractEndedSignal, { at: state.endedAt, reason: `${input.basis}: terminated` })
    .catch(() => undefined); // no lifecycle running (it ended on its own, 3.7)
  await condition(allHandlersFinished);
  return state;
}
