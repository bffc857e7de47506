import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import type { Db } from '../connection';

/**
 * Booking of ledger transactions: balanced, immutable, idempotent. The rules live in the
 * database (db/migrations/20261126_005_ledger.ts); this module books through them and turns
 * their refusals into LedgerErrors.
 */

export type ClientAccountKind = 'client_available' | 'client_reserved';
export type OperatorAccountKind =
  | 'operator_bank'
  | 'revenue'
  | 'vat_payable'
  | 'refunds_payable'
  | 'bank_fees'
  | 'unassigned_payments'
  | 'compensations'
  | 'corrections';
export type AccountKind = ClientAccountKind | OperatorAccountKind;

export type TransactionKind =
  | 'deposit'
  | 'payment_unassigned'
  | 'payment_assign'
  | 'payment_return'
  | 'reserve'
  | 'capture'
  | 'release'
  | 'refund_payout'
  | 'compensation'
  | 'compensation_payout'
  | 'correction'
  | 'vat_rounding';

const OPERATOR_ACCOUNT_NAMES: Record<OperatorAccountKind, string> = {
  operator_bank: 'Текущий счёт Оператора в банке',
  revenue: 'Доход от услуг (без НДС)',
  vat_payable: 'НДС к уплате',
  refunds_payable: 'Возвраты к перечислению',
  bank_fees: 'Банковские комиссии, удержанные при возврате',
  unassigned_payments: 'Невыясненные поступления',
  compensations: 'Компенсации клиентам',
  corrections: 'Корректировки',
};
const CLIENT_ACCOUNT_NAMES: Record<ClientAccountKind, string> = {
  client_available: 'Лицевой счёт: доступный остаток',
  client_reserved: 'Лицевой счёт: резерв',
};

export type LedgerErrorCode =
  | 'INSUFFICIENT_FUNDS'
  | 'IDEMPOTENCY_CONFLICT'
  | 'RESERVATION_NOT_FOUND'
  | 'RESERVATION_CLOSED'
  | 'RESERVATION_EXCEEDED'
  | 'NO_PRICE'
  | 'INVALID_AMOUNT';

/** A refusal by the ledger; nothing was booked. */
export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

/** One side of a transaction: credit positive, debit negative. */
export interface Posting {
  account: { client: string; kind: ClientAccountKind } | { operator: OperatorAccountKind };
  amount: number;
}

export interface BookedEntry {
  account: string;
  kind: AccountKind;
  amount: number;
  /** The account's running balance after this entry (client accounts). */
  balanceAfter: number | null;
}

export interface BookedTransaction {
  id: number;
  idempotencyKey: string;
  kind: TransactionKind;
  clientId: string | null;
  reference: { type: string; id: string } | null;
  clause: string;
  memo: string | null;
  createdAt: string;
  entries: BookedEntry[];
}

export interface BookingRequest {
  idempotencyKey: string;
  kind: TransactionKind;
  clientId?: string;
  reference?: { type: string; id: string };
  /** The contract clause the movement comes from, e.g. '3.2'. */
  clause: string;
  memo?: string;
  createdBy?: string;
  /** What the caller asked for; the same key with other content is refused. */
  request: Record<string, unknown>;
}

export const requestHash = (request: unknown) =>
  createHash('sha256')
    .update(canonicalize(request) ?? '')
    .digest('hex');

export function assertPositiveTiyn(amount: number, what = 'amount'): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new LedgerError('INVALID_AMOUNT', `${what} must be a positive whole number of tiyn, got ${amount}`);
  }
}

/** The two accounts of a client, opened on first use. */
export async function clientAccountIds(trx: Knex, clientId: string): Promise<Record<ClientAccountKind, number>> {
  await trx('ledger_accounts')
    .insert(
      (Object.keys(CLIENT_ACCOUNT_NAMES) as ClientAccountKind[]).map((kind) => ({
        code: `client:${clientId}:${kind.replace('client_', '')}`,
        kind,
        client_id: clientId,
        name: CLIENT_ACCOUNT_NAMES[kind],
        tracks_balance: true,
      })),
    )
    .onConflict('code')
    .ignore();
  const rows = await trx('ledger_accounts').where({ client_id: clientId }).select('id', 'kind');
  return Object.fromEntries(rows.map((r) => [r.kind, r.id])) as Record<ClientAccountKind, number>;
}

async function operatorAccountId(trx: Knex, kind: OperatorAccountKind): Promise<number> {
  const code = `operator:${kind}`;
  const existing = await trx('ledger_accounts').where({ code }).first('id');
  if (existing) return existing.id;
  await trx('ledger_accounts')
    .insert({ code, kind, name: OPERATOR_ACCOUNT_NAMES[kind], tracks_balance: false })
    .onConflict('code')
    .ignore();
  return (await trx('ledger_accounts').where({ code }).first('id')).id;
}

/**
 * Books one transaction in the caller's database transaction `trx`: claims the idempotency
 * key first (a concurrent twin waits on it, then finds it taken), then inserts the entries
 * that `postings` returns. Returns `{replayed: true}` with the original when the key was
 * booked before with the same request; a different request under the key is refused.
 */
export async function bookIn(
  trx: Knex.Transaction,
  request: BookingRequest,
  postings: (transactionId: number) => Promise<Posting[]> | Posting[],
): Promise<{ transaction: BookedTransaction; replayed: boolean }> {
  const hash = requestHash({ kind: request.kind, ...request.request });
  const [claimed] = await trx('ledger_transactions')
    .insert({
      idempotency_key: request.idempotencyKey,
      request_hash: hash,
      kind: request.kind,
      client_id: request.clientId ?? null,
      reference_type: request.reference?.type ?? null,
      reference_id: request.reference?.id ?? null,
      clause: request.clause,
      memo: request.memo ?? null,
      created_by: request.createdBy ?? null,
    })
    .onConflict('idempotency_key')
    .ignore()
    .returning('id');
  if (!claimed) {
    const existing = await trx('ledger_transactions').where({ idempotency_key: request.idempotencyKey }).first();
    if (existing.request_hash !== hash) {
      throw new LedgerError(
        'IDEMPOTENCY_CONFLICT',
        `The idempotency key ${request.idempotencyKey} was used for a different request`,
        {
          idempotencyKey: request.idempotencyKey,
          transactionId: existing.id,
        },
      );
    }
    return { transaction: (await readTransaction(trx, existing.id))!, replayed: true };
  }
  const lines = (await postings(claimed.id)).filter((p) => p.amount !== 0);
  if (lines.length < 2 || lines.reduce((sum, p) => sum + p.amount, 0) !== 0) {
    throw new Error(`ledger transaction ${request.kind} does not balance: ${JSON.stringify(lines)}`);
  }
  // Client accounts in a fixed order (available before reserved), so concurrent transactions never deadlock.
  const clients = new Map<string, Record<ClientAccountKind, number>>();
  const accountIds: number[] = [];
  for (const { account } of lines) {
    if ('operator' in account) {
      accountIds.push(await operatorAccountId(trx, account.operator));
      continue;
    }
    if (!clients.has(account.client)) clients.set(account.client, await clientAccountIds(trx, account.client));
    accountIds.push(clients.get(account.client)![account.kind]);
  }
  const rows = lines
    .map((p, i) => ({ transaction_id: claimed.id, account_id: accountIds[i], amount: p.amount }))
    .sort((a, b) => a.account_id - b.account_id);
  try {
    await trx('ledger_entries').insert(rows);
  } catch (error) {
    throw asLedgerError(error) ?? error;
  }
  return { transaction: (await readTransaction(trx, claimed.id))!, replayed: false };
}

/** Books one transaction in its own database transaction. */
export async function book(
  db: Db,
  request: BookingRequest,
  postings: (transactionId: number) => Promise<Posting[]> | Posting[],
): Promise<{ transaction: BookedTransaction; replayed: boolean }> {
  return db.transaction((trx) => bookIn(trx, request, postings));
}

/** PostgreSQL's refusal of a negative client balance, as the ledger's error. */
export function asLedgerError(error: unknown): LedgerError | undefined {
  const e = error as { code?: string; constraint?: string };
  if (e?.code === '23514' && e.constraint === 'ledger_accounts_non_negative') {
    return new LedgerError('INSUFFICIENT_FUNDS', 'The personal account balance is not enough for this operation');
  }
  return undefined;
}

export async function readTransaction(db: Knex, id: number): Promise<BookedTransaction | undefined> {
  const tx = await db('ledger_transactions').where({ id }).first();
  if (!tx) return undefined;
  const entries = await db('ledger_entries as e')
    .join('ledger_accounts as a', 'a.id', 'e.account_id')
    .where('e.transaction_id', id)
    .orderBy('e.id')
    .select('a.code', 'a.kind', 'e.amount', 'e.balance_after');
  return {
    id: tx.id,
    idempotencyKey: tx.idempotency_key,
    kind: tx.kind,
    clientId: tx.client_id,
    reference: tx.reference_type ? { type: tx.reference_type, id: tx.reference_id } : null,
    clause: tx.clause,
    memo: tx.memo,
    createdAt: new Date(tx.created_at).toISOString(),
    entries: entries.map((e) => ({ account: e.code, kind: e.kind, amount: e.amount, balanceAfter: e.balance_after })),
  };
}
