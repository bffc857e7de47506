import { metricMeter } from '@temporalio/workflow';

/**
 * The contract's business counters, added by the workflow where the thing happens and served with the Temporal
 * SDK's own metrics on the worker's Prometheus endpoint (WORKER_METRICS_ADDRESS, lib/temporal-runtime.ts). A
 * workflow's metrics are not emitted while it replays: each event counts once, whatever crashes and retries.
 */
const counter =
  (name: string, unit: string, description: string) =>
  (value: number, tags: Record<string, string> = {}) => {
    // Made where it is added: the workflow's meter knows whether this workflow is replaying.
    if (value > 0) metricMeter.createCounter(name, unit, description).add(value, tags);
  };

/** Codes written by emission (3.2). */
export const countCodesEmitted = counter('ismet_codes_emitted', 'codes', 'Marking codes emitted');

/** An order's course: ready, declined (4.3.7), closed or expired. */
const orders = counter('ismet_orders', 'orders', 'Orders by what happened to them');
export const countOrderEvent = (event: 'ready' | 'declined' | 'closed' | 'expired') => orders(1, { event });

const downloads = counter('ismet_downloads', 'blocks', 'Blocks of codes handed to clients (each charged once)');
const codesDownloaded = counter('ismet_codes_downloaded', 'codes', 'Marking codes handed to clients');
const charged = counter('ismet_charged_tiyn', 'tiyn', 'Charged for codes handed over (6.4), in tiyn');

/** A block handed over and charged (3.2, 6.4); a block returned again is not counted again. */
export function countDownload(block: { quantity: number; amountTiyn: number }): void {
  downloads(1);
  codesDownloaded(block.quantity);
  charged(block.amountTiyn);
}

/** A deadline of the contract missed: emission's 4 hours (4.4.4), a ticket's registration, reaction or resolution (Прил. 3). */
const breaches = counter('ismet_deadline_breaches', 'breaches', 'Deadlines of the contract missed');
export const countBreach = (deadline: 'emission' | 'ticket_registration' | 'ticket_reaction' | 'ticket_resolution') =>
  breaches(1, { deadline });
