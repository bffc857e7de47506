import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { scheduleTermination, terminationDocumentFor } from '../../intake/termination';
import { documentAnswer } from '../../intake/signed-instructions';
import { clientContract } from '../../views/contract';
import { authErrors, errorResponses, StringEnum } from '../../schemas/common';
import {
  ContractVersion,
  InstructionDocument,
  SignatureField,
  Termination,
  toTermination,
} from '../../schemas/lifecycle';

const NoticeContent = {
  basis: StringEnum(['4.1.1', '10.4.2'] as const, {
    description: '4.1.1: no need to be connected to ИС МПТ; 10.4.2: repeated breach of essential terms by the operator',
  }),
  grounds: Type.String({ minLength: 10, maxLength: 10_000 }),
  evidence: Type.Optional(
    Type.String({ maxLength: 10_000, description: 'The documents confirming the grounds (10.4.4)' }),
  ),
  terminationDate: Type.String({ format: 'date' }),
};

const ContractView = Type.Object({
  inForce: ContractVersion,
  upcoming: Type.Array(ContractVersion, { description: 'Amendments published and not yet in force (10.3.2)' }),
  effectiveFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  termination: Type.Union([Termination, Type.Null()], { description: 'A termination under way' }),
  unusedAdvance: Type.Union(
    [
      Type.Object({
        paidOn: Type.String({ format: 'date', description: 'The first payment since the last use of the services' }),
        returnedIfUnusedBy: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
          description:
            'Unless codes are downloaded (charged) by this day, the advance is returned and the contract ends (3.7)',
        }),
      }),
      Type.Null(),
    ],
    { description: 'Money paid in advance and not used since (3.7)' },
  ),
});

/** The contract as it stands for the client: versions, a termination under way, the one-year rule. */
export const clientContractRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ clientToken: [] }];

    app.get(
      '/contract',
      {
        schema: {
          tags: ['contract'],
          summary:
            'The version in force, upcoming amendments, a termination under way and the one-year rule’s date (3.7)',
          security,
          response: { 200: ContractView, ...authErrors },
        },
      },
      async (request) => clientContract(deps, requireClient(request).clientId),
    );

    app.post(
      '/termination/document',
      {
        schema: {
          tags: ['contract'],
          summary: 'The exact document to sign with the EDS for a notice of termination (4.1.1, 10.4)',
          description:
            'The basis, the grounds, the documents and the date, for the client’s BIN/IIN, in a typed envelope serialised by RFC 8785. Sign these bytes (CMS) and send the same notice with the signature to POST /termination. ' +
            'Refused as the notice itself would be: 400 NOTICE_PERIOD_TOO_SHORT names the earliest date in details.earliestDate.',
          security,
          body: Type.Object(NoticeContent, { additionalProperties: false }),
          response: { 200: InstructionDocument, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request) =>
        documentAnswer(
          await terminationDocumentFor(deps, {
            clientId: requireClient(request).clientId,
            initiator: 'client',
            ...request.body,
          }),
        ),
    );

    app.post(
      '/termination',
      {
        schema: {
          tags: ['contract'],
          summary:
            'Give notice of terminating the contract (4.1.1, 10.4.2): at least 30 working days before the date (10.4.4)',
          description:
            'The answer 400 NOTICE_PERIOD_TOO_SHORT names the earliest date in details.earliestDate. Termination by agreement (10.4.3) is recorded by the operator once the letters are exchanged. ' +
            'The notice is a document signed with the client’s EDS over the bytes of POST /termination/document: the client’s own certificate (its BIN; an individual entrepreneur’s IIN), ' +
            'or an individual’s under a power of attorney with the scope `termination` recorded by staff and valid today. ' +
            'Without `signature` → 422 SIGNATURE_REQUIRED; one that does not verify → 422 BAD_SIGNATURE; by someone without that authority → 422 SIGNER_NOT_AUTHORISED. Nothing is recorded then; the signed document is kept with the notice.',
          security,
          body: Type.Object(
            { ...NoticeContent, signature: Type.Optional(SignatureField('POST /client/v1/termination/document')) },
            { additionalProperties: false },
          ),
          response: { 201: Termination, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request, reply) => {
        const { signature, ...notice } = request.body;
        return reply.status(201).send(
          toTermination(
            await scheduleTermination(deps, {
              clientId: requireClient(request).clientId,
              initiator: 'client',
              ...notice,
              clientInstruction: { signature },
            }),
          ),
        );
      },
    );
  };
