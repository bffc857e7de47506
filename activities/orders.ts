import { ApplicationFailure, Context } from '@temporalio/activity';
import { emitCodeRange } from '../db/codes';
import { clientBalance, LedgerError, release, reserve } from '../db/ledger';
import { priceOn } from '../db/prices';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../lib/calendar';
import { formatDateTime } from '../lib/format-ru';
import { priceOfCodes } from '../lib/money';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { emissionLateNotice, orderDeclinedNotice, OrderFacts, orderReadyNotice } from './texts/orders';

export type Reservation = { ok: true; reservedTiyn: number } | { ok: false; neededTiyn: number; availableTiyn: number };
export type OrderEvent = 'declined' | 'ready' | 'late';
export type OrderOutcome = 'CLOSED' | 'EXPIRED';

/** Orders and their emission (3.2, 4.3.7, 4.4.4): reservation, codes in chunks, the order's end. */
export function createOrderActivities({ db, clock, codeKeys, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const calendar = new BusinessCalendar({ years: {} }, calendarSettings);
  const order = (orderId: string) => committedRow(() => db('orders').where({ id: orderId }).first(), `order ${orderId}`, 'OrderNotFound');
  /** «05.01.2027 14:05» in the operator's zone. */
  const local = (instant: Date | string) => formatDateTime(instant, calendarSettings.zone);

  async function facts(orderId: string): Promise<OrderFacts & { row: Record<string, any> }> {
    const row = await order(orderId);
    const gtins = await db('order_products').where({ order_id: orderId }).orderBy('gtin').pluck('gtin');
    return { row, orderId, registeredAt: new Date(row.registered_at), totalCodes: row.total_codes, gtins, zone: calendarSettings.zone };
  }

  return {
    /**
     * At emission (3.2): the balance is compared with the price of the ordered codes at the
     * tariff and VAT rate in force today; enough → reserved, short → nothing reserved (4.3.7).
     */
    async reserveOrder(orderId: string): Promise<Reservation> {
      const row = await order(orderId);
      await db('orders').where({ id: orderId, status: 'CREATED' }).update({ status: 'PENDING' });
      const priceDate = calendar.localDate(clock.now());
      try {
        const booked = await reserve(db, { idempotencyKey: `reserve:${orderId}`, clientId: row.client_id, orderRef: orderId, codes: row.total_codes, priceDate });
        await db('orders').where({ id: orderId }).whereIn('status', ['CREATED', 'PENDING']).update({ status: 'APPROVED', reserved_amount: booked.reservation.amount, approved_at: clock.now() });
        return { ok: true, reservedTiyn: booked.reservation.amount };
      } catch (error) {
        if (!(error instanceof LedgerError) || error.code !== 'INSUFFICIENT_FUNDS') throw error;
        const price = await priceOn(db, priceDate);
        return { ok: false, neededTiyn: priceOfCodes(row.total_codes, price).total, availableTiyn: (await clientBalance(db, row.client_id)).available };
      }
    },

    async declineOrder(orderId: string, reason: string): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('orders').where({ id: orderId }).whereIn('status', ['CREATED', 'PENDING']).update({ status: 'DECLINED', decline_reason: reason, closed_at: clock.now() });
        await trx('order_products').where({ order_id: orderId }).update({ status: 'REJECTED', rejection_reason: `Order declined: ${reason}` });
      });
    },

    /** Emits one chunk of a buffer (positions [from, to)); safe to retry. Returns the buffer's emitted count. */
    async emitCodes(orderProductId: string, from: number, to: number): Promise<number> {
      if (!codeKeys) throw ApplicationFailure.nonRetryable('no verification keys are configured for the worker (CODE_KEYS)', 'NoCodeKeys');
      Context.current().heartbeat({ orderProductId, from });
      return emitCodeRange(db, { orderProductId, from, to, key: codeKeys.current });
    },

    async markOrderReady(orderId: string): Promise<void> {
      await db.transaction(async (trx) => {
        await trx('orders').where({ id: orderId, status: 'APPROVED' }).update({ status: 'READY', ready_at: clock.now() });
        await trx('order_products').where({ order_id: orderId, status: 'PENDING' }).update({ status: 'ACTIVE' });
        await trx('order_breaches').where({ order_id: orderId }).whereNull('codes_ready_at').update({ codes_ready_at: clock.now() });
      });
    },

    /** The day by which the codes must be downloaded, shown to the client and in the order station's buffers. */
    async setOrderExpiry(orderId: string, expiresAt: string): Promise<void> {
      await db('orders').where({ id: orderId }).update({ expires_at: expiresAt });
    },

    /**
     * The 4-hour deadline (4.4.4) passed (at `detectedAt`, the workflow's time) before the codes were ready: the breach is recorded with
     * the client's right to compensation (7.3), and a Medium support ticket is requested (Прил. 3: «Задержка в эмиссии»).
     */
    async recordEmissionBreach(orderId: string, detectedAt: string): Promise<void> {
      const f = await facts(orderId);
      await db.transaction(async (trx) => {
        await trx('orders').where({ id: orderId }).whereNull('deadline_missed_at').update({ deadline_missed_at: detectedAt });
        await trx('order_breaches').insert({ order_id: orderId, client_id: f.row.client_id, deadline_at: f.row.emission_deadline_at, detected_at: detectedAt }).onConflict('order_id').ignore();
        await trx('support_ticket_requests')
          .insert({
            client_id: f.row.client_id,
            source: 'emission_deadline',
            source_id: orderId,
            // Прил. 3 lists «Задержка в эмиссии» under Medium (High: ordering and emission not working at all).
            priority: 'medium',
            subject: `Эмиссия по заказу ${orderId} не завершена за 4 часа`,
            body: `Заказ ${orderId} от ${local(f.registeredAt)}, ${f.totalCodes} кодов (GTIN: ${f.gtins.join(', ')}); срок п. 4.4.4 истёк ${local(f.row.emission_deadline_at)}.`,
          })
          .onConflict(['source', 'source_id'])
          .ignore();
      });
    },

    /** Closes buffers (all, or one GTIN's); returns how many stay open. */
    async closeBuffers(orderId: string, gtin?: string): Promise<number> {
      await db('order_products')
        .where({ order_id: orderId, status: 'ACTIVE' })
        .modify((q) => gtin && q.where({ gtin }))
        .update({ status: 'CLOSED', closed_at: clock.now() });
      const [{ open }] = await db('order_products').where({ order_id: orderId, status: 'ACTIVE' }).count<{ open: number }[]>('* as open');
      return Number(open);
    },

    /**
     * The order ends (every buffer closed or exhausted, or its lifetime over): codes never
     * downloaded are cancelled and their reservation returns to the available balance (the
     * service is rendered only at download, 6.4). Returns the amount released.
     */
    async closeOrder(orderId: string, outcome: OrderOutcome): Promise<number> {
      const released = await release(db, { idempotencyKey: `release:${orderId}`, orderRef: orderId });
      await db.transaction(async (trx) => {
        const buffers = trx('order_products').where({ order_id: orderId }).select('id');
        await trx('marking_codes').whereIn('order_product_id', buffers).where({ status: 'EMITTED' }).update({ status: 'CANCELLED' });
        await trx('order_products').where({ order_id: orderId }).whereIn('status', ['ACTIVE', 'PENDING']).update({ status: outcome, closed_at: clock.now() });
        await trx('orders').where({ id: orderId }).whereIn('status', ['READY', 'APPROVED']).update({ status: outcome, closed_at: clock.now() });
      });
      return released.reservation.releasedAmount;
    },

    /** The notice of an order event, recorded once per order and event. */
    async orderNotice(orderId: string, event: OrderEvent, extra: { neededTiyn?: number; availableTiyn?: number } = {}): Promise<{ noticeId: string; clientId: string; subject: string }> {
      const f = await facts(orderId);
      const account = await db('personal_accounts').where({ client_id: f.row.client_id }).first('number');
      const text =
        event === 'declined'
          ? orderDeclinedNotice({ ...f, neededTiyn: extra.neededTiyn ?? 0, availableTiyn: extra.availableTiyn ?? 0, accountNumber: account?.number ?? '—' })
          : event === 'ready'
            ? orderReadyNotice({ ...f, reservedTiyn: f.row.reserved_amount ?? 0, expiresAt: f.row.expires_at ? new Date(f.row.expires_at) : null })
            : emissionLateNotice({ ...f, deadline: new Date(f.row.emission_deadline_at) });
      const client = await db('clients').where({ id: f.row.client_id }).first('email');
      const topic = `order:${orderId}:${event}`;
      await db('notices')
        .insert({ client_id: f.row.client_id, recipient: client.email, subject: text.subject, body: text.body, topic })
        .onConflict(db.raw('(client_id, topic) WHERE topic IS NOT NULL'))
        .ignore();
      // A retry finds the notice recorded before; starting its delivery again is harmless.
      const notice = await db('notices').where({ client_id: f.row.client_id, topic }).first('id', 'subject');
      return { noticeId: notice.id, clientId: f.row.client_id, subject: notice.subject };
    },
  };
}
