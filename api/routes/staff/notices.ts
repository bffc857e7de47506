import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WorkflowNotFoundError } from '@temporalio/client';
import { STAFF_ROLES } from '../../../lib/roles';
import { noticeStateQuery } from '../../../workflows/notice-delivery';
import { noticeWorkflowId } from '../../../workflows/notice-delivery';
import { sendNotice } from '../../intake/notices';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { ANSWER_WORKING_DAYS, CreateNoticeBody, Notice, toNotice } from '../../schemas/notices';
import { noticeById } from '../../views/notices';

export const staffNoticeRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, temporal } = deps;
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
        const kind = request.body.kind ?? 'notice';
        const answerWithinWorkingDays =
          (request.body.answerRequired ?? kind === 'information_request') ? ANSWER_WORKING_DAYS[kind] : undefined;
        const row = await sendNotice(deps, {
          clientId: request.params.clientId,
          subject: request.body.subject,
          body: request.body.body,
          kind,
          answerWithinWorkingDays,
          createdBy: requireStaff(request).staffUserId,
        });
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
        const row = await noticeById(db, request.params.noticeId);
        const handle = temporal.client.workflow.getHandle(noticeWorkflowId(row.id));
        try {
          const description = await handle.describe();
          const state = await handle.query(noticeStateQuery);
          return {
            ...toNotice(row),
            workflow: { workflowId: handle.workflowId, status: description.status.name, state },
          };
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError))
            request.log.warn({ err: error }, 'notice workflow not reachable');
          return { ...toNotice(row), workflow: null };
        }
      },
    );
  };
