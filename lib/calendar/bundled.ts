import kz from './data/kz.json';
import type { CalendarData } from './types';

/** The calendar data file shipped with the code; seeded into PostgreSQL for the years it lacks. */
export const BUNDLED_CALENDAR = { years: kz.years } as CalendarData;
