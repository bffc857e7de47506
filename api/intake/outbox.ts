import type { Knex } from 'knex';
import { deliverPending, enqueue, OutboxMessage, PendingMessage } from '../../db/outbox';
import type { Logger } from '../../lib/logger';
import type { AppDeps } from '../http/deps';
import { signalDeadlineWaiters } from './deadline-waiters';

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;

/** What delivering a request's messages came to: workflows signalled, ones that had ended, and ones left for the relay. */
export interface Delivery {
  workflowsSignalled: number;
  workflowEnded: boolean;
  pending: number;
}

/** Retry after 1 s, 2 s, 4 s… up to 5 minutes. */
const retryAfter = (attempts: number) => Math.min(1000 * 2 ** (attempts - 1), 300_000);

function sender(deps: Deps, delivery: Delivery) {
  return async ({ message }: PendingMessage): Promise<string> => {
    if (message.kind === 'deadlines-changed') {
      const signalled = await signalDeadlineWaiters(deps.temporal, deps.config.temporalTaskQueue);
      delivery.workflowsSignalled += signalled;
      return `signalled ${signalled}`;
    }
    try {
      await deps.temporal.client.workflow.getHandle(message.workflowId).signal(message.signal, ...message.args);
      delivery.workflowsSignalled += 1;
      return 'signalled';
    } catch (error) {
      if ((error as Error).name !== 'WorkflowNotFoundError') throw error;
      // The process had ended (a ticket closed meanwhile): nothing is left to tell.
      delivery.workflowEnded = true;
      return 'workflow ended';
    }
  };
}

/** Delivers messages now: those given (what a request just committed) or every one due. */
export async function deliverOutbox(deps: Deps, ids?: number[]): Promise<Delivery> {
  const delivery: Delivery = { workflowsSignalled: 0, workflowEnded: false, pending: 0 };
  const { failed } = await deliverPending(deps.db, sender(deps, delivery), { ids, now: deps.clock.now(), retryAfter });
  delivery.pending = failed.length;
  return delivery;
}

/**
 * A write and what its workflows must be told of it, in one transaction; told right after the
 * commit. When Temporal cannot be reached then, the write stands and the relay tells them later.
 */
export async function writeAndTell<T>(
  deps: Deps,
  write: (trx: Knex.Transaction, tell: (message: OutboxMessage) => Promise<void>) => Promise<T>,
): Promise<{ result: T; delivery: Delivery }> {
  const ids: number[] = [];
  const result = await deps.db.transaction((trx) =>
    write(trx, async (message) => {
      ids.push(await enqueue(trx, message));
    }),
  );
  const delivery = ids.length
    ? await deliverOutbox(deps, ids)
    : { workflowsSignalled: 0, workflowEnded: false, pending: 0 };
  return { result, delivery };
}

/**
 * The relay: every few seconds, delivers what requests could not (Temporal down, a process
 * killed between commit and delivery). Runs in each API process; two never deliver one message at once.
 */
export function startOutboxRelay(deps: Deps, logger: Logger, intervalMs = 2000): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = deliverOutbox(deps)
      .then(({ workflowsSignalled, pending }) => {
        if (workflowsSignalled || pending) logger.info({ workflowsSignalled, pending }, 'outbox relay delivered');
      })
      .catch((error) => logger.warn({ err: error }, 'outbox relay failed; retrying'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
