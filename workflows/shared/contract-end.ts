import { condition, getExternalWorkflowHandle, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { contractEndingSignal, orderWorkflowId } from './order-handles';

/** Open obligations are looked at again this often while they are settled. */
const SETTLING_CHECK = '1 day';

const { openObligations, openOrders } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 minutes' },
});

/** Every order still open ends: its codes not downloaded are given up and its reservation released. */
export async function endOpenOrders(clientId: string, clause: string): Promise<void> {
  for (const orderId of await openOrders(clientId)) {
    await getExternalWorkflowHandle(orderWorkflowId(orderId))
      .signal(contractEndingSignal, { clause })
      .catch(() => undefined); // its workflow has just finished on its own
  }
}

/**
 * Waits until nothing binds the parties any more — reservations released, acts signed or deemed
 * signed, every month with services acted (6.5-6.8) — telling `waiting` what is still open.
 */
export async function settleObligations(clientId: string, waiting: (open: string[]) => void): Promise<void> {
  for (;;) {
    const open = await openObligations(clientId);
    waiting(open);
    if (open.length === 0) return;
    await condition(() => false, SETTLING_CHECK);
  }
}
