import { Type } from 'typebox';
import { IsoInstant, Uuid } from './common';

export const Invoice = Type.Object(
  {
    id: Uuid,
    number: Type.String({ description: 'YYYY-NNNNNN, without gaps within a year' }),
    issuedOn: Type.String({ format: 'date' }),
    codes: Type.Union([Type.Integer(), Type.Null()], { description: 'Codes the advance is for, when asked by codes' }),
    pricePerCodeTiyn: Type.Integer(),
    vatRateBp: Type.Integer(),
    netTiyn: Type.Integer(),
    vatTiyn: Type.Integer(),
    totalTiyn: Type.Integer(),
    pdfUrl: Type.String(),
    pdfSha256: Type.String(),
    createdAt: IsoInstant,
  },
  { $id: 'Invoice', title: 'Invoice for payment (Прил. 2 п.6)' },
);

export const InvoiceList = Type.Object({ invoices: Type.Array(Invoice) });

export const RequestInvoiceBody = Type.Object(
  {
    codes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100_000_000,
        description: 'Invoice the price of this many codes (net × VAT on top)',
      }),
    ),
    amountTiyn: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10 ** 14, description: 'Or: an advance of this amount, VAT included' }),
    ),
  },
  { additionalProperties: false },
);

export const OptionalIdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 8, maxLength: 200, description: 'A retry with the same key returns the same invoice' }),
  ),
});

export const toInvoice = (row: Record<string, any>, pdfUrl: string) => ({
  id: row.id,
  number: row.number,
  issuedOn: row.issued_on,
  codes: row.codes,
  pricePerCodeTiyn: row.price_per_code_tiyn,
  vatRateBp: row.vat_rate_bp,
  netTiyn: row.net,
  vatTiyn: row.vat,
  totalTiyn: row.total,
  pdfUrl,
  pdfSha256: row.pdf_sha256,
  createdAt: new Date(row.created_at).toISOString(),
});
