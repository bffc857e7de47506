import { ApplicationFailure, Context } from '@temporalio/activity';
import { readCalendar } from '../db/calendar-store';
import { deliverBlock, DeliveredBlock, DownloadRefusedError } from '../db/downloads';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../lib/calendar';
import { applicationLastDay } from '../lib/contract-periods';
import type { ActivityDeps } from './deps';
import { applicationReminderNotice } from './texts/orders';

export interface DownloadRequest {
  orderId: string;
  gtin: string;
  quantity: number;
  requestRef: string;
  channel: 'order_station' | 'cabinet';
}

/** Heartbeats while `work` runs (one long database transaction), so a worker that died is noticed soon. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const beat = setInterval(() => context.heartbeat(), 1000);
  try {
    return await work();
  } finally {
    clearInterval(beat);
  }
}

/** Downloads (3.2, 6.4) and what follows them: the application period (4.1.6). */
export function createDownloadActivities({ db, clock, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const block = async (blockId: string) => {
    const row = await db('code_blocks as b')
      .join('order_products as p', 'p.id', 'b.order_product_id')
      .where('b.id', blockId)
      .first('b.*', 'p.order_id', 'p.gtin');
    if (!row) throw ApplicationFailure.nonRetryable(`block ${blockId} does not exist`, 'BlockNotFound');
    return row;
  };
  const waiting = async (blockId: string) =>
    Number((await db('marking_codes').where({ block_id: blockId, status: 'APPLIED' }).count('* as n'))[0].n);

  return {
    /** Hands over a block of codes, charged once (db/downloads.ts); a refusal is final, not retried. */
    async deliverCodes(request: DownloadRequest): Promise<DeliveredBlock> {
      const now = clock.now();
      const calendar = new BusinessCalendar(await readCalendar(db), calendarSettings);
      // 4.1.6 counts «с даты получения»; the codes are received when the client gets access to them (3.9):
      // when the order became READY, whenever they are downloaded.
      const order = await db('orders').where({ id: request.orderId }).first('ready_at');
      const receivedAt = order?.ready_at ? new Date(order.ready_at) : now;
      let applyBy: string | null = null;
      try {
        applyBy = applicationLastDay(calendar, receivedAt);
      } catch (error) {
        if (!(error instanceof CalendarYearMissingError)) throw error;
      }
      try {
        return {
          ...(await heartbeating(() =>
            deliverBlock(db, { ...request, applyBy, at: now, priceDate: calendar.localDate(now) }),
          )),
          receivedAt: receivedAt.toISOString(),
        };
      } catch (error) {
        if (error instanceof DownloadRefusedError)
          throw ApplicationFailure.nonRetryable(error.message, error.code, { status: error.status });
        throw error;
      }
    },

    /** A working day before the application period ends: remind the client of codes not yet in circulation. */
    async applicationReminder(
      blockId: string,
      applyBy: string,
    ): Promise<{ noticeId: string; clientId: string; subject: string } | null> {
      const row = await block(blockId);
      const codes = await waiting(blockId);
      if (codes === 0) return null;
      const calendar = new BusinessCalendar({ years: {} }, calendarSettings);
      const client = await db('clients').where({ id: row.client_id }).first('email', 'language');
      const text = applicationReminderNotice({
        orderId: row.order_id,
        gtin: row.gtin,
        codes,
        deliveredAt: new Date(row.delivered_at),
        applyBy,
        zone: calendar.settings.zone,
        language: client.language,
      });
      const topic = `block:${blockId}:reminder`;
      await db('notices')
        .insert({ client_id: row.client_id, recipient: client.email, subject: text.subject, body: text.body, topic })
        .onConflict(db.raw('(client_id, topic) WHERE topic IS NOT NULL'))
        .ignore();
      await db('code_blocks').where({ id: blockId }).whereNull('reminded_at').update({ reminded_at: clock.now() });
      const notice = await db('notices').where({ client_id: row.client_id, topic }).first('id', 'subject');
      return { noticeId: notice.id, clientId: row.client_id, subject: notice.subject };
    },

    /** The period is over: the block is overdue if any of its codes is not in circulation. Returns how many. */
    async markApplicationOverdue(blockId: string): Promise<number> {
      const codes = await waiting(blockId);
      if (codes > 0)
        await db('code_blocks').where({ id: blockId }).whereNull('overdue_at').update({ overdue_at: clock.now() });
      return codes;
    },
  };
}
