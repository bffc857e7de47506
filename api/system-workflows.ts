import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Logger } from '../lib/logger';
import { CODE_RETENTION_WORKFLOW_ID, codeRetention } from '../workflows/code-retention';
import { MONTHLY_ACTS_SCHEDULE_ID, monthlyActs } from '../workflows/monthly-acts';
import type { AppDeps } from './deps';

/**
 * The system's own processes (one each per deployment), set up by the API once it reaches
 * Temporal and retried in the background while it cannot; ones already there are left as
 * they are: the code retention workflow (4.4.8) and the Schedule that issues the monthly acts
 * on the 1st of each month at 00:30 in the operator's zone (6.5).
 */
export function ensureSystemWorkflows(temporal: AppDeps['temporal'], options: { taskQueue: string; zone: string }, logger: Logger, retryMs = 30_000): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async () => {
    try {
      await ensure(temporal, options);
      logger.info('system workflows and schedules in place');
    } catch (error) {
      logger.warn({ err: error }, 'system workflows not set up yet; retrying');
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

export async function ensure(temporal: AppDeps['temporal'], { taskQueue, zone }: { taskQueue: string; zone: string }): Promise<void> {
  try {
    await temporal.client.workflow.start(codeRetention, {
      workflowId: CODE_RETENTION_WORKFLOW_ID,
      taskQueue,
      args: [{ purged: 0 }],
      staticSummary: 'Retention of marking codes: kept 5 years, then purged (4.4.8)',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  try {
    await temporal.client.schedule.create({
      scheduleId: MONTHLY_ACTS_SCHEDULE_ID,
      spec: { calendars: [{ dayOfMonth: 1, hour: 0, minute: 30 }], timezone: zone },
      action: { type: 'startWorkflow', workflowType: monthlyActs, args: [{}], taskQueue, workflowId: 'monthly-acts' },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
      memo: { purpose: 'Acts of completed work for the previous month, by the 7th (6.5)' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
