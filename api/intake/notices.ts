import type { Knex } from 'knex';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { noticeDelivery, noticeWorkflowId } from '../../workflows/notice-delivery';
import type { AppDeps } from '../http/deps';

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
      args: [{ noticeId: row.id, clientId: client.id, subject: row.subject, answerWithinWorkingDays: notice.answerWithinWorkingDays }],
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
