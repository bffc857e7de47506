import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Db } from '../db/connection';
import { clientBalance, refundPayout } from '../db/ledger';
import type { ActivityDeps } from './deps';
import { recordNotice, RecordedNotice } from './notice-records';
import { committedRow } from './rows';
import { refundPaidNotice, refundRefusedNotice } from './texts/refunds';

export type RefundKind = 'request' | 'one_year' | 'termination';

export interface RefundOutcome {
  status: 'paid' | 'refused';
  paidTiyn?: number;
  feeTiyn?: number;
  notice: RecordedNotice;
}

/** What may justify refusing a refund on request (6.11): a debt to the operator or an unfulfilled order in progress. */
export async function refusalGrounds(db: Db | Knex, clientId: string): Promise<string[]> {
  const grounds: string[] = [];
  const [open] = await db('orders').where({ client_id: clientId }).whereIn('status', ['CREATED', 'PENDING', 'APPROVED', 'READY']).count<{ n: number }[]>('* as n');
  if (Number(open.n)) grounds.push(`${open.n} order(s) in progress`);
  const [disputed] = await db('acts').where({ client_id: clientId, status: 'disputed' }).count<{ n: number }[]>('* as n');
  if (Number(disputed.n)) grounds.push(`${disputed.n} disputed act(s) not settled`);
  return grounds;
}

/**
 * Opens a refund of the whole unused balance started by the contract itself: the year unused
 * (3.7) or its termination (10.4). A refund already pending for the client is the one awaited;
 * with nothing available there is nothing to open.
 */
export async function openContractRefund(db: Db, p: { clientId: string; kind: 'one_year' | 'termination'; at: string; terminationId?: string }): Promise<{ refundId: string } | null> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`refunds:${p.clientId}`]);
    const pending = await trx('refund_requests').where({ client_id: p.clientId, status: 'pending' }).first('id');
    if (pending) return { refundId: pending.id };
    const { available } = await clientBalance(trx, p.clientId);
    if (available <= 0) return null;
    const client = await trx('clients').where({ id: p.clientId }).first('details');
    const [row] = await trx('refund_requests')
      .insert({ client_id: p.clientId, kind: p.kind, requested_at: p.at, iik: client.details?.iik ?? null, termination_id: p.terminationId ?? null })
      .returning('id');
    return { refundId: row.id };
  });
}

/** Refunds of unused money (6.11, 3.7, 10.4). */
export function createRefundActivities({ db, clock }: ActivityDeps) {
  const refund = (refundId: string) => committedRow(() => db('refund_requests').where({ id: refundId }).first(), `refund ${refundId}`, 'RefundNotFound');
  const paidNotice = (row: Record<string, any>, amount: number, fee: number) =>
    recordNotice(db, row.client_id, `refund:${row.id}`, refundPaidNotice({ amountTiyn: amount, feeTiyn: fee, iik: row.iik ?? '—', kind: row.kind }));

  return {
    async refundStatus(refundId: string): Promise<'pending' | 'paid' | 'refused'> {
      return (await refund(refundId)).status;
    },

    async recordRefundDue(refundId: string, dueAt: string, overdue: boolean): Promise<void> {
      await db('refund_requests').where({ id: refundId }).update(overdue ? { overdue_at: clock.now() } : { due_at: dueAt });
    },

    /**
     * Pays the refund: the unused money (what was asked, at most what is available) leaves the
     * personal account; the bank transfers it less the actual fee the accountant entered.
     */
    async payRefund(refundId: string, bankFeeTiyn: number, staffId: string, at: string): Promise<RefundOutcome> {
      const row = await refund(refundId);
      if (row.status === 'paid') return { status: 'paid', paidTiyn: row.paid_amount, feeTiyn: row.bank_fee, notice: await paidNotice(row, row.paid_amount, row.bank_fee) };
      const { available } = await clientBalance(db, row.client_id);
      const amount = Math.min(row.amount_requested ?? available, available);
      if (amount <= 0) throw ApplicationFailure.nonRetryable('there is no unused money to return', 'NOTHING_TO_REFUND', { status: 409 });
      if (!Number.isSafeInteger(bankFeeTiyn) || bankFeeTiyn < 0 || bankFeeTiyn > amount) throw ApplicationFailure.nonRetryable(`the bank fee must be 0..${amount} tiyn`, 'BAD_BANK_FEE', { status: 400 });
      const clause = { request: '6.11', one_year: '3.7', termination: '4.1.2' }[row.kind as RefundKind];
      const booked = await refundPayout(db, { idempotencyKey: `refund:${refundId}`, clientId: row.client_id, amountTiyn: amount, bankFeeTiyn, refundRef: refundId, clause, createdBy: staffId });
      await db('refund_requests').where({ id: refundId, status: 'pending' }).update({ status: 'paid', decided_at: at, decided_by: staffId, bank_fee: bankFeeTiyn, paid_amount: amount, ledger_transaction_id: booked.transaction.id });
      return { status: 'paid', paidTiyn: amount, feeTiyn: bankFeeTiyn, notice: await paidNotice(row, amount, bankFeeTiyn) };
    },

    /**
     * Refuses a refund on request, if the contract allows (6.11): not when the client has no debt
     * and no unfulfilled order in progress — then the refusal itself is refused. A refund the
     * contract itself started (3.7, 10.4) is never refused.
     */
    async refuseRefund(refundId: string, reason: string, staffId: string, at: string): Promise<RefundOutcome> {
      const row = await refund(refundId);
      if (row.kind !== 'request') throw ApplicationFailure.nonRetryable(`a refund under ${row.kind === 'one_year' ? '3.7' : '10.4'} is owed by the contract and may not be refused`, 'REFUSAL_NOT_ALLOWED', { status: 409 });
      const grounds = await refusalGrounds(db, row.client_id);
      if (grounds.length === 0) {
        throw ApplicationFailure.nonRetryable('a refund may not be refused: the client has no debt and no unfulfilled order in progress (6.11)', 'REFUSAL_NOT_ALLOWED', { status: 409 });
      }
      const why = `${reason} (${grounds.join('; ')})`;
      await db('refund_requests').where({ id: refundId, status: 'pending' }).update({ status: 'refused', decided_at: at, decided_by: staffId, decision_reason: why });
      return { status: 'refused', notice: await recordNotice(db, row.client_id, `refund:${refundId}:refused`, refundRefusedNotice({ reason: why })) };
    },
  };
}
