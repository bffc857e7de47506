import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { Type } from 'typebox';
import { tableCsv } from '../../../lib/files/table-csv';
import { tiynToDecimal } from '../../../lib/money';
import { resolveActUpdate } from '../../../workflows/monthly-act';
import { monthlyActs } from '../../../workflows/monthly-acts';
import { zoneCalendar } from '../../views/account';
import {
  ACT_STATUSES,
  actById,
  actDecision,
  actFile,
  actHistory,
  ActSummary,
  actSummaryRow,
  correctedActOf,
  findActs,
  toActSummary,
} from '../../views/acts';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams, StringEnum } from '../../schemas/common';
import { attachment } from '../../http/attachment';

const BASE = '/staff/v1/acts';
const security = [{ staffToken: [] }];
const accountants = { staff: ['accountant', 'admin'] as const };

const ActsQuery = Type.Object(
  {
    month: Type.Optional(Type.String({ pattern: '^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' })),
    status: Type.Optional(StringEnum(ACT_STATUSES)),
    clientId: Type.Optional(Type.String({ format: 'uuid' })),
    overdue: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const STATUS_NAMES: Record<string, string> = {
  issued: 'выставлен, ожидает подписи',
  signed: 'подписан ЭЦП',
  disputed: 'мотивированный отказ',
  auto_accepted: 'считается подписанным (п. 6.8)',
  confirmed: 'подтверждён после спора',
  superseded: 'заменён исправленным',
};

/** The accountants' side of the acts (6.5-6.9): the list with deadlines, disputes to resolve, the monthly run. */
export const staffActRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, clock, temporal, config } = deps;
    const ActParams = IdParams('actId');

    const list = async (query: { month?: string; status?: string; clientId?: string; overdue?: boolean }) => {
      const now = clock.now();
      const rows = await findActs(db, query, now);
      const acts = rows.map((r: Record<string, any>) => toActSummary(r, now, BASE));
      // Disputed and overdue first, then those awaiting the client by deadline, then the rest.
      const rank = (a: ReturnType<typeof toActSummary>) =>
        a.status === 'disputed' ? 0 : a.overdue ? 1 : a.status === 'issued' ? 2 : 3;
      return acts.sort(
        (a: ReturnType<typeof toActSummary>, b: ReturnType<typeof toActSummary>) =>
          rank(a) - rank(b) || a.dueAt.localeCompare(b.dueAt),
      );
    };

    app.get(
      '/acts',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: {
          tags: ['acts'],
          summary: 'Acts by month and status with the signing deadline and time left; disputed and overdue first',
          security,
          querystring: ActsQuery,
          response: { 200: Type.Object({ acts: Type.Array(ActSummary) }), ...authErrors },
        },
      },
      async (request) => ({ acts: await list(request.query) }),
    );

    app.get(
      '/acts.csv',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: {
          tags: ['acts'],
          summary: 'The same list as CSV',
          security,
          querystring: ActsQuery,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const calendar = zoneCalendar(config);
        const acts = await list(request.query);
        const rows = acts.map((a: ReturnType<typeof toActSummary>) => [
          a.number,
          a.clientName,
          a.periodFrom,
          a.periodTo,
          STATUS_NAMES[a.status],
          String(a.codes),
          tiynToDecimal(a.netTiyn),
          tiynToDecimal(a.vatTiyn),
          tiynToDecimal(a.totalTiyn),
          calendar.format(a.issuedAt),
          calendar.format(a.dueAt),
          a.overdue ? 'да' : '',
          a.refusalReason,
        ]);
        const header = [
          'Номер',
          'Клиент',
          'Период с',
          'Период по',
          'Статус',
          'Кодов',
          'Без НДС',
          'НДС',
          'Всего',
          'Выставлен',
          'Срок подписания',
          'Просрочен',
          'Причина отказа',
        ];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="acts.csv"')
          .send(tableCsv(rows, header, { delimiter: ';', bom: true, numeric: [5, 6, 7, 8] }));
      },
    );

    app.get(
      '/acts/:actId',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: {
          tags: ['acts'],
          summary: 'An act with its lines and history',
          security,
          params: ActParams,
          response: {
            200: Type.Object({
              act: ActSummary,
              lines: Type.Array(
                Type.Object({
                  pricePerCodeTiyn: Type.Integer(),
                  vatRateBp: Type.Integer(),
                  codes: Type.Integer(),
                  net: Type.Integer(),
                  vat: Type.Integer(),
                }),
              ),
              history: Type.Array(
                Type.Object({
                  at: Type.String(),
                  kind: Type.String(),
                  actor: Type.String(),
                  note: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
            ...authErrors,
            ...errorResponses(404),
          },
        },
      },
      async (request) => {
        const row = await actSummaryRow(db, request.params.actId);
        if (!row) throw notFound('act', request.params.actId);
        const history = await actHistory(db, row.id);
        return {
          act: toActSummary(row, clock.now(), BASE),
          lines: row.lines,
          history: history.map((e) => ({
            at: new Date(e.at).toISOString(),
            kind: e.kind,
            actor: e.actor,
            note: e.note,
          })),
        };
      },
    );

    for (const [path, column] of [
      ['pdf', 'pdf'],
      ['vat-invoice.pdf', 'vat_invoice_pdf'],
      ['detailed-report.pdf', 'detailed_report_pdf'],
    ] as const) {
      app.get(
        `/acts/:actId/${path}`,
        {
          config: { auth: { staff: ['accountant', 'admin', 'support'] } },
          schema: {
            tags: ['acts'],
            summary: `An act's ${path}`,
            security,
            params: ActParams,
            produces: ['application/pdf'],
            response: { ...authErrors, ...errorResponses(404, 409) },
          },
        },
        async (request, reply) => {
          const act = await actById(
            db,
            request.params.actId,
            'id',
            'client_id',
            'number',
            'period_from',
            'period_to',
            column,
          );
          const file = await actFile(deps, act, column);
          return reply
            .type('application/pdf')
            .header('content-disposition', attachment(`${act.number}_${path.replace('.pdf', '')}.pdf`))
            .send(file);
        },
      );
    }

    const Resolution = Type.Object(
      { reason: Type.String({ minLength: 3, maxLength: 5000 }) },
      { additionalProperties: false },
    );
    app.post(
      '/acts/:actId/confirm',
      {
        config: { auth: accountants },
        schema: {
          tags: ['acts'],
          summary: 'Confirm a disputed act as issued',
          security,
          params: ActParams,
          body: Resolution,
          response: { 200: ActSummary, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const act = await actById(db, request.params.actId);
        await actDecision(deps, act, resolveActUpdate, {
          action: 'confirm',
          staffId: requireStaff(request).staffUserId,
          reason: request.body.reason,
        });
        return toActSummary(await actSummaryRow(db, act.id), clock.now(), BASE);
      },
    );

    app.post(
      '/acts/:actId/correct',
      {
        config: { auth: accountants },
        schema: {
          tags: ['acts'],
          summary:
            'Issue a corrected act for a disputed one: the codes accepted per line; the difference returns to the personal account (6.6.4)',
          description: 'The corrected act replaces the original and has its own 5 working days (6.8).',
          security,
          params: ActParams,
          body: Type.Object(
            {
              reason: Type.String({ minLength: 3, maxLength: 5000 }),
              acceptedCodes: Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: ActSummary, ...authErrors, ...errorResponses(400, 404, 409) },
        },
      },
      async (request) => {
        const act = await actById(db, request.params.actId);
        await actDecision(deps, act, resolveActUpdate, {
          action: 'correct',
          staffId: requireStaff(request).staffUserId,
          reason: request.body.reason,
          acceptedCodes: request.body.acceptedCodes,
        });
        const corrected = await correctedActOf(db, act.id);
        return toActSummary(corrected, clock.now(), BASE);
      },
    );

    app.post(
      '/acts/run',
      {
        config: { auth: accountants },
        schema: {
          tags: ['acts'],
          summary: 'Issue the acts of a finished month now (the Schedule does it on the 1st at 00:30); once per month',
          description:
            'Acts cover a finished month (6.5: issued by the 7th of the following month): the current month and later are refused with ' +
            '409 MONTH_NOT_FINISHED. A run in progress answers 202 with alreadyRunning; a finished run 409 ACTS_ALREADY_ISSUED.',
          security,
          body: Type.Object(
            { month: Type.String({ pattern: '^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }) },
            { additionalProperties: false },
          ),
          response: {
            202: Type.Object({ workflowId: Type.String(), alreadyRunning: Type.Boolean() }),
            ...authErrors,
            ...errorResponses(409),
          },
        },
      },
      async (request, reply) => {
        const { month } = request.body;
        const current = zoneCalendar(config).localDate(clock.now()).slice(0, 7);
        if (month >= current) {
          throw new ApiError(
            409,
            'MONTH_NOT_FINISHED',
            `The month ${month} is not over (today is in ${current}): acts are issued for finished months, by the 7th of the following month (6.5)`,
          );
        }
        const workflowId = `monthly-acts-${month}`;
        try {
          await temporal.client.workflow.start(monthlyActs, {
            workflowId,
            taskQueue: config.temporalTaskQueue,
            args: [{ month }],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            staticSummary: `Acts for ${month}`,
          });
          return reply.status(202).send({ workflowId, alreadyRunning: false });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          const { status } = await temporal.client.workflow.getHandle(workflowId).describe();
          if (status.name !== 'RUNNING')
            throw new ApiError(
              409,
              'ACTS_ALREADY_ISSUED',
              `The acts of ${month} were issued by an earlier run (${status.name.toLowerCase()})`,
            );
          return reply.status(202).send({ workflowId, alreadyRunning: true });
        }
      },
    );
  };
