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
    await startChild(noticeDelivery, {
      workflowId: `notice-${notice.noticeId}`,
      args: [{ noticeId: notice.noticeId, clientId: notice.clientId, subject: notice.subject }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: ClientId, value: notice.clientId },
        { key: BusinessStatus, value: 'sending' },
      ],
      staticSummary: `E-mail notice «${notice.subject}»`,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
