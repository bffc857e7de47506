import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { flowsInPeriod } from '../../../db/acts';
import { lockDocumentCounter } from '../../../db/invoices';
import { addDaysToDate } from '../../../lib/calendar';
import { renderReconciliationPdf } from '../../../lib/documents/reconciliation-pdf';
import { OPERATOR } from '../../../lib/operator';
import { zoneCalendar } from '../../account-view';
import { requireClient } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError, notFound } from '../../errors';
import { authErrors, errorResponses, IdParams, Uuid } from '../../schemas/common';
import { attachment } from '../../attachment';

const MOVEMENT_NAMES: Record<string, string> = {
  deposit: 'Поступление оплаты',
  payment_assign: 'Поступление оплаты',
  capture: 'Оказаны услуги (коды «нанесён и оплачен»)',
  correction: 'Корректировка',
  compensation: 'Компенсация',
  refund_payout: 'Возврат денег',
};

const ReconciliationAct = Type.Object({
  id: Uuid,
  number: Type.String(),
  periodFrom: Type.String({ format: 'date' }),
  periodTo: Type.String({ format: 'date' }),
  openingTiyn: Type.Integer({ description: '6.6.1 unused money at the start' }),
  paymentsTiyn: Type.Integer({ description: '6.6.2 paid in' }),
  servicesTiyn: Type.Integer({ description: '6.6.3 services rendered (VAT included)' }),
  correctionsTiyn: Type.Integer({ description: '6.6.4 corrections and compensations' }),
  refundsTiyn: Type.Integer(),
  closingTiyn: Type.Integer({ description: '6.6.5 unused money at the end' }),
  pdf: Type.String(),
});

const Request = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    quarter: Type.Optional(Type.String({ pattern: '^[0-9]{4}-Q[1-4]$', description: 'e.g. 2026-Q3 (instead of from/to)' })),
  },
  { additionalProperties: false },
);

const toAct = (row: Record<string, any>) => ({
  id: row.id,
  number: row.number,
  periodFrom: row.period_from,
  periodTo: row.period_to,
  openingTiyn: row.opening,
  paymentsTiyn: row.payments,
  servicesTiyn: row.services,
  correctionsTiyn: row.corrections,
  refundsTiyn: row.refunds,
  closingTiyn: row.closing,
  pdf: `/client/v1/reconciliation-acts/${row.id}/pdf`,
});

/** Reconciliation acts (6.6, Прил. 2 п.7): on the client's request, for a quarter or any period, from the ledger. */
export const clientReconciliationRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config, clock } = deps;
    const auth = { client: true };
    const security = [{ clientToken: [] }];

    app.post(
      '/reconciliation-acts',
      {
        config: { auth },
        schema: {
          tags: ['acts'],
          summary: 'Request a reconciliation act for a quarter or a period: opening balance, payments, services, corrections, closing balance',
          security,
          body: Request,
          response: { 201: ReconciliationAct, ...authErrors, ...errorResponses(400) },
        },
      },
      async (request, reply) => {
        const { clientId } = requireClient(request);
        const calendar = zoneCalendar(config);
        const today = calendar.localDate(clock.now());
        let { from, to } = request.body;
        if (request.body.quarter) {
          const [year, q] = [Number(request.body.quarter.slice(0, 4)), Number(request.body.quarter.slice(-1))];
          from = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
          to = addDaysToDate(q === 4 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`, -1);
        }
        if (!from || !to || from > to || to > today) {
          throw new ApiError(400, 'BAD_PERIOD', 'Give a quarter, or from and to (from ≤ to, to not after today)', { from, to, today });
        }
        const flows = await flowsInPeriod(db, clientId, calendar.startOfDay(from), calendar.startOfDay(addDaysToDate(to, 1)));
        const client = await db('clients').where({ id: clientId }).first();
        const account = await db('personal_accounts').where({ client_id: clientId }).first('number');
        const d = client.details ?? {};
        const row = await db.transaction(async (trx) => {
          const year = Number(today.slice(0, 4));
          const number = `АС-${year}-${String(await (await lockDocumentCounter(trx, 'reconciliation', year)).take()).padStart(6, '0')}`;
          const pdf = await renderReconciliationPdf({
            number,
            issuedOn: today,
            periodFrom: from!,
            periodTo: to!,
            operator: OPERATOR,
            client: { name: d.companyName ?? client.name, binIin: client.bin_iin, address: d.legalAddress ?? '—', iik: d.iik ?? '—', bankName: d.bankName ?? '—', bik: d.bik ?? '—', kbe: d.kbe ?? '—' },
            contract: 'Типовой договор предоставления доступа к услугам Единого оператора маркировки и прослеживаемости товаров',
            personalAccount: account?.number ?? '—',
            openingTiyn: flows.opening,
            paymentsTiyn: flows.payments,
            servicesTiyn: flows.services,
            correctionsTiyn: flows.corrections,
            refundsTiyn: flows.refunds,
            closingTiyn: flows.closing,
            movements: flows.movements.map((m) => ({ date: calendar.localDate(m.date), document: `${MOVEMENT_NAMES[m.kind] ?? m.kind}: ${m.reference}`, debitTiyn: m.debit, creditTiyn: m.credit })),
          });
          const [row] = await trx('reconciliation_acts')
            .insert({ client_id: clientId, number, period_from: from, period_to: to, opening: flows.opening, payments: flows.payments, services: flows.services, corrections: flows.corrections, refunds: flows.refunds, closing: flows.closing, pdf })
            .returning('*');
          return row;
        });
        return reply.status(201).send(toAct(row));
      },
    );

    app.get(
      '/reconciliation-acts',
      { config: { auth }, schema: { tags: ['acts'], summary: 'The client’s reconciliation acts', security, response: { 200: Type.Object({ reconciliationActs: Type.Array(ReconciliationAct) }), ...authErrors } } },
      async (request) => {
        const rows = await db('reconciliation_acts').where({ client_id: requireClient(request).clientId }).orderBy('created_at', 'desc').select('id', 'number', 'period_from', 'period_to', 'opening', 'payments', 'services', 'corrections', 'refunds', 'closing');
        return { reconciliationActs: rows.map(toAct) };
      },
    );

    app.get(
      '/reconciliation-acts/:id/pdf',
      { config: { auth }, schema: { tags: ['acts'], summary: 'A reconciliation act as PDF', security, params: IdParams('id'), produces: ['application/pdf'], response: { ...authErrors, ...errorResponses(404) } } },
      async (request, reply) => {
        const row = await db('reconciliation_acts').where({ id: request.params.id, client_id: requireClient(request).clientId }).first('number', 'pdf');
        if (!row) throw notFound('reconciliation act', request.params.id);
        return reply.type('application/pdf').header('content-disposition', attachment(`reconciliation_${row.number}.pdf`)).send(row.pdf);
      },
    );
  };
