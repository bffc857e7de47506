import { DEFAULT_SETTINGS } from '../lib/calendar';
import type { ActivityDeps } from './deps';
import { recordNotice, RecordedNotice } from './notice-records';
import { committedRow } from './rows';
import { terminationNotice, terminationWithdrawnNotice } from './texts/lifecycle';

/** Early ends of the contract (4.1.1, 4.3.1, 10.4): notice, the date, settling what is open. */
export function createTerminationActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const termination = (id: string) => committedRow(() => db('terminations').where({ id }).first(), `termination ${id}`, 'TerminationNotFound');
  return {
    /** The notice with its grounds (10.4.4): to the client from the operator, or the receipt of the client's own. */
    async noticeOfTermination(terminationId: string): Promise<RecordedNotice> {
      const t = await termination(terminationId);
      return recordNotice(db, t.client_id, `termination:${t.id}`, terminationNotice({ initiator: t.initiator, basis: t.basis, grounds: t.grounds, date: t.termination_date, evidence: t.evidence }));
    },

    async withdrawalOfTermination(terminationId: string, reason: string, staffId: string | null, at: string): Promise<RecordedNotice> {
      const t = await termination(terminationId);
      await db('terminations').where({ id: t.id, status: 'scheduled' }).update({ status: 'withdrawn', withdrawn_at: at, withdrawal_reason: reason });
      return recordNotice(db, t.client_id, `termination:${t.id}:withdrawn`, terminationWithdrawnNotice({ date: t.termination_date, reason }));
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
      const [reservations] = await db('reservations').where({ client_id: clientId, status: 'open' }).count<{ n: number }[]>('* as n');
      if (Number(reservations.n)) open.push(`${reservations.n} open reservation(s) of emitted codes`);
      const acts = await db('acts').where({ client_id: clientId }).whereIn('status', ['issued', 'disputed']).select('number', 'status');
      for (const act of acts) open.push(`act ${act.number} ${act.status === 'issued' ? 'awaiting signature' : 'disputed'}`);
      const months = await db('code_blocks')
        .where({ client_id: clientId })
        .where('amount', '>', 0)
        .distinct(db.raw(`to_char(delivered_at AT TIME ZONE ?, 'YYYY-MM') AS month`, [calendarSettings.zone]));
      const acted = new Set((await db('acts').where({ client_id: clientId }).select('period_from')).map((a) => String(a.period_from).slice(0, 7)));
      for (const { month } of months) if (!acted.has(month)) open.push(`services of ${month} not yet acted`);
      return open;
    },

    async finishTermination(terminationId: string, at: string): Promise<void> {
      await db('terminations').where({ id: terminationId }).whereIn('status', ['scheduled', 'settling']).update({ status: 'terminated', access_ended_at: at });
    },

  };
}
