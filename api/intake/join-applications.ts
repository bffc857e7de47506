import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { EdsVerification } from '../../lib/eds';
import { BusinessStatus } from '../../lib/search-attributes';
import { decideUpdate, onboarding, type ModerationDecision } from '../../workflows/onboarding';
import type { AppDeps } from '../http/deps';
import { conflict } from '../http/errors';
import type { JoinForm } from '../schemas/join-applications';
import { joinApplicationById, moderatorsView } from '../views/join-applications';

/** Joining (10.5): an application recorded with its onboarding workflow started, and the moderators' decision told to it. */

const START_DEADLINE_MS = 5000;
export const onboardingWorkflowId = (applicationId: string) => `join-application-${applicationId}`;

export interface SignedApplication {
  form: JoinForm;
  document: Buffer;
  signature: string;
  check: EdsVerification;
  now: Date;
  /** The date of joining (10.5.1) and the day the contract applies from (10.5.3). */
  joinedOn: string;
  effectiveFrom: string;
}

/**
 * Records a signed application and starts its onboarding workflow in one transaction: a refused
 * start leaves no application. A BIN/IIN that has joined → 409 CLIENT_EXISTS; one under review → 409 APPLICATION_IN_PROGRESS.
 */
export async function submitJoinApplication(
  { db, temporal, config }: Pick<AppDeps, 'db' | 'temporal' | 'config'>,
  a: SignedApplication,
): Promise<Record<string, any>> {
  const { form, check, now, joinedOn, effectiveFrom } = a;
  const client = await db('clients').where({ bin_iin: form.binIin }).whereNot({ status: 'terminated' }).first();
  if (client) throw conflict('CLIENT_EXISTS', `A client with BIN/IIN ${form.binIin} has already joined`);
  return db.transaction(async (trx) => {
    const [{ nextval }] = (await trx.raw("SELECT nextval('join_application_numbers')")).rows;
    const inserted = trx('join_applications')
      .insert({
        number: `ЗП-${joinedOn.slice(0, 4)}-${String(nextval).padStart(6, '0')}`,
        bin_iin: form.binIin,
        email: form.email,
        form,
        document: a.document,
        signature: Buffer.from(a.signature),
        signature_check: check,
        signed_at: check.signingTime,
        joined_on: joinedOn,
        effective_from: effectiveFrom,
        submitted_at: now,
      })
      .returning('*');
    const [row] = await inserted.catch((error) => {
      if (error.constraint === 'join_applications_one_in_progress') {
        throw conflict(
          'APPLICATION_IN_PROGRESS',
          `An application for BIN/IIN ${form.binIin} is already being reviewed`,
        );
      }
      throw error;
    });
    await temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      temporal.client.workflow.start(onboarding, {
        workflowId: onboardingWorkflowId(row.id),
        taskQueue: config.temporalTaskQueue,
        args: [
          {
            applicationId: row.id,
            number: row.number,
            binIin: form.binIin,
            companyName: form.companyName,
            submittedAt: now.toISOString(),
          },
        ],
        typedSearchAttributes: [{ key: BusinessStatus, value: 'registered' }],
        staticSummary: `Join application ${row.number}: ${form.companyName} (${form.binIin})`,
        staticDetails: `Signed ${check.signingTime} by ${check.signer?.commonName ?? 'unknown'}; joining date ${joinedOn}, effective from ${effectiveFrom} (10.5).`,
      }),
    );
    return row;
  });
}

/** A moderator's decision (10.5.3), told to the application's workflow; answers the application as the moderators see it. */
export async function decideJoinApplication(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>,
  applicationId: string,
  decision: ModerationDecision,
) {
  const row = await joinApplicationById(deps.db, applicationId);
  if (row.status !== 'awaiting_moderation')
    throw conflict('NOT_AWAITING_MODERATION', `Application ${row.number} is ${row.status}`);
  try {
    await deps.temporal.client.workflow
      .getHandle(onboardingWorkflowId(applicationId))
      .executeUpdate(decideUpdate, { args: [decision] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw conflict('DECISION_REFUSED', `The decision was refused: ${error.cause?.message ?? error.message}`);
    }
    throw error;
  }
  return (await moderatorsView(deps, [await deps.db('join_applications').where({ id: applicationId }).first()]))[0];
}
