import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { noticeDelivery } from '../notice-delivery';

/**
 * Delivers a notice recorded by an activity through its own workflow (10.2.1: e-mail, retried
 * for days), left running on its own; a notice already on its way is not sent twice.
 */
export async function deliverNotice(notice: { noticeId: string; clientId: string; subject: string }): Promise<void> {
  try {
    await startDelivery(notice);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/**
 * Delivers a notice and waits until it has reached the client's mailbox (10.2.1) or was given up;
 * answers when, on this workflow's clock — what a period «from receipt» counts from.
 */
export async function deliverNoticeAndWait(notice: { noticeId: string; clientId: string; subject: string }): Promise<{ sent: boolean; at: Date }> {
  const delivery = await startDelivery(notice);
  const outcome = await delivery.result();
  return { sent: outcome.status === 'sent', at: new Date() };
}

function startDelivery(notice: { noticeId: string; clientId: string; subject: string }) {
  return startChild(noticeDelivery, {
    workflowId: `notice-${notice.noticeId}`,
    args: [{ noticeId: notice.noticeId, clientId: notice.clientId, subject: notice.subject }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: [
      { key: ClientId, value: notice.clientId },
      { key: BusinessStatus, value: 'sending' },
    ],
    staticSummary: `E-mail notice «${notice.subject}»`,
  });
}
