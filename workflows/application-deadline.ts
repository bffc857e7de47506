import { proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { applicationLastDay, applicationPeriodEnd, APPLICATION_WORKING_DAYS } from '../lib/contract-periods';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { waitForDecisionOrDeadline } from './shared/deadline';
import { deliverNotice } from './shared/notify';

export interface ApplicationDeadlineInput {
  blockId: string;
  clientId: string;
  orderId: string;
  deliveredAt: string;
  /** When the client got access to the codes (3.9); the period runs from it. Blocks followed before it was passed: from delivery. */
  receivedAt?: string;
}

export const applicationWorkflowId = (blockId: string) => `apply-${blockId}`;

const { applicationReminder, markApplicationOverdue } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '10 minutes' },
});

/**
 * The client's period to apply downloaded codes to the goods (4.1.6): a reminder a working day
 * before it ends, for codes not yet introduced into circulation; at its end the block is
 * recorded overdue if any remain, and listed so in the cabinet.
 */
export async function applicationDeadline(
  input: ApplicationDeadlineInput,
): Promise<{ overdueCodes: number; applyBy?: string }> {
  upsertSearchAttributes([
    { key: ClientId, value: input.clientId },
    { key: BusinessStatus, value: 'applying' },
  ]);
  const received = input.receivedAt ?? input.deliveredAt;
  let applyBy: string | undefined;
  await waitForDecisionOrDeadline({
    process: 'application',
    compute: (calendar) => calendar.addWorkingDays(received, APPLICATION_WORKING_DAYS - 1),
    done: () => false,
    onDeadline: (reminderAt, calendar) => {
      applyBy = applicationLastDay(calendar, received);
      setCurrentDetails(
        `Codes of block ${input.blockId} (order ${input.orderId}) are to be applied by ${applyBy} (4.1.6); reminder at ${calendar.format(reminderAt)}.`,
      );
    },
  });
  const notice = await applicationReminder(input.blockId, applyBy!);
  if (notice) await deliverNotice(notice);
  await waitForDecisionOrDeadline({
    process: 'application',
    compute: (calendar) => applicationPeriodEnd(calendar, received),
    done: () => false,
  });
  const overdueCodes = await markApplicationOverdue(input.blockId);
  upsertSearchAttributes([{ key: BusinessStatus, value: overdueCodes ? 'application_overdue' : 'applied' }]);
  setCurrentDetails(
    overdueCodes
      ? `${overdueCodes} code(s) of block ${input.blockId} not in circulation by ${applyBy}: overdue (4.1.6).`
      : `Every code of block ${input.blockId} is in circulation.`,
  );
  return { overdueCodes, applyBy };
}
