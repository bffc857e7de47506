import type { Db } from '../db/connection';
import { DEFAULT_SETTINGS, localDateIn } from '../lib/calendar';
import { declaredEvent, type ForceMajeureEvent } from '../lib/force-majeure';
import type { Language } from '../lib/i18n/languages';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { clientsWithContract, recordNoticeToEach } from './notice-records';
import { forceMajeureNotice } from './texts/lifecycle';

/** Force majeure that hits the operator (8.3): every client with a contract is told in the cabinet and by e-mail. */
export function createForceMajeureActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const localDate = (at: Date | string) => localDateIn(calendarSettings.zone, at);
  return {
    /** One notice per client whose contract has not ended (a retry adds none twice); returns how many there are. */
    async prepareForceMajeureNotices(eventId: string): Promise<number> {
      const e = await committedRow(
        () => db('force_majeure_events').where({ id: eventId }).first(),
        `force-majeure event ${eventId}`,
        'ForceMajeureEventNotFound',
      );
      const event = {
        startedOn: localDate(e.started_at),
        endedOn: e.ended_at ? localDate(e.ended_at) : null,
        description: e.description,
        processes: e.processes,
        evidence: e.evidence,
      };
      // Each client reads it in its language first (issue #21).
      const text = (language: Language) => forceMajeureNotice(event, language);
      return recordNoticeToEach(db, clientsWithContract(db), `force-majeure:${eventId}`, text);
    },
  };
}

/**
 * The client's own force majeure that moves its deadlines (8.4): its declarations staff accepted
 * (in time or well known, or late and confirmed by a second admin); for the client's obligations
 * only (lib/force-majeure.ts CLIENT_OBLIGATIONS). Declarations under review or rejected move nothing.
 */
export async function declaredForceMajeure(db: Db, clientId: string): Promise<ForceMajeureEvent[]> {
  const rows = await db('force_majeure_declarations')
    .where({ client_id: clientId, status: 'accepted' })
    .orderBy('started_at')
    .select('started_at', 'ended_at', 'obligations');
  return rows.map(declaredEvent);
}
