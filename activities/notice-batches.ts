import { Context } from '@temporalio/activity';
import { recordSent } from './record-sent';
import type { ActivityDeps } from './deps';

/** A notice that keeps failing (a dead mailbox) is given up after this many attempts, so it does not hold up the rest. */
export const MAX_NOTICE_ATTEMPTS = 5;

export interface BatchProgress {
  sent: number;
  failed: number;
  remaining: number;
}

/**
 * Sends up to `batchSize` unsent notices of a topic sent to many clients (a tariff, an
 * amendment), heartbeating progress. A send that fails is recorded on its notice and the batch
 * fails (retried with backoff); a notice that failed MAX_NOTICE_ATTEMPTS times is marked failed
 * and skipped.
 */
export async function sendQueuedNotices(
  { db, mailer, clock }: Pick<ActivityDeps, 'db' | 'mailer' | 'clock'>,
  topic: string,
  batchSize: number,
): Promise<BatchProgress> {
  const pending = await db('notices').where({ topic, status: 'queued' }).orderBy('id').limit(batchSize);
  let sent = 0;
  for (const notice of pending) {
    if (notice.attempts >= MAX_NOTICE_ATTEMPTS) {
      await db('notices').where({ id: notice.id }).update({ status: 'failed' });
      continue;
    }
    await db('notices').where({ id: notice.id }).increment('attempts', 1);
    let messageId: string;
    try {
      ({ messageId } = await mailer.send({
        to: notice.recipient,
        subject: notice.subject,
        text: notice.body,
        messageId: `<notice-${notice.id}@ismet-backoffice>`,
      }));
    } catch (error) {
      await db('notices')
        .where({ id: notice.id })
        .update({ last_error: String((error as Error).message ?? error) });
      throw error;
    }
    const sentAt = clock.now();
    await recordSent(() =>
      db('notices')
        .where({ id: notice.id })
        .update({ status: 'sent', message_id: messageId, sent_at: sentAt, last_error: null }),
    );
    sent++;
    Context.current().heartbeat({ sent });
  }
  const counts = await db('notices').where({ topic }).groupBy('status').select('status', db.raw('COUNT(*)::int AS n'));
  const count = (status: string) => counts.find((c) => c.status === status)?.n ?? 0;
  return { sent: count('sent'), failed: count('failed'), remaining: count('queued') };
}

/** The activity sending the notices of a topic in batches (workflows/shared/broadcast.ts). */
export function createNoticeBatchActivities(deps: ActivityDeps) {
  return {
    async sendNoticeBatch(topic: string, batchSize: number): Promise<BatchProgress> {
      return sendQueuedNotices(deps, topic, batchSize);
    },
  };
}
