import { unactedMonths } from '../db/acts';
import { clientLanguage } from '../db/client-profile-store';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../lib/calendar';
import type { ActivityDeps } from './deps';
import { recordNotice, RecordedNotice } from './notice-records';
import { committedRow } from './rows';
import { terminationMovedNotice, terminationNotice, terminationWithdrawnNotice } from './texts/lifecycle';
import { readCalendar } from '../db/calendar-store';
import { earliestTerminationDate } from '../lib/termination';

/** Early ends of the contract (4.1.1, 4.3.1, 10.4): notice, the date, settling what is open. */
export function createTerminationActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const termination = (id: string) =>
    committedRow(() => db('terminations').where({ id }).first(), `termination ${id}`, 'TerminationNotFound');
  return {
    /** The notice with its grounds (10.4.4): to the client from the operator, or the receipt of the client's own. */
    async noticeOfTermination(terminationId: string): Promise<RecordedNotice> {
      const t = await termination(terminationId);
      return recordNotice(
        db,
        t.client_id,
        `termination:${t.id}`,
        terminationNotice({
          initiator: t.initiator,
          basis: t.basis,
          grounds: t.grounds,
          date: t.termination_date,
          evidence: t.evidence,
          language: await clientLanguage(db, t.client_id),
        }),
      );
    },

    async withdrawalOfTermination(
      terminationId: string,
      reason: string,
      staffId: string | null,
      at: string,
    ): Promise<RecordedNotice> {
      const t = await termination(terminationId);
      await db('terminations')
        .where({ id: t.id, status: 'scheduled' })
        .update({ status: 'withdrawn', withdrawn_at: at, withdrawal_reason: reason });
      return recordNotice(
        db,
        t.client_id,
        `termination:${t.id}:withdrawn`,
        terminationWithdrawnNotice({
          date: t.termination_date,
          reason,
          language: await clientLanguage(db, t.client_id),
        }),
      );
    },

    /** The date has come: no new orders (db/orders.ts) while what is open is settled. */
    async startSettlingTermination(terminationId: string): Promise<void> {
      await db('terminations').where({ id: terminationId, status: 'scheduled' }).update({ status: 'settling' });
    },

    /**
     * What still binds the parties before access may end: open reservations (codes emitted and
     * not yet downloaded or expired, 3.2), acts awaiting the client or disputed (6.8), and months
     * with services not yet acted (6.7).
     */
    async openObligations(clientId: string): Promise<string[]> {
      const open: string[] = [];
      const [reservations] = await db('reservations')
        .where({ client_id: clientId, status: 'open' })
        .count<{ n: number }[]>('* as n');
      if (Number(reservations.n)) open.push(`${reservations.n} open reservation(s) of emitted codes`);
      const acts = await db('acts')
        .where({ client_id: clientId })
        .whereIn('status', ['issued', 'disputed'])
        .select('number', 'status');
      for (const act of acts)
        open.push(`act ${act.number} ${act.status === 'issued' ? 'awaiting signature' : 'disputed'}`);
      const months = await db('code_blocks')
        .where({ client_id: clientId })
        .where('amount', '>', 0)
        .distinct(db.raw(`to_char(delivered_at AT TIME ZONE ?, 'YYYY-MM') AS month`, [calendarSettings.zone]));
      const acted = new Set(
        (await db('acts').where({ client_id: clientId }).select('period_from')).map((a) =>
          String(a.period_from).slice(0, 7),
        ),
      );
      for (const { month } of months) if (!acted.has(month)) open.push(`services of ${month} not yet acted`);
      for (const { month } of await unactedMonths(db, new Date(), calendarSettings.zone, clientId))
        open.push(`services of ${month} reached after its act: a supplementary act is due`);
      return open;
    },

    /**
     * 10.4.4: the notice reached the client at `deliveredAt`; if the 30 working days from then end
     * after the date, the date moves to the earliest lawful one and a notice tells the client. A
     * period the parties shortened (10.4.3, 4.3.1 c, d) stays as agreed. Returns the new date, or null.
     */
    async countTerminationFromDelivery(
      terminationId: string,
      deliveredAt: string,
    ): Promise<{ date: string; notice: RecordedNotice } | null> {
      const t = await termination(terminationId);
      if (t.status !== 'scheduled') return null;
      const calendar = new BusinessCalendar(await readCalendar(db), calendarSettings);
      const asNoticed = earliestTerminationDate(calendar, { basis: t.basis, notifiedAt: t.notified_at });
      if (t.earliest_date < asNoticed) return null;
      const earliest = earliestTerminationDate(calendar, { basis: t.basis, notifiedAt: deliveredAt });
      if (earliest <= t.termination_date) return null;
      await db('terminations')
        .where({ id: t.id, status: 'scheduled' })
        .update({ termination_date: earliest, earliest_date: earliest, notified_at: deliveredAt });
      const notice = await recordNotice(
        db,
        t.client_id,
        `termination:${t.id}:moved:${earliest}`,
        terminationMovedNotice({
          previous: t.termination_date,
          date: earliest,
          deliveredOn: calendar.localDate(deliveredAt),
          language: await clientLanguage(db, t.client_id),
        }),
      );
      return { date: earliest, notice };
    },

    async finishTermination(terminationId: string, at: string): Promise<void> {
      await db('terminations')
        .where({ id: terminationId })
        .whereIn('status', ['scheduled', 'settling'])
        .update({ status: 'terminated', access_ended_at: at });
    },
  };
}
