import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { answerNotice } from '../../intake/notices';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { AnswerNoticeBody, Notice, toNotice } from '../../schemas/notices';
import { clientNotices } from '../../views/notices';

export const clientNoticeRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
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
        const rows = await clientNotices(db, requireClient(request).clientId);
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
        const row = await answerNotice(
          deps,
          { clientId: requireClient(request).clientId, noticeId: request.params.noticeId, text: request.body.text },
          (error) => request.log.warn({ err: error }, 'notice workflow not signalled'),
        );
        return toNotice(row);
      },
    );
  };
