import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { refuseActUpdate, signActUpdate } from '../../../workflows/monthly-act';
import {
  actDecision,
  actFile,
  ActSummary,
  actWithStoredDocuments,
  actSummaryRow,
  clientAct,
  clientActs,
  toActSummary,
} from '../../views/acts';
import { OperatorSignature, operatorSignatureOf } from '../../views/operator-keys';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { attachment } from '../../http/attachment';

const BASE = '/client/v1/acts';

/** The client's acts of completed work (6.5, 6.7, 6.8, Прил. 2 п.5): view, download, sign with EDS or refuse with reasons. */
export const clientActRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, clock } = deps;
    const security = [{ clientToken: [] }];
    const ActParams = IdParams('actId');
    const own = (clientId: string, actId: string) => clientAct(db, clientId, actId);

    app.get(
      '/acts',
      {
        schema: {
          tags: ['acts'],
          summary: 'The client’s acts, newest first, with the signing deadline',
          security,
          response: { 200: Type.Object({ acts: Type.Array(ActSummary) }), ...authErrors },
        },
      },
      async (request) => {
        const rows = await clientActs(db, requireClient(request).clientId);
        return { acts: rows.map((r) => toActSummary(r, clock.now(), BASE)) };
      },
    );

    for (const [path, column, name] of [
      ['pdf', 'pdf', 'act'],
      ['vat-invoice.pdf', 'vat_invoice_pdf', 'vat_invoice'],
      ['detailed-report.pdf', 'detailed_report_pdf', 'detailed_report'],
    ] as const) {
      app.get(
        `/acts/:actId/${path}`,
        {
          schema: {
            tags: ['acts'],
            summary: `The act's ${name.replace('_', ' ')} as PDF`,
            security,
            params: ActParams,
            produces: ['application/pdf'],
            response: { ...authErrors, ...errorResponses(404, 409) },
          },
        },
        async (request, reply) => {
          const act = await own(requireClient(request).clientId, request.params.actId);
          const file = await actFile(deps, act, column);
          return reply
            .type('application/pdf')
            .header('content-disposition', attachment(`${name}_${act.number}.pdf`))
            .send(file);
        },
      );
    }

    for (const [path, column, signatureColumn, name] of [
      ['operator-signature', 'pdf', 'operator_signature', 'act'],
      ['vat-invoice-signature', 'vat_invoice_pdf', 'vat_invoice_signature', 'VAT invoice'],
    ] as const) {
      app.get(
        `/acts/:actId/${path}`,
        {
          schema: {
            tags: ['acts'],
            summary: `The operator’s signature of the ${name}’s PDF (6.7; ECDSA P-256, SHA-256) and the public key to verify it`,
            security,
            params: ActParams,
            response: { 200: OperatorSignature, ...authErrors, ...errorResponses(404, 409) },
          },
        },
        async (request) => {
          const act = await actWithStoredDocuments(
            deps,
            await own(requireClient(request).clientId, request.params.actId),
          );
          // Acts issued before the VAT invoice was signed have no signature of it.
          if (!act[signatureColumn]) throw notFound(`signature of the ${name} of act`, act.id);
          return operatorSignatureOf(db, {
            keyId: act.operator_key_id,
            signature: act[signatureColumn],
            document: act[column],
          });
        },
      );
    }

    app.post(
      '/acts/:actId/sign',
      {
        schema: {
          tags: ['acts'],
          summary:
            'Sign the act with EDS (6.7): a CMS signature (PKCS#7, attached or detached, base64 or PEM) over the act’s PDF bytes',
          description:
            'Verified as for the join application: signature, certificate at signing time, chain to the trusted CAs, key usage, and the client’s BIN/IIN. A bad signature → 422 BAD_SIGNATURE.',
          security,
          params: ActParams,
          body: Type.Object(
            { signature: Type.String({ minLength: 16, maxLength: 200_000 }) },
            { additionalProperties: false },
          ),
          response: { 200: ActSummary, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request) => {
        const act = await own(requireClient(request).clientId, request.params.actId);
        await actDecision(deps, act, signActUpdate, { signature: request.body.signature });
        return toActSummary(await actSummaryRow(db, act.id), clock.now(), BASE);
      },
    );

    app.post(
      '/acts/:actId/refuse',
      {
        schema: {
          tags: ['acts'],
          summary:
            'Send a motivated refusal to sign the act (6.8); the detailed report (6.9) is produced for the dispute',
          security,
          params: ActParams,
          body: Type.Object(
            {
              reason: Type.String({ minLength: 10, maxLength: 5000, description: 'The reasons (a motivated refusal)' }),
            },
            { additionalProperties: false },
          ),
          response: { 200: ActSummary, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const act = await own(requireClient(request).clientId, request.params.actId);
        await actDecision(deps, act, refuseActUpdate, { reason: request.body.reason });
        return toActSummary(await actSummaryRow(db, act.id), clock.now(), BASE);
      },
    );
  };
