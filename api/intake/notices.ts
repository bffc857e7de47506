import { WorkflowNotFoundError } from '@temporalio/client';
import type { Knex } from 'knex';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { noticeAnsweredSignal, noticeDelivery, noticeWorkflowId } from '../../workflows/notice-delivery';
import type { AppDeps } from '../http/deps';
import { conflict } from '../http/errors';
import { existingClient } from '../views/clients';
import { clientNotice } from '../views/notices';

const START_DEADLINE_MS = 5000;

export interface NewNotice {
  clientId: string;
  subject: string;
  body: string;
  kind?: 'notice' | 'information_request';
  /** Working days the client has to answer (10.2.1, 4.3.2); none when no answer is needed. */
  answerWithinWorkingDays?: number;
  createdBy?: string;
  /** What the notice is about (e.g. `payment:<id>`): one notice per client and topic. */
  topic?: string;
}

/**
 * Records an e-mail notice to a client in `trx` and starts the workflow that delivers it
 * (10.2.1). Call it inside the transaction that makes the notice true, so that the notice
 * commits only with its workflow started. A topic already noticed is not noticed again.
 */
export async function startClientNotice(
  trx: Knex.Transaction,
  { temporal, config }: Pick<AppDeps, 'temporal' | 'config'>,
  notice: NewNotice,
): Promise<Record<string, any> | undefined> {
  const client = await trx('clients').where({ id: notice.clientId }).first('id', 'name', 'email', 'bin_iin');
  const [row] = await trx('notices')
    .insert({
      client_id: client.id,
      recipient: client.email,
      subject: notice.subject,
      body: notice.body,
      kind: notice.kind ?? 'notice',
      answer_within_working_days: notice.answerWithinWorkingDays ?? null,
      answer_status: notice.answerWithinWorkingDays ? 'awaiting' : 'not_required',
      created_by: notice.createdBy ?? null,
      topic: notice.topic ?? null,
    })
    .onConflict(trx.raw('(client_id, topic) WHERE topic IS NOT NULL'))
    .ignore()
    .returning('*');
  if (!row) return undefined;
  await temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
    temporal.client.workflow.start(noticeDelivery, {
      workflowId: noticeWorkflowId(row.id),
      taskQueue: config.temporalTaskQueue,
      args: [
        {
          noticeId: row.id,
          clientId: client.id,
          subject: row.subject,
          answerWithinWorkingDays: notice.answerWithinWorkingDays,
        },
      ],
      typedSearchAttributes: [
        { key: ClientId, value: client.id },
        { key: BusinessStatus, value: 'sending' },
      ],
      staticSummary: `E-mail notice «${row.subject}» to ${client.name} (${client.bin_iin})`,
      staticDetails: `Recipient: ${client.email}\nNotice: ${row.id}${notice.topic ? `\nTopic: ${notice.topic}` : ''}`,
    }),
  );
  return row;
}

/** A notice staff send to a client (404 for an unknown client): it commits only once its workflow has started. */
export async function sendNotice(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'config'>,
  notice: NewNotice,
): Promise<Record<string, any>> {
  const client = await existingClient(deps.db, notice.clientId);
  // The row commits only once its workflow has started: a refused start changes nothing.
  return (await deps.db.transaction((trx) => startClientNotice(trx, deps, { ...notice, clientId: client.id })))!;
}

/**
 * The client's answer to a notice that asks for one (10.2.1, 4.3.2): recorded once, then told to
 * the notice's workflow. A late answer is accepted; the workflow reads it from the row if the signal misses.
 */
export async function answerNotice(
  { db, temporal, clock }: Pick<AppDeps, 'db' | 'temporal' | 'clock'>,
  p: { clientId: string; noticeId: string; text: string },
  warn: (error: unknown) => void,
): Promise<Record<string, any>> {
  const notice = await clientNotice(db, p.clientId, p.noticeId);
  if (notice.answer_status === 'not_required')
    throw conflict('ANSWER_NOT_REQUIRED', 'This notice does not ask for an answer');
  if (notice.status !== 'sent') throw conflict('NOTICE_NOT_DELIVERED', 'This notice has not been delivered yet');
  const answeredAt = clock.now();
  const [row] = await db('notices')
    .where({ id: notice.id })
    .whereNull('answered_at')
    .update({ answered_at: answeredAt, answer_text: p.text, answer_status: 'answered' })
    .returning('*');
  if (!row)
    throw conflict('ALREADY_ANSWERED', `This notice was answered at ${new Date(notice.answered_at).toISOString()}`);
  try {
    await temporal.client.workflow
      .getHandle(noticeWorkflowId(notice.id))
      .signal(noticeAnsweredSignal, { answeredAt: answeredAt.toISOString() });
  } catch (error) {
    // The row is the record: a finished workflow (answer overdue) has nothing to wait for, and
    // one that missed the signal reads the answer from the database when its deadline comes.
    if (!(error instanceof WorkflowNotFoundError)) warn(error);
  }
  return row;
}
