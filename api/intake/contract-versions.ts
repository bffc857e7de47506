import { BusinessStatus } from '../../lib/search-attributes';
import { contractAmendment, amendmentWorkflowId } from '../../workflows/contract-amendment';
import { ApiError, conflict } from '../http/errors';
import { deadline, operatorCalendar } from '../views/operator-calendar';
import { Deps } from './request-checks';

export const AMENDMENT_WORKING_DAYS = 20;

const uniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

export async function publishContractVersion(
  deps: Deps,
  v: {
    version: string;
    title: string;
    summary: string;
    documentUrl?: string;
    reason: 'services' | 'law';
    effectiveFrom?: string;
    recordedBy: string;
  },
) {
  const publishedAt = deps.clock.now();
  const calendar = await operatorCalendar(deps);
  // The period runs from the day after publication and ends at 24:00 of its 20th working day:
  // addWorkingDays returns that midnight, whose local date is already the first day the new
  // version may apply on (as for tariffs, 6.1).
  const earliest = deadline(() => calendar.localDate(calendar.addWorkingDays(publishedAt, AMENDMENT_WORKING_DAYS)));
  const effectiveFrom = v.effectiveFrom ?? earliest;
  if (effectiveFrom < earliest)
    throw new ApiError(
      400,
      'NOTICE_PERIOD_TOO_SHORT',
      `Published today, the version may take effect on ${earliest} at the earliest (20 working days, 10.3.2)`,
      { earliestDate: earliest },
    );
  const exists = () => conflict('VERSION_EXISTS', `Version ${v.version} exists`);
  return deps.db
    .transaction(async (trx) => {
      if (await trx('contract_versions').where({ version: v.version }).first('id')) throw exists();
      const [row] = await trx('contract_versions')
        .insert({
          version: v.version,
          title: v.title,
          summary: v.summary,
          document_url: v.documentUrl ?? null,
          reason: v.reason,
          published_at: publishedAt,
          effective_at: calendar.startOfDay(effectiveFrom),
          recorded_by: v.recordedBy,
        })
        .returning('*');
      await deps.temporal.client.workflow.start(contractAmendment, {
        taskQueue: deps.config.temporalTaskQueue,
        workflowId: amendmentWorkflowId(row.id),
        args: [{ versionId: row.id, version: row.version, effectiveAt: new Date(row.effective_at).toISOString() }],
        typedSearchAttributes: [{ key: BusinessStatus, value: 'amendment_notifying' }],
        staticSummary: `Contract version ${row.version} from ${effectiveFrom}`,
      });
      return row;
    })
    .catch((error: unknown) => {
      // The same version published twice at once: the unique index refuses the second.
      throw uniqueViolation(error) ? exists() : error;
    });
}
