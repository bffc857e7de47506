import { DateTime } from 'luxon';
import { DEFAULT_SETTINGS } from '../lib/calendar';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { forceMajeureNotice } from './texts/lifecycle';

/** Force majeure that hits the operator (8.3): every client with a contract is told in the cabinet and by e-mail. */
export function createForceMajeureActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const localDate = (at: Date | string) => DateTime.fromJSDate(new Date(at), { zone: calendarSettings.zone }).toISODate()!;
  return {
    /** One notice per client whose contract has not ended (a retry adds none twice); returns how many there are. */
    async prepareForceMajeureNotices(eventId: string): Promise<number> {
      const e = await committedRow(() => db('force_majeure_events').where({ id: eventId }).first(), `force-majeure event ${eventId}`, 'ForceMajeureEventNotFound');
      const text = forceMajeureNotice({ startedOn: localDate(e.started_at), endedOn: e.ended_at ? localDate(e.ended_at) : null, description: e.description, processes: e.processes, evidence: e.evidence });
      const topic = `force-majeure:${eventId}`;
      await db.raw(
        `INSERT INTO notices (client_id, recipient, subject, body, topic)
         SELECT id, email, ?, ?, ? FROM clients WHERE status IN ('active','suspended') AND contract_ended_at IS NULL
         ON CONFLICT (client_id, topic) WHERE topic IS NOT NULL DO NOTHING`,
        [text.subject, text.body, topic],
      );
      const [{ count }] = await db('notices').where({ topic }).count<{ count: number }[]>('* as count');
      return Number(count);
    },
  };
}
