import { ApplicationFailure } from '@temporalio/activity';
import { clientLanguage } from '../db/client-profile-store';
import { compensationCredit, compensationPayout } from '../db/ledger';
import type { ActivityDeps } from './deps';
import { recordNotice, RecordedNotice } from './notice-records';
import { committedRow } from './rows';
import { compensationPaidNotice, compensationRefusedNotice } from './texts/lifecycle';

/** Compensations (7.2: a signed defect act; 7.3: actual damage from late service). */
export function createCompensationActivities({ db, clock }: ActivityDeps) {
  const compensation = (id: string) =>
    committedRow(() => db('compensations').where({ id }).first(), `compensation ${id}`, 'CompensationNotFound');
  /** The 4-hour breaches a 7.3 demand rested on are settled with it (issue 6's eligibility records). */
  const markBreaches = (breaches: Array<{ type: string; id: string }>, status: 'paid' | 'refused') =>
    db('order_breaches')
      .whereIn(
        'id',
        breaches.filter((b) => b.type === 'order_breach').map((b) => b.id),
      )
      .update({ compensation_status: status });
  return {
    async recordCompensationDue(compensationId: string, dueAt: string, overdue: boolean): Promise<void> {
      await db('compensations')
        .where({ id: compensationId })
        .update(overdue ? { overdue_at: clock.now() } : { due_at: dueAt });
    },

    /**
     * Pays the compensation, once: to the personal account (7.2, or 7.3 as the client chose) or
     * to the bank account from the application (7.3). `staffId` null: paid by the system.
     */
    async payCompensation(
      compensationId: string,
      amountTiyn: number,
      staffId: string | null,
      at: string,
    ): Promise<{ amountTiyn: number; notice: RecordedNotice }> {
      const c = await compensation(compensationId);
      if (c.status === 'refused')
        throw ApplicationFailure.nonRetryable('the compensation was refused', 'ALREADY_DECIDED', { status: 409 });
      const amount = c.status === 'paid' ? Number(c.amount_paid) : amountTiyn;
      if (!Number.isSafeInteger(amount) || amount <= 0 || amount > Number(c.amount_claimed)) {
        throw ApplicationFailure.nonRetryable(`the amount must be 1..${c.amount_claimed} tiyn`, 'BAD_AMOUNT', {
          status: 400,
        });
      }
      if (c.status === 'pending') {
        const reference = { type: 'compensation', id: c.id };
        const memo =
          c.basis === 'defect_act'
            ? `Дефектный акт: ${c.description}`
            : `Реальный ущерб от просрочки: ${c.description}`;
        const booked =
          c.pay_to === 'account'
            ? await compensationCredit(db, {
                idempotencyKey: `compensation:${c.id}`,
                clientId: c.client_id,
                amountTiyn: amount,
                reference,
                clause: c.basis === 'defect_act' ? '7.2' : '7.3',
                memo,
                createdBy: staffId ?? undefined,
              })
            : await compensationPayout(db, {
                idempotencyKey: `compensation:${c.id}`,
                clientId: c.client_id,
                amountTiyn: amount,
                reference,
                memo,
                createdBy: staffId ?? undefined,
              });
        await db('compensations').where({ id: c.id, status: 'pending' }).update({
          status: 'paid',
          amount_paid: amount,
          decided_at: at,
          decided_by: staffId,
          ledger_transaction_id: booked.transaction.id,
        });
        await markBreaches(c.breaches, 'paid');
      }
      const client = await db('clients').where({ id: c.client_id }).first('details', 'language');
      return {
        amountTiyn: amount,
        notice: await recordNotice(
          db,
          c.client_id,
          `compensation:${c.id}`,
          compensationPaidNotice({
            basis: c.basis,
            amountTiyn: amount,
            payTo: c.pay_to,
            iik: client.details?.iik,
            language: client.language,
          }),
        ),
      };
    },

    /** Refuses a demand for late-service damage (7.3) with its reason; a signed defect act (7.2) is owed and not refused. */
    async refuseCompensation(
      compensationId: string,
      reason: string,
      staffId: string,
      at: string,
    ): Promise<RecordedNotice> {
      const c = await compensation(compensationId);
      if (c.basis === 'defect_act')
        throw ApplicationFailure.nonRetryable(
          'a signed defect act is owed (7.2) and may not be refused',
          'REFUSAL_NOT_ALLOWED',
          { status: 409 },
        );
      if (c.status === 'paid')
        throw ApplicationFailure.nonRetryable('the compensation was paid', 'ALREADY_DECIDED', { status: 409 });
      await db('compensations')
        .where({ id: c.id, status: 'pending' })
        .update({ status: 'refused', decided_at: at, decided_by: staffId, decision_reason: reason });
      await markBreaches(c.breaches, 'refused');
      return recordNotice(
        db,
        c.client_id,
        `compensation:${c.id}:refused`,
        compensationRefusedNotice({ reason, language: await clientLanguage(db, c.client_id) }),
      );
    },
  };
}
