import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WorkflowNotFoundError } from '@temporalio/client';
import { STAFF_ROLES } from '../../../lib/roles';
import { noticeStateQuery } from '../../../workflows/notice-delivery';
import { startClientNotice } from '../../intake/notices';
import { noticeWorkflowId } from '../../../workflows/notice-delivery';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { ANSWER_WORKING_DAYS, CreateNoticeBody, Notice, toNotice } from '../../schemas/notices';

export const staffNoticeRoutes =
  ({ db, temporal, config }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/clients/:clientId/notices',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['notices'],
          summary:
            'Send an e-mail notice or information request to a client (10.2.1, 4.3.2); a workflow delivers it, ' +
            'retrying the mail server, then awaits the answer until its working-day deadline',
          security: [{ staffToken: [] }],
          params: IdParams('clientId'),
          body: CreateNoticeBody,
          response: { 202: Notice, ...authErrors, ...errorResponses(404, 503) },
        },
      },
      async (request, reply) => {
        const client = await db('clients').where({ id: request.params.clientId }).first();
        if (!client) throw notFound('client', request.params.clientId);
        const kind = request.body.kind ?? 'notice';
        const answerWithinWorkingDays =
          (request.body.answerRequired ?? kind === 'information_request') ? ANSWER_WORKING_DAYS[kind] : undefined;
        // The row commits only once its workflow has started: a refused start changes nothing.
        const row = (await db.transaction((trx) =>
          startClientNotice(trx, { temporal, config }, {
            clientId: client.id,
            subject: request.body.subject,
            body: request.body.body,
            kind,
            answerWithinWorkingDays,
            createdBy: requireStaff(request).staffUserId,
          }),
        ))!;
        const workflowId = noticeWorkflowId(row.id);
        return reply.status(202).send({ ...toNotice(row), workflow: { workflowId, status: 'RUNNING' } });
      },
    );

    app.get(
      '/notices/:noticeId',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['notices'],
          summary: 'A notice with the live state of its delivery workflow',
          security: [{ staffToken: [] }],
          params: IdParams('noticeId'),
          response: { 200: Notice, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const row = await db('notices').where({ id: request.params.noticeId }).first();
        if (!row) throw notFound('notice', request.params.noticeId);
        const handle = temporal.client.workflow.getHandle(noticeWorkflowId(row.id));
        try {
          const description = await handle.describe();
          const state = await handle.query(noticeStateQuery);
          return { ...toNotice(row), workflow: { workflowId: handle.workflowId, status: description.status.name, state } };
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) request.log.warn({ err: error }, 'notice workflow not reachable');
          return { ...toNotice(row), workflow: null };
        }
      },
    );
  };
