import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { waitForDecisionOrDeadline } from './shared/deadline';

export interface ClientLifecycleInput {
  clientId: string;
  /** The day the contract applies from (10.5.3). */
  effectiveFrom: string;
  /** Carried over continue-as-new. */
  state?: ClientLifecycleState;
}

export interface ClientLifecycleState {
  clientId: string;
  status: 'joined' | 'active';
  effectiveFrom: string;
  detailChanges: number;
  lastDetailChangeAt?: string;
  consentWithdrawnAt?: string;
}

export const clientWorkflowId = (clientId: string) => `client-${clientId}`;
export const clientStateQuery = defineQuery<ClientLifecycleState>('clientState');
/** The client reported changed details (10.2.2). */
export const detailsChangedSignal = defineSignal<[{ at: string; fields: string[] }]>('detailsChanged');
/** The client withdrew consent to personal-data processing (10.7.3). */
export const consentWithdrawnSignal = defineSignal<[{ at: string }]>('consentWithdrawn');

/**
 * One client's life under the contract, from activation on: the contract takes effect the
 * day after joining (10.5.3); changes of details and of consent are recorded as they come.
 * Termination, refunds and the one-year rule (3.7, 4.3.1, 10.4) join this workflow later.
 */
export async function clientLifecycle(input: ClientLifecycleInput): Promise<void> {
  const state: ClientLifecycleState = input.state ?? {
    clientId: input.clientId,
    status: 'joined',
    effectiveFrom: input.effectiveFrom,
    detailChanges: 0,
  };
  const show = () => {
    upsertSearchAttributes([
      { key: ClientId, value: state.clientId },
      { key: BusinessStatus, value: state.status },
    ]);
    setCurrentDetails(
      [
        `Contract ${state.status === 'active' ? 'in effect' : 'takes effect'} from ${state.effectiveFrom} (10.5.3).`,
        state.detailChanges ? `Details changed ${state.detailChanges} time(s), last at ${state.lastDetailChangeAt} (10.2.2).` : '',
        state.consentWithdrawnAt ? `Consent to personal-data processing withdrawn at ${state.consentWithdrawnAt} (10.7.3).` : '',
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
  show();

  if (state.status === 'joined') {
    await waitForDecisionOrDeadline({ compute: (calendar) => calendar.startOfDay(state.effectiveFrom), done: () => false });
    state.status = 'active';
    show();
  }
  await condition(() => workflowInfo().continueAsNewSuggested);
  await continueAsNew<typeof clientLifecycle>({ ...input, state });
}
