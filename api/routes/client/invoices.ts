import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InvoiceConflictError, issueInvoice } from '../../../db/invoices';
import { NoPriceError } from '../../../db/prices';
import { zoneCalendar } from '../../views/account';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { Invoice, InvoiceList, OptionalIdempotencyHeaders, RequestInvoiceBody, toInvoice } from '../../schemas/invoices';
import { attachment } from '../../http/attachment';

const pdfUrl = (id: string) => `/client/v1/invoices/${id}/pdf`;
const INVOICE_COLUMNS = ['id', 'number', 'issued_on', 'codes', 'price_per_code_tiyn', 'vat_rate_bp', 'net', 'vat', 'total', 'pdf_sha256', 'created_at'];

/** Invoices for payment (Прил. 2 п.6): issued on request, kept in the cabinet to view and download. */
export const clientInvoiceRoutes =
  ({ db, config, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ clientToken: [] }];

    app.post(
      '/invoices',
      {
        schema: {
          tags: ['cabinet'],
          summary: 'Request an invoice for payment: for N codes, or for an advance amount (VAT included)',
          description: 'Priced at the tariff and VAT rate in force today; a PDF in Russian with the operator’s and the client’s details.',
          security,
          headers: OptionalIdempotencyHeaders,
          body: RequestInvoiceBody,
          response: { 201: Invoice, 200: Invoice, ...authErrors, ...errorResponses(409, 422) },
        },
      },
      async (request, reply) => {
        const { codes, amountTiyn } = request.body;
        if ((codes === undefined) === (amountTiyn === undefined)) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'Give exactly one of codes and amountTiyn', [{ location: 'body', path: '', message: 'exactly one of codes, amountTiyn' }]);
        }
        const { clientId } = requireClient(request);
        try {
          const { invoice, replayed } = await issueInvoice(db, {
            clientId,
            request: codes !== undefined ? { codes } : { amountTiyn: amountTiyn! },
            idempotencyKey: request.headers['idempotency-key'] ?? randomUUID(),
            issuedOn: zoneCalendar(config).localDate(clock.now()),
          });
          return reply.status(replayed ? 200 : 201).send(toInvoice(invoice, pdfUrl(invoice.id)));
        } catch (error) {
          if (error instanceof InvoiceConflictError) throw conflict('IDEMPOTENCY_CONFLICT', error.message);
          if (error instanceof NoPriceError) throw new ApiError(422, 'NO_PRICE', error.message);
          throw error;
        }
      },
    );

    app.get(
      '/invoices',
      {
        schema: { tags: ['cabinet'], summary: "The client's invoices, newest first", security, response: { 200: InvoiceList, ...authErrors } },
      },
      async (request) => {
        const rows = await db('invoices').where({ client_id: requireClient(request).clientId }).orderBy('created_at', 'desc').limit(500).select(INVOICE_COLUMNS);
        return { invoices: rows.map((r) => toInvoice(r, pdfUrl(r.id))) };
      },
    );

    app.get(
      '/invoices/:invoiceId/pdf',
      {
        schema: { tags: ['cabinet'], summary: 'The invoice as PDF', security, params: IdParams('invoiceId'), produces: ['application/pdf'], response: { ...authErrors, ...errorResponses(404) } },
      },
      async (request, reply) => {
        const row = await db('invoices').where({ id: request.params.invoiceId, client_id: requireClient(request).clientId }).first('number', 'pdf');
        if (!row) throw notFound('invoice', request.params.invoiceId);
        return reply.type('application/pdf').header('content-disposition', attachment(`invoice_${row.number}.pdf`)).send(row.pdf);
      },
    );
  };
