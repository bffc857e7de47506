import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { contractTaskQueue } from '../../lib/task-queues';
import { noticeDelivery, noticeWorkflowId } from '../notice-delivery';
import { startDetached } from './detached';

type RecordedNotice = { noticeId: string; clientId: string; subject: string };

/**
 * Delivers a notice recorded by an activity through its own workflow (10.2.1: e-mail, retried
 * for days), left running on its own; a notice already on its way is not sent twice.
 */
export async function deliverNotice(notice: RecordedNotice): Promise<void> {
  await startDetached(noticeDelivery, delivery(notice));
}

/**
 * Delivers a notice and waits until it has reached the client's mailbox (10.2.1) or was given up;
 * answers when, on this workflow's clock — what a period «from receipt» counts from.
 */
export async function deliverNoticeAndWait(notice: RecordedNotice): Promise<{ sent: boolean; at: Date }> {
  const started = await startChild(noticeDelivery, {
    ...delivery(notice),
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  const outcome = await started.result();
  return { sent: outcome.status === 'sent', at: new Date() };
}

/** The delivery workflow of a notice, on the contract's queue even when an order's workflow gives it. */
function delivery(notice: RecordedNotice) {
  return {
    workflowId: noticeWorkflowId(notice.noticeId),
    taskQueue: contractTaskQueue(workflowInfo().taskQueue),
    args: [{ noticeId: notice.noticeId, clientId: notice.clientId, subject: notice.subject }] as [
      { noticeId: string; clientId: string; subject: string },
    ],
    typedSearchAttributes: [
      { key: ClientId, value: notice.clientId },
      { key: BusinessStatus, value: 'sending' as string },
    ],
    staticSummary: `E-mail notice «${notice.subject}»`,
  };
}
