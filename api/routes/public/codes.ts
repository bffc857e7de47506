import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { findCode } from '../../../db/circulation';
import { readCodeInput, verifyMarkingCode } from '../../../lib/codes';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import { errorResponses, StringEnum } from '../../schemas/common';
import { operatorKeys } from '../../views/operator-keys';

const VerifyBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 300,
      description:
        'A code as scanned or written: raw GS, \\u001d, <GS>, ]d2 prefix, (01)…(21)…(91)…(92)… or the КИ alone',
    }),
  },
  { additionalProperties: false },
);

const VerifyAnswer = Type.Object({
  valid: Type.Union([Type.Boolean(), Type.Null()], {
    description: 'The verification code (AI 92) matches; null when only the КИ was given',
  }),
  reason: Type.Optional(Type.String()),
  status: StringEnum(['EMITTED', 'APPLIED', 'INTRODUCED', 'CANCELLED', 'UNKNOWN']),
  owner: Type.Optional(
    Type.Object(
      {
        ki: Type.String(),
        gtin: Type.String(),
        serial: Type.String(),
        orderId: Type.String(),
        emittedAt: Type.String(),
        appliedAt: Type.Union([Type.String(), Type.Null()]),
        introducedAt: Type.Union([Type.String(), Type.Null()]),
        applyBy: Type.Union([Type.String(), Type.Null()]),
      },
      { description: 'Only for the client the code belongs to' },
    ),
  ),
});

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

const OperatorKeys = Type.Object({
  keys: Type.Array(Type.Object({ keyId: Type.String(), publicKeyPem: Type.String(), firstUsedAt: Type.String() })),
});

/** Code verification: anyone may check a code; its owner also sees where it stands. */
export const codeVerificationRoutes =
  ({ db, codeKeys }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/operator/keys',
      {
        schema: {
          tags: ['codes'],
          summary: 'Public keys of the operator’s document signatures (acts, VAT invoices): ECDSA P-256',
          response: { 200: OperatorKeys },
        },
      },
      async () => ({ keys: await operatorKeys(db) }),
    );

    app.post(
      '/codes/verify',
      {
        config: { auth: { client: true, optional: true, scope: 'cabinet_read' } },
        schema: {
          tags: ['codes'],
          summary:
            'Is this marking code genuine, and what is its status? The owner (client token that reads the cabinet) sees the details; anyone else, any other token included, the public answer',
          security: [{}, { clientToken: [] }],
          body: VerifyBody,
          response: { 200: VerifyAnswer, ...errorResponses(400, 401) },
        },
      },
      async (request) => {
        const input = readCodeInput(request.body.code);
        if (!input)
          throw new ApiError(
            400,
            'NOT_A_MARKING_CODE',
            'This is not a footwear marking code (01 + GTIN-14 + 21 + 13-character serial, then 91 and 92)',
          );
        const row = await findCode(db, input);
        let valid: boolean | null = null;
        let reason: string | undefined;
        if (input.full) {
          const check = codeKeys
            ? verifyMarkingCode(input.full.code, codeKeys)
            : { valid: false, reason: 'no verification keys are configured' };
          valid = check.valid && !!row && (row.code === null || row.code === input.full.code);
          reason = check.valid ? (row ? undefined : 'not a code issued here') : check.reason;
        }
        const owner = request.principal?.kind === 'client' && row && row.client_id === request.principal.clientId;
        return {
          valid,
          ...(reason ? { reason } : {}),
          status: row?.status ?? 'UNKNOWN',
          ...(owner
            ? {
                owner: {
                  ki: input.ki,
                  gtin: row.gtin,
                  serial: row.serial,
                  orderId: row.order_id,
                  emittedAt: iso(row.emitted_at)!,
                  appliedAt: iso(row.applied_at),
                  introducedAt: iso(row.introduced_at),
                  applyBy: row.apply_by,
                },
              }
            : {}),
        };
      },
    );
  };
