import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { refundDocumentFor, requestRefund } from '../../intake/refunds';
import { documentAnswer } from '../../intake/signed-instructions';
import { authErrors, errorResponses } from '../../schemas/common';
import { InstructionDocument, Refund, SignatureField, toRefund } from '../../schemas/lifecycle';
import { clientRefunds } from '../../views/refunds';

const RefundContent = {
  amountTiyn: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Part of the unused balance; without it, all of it' }),
  ),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
};

/** Refunds of unused money (6.11): asked for by the client, answered within 15 calendar days. */
export const clientRefundRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    const security = [{ clientToken: [] }];

    app.post(
      '/refunds/document',
      {
        schema: {
          tags: ['refunds'],
          summary: 'The exact document to sign with the EDS for a refund request (6.11)',
          description:
            'The amount, the note and the bank account of record the refund is paid to (IIK, BIK, bank), for the client’s BIN/IIN, in a typed envelope serialised by RFC 8785. ' +
            'Sign these bytes (CMS) and send the same request with the signature to POST /refunds. Refused as the request itself would be (400, 409).',
          security,
          body: Type.Object(RefundContent, { additionalProperties: false }),
          response: { 200: InstructionDocument, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        documentAnswer(await refundDocumentFor(deps, { clientId: requireClient(request).clientId, ...request.body })),
    );

    app.post(
      '/refunds',
      {
        schema: {
          tags: ['refunds'],
          summary:
            'Ask for the unused money back (6.11): answered within 15 calendar days, paid to the bank account from the application less the actual bank fee',
          description:
            'The request moves money: it is a document signed with the client’s EDS (the same CMS verification as joining) over the bytes of POST /refunds/document — the client’s own certificate (its BIN; an individual entrepreneur’s IIN), ' +
            'or an individual’s under a power of attorney with the scope `refunds` recorded by staff and valid today. ' +
            'Without `signature` → 422 SIGNATURE_REQUIRED; one that does not verify → 422 BAD_SIGNATURE; made by someone without that authority → 422 SIGNER_NOT_AUTHORISED. Nothing is recorded then. The signed document is kept with the request.',
          security,
          body: Type.Object(
            { ...RefundContent, signature: Type.Optional(SignatureField('POST /client/v1/refunds/document')) },
            { additionalProperties: false },
          ),
          response: { 201: Refund, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(toRefund(await requestRefund(deps, { clientId: requireClient(request).clientId, ...request.body }))),
    );

    app.get(
      '/refunds',
      {
        schema: {
          tags: ['refunds'],
          summary: 'The client’s refunds, newest first',
          security,
          response: { 200: Type.Object({ refunds: Type.Array(Refund) }), ...authErrors },
        },
      },
      async (request) => ({ refunds: await clientRefunds(db, requireClient(request).clientId) }),
    );
  };
