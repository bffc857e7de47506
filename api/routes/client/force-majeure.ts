import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../http/auth';
import { addDeclarationEvidence, declareForceMajeure, endDeclaration } from '../../intake/force-majeure';
import type { AppDeps } from '../../http/deps';
import { authErrors, errorResponses, IdParams, IsoInstant } from '../../schemas/common';
import { Declaration, DeclarationInput, EvidenceInput } from '../../schemas/force-majeure';
import { clientDeclarations, declarationView, ownDeclaration } from '../../views/force-majeure';

/**
 * Force majeure that hits the client (8.3-8.5): the client notifies the operator within 5 working
 * days of the start — the nature, the expected duration, the obligations it prevents — with the
 * proof (8.5: a certificate of a competent authority or organisation such as the NCE «Atameken»,
 * unless the event is a well-known fact), and the end when it comes. Staff review it; once
 * accepted, the client's deadlines of those obligations stand still while it lasts (8.4).
 */
export const clientForceMajeureRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    const security = [{ clientToken: [] }];
    const view = (row: Record<string, any>) => declarationView(deps, row);

    app.post(
      '/force-majeure',
      {
        schema: {
          tags: ['force majeure'],
          summary:
            'Notify the operator of force majeure (8.3): within 5 working days of its start, with the proof (8.5)',
          description:
            'Registered with the time of receipt, which the 5 working days are judged by (8.3). The proof — a certificate of a competent authority or organisation (e.g. the NCE «Atameken») — may follow later (POST …/evidence); a well-known fact needs none (8.5). ' +
            'Staff review it; accepted, it suspends the client’s deadlines of the obligations named while it lasts (8.4): signing the monthly act, applying codes, answering notices.',
          security,
          body: DeclarationInput,
          response: { 201: Declaration, ...authErrors },
        },
      },
      async (request, reply) => {
        const row = await declareForceMajeure(deps, requireClient(request).clientId, request.body);
        return reply.status(201).send(await view(row));
      },
    );

    app.get(
      '/force-majeure',
      {
        schema: {
          tags: ['force majeure'],
          summary: 'The client’s force-majeure declarations, newest first',
          security,
          response: { 200: Type.Object({ declarations: Type.Array(Declaration) }), ...authErrors },
        },
      },
      async (request) => ({ declarations: await clientDeclarations(deps, requireClient(request).clientId) }),
    );

    app.get(
      '/force-majeure/:declarationId',
      {
        schema: {
          tags: ['force majeure'],
          summary: 'A force-majeure declaration with its review',
          security,
          params: IdParams('declarationId'),
          response: { 200: Declaration, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => view(await ownDeclaration(db, requireClient(request).clientId, request.params.declarationId)),
    );

    app.post(
      '/force-majeure/:declarationId/evidence',
      {
        schema: {
          tags: ['force majeure'],
          summary:
            'Add proof to a declaration (8.5): the certificate of a competent authority or organisation, or other papers',
          security,
          params: IdParams('declarationId'),
          body: Type.Object(
            { evidence: Type.Array(EvidenceInput, { minItems: 1, maxItems: 20 }) },
            { additionalProperties: false },
          ),
          response: { 201: Declaration, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const row = await addDeclarationEvidence(
          deps,
          requireClient(request).clientId,
          request.params.declarationId,
          request.body.evidence,
        );
        return reply.status(201).send(await view(row));
      },
    );

    app.post(
      '/force-majeure/:declarationId/end',
      {
        schema: {
          tags: ['force majeure'],
          summary: 'Notify the end of the force majeure: the suspended deadlines run again from then (8.4)',
          security,
          params: IdParams('declarationId'),
          body: Type.Object({ endedAt: IsoInstant }, { additionalProperties: false }),
          response: { 200: Declaration, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const row = await endDeclaration(
          deps,
          requireClient(request).clientId,
          request.params.declarationId,
          request.body.endedAt,
        );
        return view(row);
      },
    );
  };
