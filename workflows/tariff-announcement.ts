import { defineQuery, proxyActivities, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
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
  status: 'notifying' | 'announced' | 'in_force';
  clients: number;
  sent: number;
  failed: number;
}

export const tariffWorkflowId = (tariffId: string) => `tariff-${tariffId}`;
export const tariffAnnouncementQuery = defineQuery<TariffAnnouncementState>('tariffAnnouncement');

const { prepareTariffNotices } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes' });

/**
 * A change of the price per code (6.1): announced to every active client in the cabinet and
 * by e-mail (the API accepted it only with at least 20 working days to go), then in force
 * from its date.
 */
export async function tariffAnnouncement(input: TariffAnnouncementInput): Promise<TariffAnnouncementState> {
  const state: TariffAnnouncementState = { tariffId: input.tariffId, status: 'notifying', clients: 0, sent: 0, failed: 0 };
  setHandler(tariffAnnouncementQuery, () => state);
  const show = (details: string) => {
    upsertSearchAttributes([{ key: BusinessStatus, value: state.status }]);
    setCurrentDetails(`Price ${input.pricePerCodeTiyn} tiyn per code excluding VAT from ${input.effectiveFrom} (6.1). ${details}`);
  };
  show('Preparing the notices.');

  state.clients = await prepareTariffNotices(input.tariffId);
  await broadcastNotices(`tariff:${input.tariffId}`, (progress) => {
    Object.assign(state, { sent: progress.sent, failed: progress.failed });
    show(`Notified ${progress.sent} of ${state.clients} clients${progress.failed ? `, ${progress.failed} not deliverable` : ''}.`);
  });

  state.status = 'announced';
  show(`All clients notified (${state.sent} delivered, ${state.failed} failed); waiting for the date.`);
  await waitForDecisionOrDeadline({ compute: (calendar) => calendar.startOfDay(input.effectiveFrom), done: () => false });
  state.status = 'in_force';
  show('In force.');
  return state;
}
