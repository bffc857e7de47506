import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IntroductionConflictError, introduceCodes } from '../../../db/circulation';
import { zoneCalendar } from '../../views/account';
import { clientCodes } from '../../views/codes';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict } from '../../http/errors';
import { authErrors, errorResponses, StringEnum, Uuid } from '../../schemas/common';
import { OptionalIdempotencyHeaders } from '../../schemas/invoices';

const CODE_STATUSES = ['EMITTED', 'APPLIED', 'INTRODUCED', 'CANCELLED'] as const;

const CodeRow = Type.Object({
  ki: Type.String({ description: 'Identification code: 01 + GTIN + 21 + serial' }),
  gtin: Type.String(),
  serial: Type.String(),
  status: StringEnum(CODE_STATUSES, {
    description: 'EMITTED «эмитирован», APPLIED «нанесён и оплачен», INTRODUCED «в обороте», CANCELLED',
  }),
  orderId: Uuid,
  blockId: Type.Union([Uuid, Type.Null()]),
  emittedAt: Type.String({ format: 'date-time' }),
  appliedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  introducedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  applyBy: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'Last day to apply the code to the goods (4.1.6)',
  }),
  overdue: Type.Boolean({ description: 'APPLIED and not in circulation after applyBy' }),
});

const CodesQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(CODE_STATUSES)),
    orderId: Type.Optional(Uuid),
    overdue: Type.Optional(
      Type.Boolean({ description: 'Only codes past their application deadline (4.1.6) and not in circulation' }),
    ),
    afterId: Type.Optional(Type.Integer({ minimum: 0, description: 'Paging: the `next` of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

const IntroduceBody = Type.Object(
  {
    codes: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
      minItems: 1,
      maxItems: 30_000,
      description:
        'Full codes (any of: raw GS, \\u001d, <GS>, ]d2 prefix, (01)…(21)… form) or identification codes (КИ)',
    }),
    introducedOn: Type.Optional(Type.String({ format: 'date', description: 'Default: today; not in the future' })),
    documentNumber: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const IntroductionAnswer = Type.Object({
  introductionId: Uuid,
  introducedOn: Type.String({ format: 'date' }),
  introduced: Type.Integer(),
  alreadyIntroduced: Type.Integer(),
  refused: Type.Integer(),
  results: Type.Array(
    Type.Object({
      input: Type.String(),
      ki: Type.Union([Type.String(), Type.Null()]),
      outcome: StringEnum(['INTRODUCED', 'ALREADY_INTRODUCED', 'REFUSED']),
      reason: Type.Optional(Type.String()),
    }),
  ),
});

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

/** The client's codes and their payment status (6.10, Прил. 2 п.8); introduction into circulation (Прил. 2 п.4). */
export const clientCodeRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config, clock } = deps;
    const security = [{ clientToken: [] }];

    app.get(
      '/codes',
      {
        schema: {
          tags: ['cabinet'],
          summary: 'The client’s marking codes with their status, by status, order, or overdue application (4.1.6)',
          security,
          querystring: CodesQuery,
          response: {
            200: Type.Object({ codes: Type.Array(CodeRow), next: Type.Union([Type.Integer(), Type.Null()]) }),
            ...authErrors,
          },
        },
      },
      async (request) => {
        const { status, orderId, overdue, afterId = 0, limit = 100 } = request.query;
        const today = zoneCalendar(config).localDate(clock.now());
        const rows = await clientCodes(
          db,
          requireClient(request).clientId,
          { status, orderId, overdue, afterId, limit },
          today,
        );
        const page = rows.slice(0, limit);
        return {
          codes: page.map((r: any) => ({
            ki: `01${r.gtin}21${r.serial}`,
            gtin: r.gtin,
            serial: r.serial,
            status: r.status,
            orderId: r.order_id,
            blockId: r.block_id,
            emittedAt: iso(r.emitted_at)!,
            appliedAt: iso(r.applied_at),
            introducedAt: iso(r.introduced_at),
            applyBy: r.apply_by,
            overdue: r.status === 'APPLIED' && !!r.apply_by && r.apply_by < today,
          })),
          next: rows.length > limit ? page[page.length - 1].id : null,
        };
      },
    );

    app.post(
      '/circulation/introductions',
      {
        schema: {
          tags: ['circulation'],
          summary:
            'Introduce codes into circulation (Прил. 2 п.4): only APPLIED («нанесён и оплачен») codes; each code gets its answer',
          description:
            'EMITTED codes (not paid) are refused, as are unknown, cancelled or repeated ones, and full codes whose verification ' +
            'code does not match. Codes already in circulation are reported as such. The same Idempotency-Key returns the same answer.',
          security,
          headers: OptionalIdempotencyHeaders,
          body: IntroduceBody,
          response: { 200: IntroductionAnswer, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request) => {
        const calendar = zoneCalendar(config);
        const now = clock.now();
        const today = calendar.localDate(now);
        const introducedOn = request.body.introducedOn ?? today;
        if (introducedOn > today) {
          throw new ApiError(400, 'VALIDATION_FAILED', `introducedOn ${introducedOn} is in the future`, [
            { location: 'body', path: '/introducedOn', message: 'in the future' },
          ]);
        }
        try {
          const { introduction } = await introduceCodes(db, {
            clientId: requireClient(request).clientId,
            codes: request.body.codes,
            introducedOn,
            documentNumber: request.body.documentNumber,
            idempotencyKey: request.headers['idempotency-key'] ?? randomUUID(),
            keys: deps.codeKeys,
            at: now,
          });
          const results = introduction.result as { outcome: string }[];
          const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
          return {
            introductionId: introduction.id,
            introducedOn: introduction.introduced_on,
            introduced: count('INTRODUCED'),
            alreadyIntroduced: count('ALREADY_INTRODUCED'),
            refused: count('REFUSED'),
            results: introduction.result,
          };
        } catch (error) {
          if (error instanceof IntroductionConflictError) throw conflict('IDEMPOTENCY_CONFLICT', error.message);
          throw error;
        }
      },
    );
  };
