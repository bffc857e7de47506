import {
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus } from '../lib/search-attributes';
import { broadcastNotices } from './shared/broadcast';
import { waitForDecisionOrDeadline } from './shared/deadline';

export interface ContractAmendmentInput {
  versionId: string;
  version: string;
  /** When the new version takes effect: 20 working days after it was published at the earliest (10.3.2). */
  effectiveAt: string;
}

export interface ContractAmendmentState {
  versionId: string;
  status: 'notifying' | 'announced' | 'in_force';
  clients: number;
  sent: number;
  failed: number;
}

export const amendmentWorkflowId = (versionId: string) => `amendment-${versionId}`;
export const amendmentStateQuery = defineQuery<ContractAmendmentState>('amendmentState');

const { prepareAmendmentNotices, putContractVersionInForce } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
});

/**
 * An amendment of the contract by the operator (4.3.5, 10.3.2): every client is notified in the
 * cabinet and by e-mail, and the new version takes effect 20 working days after publication.
 */
export async function contractAmendment(input: ContractAmendmentInput): Promise<ContractAmendmentState> {
  const state: ContractAmendmentState = {
    versionId: input.versionId,
    status: 'notifying',
    clients: 0,
    sent: 0,
    failed: 0,
  };
  setHandler(amendmentStateQuery, () => state);
  const show = (details: string) => {
    upsertSearchAttributes([{ key: BusinessStatus, value: `amendment_${state.status}` }]);
    setCurrentDetails(`Contract version ${input.version}, in force from ${input.effectiveAt} (10.3.2). ${details}`);
  };
  show('Preparing the notices.');

  state.clients = await prepareAmendmentNotices(input.versionId);
  await broadcastNotices(`amendment:${input.versionId}`, (progress) => {
    Object.assign(state, { sent: progress.sent, failed: progress.failed });
    show(
      `Notified ${progress.sent} of ${state.clients} clients${progress.failed ? `, ${progress.failed} not deliverable` : ''}.`,
    );
  });

  state.status = 'announced';
  show(`All clients notified (${state.sent} delivered, ${state.failed} failed); waiting for the date.`);
  await waitForDecisionOrDeadline({ compute: () => new Date(input.effectiveAt), done: () => false });
  await putContractVersionInForce(input.versionId);
  state.status = 'in_force';
  show('In force.');
  return state;
}
