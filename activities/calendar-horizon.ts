import { calendarHorizonWarningsAt } from '../db/calendar-horizon';
import { CalendarHorizonWarning, DEFAULT_SETTINGS } from '../lib/calendar';
import type { ActivityDeps } from './deps';
import { calendarHorizonMail } from './texts/calendar';

export interface CalendarHorizonReport {
  warnings: CalendarHorizonWarning[];
  /** The years the admins were e-mailed about by this check. */
  mailed: number[];
}

/** The calendar's horizon (lib/calendar/horizon.ts): admins e-mailed once per year lacking its official calendar. */
export function createCalendarHorizonActivities({
  db,
  mailer,
  clock,
  calendarSettings = DEFAULT_SETTINGS,
  publicUrl = '',
}: ActivityDeps) {
  /**
   * Every active admin, once per year: the year is claimed in calendar_horizon_mail in the
   * transaction that sends, so a failed send is retried and a concurrent check waits, then
   * finds it sent. No admin yet: nothing recorded, the next check tries again.
   */
  async function mailAdminsOnce(warning: CalendarHorizonWarning): Promise<boolean> {
    return db.transaction(async (trx) => {
      const admins: string[] = await trx('staff_users')
        .where({ active: true })
        .whereRaw("'admin' = ANY(roles)")
        .orderBy('email')
        .pluck('email');
      if (admins.length === 0) return false;
      const claimed = await trx('calendar_horizon_mail')
        .insert({ year: warning.year, recipients: admins, sent_at: clock.now() })
        .onConflict('year')
        .ignore()
        .returning('year');
      if (claimed.length === 0) return false;
      for (const email of admins) {
        await mailer.send({
          ...calendarHorizonMail({ to: email, warning, apiUrl: publicUrl }),
          messageId: `<calendar-horizon-${warning.year}-${email}@ismet-backoffice>`,
        });
      }
      return true;
    });
  }

  return {
    /** The warnings now (injected clock, operator's zone); admins e-mailed about each year not mailed yet. */
    async warnAdminsOfCalendarHorizon(): Promise<CalendarHorizonReport> {
      const warnings = await calendarHorizonWarningsAt(db, clock.now(), calendarSettings.zone);
      const mailed: number[] = [];
      for (const warning of warnings) if (await mailAdminsOnce(warning)) mailed.push(warning.year);
      return { warnings, mailed };
    },
  };
}
