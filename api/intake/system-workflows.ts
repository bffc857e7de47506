import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import type { Logger } from '../../lib/logger';
import { CALENDAR_HORIZON_SCHEDULE_ID, calendarHorizonCheck } from '../../workflows/calendar-horizon';
import { CODE_RETENTION_WORKFLOW_ID, codeRetention } from '../../workflows/code-retention';
import { MONTHLY_ACTS_SCHEDULE_ID, monthlyActs } from '../../workflows/monthly-acts';
import { signalDeadlineWaiters } from './deadline-waiters';
import type { AppDeps } from '../http/deps';

/**
 * The system's own processes (one each per deployment), set up by the API once it reaches
 * Temporal and retried in the background while it cannot; ones already there are left as
 * they are: the code retention workflow (4.4.8), the Schedule that issues the monthly acts
 * on the 1st of each month at 00:30 in the operator's zone (6.5) and the daily check of the
 * calendar's horizon, run once at start too. When the start brought in calendar years (bundled
 * data newer than the database's), the running workflows are told to recompute their deadlines.
 */
export function ensureSystemWorkflows(
  temporal: AppDeps['temporal'],
  options: { taskQueue: string; zone: string; calendarChanged?: boolean },
  logger: Logger,
  retryMs = 30_000,
): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let calendarSignalled = !options.calendarChanged;
  const attempt = async () => {
    try {
      await ensure(temporal, options);
      await ensureCalendarHorizonCheck(temporal, options);
      if (!calendarSignalled) {
        logger.info(
          { workflowsSignalled: await signalDeadlineWaiters(temporal, options.taskQueue) },
          'calendar years brought in at start: running workflows told to recompute',
        );
        calendarSignalled = true;
      }
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

export async function ensure(
  temporal: AppDeps['temporal'],
  { taskQueue, zone }: { taskQueue: string; zone: string },
): Promise<void> {
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

/**
 * The daily check of the calendar's horizon at 09:00 in the operator's zone (workflows/calendar-horizon.ts),
 * and one run now, at start: a deployment in October warns the same day.
 */
export async function ensureCalendarHorizonCheck(
  temporal: AppDeps['temporal'],
  { taskQueue, zone }: { taskQueue: string; zone: string },
): Promise<void> {
  try {
    await temporal.client.schedule.create({
      scheduleId: CALENDAR_HORIZON_SCHEDULE_ID,
      spec: { calendars: [{ hour: 9, minute: 0 }], timezone: zone },
      action: {
        type: 'startWorkflow',
        workflowType: calendarHorizonCheck,
        args: [],
        taskQueue,
        workflowId: 'calendar-horizon',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: {
        purpose: 'From 1 October: admins e-mailed once when next year has no official business calendar (issue #13)',
      },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await temporal.client.schedule.getHandle(CALENDAR_HORIZON_SCHEDULE_ID).trigger();
}
