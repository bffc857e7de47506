import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Type } from 'typebox';
import { noticeAnsweredSignal } from '../../../workflows/notice-delivery';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { AnswerNoticeBody, Notice, toNotice } from '../../schemas/notices';
import { noticeWorkflowId } from '../../../workflows/notice-delivery';

export const clientNoticeRoutes =
  ({ db, temporal, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ clientToken: [] }];

    app.get(
      '/notices',
      {
        schema: {
          tags: ['client'],
          summary: 'Notices sent to the client, newest first, with the answer each needs and its deadline',
          security,
          response: { 200: Type.Object({ notices: Type.Array(Notice) }), ...authErrors },
        },
      },
      async (request) => {
        const rows = await db('notices').where({ client_id: requireClient(request).clientId }).orderBy('created_at', 'desc').limit(200);
        return { notices: rows.map(toNotice) };
      },
    );

    app.post(
      '/notices/:noticeId/answer',
      {
        schema: {
          tags: ['client'],
          summary: 'Answer a notice or information request (10.2.1: within 5 working days; 4.3.2: within 1)',
          description: 'A late answer is accepted and marked late. A notice is answered once (409 after).',
          security,
          params: IdParams('noticeId'),
          body: AnswerNoticeBody,
          response: { 200: Notice, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        const notice = await db('notices').where({ id: request.params.noticeId, client_id: clientId }).first();
        if (!notice) throw notFound('notice', request.params.noticeId);
        if (notice.answer_status === 'not_required') throw conflict('ANSWER_NOT_REQUIRED', 'This notice does not ask for an answer');
        if (notice.status !== 'sent') throw conflict('NOTICE_NOT_DELIVERED', 'This notice has not been delivered yet');
        const answeredAt = clock.now();
        const [row] = await db('notices')
          .where({ id: notice.id })
          .whereNull('answered_at')
          .update({ answered_at: answeredAt, answer_text: request.body.text, answer_status: 'answered' })
          .returning('*');
        if (!row) throw conflict('ALREADY_ANSWERED', `This notice was answered at ${new Date(notice.answered_at).toISOString()}`);
        try {
          await temporal.client.workflow
            .getHandle(noticeWorkflowId(notice.id))
            .signal(noticeAnsweredSignal, { answeredAt: answeredAt.toISOString() });
        } catch (error) {
          // The row is the record: a finished workflow (answer overdue) has nothing to wait for, and
          // one that missed the signal reads the answer from the database when its deadline comes.
          if (!(error instanceof WorkflowNotFoundError)) request.log.warn({ err: error }, 'notice workflow not signalled');
        }
        return toNotice(row);
      },
    );
  };
