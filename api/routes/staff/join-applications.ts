import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listRejectedApplications } from '../../../db/eds-trust-store';
import type { ModerationDecision } from '../../../workflows/onboarding';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { decideJoinApplication } from '../../intake/join-applications';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import {
  Application,
  QueueQuery,
  RejectBody,
  RejectedApplication,
  RejectedQuery,
} from '../../schemas/join-applications';
import { joinApplicationById, joinApplicationsIn, moderatorsView } from '../../views/join-applications';

const Params = IdParams('applicationId');
const MODERATORS = { staff: ['moderator', 'admin'] as const };
const security = [{ staffToken: [] }];

/** The moderators' side of joining (10.5.3): the queue, an application with its signature check, the decision. */
export const staffJoinApplicationRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    const view = (rows: Record<string, any>[]) => moderatorsView(deps, rows);
    const decide = (applicationId: string, decision: ModerationDecision) =>
      decideJoinApplication(deps, applicationId, decision);

    app.get(
      '/join-applications',
      {
        config: { auth: MODERATORS },
        schema: {
          tags: ['joining'],
          summary: 'Join applications, oldest first; default: the queue awaiting moderation',
          security,
          querystring: QueueQuery,
          response: { 200: Type.Object({ applications: Type.Array(Application) }), ...authErrors },
        },
      },
      async (request) => {
        const { status = 'awaiting_moderation', limit } = request.query;
        const rows = await joinApplicationsIn(db, status, limit);
        return { applications: await view(rows) };
      },
    );

    app.get(
      '/join-applications/rejected',
      {
        config: { auth: MODERATORS },
        schema: {
          tags: ['joining'],
          summary:
            'Applications the public route refused for their EDS signature, newest first: the form, the problems, when and from where',
          description: 'No application was made for these; the applicant was told why in Russian. Filter by `binIin`.',
          security,
          querystring: RejectedQuery,
          response: { 200: Type.Object({ rejections: Type.Array(RejectedApplication) }), ...authErrors },
        },
      },
      async (request) => {
        const rows = await listRejectedApplications(db, { binIin: request.query.binIin, limit: request.query.limit });
        return {
          rejections: rows.map((row: Record<string, any>) => ({
            id: row.id,
            binIin: row.bin_iin,
            email: row.email,
            form: row.form,
            problems: row.problems,
            signatureCheck: row.signature_check,
            receivedAt: new Date(row.received_at).toISOString(),
            clientIp: row.client_ip ?? null,
          })),
        };
      },
    );

    app.get(
      '/join-applications/:applicationId',
      {
        config: { auth: MODERATORS },
        schema: {
          tags: ['joining'],
          summary: 'A join application with its form and the EDS signature check',
          security,
          params: Params,
          response: { 200: Application, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        return (await view([await joinApplicationById(db, request.params.applicationId)]))[0];
      },
    );

    app.post(
      '/join-applications/:applicationId/approve',
      {
        config: { auth: MODERATORS },
        schema: {
          tags: ['joining'],
          summary: 'Approve: the client, its personal account and API token are created and the client is e-mailed',
          security,
          params: Params,
          response: { 200: Application, ...authErrors, ...errorResponses(404, 409, 503) },
        },
      },
      async (request) =>
        decide(request.params.applicationId, { decision: 'approve', moderatorId: requireStaff(request).staffUserId }),
    );

    app.post(
      '/join-applications/:applicationId/reject',
      {
        config: { auth: MODERATORS },
        schema: {
          tags: ['joining'],
          summary: 'Refuse activation (10.5.3) with a reason; the applicant is e-mailed and may apply again',
          security,
          params: Params,
          body: RejectBody,
          response: { 200: Application, ...authErrors, ...errorResponses(404, 409, 503) },
        },
      },
      async (request) =>
        decide(request.params.applicationId, {
          decision: 'reject',
          reason: request.body.reason,
          moderatorId: requireStaff(request).staffUserId,
        }),
    );
  };
