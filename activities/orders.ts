import { ApplicationFailure, Context } from '@temporalio/activity';
import { emitCodeRange } from '../db/codes';
import * as orderState from '../db/order-state';
import type { Reservation } from '../db/order-state';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../lib/calendar';
import { formatDateTime } from '../lib/format-ru';
import type { OrderOutcome } from '../lib/order-rules';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { emissionLateNotice, orderDeclinedNotice, OrderFacts, orderReadyNotice } from './texts/orders';

export type { Reservation };
export type OrderEvent = 'declined' | 'ready' | 'late';
export type { OrderOutcome };

/**
 * Orders and their emission (3.2, 4.3.7, 4.4.4): the order's workflow calls these when a step is due; the
 * order's state changes only through db/order-state.ts, with the worker's clock; the texts are made here.
 */
export function createOrderActivities({ db, clock, codeKeys, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const calendar = new BusinessCalendar({ years: {} }, calendarSettings);
  const order = (orderId: string) =>
    committedRow(() => db('orders').where({ id: orderId }).first(), `order ${orderId}`, 'OrderNotFound');
  /** «05.01.2027 14:05» in the operator's zone. */
  const local = (instant: Date | string) => formatDateTime(instant, calendarSettings.zone);

  async function facts(orderId: string): Promise<OrderFacts & { row: Record<string, any> }> {
    const row = await order(orderId);
    const gtins = await db('order_products').where({ order_id: orderId }).orderBy('gtin').pluck('gtin');
    return {
      row,
      orderId,
      registeredAt: new Date(row.registered_at),
      totalCodes: row.total_codes,
      gtins,
      zone: calendarSettings.zone,
    };
  }

  return {
    /** At emission (3.2), at the tariff and VAT rate in force today (the operator's date). */
    async reserveOrder(orderId: string): Promise<Reservation> {
      return orderState.reserveForEmission(db, {
        order: await order(orderId),
        priceDate: calendar.localDate(clock.now()),
        at: clock.now(),
      });
    },

    async declineOrder(orderId: string, reason: string): Promise<void> {
      await orderState.declineOrder(db, { orderId, reason, at: clock.now() });
    },

    /** Emits one chunk of a buffer (positions [from, to)); safe to retry. Returns the buffer's emitted count. */
    async emitCodes(orderProductId: string, from: number, to: number): Promise<number> {
      if (!codeKeys)
        throw ApplicationFailure.nonRetryable(
          'no verification keys are configured for the worker (CODE_KEYS)',
          'NoCodeKeys',
        );
      // A local activity (a small chunk, workflows/order-emission.ts) has no heartbeat: its workflow task times out.
      if (!Context.current().info.isLocal) Context.current().heartbeat({ orderProductId, from });
      return emitCodeRange(db, { orderProductId, from, to, key: codeKeys.current });
    },

    async markOrderReady(orderId: string): Promise<void> {
      await orderState.markOrderReady(db, { orderId, at: clock.now() });
    },

    async setOrderExpiry(orderId: string, expiresAt: string): Promise<void> {
      await orderState.setOrderExpiry(db, { orderId, expiresAt });
    },

    /** The 4-hour deadline (4.4.4) passed at `detectedAt` (the workflow's time): the breach, and a Medium ticket requested. */
    async recordEmissionBreach(orderId: string, detectedAt: string): Promise<void> {
      const f = await facts(orderId);
      await orderState.recordEmissionBreach(db, {
        orderId,
        detectedAt,
        ticket: {
          // Прил. 3 lists «Задержка в эмиссии» under Medium (High: ordering and emission not working at all).
          priority: 'medium',
          subject: `Эмиссия по заказу ${orderId} не завершена за 4 часа`,
          body: `Заказ ${orderId} от ${local(f.registeredAt)}, ${f.totalCodes} кодов (GTIN: ${f.gtins.join(', ')}); срок п. 4.4.4 истёк ${local(f.row.emission_deadline_at)}.`,
        },
      });
    },

    /** Closes buffers (all, or one GTIN's); returns how many stay open. */
    async closeBuffers(orderId: string, gtin?: string): Promise<number> {
      return orderState.closeBuffers(db, { orderId, gtin, at: clock.now() });
    },

    /** The order ends; returns the amount of its reservation released. */
    async closeOrder(orderId: string, outcome: OrderOutcome): Promise<number> {
      return orderState.closeOrder(db, { orderId, outcome, at: clock.now() });
    },

    /** The notice of an order event, recorded once per order and event. */
    async orderNotice(
      orderId: string,
      event: OrderEvent,
      extra: { neededTiyn?: number; availableTiyn?: number } = {},
    ): Promise<{ noticeId: string; clientId: string; subject: string }> {
      const f = await facts(orderId);
      const account = await db('personal_accounts').where({ client_id: f.row.client_id }).first('number');
      const client = await db('clients').where({ id: f.row.client_id }).first('email', 'language');
      const language = client.language;
      const text =
        event === 'declined'
          ? orderDeclinedNotice({
              ...f,
              language,
              neededTiyn: extra.neededTiyn ?? 0,
              availableTiyn: extra.availableTiyn ?? 0,
              accountNumber: account?.number ?? '—',
            })
          : event === 'ready'
            ? orderReadyNotice({
                ...f,
                language,
                reservedTiyn: f.row.reserved_amount ?? 0,
                expiresAt: f.row.expires_at ? new Date(f.row.expires_at) : null,
              })
            : emissionLateNotice({ ...f, language, deadline: new Date(f.row.emission_deadline_at) });
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
