import {
  defineQuery,
  defineUpdate,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  condition,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Activation } from '../activities/join-applications';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { clientLifecycle, clientWorkflowId } from './client-lifecycle';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { startDetached } from './shared/detached';

export interface OnboardingInput {
  applicationId: string;
  number: string;
  binIin: string;
  companyName: string;
  submittedAt: string;
}

export type OnboardingStatus = 'registered' | 'awaiting_moderation' | 'approved' | 'rejected';

export interface ModerationDecision {
  decision: 'approve' | 'reject';
  reason?: string;
  moderatorId: string;
}

export interface OnboardingState {
  applicationId: string;
  status: OnboardingStatus;
  signatureProblems?: string[];
  reminderDueAt?: string;
  remindersSent: number;
  decision?: ModerationDecision;
  activation?: Activation;
}

export const onboardingStateQuery = defineQuery<OnboardingState>('onboardingState');
/** A moderator's decision; answers once the decision is carried out (client activated or applicant told). */
export const decideUpdate = defineUpdate<OnboardingState, [ModerationDecision]>('decide');

/** Moderators are reminded when an application has waited a working day (9 working hours), and each one after. */
export const REMINDER_EVERY_WORKING_HOURS = 9;

const {
  activateClient,
  markAwaitingModeration,
  rejectApplication,
  remindModerators,
  sendAccessNotice,
  sendRejectionNotice,
  setModerationReminderDue,
  verifyApplicationSignature,
} = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '10 minutes' },
});

/**
 * Joining the contract (10.5, Прил. 1, Прил. 2 п.1): the signed application is checked, waits
 * for a moderator (who is reminded after a working day), then the client is activated and told,
 * or the applicant is told why not. The client's life under the contract goes on in its own
 * workflow (client-lifecycle), started here and left running.
 */
export async function onboarding(input: OnboardingInput): Promise<OnboardingState> {
  const state: OnboardingState = { applicationId: input.applicationId, status: 'registered', remindersSent: 0 };
  setHandler(onboardingStateQuery, () => state);
  setHandler(
    decideUpdate,
    async (decision) => {
      state.decision = decision;
      await condition(() => state.status === 'approved' || state.status === 'rejected');
      return state;
    },
    {
      validator: (decision) => {
        if (state.status !== 'awaiting_moderation' || state.decision)
          throw new Error(`the application is ${state.decision ? 'already decided' : state.status}`);
        if (decision.decision === 'reject' && !decision.reason?.trim()) throw new Error('a rejection needs a reason');
      },
    },
  );
  const show = (status: OnboardingStatus, details: string) => {
    state.status = status;
    upsertSearchAttributes([{ key: BusinessStatus, value: status }]);
    setCurrentDetails(`Application ${input.number}, ${input.companyName} (${input.binIin}): ${details}`);
  };

  const signature = await verifyApplicationSignature(input.applicationId);
  if (!signature.valid) {
    state.signatureProblems = signature.problems;
    await rejectApplication(input.applicationId, `Подпись ЭЦП не принята: ${signature.problems.join('; ')}`);
    await sendRejectionNotice(input.applicationId);
    show('rejected', `rejected, the EDS signature is not valid: ${signature.problems.join('; ')}`);
    return state;
  }

  await markAwaitingModeration(input.applicationId);
  show('awaiting_moderation', 'waiting for a moderator.');
  while (!state.decision) {
    const outcome = await waitForDecisionOrDeadline({
      process: 'onboarding',
      compute: (calendar) =>
        calendar.addWorkingHours(input.submittedAt, REMINDER_EVERY_WORKING_HOURS * (state.remindersSent + 1)),
      done: () => !!state.decision,
      onDeadline: async (due, calendar) => {
        state.reminderDueAt = due.toISOString();
        await setModerationReminderDue(input.applicationId, state.reminderDueAt);
        setCurrentDetails(
          `Application ${input.number}: waiting for a moderator; reminder ${state.remindersSent + 1} at ${calendar.format(due)}.`,
        );
      },
    });
    if (outcome === 'deadline') {
      await remindModerators(input.applicationId, state.remindersSent + 1);
      state.remindersSent++;
    }
  }
  const decision: ModerationDecision = state.decision;
  if (decision.decision === 'reject') {
    await rejectApplication(input.applicationId, decision.reason!, decision.moderatorId);
    await sendRejectionNotice(input.applicationId);
    show('rejected', `rejected by a moderator: ${decision.reason}`);
    return state;
  }

  state.activation = await activateClient(input.applicationId, decision.moderatorId);
  await sendAccessNotice(input.applicationId);
  await handOver(state.activation);
  upsertSearchAttributes([{ key: ClientId, value: state.activation.clientId }]);
  show(
    'approved',
    `approved; client ${state.activation.clientId}, personal account ${state.activation.accountNumber}, contract from ${state.activation.effectiveFrom}.`,
  );
  return state;
}

/** The client's lifecycle under the contract (termination, refunds...) runs on in its own workflow. */
async function handOver(activation: Activation) {
  // A client who joins again keeps the lifecycle workflow already running.
  await startDetached(clientLifecycle, {
    workflowId: clientWorkflowId(activation.clientId),
    args: [{ clientId: activation.clientId, effectiveFrom: activation.effectiveFrom }],
    typedSearchAttributes: [{ key: ClientId, value: activation.clientId }],
    staticSummary: `Client ${activation.clientId}: contract from ${activation.effectiveFrom}, personal account ${activation.accountNumber}`,
  });
}
