import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { BatchProgress } from '../../activities/notice-batches';

const BATCH = 200;

const { sendNoticeBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/**
 * Sends the notices of a topic prepared for many clients (a tariff, an amendment) in batches,
 * telling each batch's progress; an undeliverable notice is given up and counted as failed.
 */
export async function broadcastNotices(
  topic: string,
  onProgress: (progress: BatchProgress) => void,
): Promise<BatchProgress> {
  for (;;) {
    const progress = await sendNoticeBatch(topic, BATCH);
    onProgress(progress);
    if (progress.remaining === 0) return progress;
  }
}
