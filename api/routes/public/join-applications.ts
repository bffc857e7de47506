import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { recordRejectedApplication } from '../../../db/eds-trust-store';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { problemMessageRu, refusalMessageRu } from '../../../lib/eds';
import { checkJoinForm, joinApplicationDocument, normaliseJoinForm } from '../../../lib/joining/form';
import { BusinessStatus } from '../../../lib/search-attributes';
import { onboarding } from '../../../workflows/onboarding';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { errorResponses, IdParams } from '../../schemas/common';
import { ApplicationStatus, DocumentBody, DocumentToSign, SubmitBody, type JoinForm } from '../../schemas/join-applications';

/** How long before its receipt an application may have been signed (10.5.1: the receipt is the date of joining). */
const SIGNING_TOLERANCE_MS = 15 * 60_000;

const START_DEADLINE_MS = 5000;
export const onboardingWorkflowId = (applicationId: string) => `join-application-${applicationId}`;

function checkForm(form: JoinForm) {
  const problems = checkJoinForm(form);
  if (problems.length) {
    throw new ApiError(400, 'VALIDATION_FAILED', `Invalid application: ${problems.map((p) => p.path).join(', ')}`, problems.map((p) => ({ location: 'body', ...p })));
  }
}

export const toApplicationStatus = (row: Record<string, any>) => ({
  id: row.id,
  number: row.number,
  status: row.status,
  submittedAt: new Date(row.submitted_at).toISOString(),
  joinedOn: row.joined_on,
  effectiveFrom: row.effective_from,
  decisionReason: row.decision_reason ?? null,
});

/** Joining the contract (10.5, Прил. 1): an applicant gets the document to sign, then submits it signed. */
export const joinApplicationRoutes =
  ({ db, temporal, config, clock, eds }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    app.post(
      '/join-applications/document',
      {
        schema: {
          tags: ['joining'],
          summary: 'The exact document to sign with the EDS for a join application (Прил. 1)',
          description: 'The form, normalised, in a typed envelope serialised by RFC 8785 (JSON Canonicalization Scheme).',
          body: DocumentBody,
          response: { 200: DocumentToSign, ...errorResponses(400) },
        },
      },
      async (request) => {
        checkForm(request.body.form);
        const document = joinApplicationDocument(request.body.form);
        return {
          documentBase64: document.toString('base64'),
          documentText: document.toString('utf8'),
          sha256: createHash('sha256').update(document).digest('hex'),
        };
      },
    );

    app.post(
      '/join-applications',
      {
        schema: {
          tags: ['joining'],
          summary: 'Submit a join application signed with the EDS; a moderator reviews it',
          description:
            'The signature is verified at once: 422 SIGNATURE_REJECTED with every problem found, its `message` and each problem\'s `messageRu` in Russian for the applicant; ' +
            'no application is made, the refusal is recorded for the moderators (GET /staff/v1/join-applications/rejected). ' +
            'The joining date is the signing date (10.5.1); the contract applies from the next day (10.5.3).',
          body: SubmitBody,
          response: { 202: ApplicationStatus, ...errorResponses(400, 409, 422, 503) },
        },
      },
      async (request, reply) => {
        const form = normaliseJoinForm(request.body.form);
        checkForm(form);
        const document = joinApplicationDocument(form);
        const now = clock.now();
        // 10.5.1: the date of joining is the date the signed application is received; the signature must be made now, with a certificate valid now.
        const check = await eds.verify({ document, signature: request.body.signature, expectedBinIin: form.binIin, at: now, freshWithinMs: SIGNING_TOLERANCE_MS });
        if (!check.valid) {
          const problems = check.problems.map((p) => ({ ...p, messageRu: problemMessageRu(p) }));
          const rejection = await recordRejectedApplication(db, {
            binIin: form.binIin,
            email: form.email,
            form,
            signature: request.body.signature,
            problems,
            signatureCheck: check,
            receivedAt: now,
            clientIp: request.ip,
          }).catch((error) => {
            // The applicant still hears why; the moderators' record is lost, so say so in the log.
            request.log.error({ err: error }, 'refused join application not recorded');
            return undefined;
          });
          throw new ApiError(422, 'SIGNATURE_REJECTED', refusalMessageRu(problems), { problems, checks: check.checks, rejectionId: rejection?.id ?? null });
        }
        const client = await db('clients').where({ bin_iin: form.binIin }).whereNot({ status: 'terminated' }).first();
        if (client) throw conflict('CLIENT_EXISTS', `A client with BIN/IIN ${form.binIin} has already joined`);

        const calendar = new BusinessCalendar({ years: {} }, settings);
        const joinedOn = calendar.localDate(now);
        const effectiveFrom = addDaysToDate(joinedOn, 1);
        const row = await db.transaction(async (trx) => {
          const [{ nextval }] = (await trx.raw("SELECT nextval('join_application_numbers')")).rows;
          const inserted = trx('join_applications')
            .insert({
              number: `ЗП-${joinedOn.slice(0, 4)}-${String(nextval).padStart(6, '0')}`,
              bin_iin: form.binIin,
              email: form.email,
              form,
              document,
              signature: Buffer.from(request.body.signature),
              signature_check: check,
              signed_at: check.signingTime,
              joined_on: joinedOn,
              effective_from: effectiveFrom,
              submitted_at: now,
            })
            .returning('*');
          const [row] = await inserted.catch((error) => {
            if (error.constraint === 'join_applications_one_in_progress') {
              throw conflict('APPLICATION_IN_PROGRESS', `An application for BIN/IIN ${form.binIin} is already being reviewed`);
            }
            throw error;
          });
          await temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
            temporal.client.workflow.start(onboarding, {
              workflowId: onboardingWorkflowId(row.id),
              taskQueue: config.temporalTaskQueue,
              args: [{ applicationId: row.id, number: row.number, binIin: form.binIin, companyName: form.companyName, submittedAt: now.toISOString() }],
              typedSearchAttributes: [{ key: BusinessStatus, value: 'registered' }],
              staticSummary: `Join application ${row.number}: ${form.companyName} (${form.binIin})`,
              staticDetails: `Signed ${check.signingTime} by ${check.signer?.commonName ?? 'unknown'}; joining date ${joinedOn}, effective from ${effectiveFrom} (10.5).`,
            }),
          );
          return row;
        });
        return reply.status(202).send(toApplicationStatus(row));
      },
    );

    app.get(
      '/join-applications/:applicationId',
      {
        schema: {
          tags: ['joining'],
          summary: "An application's status (the id is the applicant's receipt)",
          params: IdParams('applicationId'),
          response: { 200: ApplicationStatus, ...errorResponses(400, 404) },
        },
      },
      async (request) => {
        const row = await db('join_applications').where({ id: request.params.applicationId }).first();
        if (!row) throw notFound('join application', request.params.applicationId);
        return toApplicationStatus(row);
      },
    );
  };
