import type { Knex } from 'knex';

/**
 * The transactional outbox (the `workflow_outbox` table): what a workflow must be told about a
 * write, recorded in the write's transaction so that it commits with it, and delivered after the
 * commit (api/intake/outbox.ts) — by the request that wrote it and, when Temporal did not take it
 * then, by the relay, until it has. The sole writer of the table.
 */
export type OutboxMessage =
  /** A signal to one workflow; its handler must take a repeat as a no-op (delivery is at least once). */
  | { kind: 'signal'; workflowId: string; signal: string; args: unknown[] }
  /** The calendar or a force-majeure event changed: every workflow waiting on a deadline recomputes it. */
  | { kind: 'deadlines-changed' };

export interface PendingMessage {
  id: number;
  message: OutboxMessage;
  attempts: number;
}

/** Records a message in the writer's transaction; returns its id. */
export async function enqueue(trx: Knex.Transaction, message: OutboxMessage): Promise<number> {
  // The writer delivers it right after its commit; the relay takes it only if that did not happen.
  const relayFrom = trx.raw(`now() + interval '10 seconds'`);
  const [row] = await trx('workflow_outbox')
    .insert(
      message.kind === 'signal'
        ? {
            kind: message.kind,
            workflow_id: message.workflowId,
            signal: message.signal,
            args: JSON.stringify(message.args),
            next_attempt_at: relayFrom,
          }
        : { kind: message.kind, next_attempt_at: relayFrom },
    )
    .returning('id');
  return row.id;
}

function toPending(row: Record<string, any>): PendingMessage {
  const message: OutboxMessage =
    row.kind === 'signal'
      ? { kind: 'signal', workflowId: row.workflow_id, signal: row.signal, args: row.args }
      : { kind: 'deadlines-changed' };
  return { id: Number(row.id), message, attempts: row.attempts };
}

/**
 * Delivers pending messages one at a time, each under its row's lock (SKIP LOCKED: two API
 * processes never deliver the same message at once; a message another is delivering is skipped).
 * `ids` limits it to those (what a request just wrote); otherwise those due, oldest first.
 * `send` answers the outcome to record, or throws to have the message tried again later.
 */
export async function deliverPending(
  db: Knex,
  send: (message: PendingMessage) => Promise<string>,
  options: { ids?: number[]; limit?: number; now: Date; retryAfter: (attempts: number) => number },
): Promise<{ delivered: Array<{ id: number; outcome: string }>; failed: Array<{ id: number; error: unknown }> }> {
  const delivered: Array<{ id: number; outcome: string }> = [];
  const failed: Array<{ id: number; error: unknown }> = [];
  const ids = options.ids ?? (await dueIds(db, options.now, options.limit ?? 100));
  for (const id of ids) {
    await db.transaction(async (trx) => {
      const row = await trx('workflow_outbox').where({ id }).whereNull('delivered_at').forUpdate().skipLocked().first();
      if (!row) return;
      const pending = toPending(row);
      try {
        const outcome = await send(pending);
        await trx('workflow_outbox')
          .where({ id })
          .update({ delivered_at: options.now, outcome, attempts: row.attempts + 1 });
        delivered.push({ id, outcome });
      } catch (error) {
        await trx('workflow_outbox')
          .where({ id })
          .update({
            attempts: row.attempts + 1,
            last_error: String((error as Error)?.message ?? error).slice(0, 2000),
            next_attempt_at: new Date(options.now.getTime() + options.retryAfter(row.attempts + 1)),
          });
        failed.push({ id, error });
      }
    });
  }
  return { delivered, failed };
}

async function dueIds(db: Knex, now: Date, limit: number): Promise<number[]> {
  const rows = await db('workflow_outbox')
    .whereNull('delivered_at')
    .where('next_attempt_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .select('id');
  return rows.map((row) => Number(row.id));
}

/** Messages not yet delivered, and the oldest one's age in seconds — for /health and the operators. */
export async function outboxBacklog(db: Knex, now: Date): Promise<{ pending: number; oldestSeconds: number | null }> {
  const row = await db('workflow_outbox')
    .whereNull('delivered_at')
    .first(db.raw('count(*)::int AS pending'), db.raw('min(created_at) AS oldest'));
  return {
    pending: row?.pending ?? 0,
    oldestSeconds: row?.oldest ? Math.round((now.getTime() - new Date(row.oldest).getTime()) / 1000) : null,
  };
}
