import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { clientLanguage } from '../db/client-profile-store';
import type { Db } from '../db/connection';
import { clientBalance, compensationPayout, readTransaction, refundPayout } from '../db/ledger';
import {
  refundClause,
  RefundClause,
  RefundKind,
  refundPayment,
  RefundPayment,
  RefundRuleError,
} from '../lib/refund-rules';
import type { ActivityDeps } from './deps';
import { recordNotice, RecordedNotice } from './notice-records';
import { committedRow } from './rows';
import { refundPaidNotice, refundRefusedNotice } from './texts/refunds';

export interface RefundOutcome {
  status: 'paid' | 'refused';
  paidTiyn?: number;
  feeTiyn?: number;
  clientFeesTiyn?: number;
  notice: RecordedNotice;
}

/** The accountant's decision to pay: the operator's actual bank cost (3.7) or the client's documented bank fees (4.1.2). */
export interface RefundDecision {
  bankFeeTiyn?: number;
  clientBankFeesTiyn?: number;
  clientBankFeesDocument?: string;
}

/**
 * What may justify refusing a refund on request (6.11: «не может быть отказано … если не имеется
 * задолженности перед Оператором и/или в работе не находится не исполненная Заявка»): an order
 * not yet fulfilled. The prepaid ledger never lets a client owe the operator (balances never go
 * negative); a disputed act is not a debt.
 */
export async function refusalGrounds(db: Db | Knex, clientId: string): Promise<string[]> {
  const grounds: string[] = [];
  const [open] = await db('orders')
    .where({ client_id: clientId })
    .whereIn('status', ['CREATED', 'PENDING', 'APPROVED', 'READY'])
    .count<{ n: number }[]>('* as n');
  if (Number(open.n)) grounds.push(`${open.n} order(s) in progress`);
  return grounds;
}

/**
 * Opens a refund of the whole unused balance started by the contract itself: the year unused
 * (3.7) or its termination (10.4). A refund already pending for the client is the one awaited;
 * with nothing available there is nothing to open.
 */
export async function openContractRefund(
  db: Db,
  p: { clientId: string; kind: 'one_year' | 'termination'; at: string; terminationId?: string },
): Promise<{ refundId: string } | null> {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`refunds:${p.clientId}`]);
    const pending = await trx('refund_requests').where({ client_id: p.clientId, status: 'pending' }).first('id');
    if (pending) return { refundId: pending.id };
    const { available } = await clientBalance(trx, p.clientId);
    if (available <= 0) return null;
    const client = await trx('clients').where({ id: p.clientId }).first('details');
    const [row] = await trx('refund_requests')
      .insert({
        client_id: p.clientId,
        kind: p.kind,
        requested_at: p.at,
        iik: client.details?.iik ?? null,
        termination_id: p.terminationId ?? null,
      })
      .returning('id');
    return { refundId: row.id };
  });
}

/**
 * What the refund pays under `clause`, from the client's available balance now (in `trx`, the
 * refund's row locked) — or, when its payout was booked before while the row stayed pending (made
 * before the payout and its status were one transaction, issue #19), that payout's amounts: never
 * a new amount from the balance the payout itself lowered (which the ledger refuses under the same key).
 */
async function refundPaymentIn(
  trx: Knex.Transaction,
  row: Record<string, any>,
  clause: RefundClause,
  decision: RefundDecision,
): Promise<RefundPayment> {
  const booked = await trx('ledger_transactions')
    .where({ idempotency_key: `refund:${row.id}` })
    .first('id');
  const entries = booked ? (await readTransaction(trx, booked.id))!.entries : [];
  const total = (kind: string) => entries.filter((e) => e.kind === kind).reduce((sum, e) => sum + e.amount, 0);
  try {
    return refundPayment(
      clause,
      booked
        ? {
            availableTiyn: -total('client_available'),
            requestedTiyn: -total('client_available'),
            operatorBankCostTiyn: total('bank_fees'),
            clientBankFeesTiyn: decision.clientBankFeesTiyn,
            clientBankFeesDocument: decision.clientBankFeesDocument,
          }
        : {
            availableTiyn: (await clientBalance(trx, row.client_id)).available,
            requestedTiyn: row.amount_requested === null ? null : Number(row.amount_requested),
            operatorBankCostTiyn: decision.bankFeeTiyn,
            clientBankFeesTiyn: decision.clientBankFeesTiyn,
            clientBankFeesDocument: decision.clientBankFeesDocument,
          },
    );
  } catch (error) {
    if (error instanceof RefundRuleError)
      throw ApplicationFailure.nonRetryable(error.message, error.code, {
        status: error.code === 'NOTHING_TO_REFUND' ? 409 : 400,
      });
    throw error;
  }
}

/** Refunds of unused money (6.11, 3.7, 10.4). */
export function createRefundActivities({ db, clock }: ActivityDeps) {
  const refund = (refundId: string) =>
    committedRow(() => db('refund_requests').where({ id: refundId }).first(), `refund ${refundId}`, 'RefundNotFound');
  const paidNotice = async (row: Record<string, any>) =>
    recordNotice(
      db,
      row.client_id,
      `refund:${row.id}`,
      refundPaidNotice({
        amountTiyn: Number(row.paid_amount),
        feeTiyn: Number(row.bank_fee ?? 0),
        clientFeesTiyn: Number(row.client_bank_fees ?? 0),
        iik: row.iik ?? '—',
        clause: row.clause ?? refundClause(row.kind, undefined),
        language: await clientLanguage(db, row.client_id),
      }),
    );

  return {
    async refundStatus(refundId: string): Promise<'pending' | 'paid' | 'refused'> {
      return (await refund(refundId)).status;
    },

    async recordRefundDue(refundId: string, dueAt: string, overdue: boolean): Promise<void> {
      await db('refund_requests')
        .where({ id: refundId })
        .update(overdue ? { overdue_at: clock.now() } : { due_at: dueAt });
    },

    /**
     * Pays the refund under its clause (lib/refund-rules.ts): the unused money (what was asked, at
     * most what is available) leaves the personal account; under 3.7 the operator's actual bank
     * cost is kept from it; under 4.1.2 the client's documented bank fees are paid on top.
     *
     * One database transaction (issue #19): the refund's row locked, the ledger posting(s) and the
     * row marked paid with the posting's id commit together or not at all. A retry (or a twin
     * running at the same time, which waits on the row) finds it paid and answers what was paid,
     * never recomputing the amount from the balance the payout itself lowered.
     */
    async payRefund(refundId: string, decision: RefundDecision, staffId: string, at: string): Promise<RefundOutcome> {
      await refund(refundId); // the row the workflow was started for, once its transaction has committed
      const settled = await db.transaction(async (trx) => {
        const row = await trx('refund_requests').where({ id: refundId }).forUpdate().first();
        if (row.status === 'paid') return row;
        if (row.status !== 'pending')
          throw ApplicationFailure.nonRetryable(`the refund is ${row.status}`, 'REFUND_DECIDED', { status: 409 });
        const iik =
          row.iik ?? (await trx('clients').where({ id: row.client_id }).first('details'))?.details?.iik ?? null;
        if (!iik) {
          throw ApplicationFailure.nonRetryable(
            'The client has no bank account of record: a refund is paid only to it (from its signed application or a signed change of details), never to none',
            'NO_BANK_ACCOUNT',
            { status: 409 },
          );
        }
        const termination = row.termination_id
          ? await trx('terminations').where({ id: row.termination_id }).first('basis', 'initiator')
          : undefined;
        const clause = refundClause(row.kind as RefundKind, termination);
        const payment = await refundPaymentIn(trx, row, clause, decision);
        const booked = await refundPayout(trx, {
          idempotencyKey: `refund:${refundId}`,
          clientId: row.client_id,
          amountTiyn: payment.refundTiyn,
          bankFeeTiyn: payment.operatorBankCostTiyn,
          refundRef: refundId,
          clause,
          createdBy: staffId,
        });
        if (payment.clientBankFeesTiyn) {
          await compensationPayout(trx, {
            idempotencyKey: `refund:${refundId}:client-bank-fees`,
            clientId: row.client_id,
            amountTiyn: payment.clientBankFeesTiyn,
            reference: { type: 'refund', id: refundId },
            memo: `Банковские комиссии Клиента (п. 4.1.2): ${decision.clientBankFeesDocument}`,
            createdBy: staffId,
            clause: '4.1.2',
          });
        }
        const [paid] = await trx('refund_requests')
          .where({ id: refundId, status: 'pending' })
          .update({
            iik,
            status: 'paid',
            clause,
            decided_at: at,
            decided_by: staffId,
            bank_fee: payment.operatorBankCostTiyn,
            client_bank_fees: payment.clientBankFeesTiyn,
            client_bank_fees_document: payment.clientBankFeesTiyn ? decision.clientBankFeesDocument : null,
            paid_amount: payment.refundTiyn,
            ledger_transaction_id: booked.transaction.id,
          })
          .returning('*');
        return paid;
      });
      return {
        status: 'paid',
        paidTiyn: Number(settled.paid_amount),
        feeTiyn: Number(settled.bank_fee ?? 0),
        clientFeesTiyn: Number(settled.client_bank_fees ?? 0),
        notice: await paidNotice(settled),
      };
    },

    /**
     * Refuses a refund on request, if the contract allows (6.11): not when the client has no debt
     * and no unfulfilled order in progress — then the refusal itself is refused. A refund the
     * contract itself started (3.7, 10.4) is never refused.
     */
    async refuseRefund(refundId: string, reason: string, staffId: string, at: string): Promise<RefundOutcome> {
      const row = await refund(refundId);
      if (row.kind !== 'request')
        throw ApplicationFailure.nonRetryable(
          `a refund under ${row.kind === 'one_year' ? '3.7' : '10.4'} is owed by the contract and may not be refused`,
          'REFUSAL_NOT_ALLOWED',
          { status: 409 },
        );
      const grounds = await refusalGrounds(db, row.client_id);
      if (grounds.length === 0) {
        throw ApplicationFailure.nonRetryable(
          'a refund may not be refused: the client has no debt and no unfulfilled order in progress (6.11)',
          'REFUSAL_NOT_ALLOWED',
          { status: 409 },
        );
      }
      const why = `${reason} (${grounds.join('; ')})`;
      await db('refund_requests')
        .where({ id: refundId, status: 'pending' })
        .update({ status: 'refused', decided_at: at, decided_by: staffId, decision_reason: why });
      return {
        status: 'refused',
        notice: await recordNotice(
          db,
          row.client_id,
          `refund:${refundId}:refused`,
          refundRefusedNotice({ reason: why, language: await clientLanguage(db, row.client_id) }),
        ),
      };
    },
  };
}
