import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { Type } from 'typebox';
import { readCalendar } from '../../../db/calendar-store';
import { listRejectedApplications } from '../../../db/eds-trust-store';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { decideUpdate, type ModerationDecision } from '../../../workflows/onboarding';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { Application, QueueQuery, RejectBody, RejectedApplication, RejectedQuery } from '../../schemas/join-applications';
import { onboardingWorkflowId, toApplicationStatus } from '../public/join-applications';

const Params = IdParams('applicationId');
const MODERATORS = { staff: ['moderator', 'admin'] as const };
const security = [{ staffToken: [] }];

/** The moderators' side of joining (10.5.3): the queue, an application with its signature check, the decision. */
export const staffJoinApplicationRoutes =
  ({ db, temporal, config, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    async function view(rows: Record<string, any>[]) {
      const calendar = new BusinessCalendar(await readCalendar(db), settings);
      const now = clock.now();
      const moderators = await db('staff_users').whereIn('id', rows.map((r) => r.decided_by).filter(Boolean)).select('id', 'name');
      return rows.map((row) => {
        const waitedUntil = row.decided_at ?? now;
        let workingMinutes = 0;
        try {
          workingMinutes = Math.floor(calendar.workingTimeBetween(row.submitted_at, waitedUntil) / 60_000);
        } catch (error) {
          if (!(error instanceof CalendarYearMissingError)) throw error;
        }
        const moderator = moderators.find((m) => m.id === row.decided_by);
        return {
          ...toApplicationStatus(row),
          binIin: row.bin_iin,
          email: row.email,
          form: row.form,
          signatureCheck: row.signature_check ?? null,
          decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
          decidedBy: moderator ? { id: moderator.id, name: moderator.name } : null,
          clientId: row.client_id ?? null,
          waiting: {
            workingMinutes,
            reminderDueAt: row.status === 'awaiting_moderation' && row.reminder_due_at ? new Date(row.reminder_due_at).toISOString() : null,
            remindersSent: row.reminders_sent,
          },
        };
      });
    }

    async function decide(applicationId: string, decision: ModerationDecision) {
      const row = await db('join_applications').where({ id: applicationId }).first();
      if (!row) throw notFound('join application', applicationId);
      if (row.status !== 'awaiting_moderation') throw conflict('NOT_AWAITING_MODERATION', `Application ${row.number} is ${row.status}`);
      try {
        await temporal.client.workflow.getHandle(onboardingWorkflowId(applicationId)).executeUpdate(decideUpdate, { args: [decision] });
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) {
          throw conflict('DECISION_REFUSED', `The decision was refused: ${error.cause?.message ?? error.message}`);
        }
        throw error;
      }
      return (await view([await db('join_applications').where({ id: applicationId }).first()]))[0];
    }

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
        const rows = await db('join_applications').where({ status }).orderBy('submitted_at', status === 'awaiting_moderation' ? 'asc' : 'desc').limit(limit);
        return { applications: await view(rows) };
      },
    );

    app.get(
      '/join-applications/rejected',
      {
        config: { auth: MODERATORS },
        schema: {
          tags: ['joining'],
          summary: 'Applications the public route refused for their EDS signature, newest first: the form, the problems, when and from where',
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
        const row = await db('join_applications').where({ id: request.params.applicationId }).first();
        if (!row) throw notFound('join application', request.params.applicationId);
        return (await view([row]))[0];
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
      async (request) => decide(request.params.applicationId, { decision: 'approve', moderatorId: requireStaff(request).staffUserId }),
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
        decide(request.params.applicationId, { decision: 'reject', reason: request.body.reason, moderatorId: requireStaff(request).staffUserId }),
    );
  };
