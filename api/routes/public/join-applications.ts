import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { recordRejectedApplication } from '../../../db/eds-trust-store';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { problemMessageRu, refusalMessageRu } from '../../../lib/eds';
import { checkJoinForm, joinApplicationDocument, normaliseJoinForm } from '../../../lib/joining/form';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import { submitJoinApplication } from '../../intake/join-applications';
import { errorResponses, IdParams } from '../../schemas/common';
import {
  ApplicationStatus,
  DocumentBody,
  DocumentToSign,
  SubmitBody,
  type JoinForm,
} from '../../schemas/join-applications';
import { joinApplicationById, toApplicationStatus } from '../../views/join-applications';

/** How long before its receipt an application may have been signed (10.5.1: the receipt is the date of joining). */
const SIGNING_TOLERANCE_MS = 15 * 60_000;

function checkForm(form: JoinForm) {
  const problems = checkJoinForm(form);
  if (problems.length) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      `Invalid application: ${problems.map((p) => p.path).join(', ')}`,
      problems.map((p) => ({ location: 'body', ...p })),
    );
  }
}

/** Joining the contract (10.5, Прил. 1): an applicant gets the document to sign, then submits it signed. */
export const joinApplicationRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config, clock, eds } = deps;
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    app.post(
      '/join-applications/document',
      {
        schema: {
          tags: ['joining'],
          summary: 'The exact document to sign with the EDS for a join application (Прил. 1)',
          description:
            'The form, normalised, in a typed envelope serialised by RFC 8785 (JSON Canonicalization Scheme).',
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
            "The signature is verified at once: 422 SIGNATURE_REJECTED with every problem found, its `message` and each problem's `messageRu` in Russian for the applicant; " +
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
        const check = await eds.verify({
          document,
          signature: request.body.signature,
          expectedBinIin: form.binIin,
          at: now,
          freshWithinMs: SIGNING_TOLERANCE_MS,
        });
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
          throw new ApiError(422, 'SIGNATURE_REJECTED', refusalMessageRu(problems), {
            problems,
            checks: check.checks,
            rejectionId: rejection?.id ?? null,
          });
        }
        const calendar = new BusinessCalendar({ years: {} }, settings);
        const joinedOn = calendar.localDate(now);
        const effectiveFrom = addDaysToDate(joinedOn, 1);
        const row = await submitJoinApplication(deps, {
          form,
          document,
          signature: request.body.signature,
          check,
          now,
          joinedOn,
          effectiveFrom,
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
        return toApplicationStatus(await joinApplicationById(db, request.params.applicationId));
      },
    );
  };
