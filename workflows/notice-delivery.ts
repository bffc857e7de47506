import {
  ActivityFailure,
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, ClientId } from '../lib/search-attributes';

export interface NoticeDeliveryInput {
  noticeId: string;
  clientId: string;
  subject: string;
}

export interface NoticeDeliveryState {
  noticeId: string;
  status: 'sending' | 'sent' | 'failed';
  messageId?: string;
  sentAt?: string;
  failure?: string;
}

export const noticeStateQuery = defineQuery<NoticeDeliveryState>('noticeState');

/** How long an unreachable mail server is retried before the notice counts as failed. */
export const DELIVERY_WINDOW = '3 days';

const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: DELIVERY_WINDOW,
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});
const { markNoticeFailed } = proxyActivities<Activities>({ startToCloseTimeout: '1 minute' });

/**
 * Delivers one e-mail notice to a client (10.2.1), retrying a mail server that is
 * down for up to DELIVERY_WINDOW; then the notice is marked failed for staff to act on.
 */
export async function noticeDelivery(input: NoticeDeliveryInput): Promise<NoticeDeliveryState> {
  const state: NoticeDeliveryState = { noticeId: input.noticeId, status: 'sending' };
  setHandler(noticeStateQuery, () => state);
  upsertSearchAttributes([
    { key: ClientId, value: input.clientId },
    { key: BusinessStatus, value: state.status },
  ]);
  setCurrentDetails(`Sending «${input.subject}»; retried for up to ${DELIVERY_WINDOW} while the mail server is unreachable.`);

  try {
    const sent = await sendNotice(input.noticeId);
    Object.assign(state, { status: 'sent', messageId: sent.messageId, sentAt: sent.sentAt });
    setCurrentDetails(`Sent at ${sent.sentAt}, message id ${sent.messageId}.`);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const reason = error.cause?.message ?? error.message;
    await markNoticeFailed(input.noticeId, reason);
    Object.assign(state, { status: 'failed', failure: reason });
    setCurrentDetails(`Not delivered: ${reason}`);
  }
  upsertSearchAttributes([{ key: BusinessStatus, value: state.status }]);
  return state;
}
