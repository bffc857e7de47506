import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { isValidBinIin } from '../lib/kz-identifiers';
import { assignPayment, deposit, holdUnassignedPayment, inTransaction, returnPayment } from './ledger';

/**
 * Top-ups of personal accounts (3.4, 6.2, Прил. 2 п.2): a bank payment is credited once,
 * however often its bank document is recorded or imported, to the personal account its
 * purpose names; payments that name none wait for an accountant.
 */

export interface PaymentInput {
  documentNumber: string;
  /** YYYY-MM-DD */
  documentDate: string;
  /** The day the money reached the operator's account (6.2: the moment of the top-up). */
  receivedOn: string;
  amountTiyn: number;
  payerName: string;
  payerBinIin: string | null;
  payerIik: string | null;
  payerBik: string | null;
  purpose: string;
  knp: string | null;
}

export type MatchRule = 'account_number' | 'bin_in_purpose' | 'payer_bin' | 'manual';
export type Match = { clientId: string; rule: MatchRule } | { clientId: null; reason: string };

export interface PaymentHooks {
  /** Called in the crediting transaction, e.g. to notice the client; a failure undoes the credit. */
  onCredited?(trx: Knex.Transaction, payment: Record<string, any>): Promise<unknown>;
}

export type RecordOutcome = { status: 'credited' | 'unassigned' | 'duplicate'; payment: Record<string, any> };

/** A bank document's identity: the same document imported twice has the same key. */
export function paymentSourceKey(p: PaymentInput): string {
  const parts = [
    p.documentDate,
    p.documentNumber.trim().toUpperCase(),
    (p.payerIik ?? p.payerBinIin ?? p.payerName).replace(/\s/g, '').toUpperCase(),
    String(p.amountTiyn),
  ];
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

const ACCOUNT_IN_PURPOSE = /(?:LS|ЛС|Л\/С)\s*№?\s*(\d{8})(?!\d)/giu;
const TWELVE_DIGITS = /(?<!\d)\d{12}(?!\d)/g;

/** The personal account numbers a payment purpose names, e.g. «л/с LS00000012». */
export function accountNumbersIn(purpose: string): string[] {
  return [...new Set([...purpose.matchAll(ACCOUNT_IN_PURPOSE)].map((m) => `LS${m[1]}`))];
}

/**
 * Which personal account a payment is for: the account number in the purpose; else a BIN/IIN
 * in the purpose; else the payer's BIN/IIN. Only open accounts of active clients are credited
 * automatically; anything ambiguous waits for an accountant.
 */
export async function matchPayment(db: Knex, p: Pick<PaymentInput, 'purpose' | 'payerBinIin'>): Promise<Match> {
  const accounts = accountNumbersIn(p.purpose);
  if (accounts.length > 1)
    return { clientId: null, reason: `the purpose names several personal accounts: ${accounts.join(', ')}` };
  if (accounts.length === 1) {
    const account = await db('personal_accounts as pa')
      .join('clients as c', 'c.id', 'pa.client_id')
      .where('pa.number', accounts[0])
      .first('pa.client_id', 'pa.status', 'c.status as client_status');
    if (!account) return { clientId: null, reason: `personal account ${accounts[0]} does not exist` };
    if (account.status !== 'open' || account.client_status !== 'active')
      return { clientId: null, reason: `personal account ${accounts[0]} is not open` };
    return { clientId: account.client_id, rule: 'account_number' };
  }
  const bins = [...new Set(p.purpose.match(TWELVE_DIGITS) ?? [])].filter(isValidBinIin);
  const byBin = async (binIins: string[]) =>
    db('clients as c')
      .join('personal_accounts as pa', 'pa.client_id', 'c.id')
      .whereIn('c.bin_iin', binIins)
      .where({ 'c.status': 'active', 'pa.status': 'open' })
      .select('c.id');
  if (bins.length > 0) {
    const clients = await byBin(bins);
    if (clients.length === 1) return { clientId: clients[0].id, rule: 'bin_in_purpose' };
    if (clients.length > 1) return { clientId: null, reason: 'the purpose names the BIN/IIN of several clients' };
  }
  if (p.payerBinIin) {
    const clients = await byBin([p.payerBinIin]);
    if (clients.length === 1) return { clientId: clients[0].id, rule: 'payer_bin' };
  }
  return { clientId: null, reason: 'the purpose names no personal account and the payer is not a client' };
}

/**
 * Records one incoming bank payment in one transaction: credited to the matched personal
 * account (with its notice), or held as unassigned. A document recorded before is a
 * duplicate and changes nothing.
 */
export async function recordPayment(
  db: Knex,
  input: PaymentInput & { source: 'manual' | '1c' | 'csv'; importId?: string; recordedBy?: string },
  hooks: PaymentHooks = {},
): Promise<RecordOutcome> {
  return inTransaction(db, async (trx) => {
    const sourceKey = paymentSourceKey(input);
    const match = await matchPayment(trx, input);
    const [row] = await trx('bank_payments')
      .insert({
        source_key: sourceKey,
        source: input.source,
        import_id: input.importId ?? null,
        document_number: input.documentNumber.trim(),
        document_date: input.documentDate,
        received_on: input.receivedOn,
        amount: input.amountTiyn,
        payer_name: input.payerName,
        payer_bin_iin: input.payerBinIin,
        payer_iik: input.payerIik,
        payer_bik: input.payerBik,
        purpose: input.purpose,
        knp: input.knp,
        status: match.clientId ? 'credited' : 'unassigned',
        client_id: match.clientId,
        match_rule: 'rule' in match ? match.rule : null,
        unmatched_reason: 'reason' in match ? match.reason : null,
        recorded_by: input.recordedBy ?? null,
      })
      .onConflict('source_key')
      .ignore()
      .returning('*');
    if (!row)
      return { status: 'duplicate', payment: await trx('bank_payments').where({ source_key: sourceKey }).first() };
    const booked = match.clientId
      ? await deposit(trx, {
          idempotencyKey: `payment:${row.id}`,
          clientId: match.clientId,
          amountTiyn: row.amount,
          paymentId: row.id,
        })
      : await holdUnassignedPayment(trx, {
          idempotencyKey: `payment:${row.id}`,
          amountTiyn: row.amount,
          paymentId: row.id,
        });
    const [payment] = await trx('bank_payments')
      .where({ id: row.id })
      .update({ ledger_transaction_id: booked.transaction.id })
      .returning('*');
    if (match.clientId) await hooks.onCredited?.(trx, payment);
    return { status: match.clientId ? 'credited' : 'unassigned', payment };
  });
}

export class PaymentStateError extends Error {
  constructor(readonly payment: Record<string, any>) {
    super(`Payment ${payment.document_number} of ${payment.document_date} is ${payment.status}, not unassigned`);
    this.name = 'PaymentStateError';
  }
}

async function lockUnassigned(trx: Knex.Transaction, paymentId: string) {
  const row = await trx('bank_payments').where({ id: paymentId }).forUpdate().first();
  if (!row) return undefined;
  if (row.status !== 'unassigned') throw new PaymentStateError(row);
  return row;
}

/** An accountant credits an unassigned payment to a client's personal account. */
export async function assignUnassignedPayment(
  db: Knex,
  p: { paymentId: string; clientId: string; by: string },
  hooks: PaymentHooks = {},
) {
  return inTransaction(db, async (trx) => {
    const row = await lockUnassigned(trx, p.paymentId);
    if (!row) return undefined;
    await assignPayment(trx, {
      idempotencyKey: `payment-assign:${row.id}`,
      clientId: p.clientId,
      amountTiyn: row.amount,
      paymentId: row.id,
      createdBy: p.by,
    });
    const [payment] = await trx('bank_payments')
      .where({ id: row.id })
      .update({
        status: 'credited',
        client_id: p.clientId,
        match_rule: 'manual',
        handled_by: p.by,
        handled_at: trx.fn.now(),
      })
      .returning('*');
    await hooks.onCredited?.(trx, payment);
    return payment;
  });
}

/** An unassigned payment is sent back to the payer, with the reason. */
export async function returnUnassignedPayment(db: Knex, p: { paymentId: string; reason: string; by: string }) {
  return inTransaction(db, async (trx) => {
    const row = await lockUnassigned(trx, p.paymentId);
    if (!row) return undefined;
    await returnPayment(trx, {
      idempotencyKey: `payment-return:${row.id}`,
      amountTiyn: row.amount,
      paymentId: row.id,
      memo: p.reason,
      createdBy: p.by,
    });
    const [payment] = await trx('bank_payments')
      .where({ id: row.id })
      .update({ status: 'returned', return_reason: p.reason, handled_by: p.by, handled_at: trx.fn.now() })
      .returning('*');
    return payment;
  });
}
