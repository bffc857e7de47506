import { continueAsNew, patched, proxyActivities, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessCalendar } from '../lib/calendar';
import { ClientId } from '../lib/search-attributes';
import { monthlyAct, monthlyActWorkflowId, supplementaryActWorkflowId } from './monthly-act';
import { startDetached } from './shared/detached';

export const MONTHLY_ACTS_SCHEDULE_ID = 'monthly-acts';
/** Clients handed their act workflow per run; a bigger month continues as new. */
const BATCH = 500;
const PARALLEL = 50;

export interface MonthlyActsInput {
  /** YYYY-MM; default: the month before the run, in the operator's zone. */
  month?: string;
  afterClientId?: string | null;
  started?: number;
}

const { clientsWithServicesIn, loadCalendar, unactedMonthsBefore } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '5 minutes' },
});

/** The month before `date` (YYYY-MM-DD), as YYYY-MM. */
export function previousMonth(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/**
 * On the 1st of each month (a Temporal Schedule starts it): one act workflow per client with
 * services in the previous month (6.5: acts by the 7th), in batches, continuing as new so a
 * month of 10,000 clients keeps each history small.
 */
export async function monthlyActs(input: MonthlyActsInput = {}): Promise<{ month: string; started: number }> {
  let month = input.month;
  if (!month) {
    const { settings } = await loadCalendar();
    month = previousMonth(new BusinessCalendar({ years: {} }, settings).localDate(new Date(workflowInfo().startTime)));
  }
  let started = input.started ?? 0;
  const clients = await clientsWithServicesIn(month, input.afterClientId ?? null, BATCH);
  for (let i = 0; i < clients.length; i += PARALLEL) {
    await Promise.all(clients.slice(i, i + PARALLEL).map((clientId) => startAct(clientId, month!)));
    started += Math.min(PARALLEL, clients.length - i);
    setCurrentDetails(`Acts for ${month}: ${started} act workflow(s) started.`);
  }
  if (clients.length === BATCH) {
    await continueAsNew<typeof monthlyActs>({ month, afterClientId: clients[clients.length - 1], started });
  }
  // 6.5: every service lands in an act — charges that reached an earlier month after its act get a supplementary one.
  if (patched('supplementary-acts')) {
    for (const late of await unactedMonthsBefore(month)) {
      await startAct(late.clientId, late.month, supplementaryActWorkflowId(late.clientId, late.month, month));
      started++;
    }
  }
  setCurrentDetails(`Acts for ${month}: ${started} act workflow(s) started; done.`);
  return { month, started };
}

async function startAct(clientId: string, month: string, supplementaryId?: string) {
  await startDetached(monthlyAct, {
    workflowId: supplementaryId ?? monthlyActWorkflowId(clientId, month),
    args: [{ clientId, month, ...(supplementaryId ? { supplementary: true } : {}) }],
    typedSearchAttributes: [{ key: ClientId, value: clientId }],
    staticSummary: supplementaryId
      ? `Supplementary act for ${month}: services that reached it after its act`
      : `Act of completed work for ${month}`,
  });
}
