import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { refundDecidedSignal, refundRequest, refundWorkflowId } from '../refund-request';
import { startDetached } from './detached';

const { openContractRefund, refundStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '5 minutes' },
});

/**
 * Returns the whole unused balance the contract owes on its end (3.7, 10.4): opens the refund
 * (or takes the one already pending), has it answered by an accountant in its own workflow,
 * and waits for the outcome — told by a signal, checked daily as well.
 */
export async function refundContractBalance(p: {
  clientId: string;
  kind: 'one_year' | 'termination';
  terminationId?: string;
}): Promise<'paid' | 'nothing_to_refund'> {
  const decided = new Set<string>();
  setHandler(refundDecidedSignal, ({ refundId }) => void decided.add(refundId));
  let paid = false;
  // A refund on request already pending is awaited first; whatever it left is returned next.
  for (;;) {
    const requestedAt = new Date().toISOString();
    const opened = await openContractRefund(p.clientId, p.kind, requestedAt, p.terminationId);
    if (!opened) return paid ? 'paid' : 'nothing_to_refund';
    await startDetached(refundRequest, {
      workflowId: refundWorkflowId(opened.refundId),
      args: [
        {
          refundId: opened.refundId,
          clientId: p.clientId,
          requestedAt,
          kind: p.kind,
          notify: [workflowInfo().workflowId],
        },
      ],
      staticSummary: `Refund of the unused balance (${p.kind === 'one_year' ? '3.7' : '10.4'})`,
    });
    let status = await refundStatus(opened.refundId);
    while (status === 'pending') {
      await condition(() => decided.has(opened.refundId), '1 day');
      status = await refundStatus(opened.refundId);
    }
    // A refusal can only have been of a refund on request (6.11): the contract's own follows.
    if (status === 'paid') paid = true;
  }
}
