import { Static, Type } from 'typebox';
import { IsoInstant, StringEnum, Uuid } from './common';

const DateOnly = (description: string) => Type.String({ format: 'date', description });
const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const PAYMENT_STATUSES = ['credited', 'unassigned', 'returned'] as const;

export const Payment = Type.Object(
  {
    id: Uuid,
    status: StringEnum(PAYMENT_STATUSES),
    source: StringEnum(['manual', '1c', 'csv']),
    documentNumber: Type.String(),
    documentDate: DateOnly('Date of the bank document'),
    receivedOn: DateOnly('The day the money reached the operator (6.2: the moment of the top-up)'),
    amountTiyn: Type.Integer({ description: 'tiyn' }),
    payer: Type.Object({
      name: Type.String(),
      binIin: nullable(Type.String()),
      iik: nullable(Type.String()),
      bik: nullable(Type.String()),
    }),
    purpose: Type.String(),
    knp: nullable(Type.String()),
    clientId: nullable(Uuid),
    matchRule: nullable(StringEnum(['account_number', 'bin_in_purpose', 'payer_bin', 'manual'])),
    unmatchedReason: nullable(Type.String({ description: 'Why the payment waits for an accountant' })),
    ledgerTransactionId: nullable(Type.Integer()),
    importId: nullable(Uuid),
    recordedAt: IsoInstant,
    handledAt: nullable(IsoInstant),
    returnReason: nullable(Type.String()),
  },
  { $id: 'Payment', title: 'Bank payment' },
);
export type Payment = Static<typeof Payment>;

export function toPayment(row: Record<string, any>): Payment {
  return {
    id: row.id,
    status: row.status,
    source: row.source,
    documentNumber: row.document_number,
    documentDate: row.document_date,
    receivedOn: row.received_on,
    amountTiyn: row.amount,
    payer: { name: row.payer_name, binIin: row.payer_bin_iin, iik: row.payer_iik, bik: row.payer_bik },
    purpose: row.purpose,
    knp: row.knp,
    clientId: row.client_id,
    matchRule: row.match_rule,
    unmatchedReason: row.unmatched_reason,
    ledgerTransactionId: row.ledger_transaction_id,
    importId: row.import_id,
    recordedAt: new Date(row.recorded_at).toISOString(),
    handledAt: row.handled_at ? new Date(row.handled_at).toISOString() : null,
    returnReason: row.return_reason,
  };
}

export const RecordPaymentBody = Type.Object(
  {
    documentNumber: Type.String({ minLength: 1, maxLength: 64 }),
    documentDate: DateOnly('Date of the bank document'),
    receivedOn: Type.Optional(DateOnly('Day the money reached the operator; default: the document date')),
    amountTiyn: Type.Integer({ minimum: 1, maximum: 10 ** 15, description: 'tiyn' }),
    payerName: Type.String({ minLength: 1, maxLength: 500 }),
    payerBinIin: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
    payerIik: Type.Optional(Type.String({ minLength: 20, maxLength: 34 })),
    payerBik: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{8}([A-Z0-9]{3})?$' })),
    purpose: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'Payment purpose; the personal account number in it (e.g. LS00000012) credits that account',
    }),
    knp: Type.Optional(Type.String({ pattern: '^[0-9]{3}$' })),
  },
  { additionalProperties: false },
);

export const RecordOutcome = Type.Object({
  status: StringEnum(['credited', 'unassigned', 'duplicate'], {
    description: 'duplicate: this bank document was recorded before; nothing changed',
  }),
  payment: Payment,
});

export const ImportQuery = Type.Object(
  {
    format: Type.Optional(
      StringEnum(['auto', '1c', 'csv'], { description: 'auto: 1CClientBankExchange if the file says so, else CSV' }),
    ),
    fileName: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

export const ImportSummary = Type.Object(
  {
    importId: Uuid,
    format: StringEnum(['1c', 'csv']),
    encoding: Type.String(),
    account: nullable(Type.String()),
    documents: Type.Integer({ description: 'Documents read from the file' }),
    credited: Type.Integer(),
    unassigned: Type.Integer(),
    duplicates: Type.Integer({ description: 'Recorded before (by an earlier import or by hand): not credited again' }),
    skipped: Type.Integer({ description: 'Not incoming payments to the operator account' }),
    problems: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
    payments: Type.Array(
      Type.Object({
        line: Type.Integer(),
        status: StringEnum(['credited', 'unassigned', 'duplicate']),
        paymentId: Uuid,
        amountTiyn: Type.Integer(),
        clientId: nullable(Uuid),
      }),
    ),
  },
  { $id: 'ImportSummary', title: 'Bank statement import' },
);

export const PaymentListQuery = Type.Object(
  {
    status: Type.Optional(StringEnum(PAYMENT_STATUSES)),
    clientId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const PaymentList = Type.Object({ payments: Type.Array(Payment) });

export const AssignPaymentBody = Type.Object({ clientId: Uuid }, { additionalProperties: false });
export const ReturnPaymentBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 1000 }) },
  { additionalProperties: false },
);
