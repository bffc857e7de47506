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

export interface ForceMajeureAnnouncementInput {
  eventId: string;
}

export interface ForceMajeureAnnouncementState {
  eventId: string;
  status: 'notifying' | 'notified';
  clients: number;
  sent: number;
  failed: number;
}

export const forceMajeureAnnouncementWorkflowId = (eventId: string) => `force-majeure-announcement-${eventId}`;
export const forceMajeureAnnouncementStateQuery = defineQuery<ForceMajeureAnnouncementState>(
  'forceMajeureAnnouncementState',
);

const { prepareForceMajeureNotices } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes' });

/**
 * The operator hit by force majeure tells every client, within 5 working days, what happened,
 * for how long, which obligations it prevents, with the evidence (8.3): in the cabinet and by e-mail.
 */
export async function forceMajeureAnnouncement(
  input: ForceMajeureAnnouncementInput,
): Promise<ForceMajeureAnnouncementState> {
  const state: ForceMajeureAnnouncementState = {
    eventId: input.eventId,
    status: 'notifying',
    clients: 0,
    sent: 0,
    failed: 0,
  };
  setHandler(forceMajeureAnnouncementStateQuery, () => state);
  const show = (details: string) => {
    upsertSearchAttributes([{ key: BusinessStatus, value: `force_majeure_${state.status}` }]);
    setCurrentDetails(`Force-majeure notice (8.3) of event ${input.eventId}. ${details}`);
  };
  show('Preparing the notices.');
  state.clients = await prepareForceMajeureNotices(input.eventId);
  await broadcastNotices(`force-majeure:${input.eventId}`, (progress) => {
    Object.assign(state, { sent: progress.sent, failed: progress.failed });
    show(
      `Notified ${progress.sent} of ${state.clients} clients${progress.failed ? `, ${progress.failed} not deliverable` : ''}.`,
    );
  });
  state.status = 'notified';
  show(`All clients notified (${state.sent} delivered, ${state.failed} failed).`);
  return state;
}
