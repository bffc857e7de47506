import { clientBalance } from '../db/ledger';
import { DEFAULT_SETTINGS, localDateIn } from '../lib/calendar';
import type { ActivityDeps } from './deps';
import { recordNotice, RecordedNotice } from './notice-records';
import { openContractRefund } from './refunds';
import { contractEndedNotice } from './texts/lifecycle';

export interface AdvanceState {
  /** Local dates the payments credited to the personal account reached the operator (6.2). */
  paymentDates: string[];
  /** Local date of the last charge at download (3.2, 6.4), if any. */
  lastUseDate: string | null;
  /** Local date of the first order, if any (4.3.1 b). */
  firstOrderDate: string | null;
  contractEnded: boolean;
}

/** The contract itself: the facts its long-lived rules run on, and its end (3.7, 10.4). */
export function createContractActivities({ db, clock, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const local = (at: Date | string | null) => (at ? localDateIn(calendarSettings.zone, at) : null);
  return {
    /** The facts as they stand, or as of the end of a local date (`asOf`): what came later is left out. */
    async advanceState(clientId: string, asOf: string | null): Promise<AdvanceState> {
      const payments = await db('bank_payments')
        .where({ client_id: clientId, status: 'credited' })
        .modify((q) => void (asOf && q.where('received_on', '<=', asOf)))
        .distinct('received_on')
        .orderBy('received_on');
      const [use] = await db('code_blocks')
        .where({ client_id: clientId })
        .where('amount', '>', 0)
        .modify(
          (q) => void (asOf && q.whereRaw('(delivered_at AT TIME ZONE ?)::date <= ?', [calendarSettings.zone, asOf])),
        )
        .max('delivered_at as at');
      const [order] = await db('orders').where({ client_id: clientId }).min('registered_at as at');
      const client = await db('clients').where({ id: clientId }).first('contract_ended_at');
      return {
        paymentDates: payments.map((p) => p.received_on),
        lastUseDate: local(use?.at ?? null),
        firstOrderDate: local(order?.at ?? null),
        contractEnded: Boolean(client?.contract_ended_at),
      };
    },

    /** Opens the refund of the whole unused balance the contract owes on its end (3.7, 10.4). */
    async openContractRefund(
      clientId: string,
      kind: 'one_year' | 'termination',
      at: string,
      terminationId?: string,
    ): Promise<{ refundId: string } | null> {
      return openContractRefund(db, { clientId, kind, at, terminationId });
    },

    /** The contract starts ending on its own (3.7): from now no new orders (db/orders.ts). */
    async beginContractEnd(clientId: string, clause: '3.7', at: string): Promise<void> {
      await db('clients')
        .where({ id: clientId })
        .whereNull('ending_since')
        .update({ ending_since: at, ending_clause: clause });
    },

    /** Nothing was left to return after all: the contract goes on as before. */
    async cancelContractEnd(clientId: string): Promise<void> {
      await db('clients')
        .where({ id: clientId })
        .whereNull('contract_ended_at')
        .update({ ending_since: null, ending_clause: null });
    },

    /** Orders not yet ended (emitting or with codes to download): each holds a reservation. */
    async openOrders(clientId: string): Promise<string[]> {
      return (
        await db('orders')
          .where({ client_id: clientId })
          .whereIn('status', ['CREATED', 'PENDING', 'APPROVED', 'READY'])
          .orderBy('registered_at')
          .select('id')
      ).map((o) => o.id);
    },

    /**
     * Ends the contract: access ends and the personal account closes (3.7, 10.4). The unused
     * money was refunded before; if any is still on the account (paid in meanwhile), nothing is
     * closed and null is returned — a closed account never holds money.
     */
    async endContract(clientId: string, reason: string, at: string): Promise<RecordedNotice | null> {
      const closed = await db.transaction(async (trx) => {
        const client = await trx('clients').where({ id: clientId }).forUpdate().first('contract_ended_at');
        if (client.contract_ended_at) return true;
        await trx('personal_accounts').where({ client_id: clientId }).forUpdate().first('id');
        const { available, reserved } = await clientBalance(trx, clientId);
        if (available + reserved > 0) return false;
        await trx('clients')
          .where({ id: clientId })
          .update({ status: 'terminated', contract_ended_at: at, contract_end_reason: reason });
        await trx('personal_accounts')
          .where({ client_id: clientId })
          .update({ status: 'closed', closed_at: clock.now() });
        return true;
      });
      if (!closed) return null;
      const ended = await db('clients')
        .where({ id: clientId })
        .first('contract_ended_at', 'contract_end_reason', 'language');
      return recordNotice(
        db,
        clientId,
        `contract-ended:${new Date(ended.contract_ended_at).toISOString()}`,
        contractEndedNotice({
          reason: ended.contract_end_reason,
          at: local(ended.contract_ended_at)!,
          language: ended.language,
        }),
      );
    },
  };
}
