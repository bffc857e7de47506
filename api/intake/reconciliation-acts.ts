import { issueReconciliationAct } from '../../activities/reconciliation';
import type { BusinessCalendar } from '../../lib/calendar';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { reconciliationAct, reconciliationActWorkflowId } from '../../workflows/reconciliation-act';
import type { AppDeps } from '../http/deps';

/**
 * Issues a reconciliation act for the client's period (6.6) and starts the workflow that awaits
 * the client's signature (6.8): recorded and started in one transaction, so a refused start
 * leaves no act behind.
 */
export async function requestReconciliationAct(
  { db, config, temporal, operatorSigner }: Pick<AppDeps, 'db' | 'config' | 'temporal' | 'operatorSigner'>,
  calendar: BusinessCalendar,
  p: { clientId: string; from: string; to: string; issuedAt: Date },
): Promise<Record<string, any>> {
  const { clientId } = p;
  return db.transaction(async (trx) => {
    const act = await issueReconciliationAct(trx, { signer: operatorSigner, calendar }, p);
    await temporal.client.workflow.start(reconciliationAct, {
      taskQueue: config.temporalTaskQueue,
      workflowId: reconciliationActWorkflowId(act.id),
      args: [
        {
          reconciliationActId: act.id,
          clientId,
          number: act.number,
          issuedAt: new Date(act.issued_at).toISOString(),
          dueAt: new Date(act.due_at).toISOString(),
        },
      ],
      typedSearchAttributes: [
        { key: ClientId, value: clientId },
        { key: BusinessStatus, value: 'reconciliation_issued' },
      ],
      staticSummary: `Reconciliation act ${act.number} for ${p.from}..${p.to} (6.6-6.8)`,
    });
    return act;
  });
}
