import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { tariffChangeNotice } from './texts/account';

/** A notice that keeps failing (a dead mailbox) is given up after this many attempts, so it does not hold up the rest. */
export const MAX_NOTICE_ATTEMPTS = 5;

/** Announcing a tariff change to every active client (6.1): a notice each, in the cabinet and by e-mail. */
export function createTariffActivities({ db, mailer, clock }: ActivityDeps) {
  return {
    /** One notice per active client for the tariff (a retry adds none twice); returns how many there are. */
    async prepareTariffNotices(tariffId: string): Promise<number> {
      const tariff = await committedRow(() => db('tariffs').where({ id: tariffId }).first(), `tariff ${tariffId}`, 'TariffNotFound');
      const previous = await db('tariffs').where('effective_from', '<', tariff.effective_from).orderBy('effective_from', 'desc').first();
      const text = tariffChangeNotice({
        pricePerCodeTiyn: tariff.price_per_code_tiyn,
        previousPerCodeTiyn: previous?.price_per_code_tiyn ?? null,
        effectiveFrom: tariff.effective_from,
        basis: tariff.basis,
      });
      const topic = `tariff:${tariffId}`;
      await db.raw(
        `INSERT INTO notices (client_id, recipient, subject, body, topic)
         SELECT id, email, ?, ?, ? FROM clients WHERE status = 'active'
         ON CONFLICT (client_id, topic) WHERE topic IS NOT NULL DO NOTHING`,
        [text.subject, text.body, topic],
      );
      const [{ count }] = await db('notices').where({ topic }).count<{ count: number }[]>('* as count');
      return Number(count);
    },

    /**
     * Sends up to `batchSize` unsent notices of the tariff, heartbeating progress. A send that
     * fails is recorded on its notice and the batch fails (retried with backoff); a notice
     * that failed MAX_NOTICE_ATTEMPTS times is marked failed and skipped.
     */
    async sendTariffNoticeBatch(tariffId: string, batchSize: number): Promise<{ sent: number; failed: number; remaining: number }> {
      const topic = `tariff:${tariffId}`;
      const pending = await db('notices').where({ topic, status: 'queued' }).orderBy('id').limit(batchSize);
      let sent = 0;
      for (const notice of pending) {
        if (notice.attempts >= MAX_NOTICE_ATTEMPTS) {
          await db('notices').where({ id: notice.id }).update({ status: 'failed' });
          continue;
        }
        await db('notices').where({ id: notice.id }).increment('attempts', 1);
        try {
          const { messageId } = await mailer.send({ to: notice.recipient, subject: notice.subject, text: notice.body, messageId: `<notice-${notice.id}@ismet-backoffice>` });
          await db('notices').where({ id: notice.id }).update({ status: 'sent', message_id: messageId, sent_at: clock.now(), last_error: null });
          sent++;
          Context.current().heartbeat({ sent });
        } catch (error) {
          await db('notices').where({ id: notice.id }).update({ last_error: String((error as Error).message ?? error) });
          throw error;
        }
      }
      const counts = await db('notices').where({ topic }).groupBy('status').select('status', db.raw('COUNT(*)::int AS n'));
      const count = (status: string) => counts.find((c) => c.status === status)?.n ?? 0;
      return { sent: count('sent'), failed: count('failed'), remaining: count('queued') };
    },
  };
}
