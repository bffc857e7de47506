/**
 * The kinds of work and their task queues. Orders (emission, buffers, downloads) come in bursts
 * from integrators' software; the contract's clocks (tickets' 5-minute reactions, notices, acts'
 * signing periods, requests' answers) must never wait behind them. So an order's workflow and its
 * activities run on a queue of their own, `<base>-orders`, with their own worker slots, and every
 * other process on the deployment's base queue (TEMPORAL_TASK_QUEUE). Workflow code may import
 * this file: it is pure.
 */
export const WORK_KINDS = ['contract', 'orders'] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

const ORDERS_SUFFIX = '-orders';

/** The task queue of one kind of work in the deployment whose base queue is `base`. */
export function taskQueueOf(base: string, kind: WorkKind): string {
  return kind === 'orders' ? `${base}${ORDERS_SUFFIX}` : base;
}

/** Every task queue of the deployment whose base queue is `base`. */
export function deploymentTaskQueues(base: string): string[] {
  return WORK_KINDS.map((kind) => taskQueueOf(base, kind));
}

/**
 * The contract's queue of the deployment a queue belongs to: what an order's workflow starts a
 * notice's delivery on, so a breach notice is sent with the contract's other notices.
 */
export function contractTaskQueue(queue: string): string {
  return queue.endsWith(ORDERS_SUFFIX) ? queue.slice(0, -ORDERS_SUFFIX.length) : queue;
}

/** `WORKER_KINDS=contract,orders` as the kinds a worker process takes; throws on an unknown kind. */
export function parseWorkKinds(text: string): WorkKind[] {
  const kinds = text
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !(WORK_KINDS as readonly string[]).includes(kind));
  if (unknown.length || !kinds.length)
    throw new RangeError(`unknown kinds of work ${JSON.stringify(unknown)}: expected some of ${WORK_KINDS.join(', ')}`);
  return [...new Set(kinds)] as WorkKind[];
}
