import { calendarHorizonWarningsAt } from '../../db/calendar-horizon';
import type { AppDeps } from '../http/deps';

/** What /health and the consoles read about the backing services and the calendar. */

/** Years whose official calendar staff must enter soon, at the API's clock in the operator's zone. */
export const calendarWarnings = ({ db, clock, config }: Pick<AppDeps, 'db' | 'clock' | 'config'>) =>
  calendarHorizonWarningsAt(db, clock.now(), config.operatorTimeZone);

/** A round trip to PostgreSQL. */
export const pingDatabase = ({ db }: Pick<AppDeps, 'db'>) => db.raw('select 1');
