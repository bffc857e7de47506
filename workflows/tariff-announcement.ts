import {
  defineQuery,
  defineSignal,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus } from '../lib/search-attributes';
import { broadcastNotices } from './shared/broadcast';
import { waitForDecisionOrDeadline } from './shared/deadline';

export interface TariffAnnouncementInput {
  tariffId: string;
  pricePerCodeTiyn: number;
  /** The local date the new price applies from. */
  effectiveFrom: string;
}

export interface TariffAnnouncementState {
  tariffId: string;
  status: 'notifying' | 'announced' | 'in_force' | 'withdrawn';
  clients: number;
  sent: number;
  failed: number;
}

export const tariffWorkflowId = (tariffId: string) => `tariff-${tariffId}`;
export const tariffAnnouncementQuery = defineQuery<TariffAnnouncementState>('tariffAnnouncement');
/** Withdrawn before its date, confirmed by a second person (api/pricing-changes.ts): clients are told. */
export const tariffWithdrawnSignal = defineSignal<[{ reason: string; replacedBy: string | null }]>('tariffWithdrawn');

const { prepareTariffNotices, prepareTariffWithdrawalNotices } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
});

/**
 * A change of the price per code (6.1): announced to every active client in the cabinet and
 * by e-mail (the API accepted it only with at least 20 working days to go), then in force
 * from its date — unless withdrawn before it, which the clients are told as well.
 */
export async function tariffAnnouncement(input: TariffAnnouncementInput): Promise<TariffAnnouncementState> {
  const state: TariffAnnouncementState = {
    tariffId: input.tariffId,
    status: 'notifying',
    clients: 0,
    sent: 0,
    failed: 0,
  };
  setHandler(tariffAnnouncementQuery, () => state);
  let withdrawal: { reason: string; replacedBy: string | null } | undefined;
  setHandler(tariffWithdrawnSignal, (w) => void (withdrawal = w));
  const show = (details: string) => {
    upsertSearchAttributes([{ key: BusinessStatus, value: state.status }]);
    setCurrentDetails(
      `Price ${input.pricePerCodeTiyn} tiyn per code excluding VAT from ${input.effectiveFrom} (6.1). ${details}`,
    );
  };
  show('Preparing the notices.');

  state.clients = await prepareTariffNotices(input.tariffId);
  await broadcastNotices(`tariff:${input.tariffId}`, (progress) => {
    Object.assign(state, { sent: progress.sent, failed: progress.failed });
    show(
      `Notified ${progress.sent} of ${state.clients} clients${progress.failed ? `, ${progress.failed} not deliverable` : ''}.`,
    );
  });

  state.status = 'announced';
  show(`All clients notified (${state.sent} delivered, ${state.failed} failed); waiting for the date.`);
  await waitForDecisionOrDeadline({
    compute: (calendar) => calendar.startOfDay(input.effectiveFrom),
    done: () => withdrawal !== undefined,
  });
  if (withdrawal) {
    state.status = 'withdrawn';
    show(`Withdrawn before its date: ${withdrawal.reason}. Telling the clients.`);
    await prepareTariffWithdrawalNotices(input.tariffId, withdrawal.reason);
    await broadcastNotices(`tariff:${input.tariffId}:withdrawn`, () => undefined);
    show(`Withdrawn before its date: ${withdrawal.reason}. Clients told.`);
    return state;
  }
  state.status = 'in_force';
  show('In force.');
  return state;
}
