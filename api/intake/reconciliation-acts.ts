import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Knex } from 'knex';
import {
  finishReconciliationAct,
  numberReconciliationAct,
  type ReconciliationIssuer,
} from '../../activities/reconciliation';
import type { BusinessCalendar } from '../../lib/calendar';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { reconciliationAct, reconciliationActWorkflowId } from '../../workflows/reconciliation-act';
import type { AppDeps } from '../http/deps';

type Deps = Pick<AppDeps, 'db' | 'config' | 'temporal' | 'operatorSigner'>;

/**
 * Starts the act's workflow, which sends it and awaits the client's signature (6.8); one already
 * running (started where a store that then failed to commit) is the act's.
 */
async function startActWorkflow({ config, temporal }: Deps, act: Record<string, any>) {
  await temporal.client.workflow
    .start(reconciliationAct, {
      taskQueue: config.temporalTaskQueue,
      workflowId: reconciliationActWorkflowId(act.id),
      args: [
        {
          reconciliationActId: act.id,
          clientId: act.client_id,
          number: act.number,
          issuedAt: new Date(act.issued_at).toISOString(),
          dueAt: new Date(act.due_at).toISOString(),
        },
      ],
      typedSearchAttributes: [
        { key: ClientId, value: act.client_id },
        { key: BusinessStatus, value: 'reconciliation_issued' },
      ],
      staticSummary: `Reconciliation act ${act.number} for ${act.period_from}..${act.period_to} (6.6-6.8)`,
    })
    .catch((error) => {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    });
}

/**
 * Issues a reconciliation act for the client's period (6.6) and starts the workflow that awaits
 * the client's signature (6.8). The act is numbered in a short transaction of its own (numbers
 * without gaps; the counter shared by every client is not held while the PDF renders, issue #19);
 * its PDF, the operator's signature and the workflow's start then commit together, so an act with
 * its PDF always has its workflow. An act left without them (a refused start, a crash) is finished
 * by the client's next request — which, for the same period, is answered with that act.
 */
export async function requestReconciliationAct(
  deps: Deps,
  calendar: BusinessCalendar,
  p: { clientId: string; from: string; to: string; issuedAt: Date },
): Promise<Record<string, any>> {
  const issuer: ReconciliationIssuer = { signer: deps.operatorSigner, calendar };
  const start = (_trx: Knex.Transaction, act: Record<string, any>) => startActWorkflow(deps, act);
  let samePeriod: Record<string, any> | undefined;
  for (const unfinished of await deps
    .db('reconciliation_acts')
    .where({ client_id: p.clientId })
    .whereNull('pdf')
    .orderBy('created_at')) {
    const act = await finishReconciliationAct(deps.db, issuer, unfinished, { stored: start });
    if (!samePeriod && act.period_from === p.from && act.period_to === p.to) samePeriod = act;
  }
  if (samePeriod) return samePeriod;
  const { act, flows } = await numberReconciliationAct(deps.db, issuer, p);
  return finishReconciliationAct(deps.db, issuer, act, { flows, stored: start });
}
