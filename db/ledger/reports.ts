import type { Knex } from 'knex';
import type { TransactionKind } from './book';

/** What the ledger says about a client (6.10, Прил. 2 п.8) and about itself (drift). */

export interface AccountBalance {
  available: number;
  reserved: number;
  /** Payments credited to the account, assigned ones included. */
  totalPaidIn: number;
  /** Services charged at download (VAT included). */
  totalCharged: number;
  totalRefunded: number;
  totalCompensated: number;
  totalCorrections: number;
}

export async function clientBalance(db: Knex, clientId: string): Promise<AccountBalance> {
  // One round trip: the client's accounts with their per-kind totals (migration 038), not a sum over its history.
  const rows: { account_kind: string; balance: number; tx_kind: TransactionKind | null; total: number | null }[] =
    await db('ledger_accounts as a')
      .leftJoin('ledger_account_totals as t', 't.account_id', 'a.id')
      .where('a.client_id', clientId)
      .select('a.kind as account_kind', 'a.balance', 't.tx_kind', 't.total');
  return balanceFrom(rows);
}

/** The account's figures (6.10) from its accounts' balances and their totals per kind of transaction. */
export function balanceFrom(
  rows: { account_kind: string; balance: number; tx_kind: TransactionKind | null; total: number | null }[],
): AccountBalance {
  const balance = (kind: string) => rows.find((r) => r.account_kind === kind)?.balance ?? 0;
  const sum = (txKinds: TransactionKind[], accountKind: string) =>
    rows
      .filter((r) => r.tx_kind && txKinds.includes(r.tx_kind) && r.account_kind === accountKind)
      .reduce((total, r) => total + (r.total ?? 0), 0);
  return {
    available: balance('client_available'),
    reserved: balance('client_reserved'),
    totalPaidIn: sum(['deposit', 'payment_assign'], 'client_available'),
    totalCharged: 0 - sum(['capture'], 'client_reserved') - sum(['capture', 'vat_rounding'], 'client_available'),
    totalRefunded: 0 - sum(['refund_payout'], 'client_available'),
    totalCompensated: sum(['compensation'], 'client_available'),
    totalCorrections: sum(['correction'], 'client_available'),
  };
}

export interface StatementLine {
  transactionId: number;
  at: string;
  kind: TransactionKind;
  reference: { type: string; id: string } | null;
  clause: string;
  memo: string | null;
  availableChange: number;
  reservedChange: number;
  availableAfter: number | null;
  reservedAfter: number | null;
  /** For a movement of a bank payment (a top-up, an assigned payment): the bank document it came with. */
  payment: { documentNumber: string; documentDate: string } | null;
}

export interface StatementQuery {
  from?: string;
  to?: string;
  /** Lines older than this transaction id (the next page). */
  before?: number;
  limit: number;
}

/** The client's operations, newest first, with the changes and balances after each. */
export async function clientStatement(
  db: Knex,
  clientId: string,
  query: StatementQuery,
): Promise<{ lines: StatementLine[]; next: number | null }> {
  const rows = await db('ledger_transactions as t')
    .join('ledger_entries as e', 'e.transaction_id', 't.id')
    .join('ledger_accounts as a', function () {
      this.on('a.id', '=', 'e.account_id').andOn('a.client_id', '=', 't.client_id');
    })
    // The bank document of a payment's movement (its number and date, as the statement shows them).
    .leftJoin('bank_payments as p', function () {
      this.on(db.raw(`t.reference_type = 'payment' AND p.id::text = t.reference_id`));
    })
    .where('t.client_id', clientId)
    .modify((q) => {
      if (query.from) q.where('t.created_at', '>=', query.from);
      if (query.to) q.where('t.created_at', '<', query.to);
      if (query.before) q.where('t.id', '<', query.before);
    })
    .groupBy('t.id', 'p.id')
    .orderBy('t.id', 'desc')
    .limit(query.limit + 1)
    .select(
      'p.document_number',
      'p.document_date',
      't.id',
      't.created_at',
      't.kind',
      't.reference_type',
      't.reference_id',
      't.clause',
      't.memo',
      db.raw(`COALESCE(SUM(e.amount) FILTER (WHERE a.kind = 'client_available'), 0)::bigint AS available_change`),
      db.raw(`COALESCE(SUM(e.amount) FILTER (WHERE a.kind = 'client_reserved'), 0)::bigint AS reserved_change`),
      db.raw(`MAX(e.balance_after) FILTER (WHERE a.kind = 'client_available') AS available_after`),
      db.raw(`MAX(e.balance_after) FILTER (WHERE a.kind = 'client_reserved') AS reserved_after`),
    );
  const page = rows.slice(0, query.limit);
  return {
    lines: page.map((r: any) => ({
      transactionId: r.id,
      at: new Date(r.created_at).toISOString(),
      kind: r.kind,
      reference: r.reference_type ? { type: r.reference_type, id: r.reference_id } : null,
      clause: r.clause,
      memo: r.memo,
      availableChange: r.available_change,
      reservedChange: r.reserved_change,
      availableAfter: r.available_after,
      reservedAfter: r.reserved_after,
      payment: r.document_number ? { documentNumber: r.document_number, documentDate: r.document_date } : null,
    })),
    next: rows.length > query.limit ? page[page.length - 1].id : null,
  };
}

export interface LedgerProblem {
  kind: 'balance_drift' | 'total_drift' | 'entry_chain' | 'unbalanced_transaction' | 'reservation_mismatch';
  message: string;
  details: Record<string, unknown>;
}

/**
 * Recomputes every running balance from its entries and reports any drift: balances and the totals per kind
 * of transaction against sums of entries, each entry's balance-after against the one before it, transactions that do
 * not sum to zero, and each client's reserved balance against its open reservations.
 */
export async function checkLedger(
  db: Knex,
): Promise<{ accountsChecked: number; transactionsChecked: number; problems: LedgerProblem[] }> {
  const problems: LedgerProblem[] = [];
  const drift = await db.raw(`
    SELECT a.id, a.code, a.balance, a.entry_count, COALESCE(SUM(e.amount), 0)::bigint AS computed, COUNT(e.id)::bigint AS entries
      FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
     WHERE a.tracks_balance
     GROUP BY a.id
    HAVING a.balance <> COALESCE(SUM(e.amount), 0) OR a.entry_count <> COUNT(e.id) OR COALESCE(SUM(e.amount), 0) < 0`);
  for (const r of drift.rows) {
    problems.push({
      kind: 'balance_drift',
      message: `Account ${r.code}: balance ${r.balance}, entries sum to ${r.computed}`,
      details: r,
    });
  }
  const totals = await db.raw(`
    SELECT a.code, a.id AS account_id, COALESCE(c.tx_kind, t.tx_kind) AS tx_kind,
           COALESCE(t.total, 0)::bigint AS kept, COALESCE(c.computed, 0)::bigint AS computed
      FROM (SELECT e.account_id, x.kind AS tx_kind, SUM(e.amount) AS computed
              FROM ledger_entries e
              JOIN ledger_transactions x ON x.id = e.transaction_id
              JOIN ledger_accounts a ON a.id = e.account_id
             WHERE a.tracks_balance
             GROUP BY e.account_id, x.kind) c
      FULL JOIN ledger_account_totals t ON t.account_id = c.account_id AND t.tx_kind = c.tx_kind
      JOIN ledger_accounts a ON a.id = COALESCE(c.account_id, t.account_id)
     WHERE COALESCE(t.total, 0) <> COALESCE(c.computed, 0)`);
  for (const r of totals.rows) {
    problems.push({
      kind: 'total_drift',
      message: `Account ${r.code}: ${r.tx_kind} total kept ${r.kept}, entries sum to ${r.computed}`,
      details: r,
    });
  }
  const chain = await db.raw(`
    SELECT account_id, id, account_seq, balance_after, amount, previous FROM (
      SELECT e.*, LAG(balance_after, 1, 0::bigint) OVER (PARTITION BY account_id ORDER BY account_seq) AS previous,
             ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY account_seq) AS n
        FROM ledger_entries e WHERE account_seq IS NOT NULL) x
     WHERE balance_after <> previous + amount OR account_seq <> n`);
  for (const r of chain.rows) {
    problems.push({
      kind: 'entry_chain',
      message: `Entry ${r.id}: balance after ${r.balance_after}, expected ${r.previous} + ${r.amount}`,
      details: r,
    });
  }
  const unbalanced = await db.raw(
    `SELECT transaction_id, SUM(amount)::bigint AS total FROM ledger_entries GROUP BY transaction_id HAVING SUM(amount) <> 0`,
  );
  for (const r of unbalanced.rows) {
    problems.push({
      kind: 'unbalanced_transaction',
      message: `Transaction ${r.transaction_id} sums to ${r.total}`,
      details: r,
    });
  }
  const reservations = await db.raw(`
    SELECT a.client_id, a.balance, COALESCE(r.open, 0)::bigint AS open
      FROM ledger_accounts a
      LEFT JOIN (SELECT client_id, SUM(amount - captured_net - captured_vat - released_amount) AS open
                   FROM reservations WHERE status = 'open' GROUP BY client_id) r ON r.client_id = a.client_id
     WHERE a.kind = 'client_reserved' AND a.balance <> COALESCE(r.open, 0)`);
  for (const r of reservations.rows) {
    problems.push({
      kind: 'reservation_mismatch',
      message: `Client ${r.client_id}: reserved ${r.balance}, open reservations ${r.open}`,
      details: r,
    });
  }
  const [{ accounts }] = (await db.raw(`SELECT COUNT(*)::bigint AS accounts FROM ledger_accounts`)).rows;
  const [{ transactions }] = (await db.raw(`SELECT COUNT(*)::bigint AS transactions FROM ledger_transactions`)).rows;
  return { accountsChecked: accounts, transactionsChecked: transactions, problems };
}
