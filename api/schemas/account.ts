import { Static, Type } from 'typebox';
import type { AccountBalance, StatementLine as Line } from '../../db/ledger';
import type { PriceInForce } from '../../db/prices';
import { codesAffordable, priceOfCodes } from '../../lib/money';
import { IsoInstant, StringEnum, Uuid } from './common';

const Tiyn = (description: string) => Type.Integer({ description: `${description}, tiyn (1 KZT = 100 tiyn)` });

export const TRANSACTION_KINDS = [
  'deposit',
  'payment_unassigned',
  'payment_assign',
  'payment_return',
  'reserve',
  'capture',
  'release',
  'refund_payout',
  'compensation',
  'compensation_payout',
  'correction',
  'vat_rounding',
] as const;

/** How each operation is named in the cabinet, statements and CSV exports. */
export const OPERATION_NAMES: Record<(typeof TRANSACTION_KINDS)[number], string> = {
  deposit: 'Пополнение лицевого счёта',
  payment_unassigned: 'Невыясненное поступление',
  payment_assign: 'Зачисление платежа',
  payment_return: 'Возврат невыясненного поступления',
  reserve: 'Резервирование при эмиссии кодов',
  capture: 'Списание за коды маркировки («нанесён и оплачен»)',
  release: 'Возврат резерва',
  refund_payout: 'Возврат неиспользованного аванса',
  compensation: 'Компенсация',
  compensation_payout: 'Компенсация ущерба на банковский счёт',
  correction: 'Корректировка',
  vat_rounding: 'Округление НДС по строкам акта',
};

export const Price = Type.Object({
  date: Type.String({ format: 'date', description: 'The local date the price is in force on' }),
  pricePerCodeTiyn: Tiyn('Price per code excluding VAT (6.1)'),
  vatRateBp: Type.Integer({ description: 'VAT rate in basis points (1600 = 16%)' }),
  grossPerCodeTiyn: Tiyn('Price of one code with VAT'),
  tariffBasis: Type.String(),
  vatSource: Type.String(),
});

export const toPrice = (p: PriceInForce): Static<typeof Price> => ({
  date: p.date,
  pricePerCodeTiyn: p.pricePerCodeTiyn,
  vatRateBp: p.vatRateBp,
  grossPerCodeTiyn: priceOfCodes(1, p).total,
  tariffBasis: p.tariff.basis,
  vatSource: p.vatRate.source,
});

export const Account = Type.Object(
  {
    clientId: Uuid,
    accountNumber: Type.Union([Type.String(), Type.Null()], {
      description: 'Personal account number to name in payment purposes',
    }),
    status: Type.Union([StringEnum(['open', 'closed']), Type.Null()]),
    currency: Type.Literal('KZT'),
    available: Tiyn('Unused money, available for orders (6.10)'),
    reserved: Tiyn('Held for emitted codes not yet downloaded (3.2)'),
    totalPaidIn: Tiyn('Advance payments credited (6.10)'),
    totalCharged: Tiyn('Services rendered: codes downloaded, VAT included (6.4)'),
    totalRefunded: Tiyn('Unused money returned'),
    totalCompensated: Tiyn('Compensations credited (7.2, 7.3)'),
    totalCorrections: Tiyn('Staff corrections, net'),
    price: Type.Union([Price, Type.Null()], { description: 'The price in force today' }),
    codesAffordable: Type.Integer({ description: 'How many codes the available balance pays for at today’s price' }),
    asOf: IsoInstant,
  },
  { $id: 'Account', title: 'Personal account' },
);

export function toAccount(a: {
  clientId: string;
  account?: { number: string; status: string };
  balance: AccountBalance;
  price?: PriceInForce;
  asOf: Date;
}): Static<typeof Account> {
  return {
    clientId: a.clientId,
    accountNumber: a.account?.number ?? null,
    status: (a.account?.status as 'open' | 'closed') ?? null,
    currency: 'KZT',
    ...a.balance,
    price: a.price ? toPrice(a.price) : null,
    codesAffordable: a.price ? codesAffordable(Math.max(0, a.balance.available), a.price) : 0,
    asOf: a.asOf.toISOString(),
  };
}

export const StatementLine = Type.Object({
  transactionId: Type.Integer(),
  at: IsoInstant,
  kind: StringEnum(TRANSACTION_KINDS),
  name: Type.String({ description: 'The operation, as documents name it' }),
  reference: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
  clause: Type.String({ description: 'Contract clause behind the movement' }),
  memo: Type.Union([Type.String(), Type.Null()]),
  availableChange: Tiyn('Change of the available balance'),
  reservedChange: Tiyn('Change of the reserved balance'),
  availableAfter: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Available balance after, when it changed',
  }),
  reservedAfter: Type.Union([Type.Integer(), Type.Null()], { description: 'Reserved balance after, when it changed' }),
  payment: Type.Union(
    [
      Type.Object({
        documentNumber: Type.String({ description: 'Number of the bank payment document' }),
        documentDate: Type.String({ format: 'date', description: 'Date of the bank payment document' }),
      }),
      Type.Null(),
    ],
    { description: 'For the movement of a bank payment (a top-up): the bank document it came with; null otherwise' },
  ),
});

export const toStatementLine = (line: Line): Static<typeof StatementLine> => ({
  ...line,
  name: OPERATION_NAMES[line.kind],
});

export const Statement = Type.Object(
  {
    lines: Type.Array(StatementLine),
    next: Type.Union([Type.Integer(), Type.Null()], { description: 'Pass as `before` for the next (older) page' }),
  },
  { $id: 'Statement', title: 'Statement of operations' },
);

export const StatementQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date', description: 'First local date (operator zone), inclusive' })),
    to: Type.Optional(Type.String({ format: 'date', description: 'Last local date, inclusive' })),
    before: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Only operations older than this transaction id (paging)' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);

export const CorrectionBody = Type.Object(
  {
    amountTiyn: Type.Integer({ description: 'Positive raises, negative lowers the available balance; not zero' }),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const CompensationBody = Type.Object(
  {
    amountTiyn: Type.Integer({ minimum: 1 }),
    clause: StringEnum(['7.2', '7.3'], {
      description:
        '7.2: defect act (within 5 working days of signing); 7.3: late service (within 10 working days of the claim)',
    }),
    reference: Type.Object(
      {
        type: StringEnum(['claim', 'order_breach', 'ticket'], {
          description:
            'claim: a claim of this client satisfied in full or in part (9.3); order_breach: a missed 4-hour emission deadline; ticket: a ticket with a missed Прил. 3 deadline',
        }),
        id: Uuid,
      },
      {
        additionalProperties: false,
        description: 'The recorded case the compensation settles; each case is compensated once',
      },
    ),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 8,
    maxLength: 200,
    description: 'Unique per intended operation; a retry with the same key has one effect',
  }),
});

export const LedgerTransaction = Type.Object(
  {
    id: Type.Integer(),
    idempotencyKey: Type.String(),
    kind: StringEnum(TRANSACTION_KINDS),
    clientId: Type.Union([Uuid, Type.Null()]),
    reference: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
    clause: Type.String(),
    memo: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoInstant,
    entries: Type.Array(
      Type.Object({
        account: Type.String(),
        kind: Type.String(),
        amount: Type.Integer({ description: 'Credit positive, debit negative, tiyn' }),
        balanceAfter: Type.Union([Type.Integer(), Type.Null()]),
      }),
    ),
    replayed: Type.Boolean({
      description: 'true when the idempotency key had been booked before: nothing new was booked',
    }),
  },
  { $id: 'LedgerTransaction', title: 'Ledger transaction' },
);

export const LedgerCheck = Type.Object({
  accountsChecked: Type.Integer(),
  transactionsChecked: Type.Integer(),
  ok: Type.Boolean(),
  problems: Type.Array(Type.Object({ kind: Type.String(), message: Type.String(), details: Type.Unknown() })),
});
