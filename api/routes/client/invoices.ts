import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { zoneCalendar } from '../../views/account';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import { requestInvoice } from '../../intake/invoices';
import { clientInvoicePdf, clientInvoices } from '../../views/invoices';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import {
  Invoice,
  InvoiceList,
  OptionalIdempotencyHeaders,
  RequestInvoiceBody,
  toInvoice,
} from '../../schemas/invoices';
import { attachment } from '../../http/attachment';

const pdfUrl = (id: string) => `/client/v1/invoices/${id}/pdf`;

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
          description:
            'Priced at the tariff and VAT rate in force today; a PDF in Russian with the operator’s and the client’s details.',
          security,
          headers: OptionalIdempotencyHeaders,
          body: RequestInvoiceBody,
          response: { 201: Invoice, 200: Invoice, ...authErrors, ...errorResponses(409, 422) },
        },
      },
      async (request, reply) => {
        const { codes, amountTiyn } = request.body;
        if ((codes === undefined) === (amountTiyn === undefined)) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'Give exactly one of codes and amountTiyn', [
            { location: 'body', path: '', message: 'exactly one of codes, amountTiyn' },
          ]);
        }
        const { clientId } = requireClient(request);
        const { invoice, replayed } = await requestInvoice(db, {
          clientId,
          request: codes !== undefined ? { codes } : { amountTiyn: amountTiyn! },
          idempotencyKey: request.headers['idempotency-key'] ?? randomUUID(),
          issuedOn: zoneCalendar(config).localDate(clock.now()),
        });
        return reply.status(replayed ? 200 : 201).send(toInvoice(invoice, pdfUrl(invoice.id)));
      },
    );

    app.get(
      '/invoices',
      {
        schema: {
          tags: ['cabinet'],
          summary: "The client's invoices, newest first",
          security,
          response: { 200: InvoiceList, ...authErrors },
        },
      },
      async (request) => {
        const rows = await clientInvoices(db, requireClient(request).clientId);
        return { invoices: rows.map((r) => toInvoice(r, pdfUrl(r.id))) };
      },
    );

    app.get(
      '/invoices/:invoiceId/pdf',
      {
        schema: {
          tags: ['cabinet'],
          summary: 'The invoice as PDF',
          security,
          params: IdParams('invoiceId'),
          produces: ['application/pdf'],
          response: {
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The PDF' }),
            ...authErrors,
            ...errorResponses(404),
          },
        },
      },
      async (request, reply) => {
        const row = await clientInvoicePdf(db, requireClient(request).clientId, request.params.invoiceId);
        return reply
          .type('application/pdf')
          .header('content-disposition', attachment(`invoice_${row.number}.pdf`))
          .send(row.pdf);
      },
    );
  };
