import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps';

const BATCH = 10_000;

/** Retention of marking codes (4.2.7, 4.4.8): kept 5 years, then the code itself is purged. */
export function createRetentionActivities({ db, clock }: ActivityDeps) {
  return {
    /** When the oldest code still kept was emitted, or null when there is none. */
    async oldestRetainedCode(): Promise<string | null> {
      const row = await db('marking_codes').whereNull('purged_at').min('emitted_at as oldest').first();
      return row?.oldest ? new Date(row.oldest).toISOString() : null;
    },

    /**
     * Purges the codes emitted before `cutoff`: the full code (with its verification part) is
     * erased; GTIN, serial and history stay, so a serial is never issued again. In batches,
     * heartbeating; safe to retry. Returns how many were purged.
     */
    async purgeCodesEmittedBefore(cutoff: string): Promise<number> {
      let total = 0;
      for (;;) {
        const purged = await db.raw(
          `UPDATE marking_codes SET code = NULL, purged_at = ?
            WHERE id IN (SELECT id FROM marking_codes WHERE purged_at IS NULL AND emitted_at < ? ORDER BY emitted_at LIMIT ${BATCH})`,
          [clock.now(), cutoff],
        );
        total += purged.rowCount;
        Context.current().heartbeat(total);
        if (purged.rowCount < BATCH) return total;
      }
    },
  };
}
