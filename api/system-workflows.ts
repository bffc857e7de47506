import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Logger } from '../lib/logger';
import { CODE_RETENTION_WORKFLOW_ID, codeRetention } from '../workflows/code-retention';
import type { AppDeps } from './deps';

/**
 * The system's own long-running workflows (one each per deployment): started by the API once
 * it reaches Temporal, retried in the background while it cannot; an instance already running
 * is left as it is.
 */
export function ensureSystemWorkflows(temporal: AppDeps['temporal'], taskQueue: string, logger: Logger, retryMs = 30_000): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async () => {
    try {
      await temporal.client.workflow.start(codeRetention, {
        workflowId: CODE_RETENTION_WORKFLOW_ID,
        taskQueue,
        args: [{ purged: 0 }],
        staticSummary: 'Retention of marking codes: kept 5 years, then purged (4.4.8)',
      });
      logger.info('code retention workflow started');
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      logger.warn({ err: error }, 'system workflows not started yet; retrying');
      if (!stopped) timer = setTimeout(attempt, retryMs);
    }
  };
  void attempt();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
