import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { uploadBodyLimit } from '../../http/limits';
import { MEDIA_TYPE_PATTERN } from '../../http/request-guards';
import { claimDocumentFor, registerClaim } from '../../intake/claims';
import { openCompensation } from '../../intake/compensation';
import { documentAnswer } from '../../intake/signed-instructions';
import { authErrors, errorResponses, IdParams, StringEnum } from '../../schemas/common';
import {
  Breach,
  Claim,
  ClaimContent as ClaimContentSchema,
  ClaimDocument,
  ClaimDocumentInput,
  ClaimInput as ClaimInputSchema,
  Compensation,
  toCompensation,
} from '../../schemas/lifecycle';
import { clientClaim, clientClaims, clientCompensations, eligibility, withDocuments } from '../../views/claims';

/** A claim's document whose content type is a media type a header can carry back (it is, when downloaded). */
const ClaimDocumentChecked = Type.Object(
  {
    ...ClaimDocumentInput.properties,
    contentType: Type.String({
      minLength: 3,
      maxLength: 100,
      pattern: MEDIA_TYPE_PATTERN,
      description: 'The media type, e.g. application/pdf',
    }),
  },
  { additionalProperties: false },
);
const checkedDocuments = Type.Array(ClaimDocumentChecked, { maxItems: 20 });
export const ClaimContent = Type.Object(
  { ...ClaimContentSchema.properties, documents: checkedDocuments },
  { additionalProperties: false },
);
export const ClaimInput = Type.Object(
  { ...ClaimInputSchema.properties, documents: checkedDocuments },
  { additionalProperties: false },
);

/** Claims (9.2-9.4) and demands for damage from late service (7.3), with their answers and payments. */
export const clientClaimRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, clock } = deps;
    // Claims about the contract's time may be presented and followed after it has ended.
    const claimsAuth = { afterContractEnd: true };
    const security = [{ clientToken: [] }];

    app.post(
      '/claims/document',
      {
        config: { auth: claimsAuth },
        // The claim's documents travel in the body (base64): the larger limit of uploads.
        bodyLimit: uploadBodyLimit(deps.config),
        schema: {
          tags: ['claims'],
          summary: 'The exact document to sign with the EDS for a claim (9.4)',
          description:
            'The claim’s content and the SHA-256 of each of its documents, for the client’s BIN/IIN, in a typed envelope serialised by RFC 8785 (JSON Canonicalization Scheme). ' +
            'Sign these bytes (CMS) and send the claim with the same content and the signature to POST /claims.',
          security,
          body: ClaimContent,
          response: { 200: ClaimDocument, ...authErrors, ...errorResponses(404, 413) },
        },
      },
      async (request) => documentAnswer(await claimDocumentFor(deps, requireClient(request).clientId, request.body)),
    );

    app.post(
      '/claims',
      {
        config: { auth: claimsAuth },
        bodyLimit: uploadBodyLimit(deps.config),
        schema: {
          tags: ['claims'],
          summary: 'Present a claim (9.2-9.4): answered on the merits within 15 working days',
          description:
            'A claim proves its signer’s authority with its EDS signature over the document of POST /claims/document (9.4): made with the client’s own certificate (its BIN; an individual entrepreneur’s IIN), ' +
            'or with an individual’s certificate under a power of attorney recorded by the operator’s staff and valid on the day of receipt. ' +
            'Without a signature (NOT_SIGNED) or signed by someone without that authority (SIGNER_NOT_AUTHORISED) the claim counts as not presented and is not considered (9.4): it is recorded as such, with the reason in `authority`, and the client is told why. ' +
            'A document labelled `authority` proves nothing by itself. A signature that does not verify → 422 BAD_SIGNATURE, nothing recorded.',
          security,
          body: ClaimInput,
          response: { 201: Claim, ...authErrors, ...errorResponses(404, 409, 413, 422) },
        },
      },
      async (request, reply) => {
        const claim = await registerClaim(deps, {
          clientId: requireClient(request).clientId,
          channel: 'api',
          receivedAt: clock.now().toISOString(),
          ...request.body,
        });
        return reply.status(201).send(await withDocuments(db, claim));
      },
    );

    app.get(
      '/claims',
      {
        config: { auth: claimsAuth },
        schema: {
          tags: ['claims'],
          summary: 'The client’s claims, newest first',
          security,
          response: { 200: Type.Object({ claims: Type.Array(Claim) }), ...authErrors },
        },
      },
      async (request) => ({ claims: await clientClaims(db, requireClient(request).clientId) }),
    );

    app.get(
      '/claims/:claimId',
      {
        config: { auth: claimsAuth },
        schema: {
          tags: ['claims'],
          summary: 'A claim with its answer',
          security,
          params: IdParams('claimId'),
          response: { 200: Claim, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => clientClaim(db, requireClient(request).clientId, request.params.claimId),
    );

    app.post(
      '/compensation-demands',
      {
        schema: {
          tags: ['claims'],
          summary:
            'Demand the actual damage from late service (7.3): paid within 10 working days, to the bank account or the personal account',
          description:
            'Names the missed deadlines it rests on: order breaches of the 4-hour emission deadline, or tickets whose Прил. 3 deadlines were missed (see GET /compensation-eligibility).',
          security,
          body: Type.Object(
            {
              breaches: Type.Array(Breach, { minItems: 1, maxItems: 100 }),
              amountTiyn: Type.Integer({ minimum: 1, description: 'The actual damage, tiyn' }),
              description: Type.String({ minLength: 10, maxLength: 10_000 }),
              payTo: StringEnum(['account', 'bank'] as const),
            },
            { additionalProperties: false },
          ),
          response: { 201: Compensation, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => {
        const row = await openCompensation(deps, {
          clientId: requireClient(request).clientId,
          basis: 'late_service',
          eventAt: clock.now().toISOString(),
          ...request.body,
        });
        return reply.status(201).send(toCompensation(row));
      },
    );

    app.get(
      '/compensation-eligibility',
      {
        schema: {
          tags: ['claims'],
          summary: 'The missed deadlines a demand under 7.3 may rest on',
          security,
          response: { 200: Eligibility, ...authErrors },
        },
      },
      async (request) => eligibility(db, requireClient(request).clientId),
    );

    app.get(
      '/compensations',
      {
        schema: {
          tags: ['claims'],
          summary: 'Compensations owed to the client (7.2, 7.3), newest first',
          security,
          response: { 200: Type.Object({ compensations: Type.Array(Compensation) }), ...authErrors },
        },
      },
      async (request) => ({ compensations: await clientCompensations(db, requireClient(request).clientId) }),
    );
  };

export const Eligibility = Type.Object({
  orderBreaches: Type.Array(
    Type.Object({
      id: Type.String(),
      orderId: Type.String(),
      deadlineAt: Type.String({ format: 'date-time' }),
      codesReadyAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
  tickets: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      subject: Type.String(),
      missed: Type.Array(StringEnum(['reaction', 'resolution'] as const)),
    }),
  ),
});
