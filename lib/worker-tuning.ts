import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from './config';

/**
 * A worker's knobs (WORKER_WORKFLOW_SLOTS, WORKER_STICKY_CACHE, WORKER_WORKFLOW_POLLERS) as the Temporal SDK's options,
 * for measuring them (ops/bench/orders.ts): only those given are set, the rest keep their defaults.
 */
/** The environment variables of the knobs (lib/config.ts). */
export const WORKER_TUNING_VARIABLES: readonly string[] = [
  'WORKER_WORKFLOW_SLOTS',
  'WORKER_STICKY_CACHE',
  'WORKER_WORKFLOW_POLLERS',
];

export type WorkerTuning = Pick<Config, 'workerWorkflowSlots' | 'workerStickyCache' | 'workerWorkflowPollers'>;

export function workerTuningOptions(tuning: WorkerTuning = {}): Partial<WorkerOptions> {
  const { workerWorkflowSlots: slots, workerStickyCache: cache, workerWorkflowPollers: pollers } = tuning;
  return {
    ...(slots !== undefined ? { maxConcurrentWorkflowTaskExecutions: slots } : {}),
    ...(cache !== undefined ? { maxCachedWorkflows: cache } : {}),
    ...(pollers !== undefined
      ? { workflowTaskPollerBehavior: { type: 'simple-maximum' as const, maximum: pollers } }
      : {}),
  };
}
