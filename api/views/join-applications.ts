import type { Knex } from 'knex';
import { readCalendar } from '../../db/calendar-store';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../../lib/calendar';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';

/** Join applications (10.5) as the applicant and the moderators see them. */

export const toApplicationStatus = (row: Record<string, any>) => ({
  id: row.id,
  number: row.number,
  status: row.status,
  submittedAt: new Date(row.submitted_at).toISOString(),
  joinedOn: row.joined_on,
  effectiveFrom: row.effective_from,
  decisionReason: row.decision_reason ?? null,
});

/** A join application's row, or 404. */
export async function joinApplicationById(db: Knex, applicationId: string): Promise<Record<string, any>> {
  const row = await db('join_applications').where({ id: applicationId }).first();
  if (!row) throw notFound('join application', applicationId);
  return row;
}

/** Applications in a status: the queue awaiting moderation oldest first, the others newest first. */
export const joinApplicationsIn = (db: Knex, status: string, limit: number) =>
  db('join_applications')
    .where({ status })
    .orderBy('submitted_at', status === 'awaiting_moderation' ? 'asc' : 'desc')
    .limit(limit);

/** Applications as the moderators see them: the form, the signature check, who decided, and the working time they waited. */
export async function moderatorsView(
  { db, config, clock }: Pick<AppDeps, 'db' | 'config' | 'clock'>,
  rows: Record<string, any>[],
) {
  const calendar = new BusinessCalendar(await readCalendar(db), { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone });
  const now = clock.now();
  const moderators = await db('staff_users')
    .whereIn('id', rows.map((r) => r.decided_by).filter(Boolean))
    .select('id', 'name');
  return rows.map((row) => {
    const waitedUntil = row.decided_at ?? now;
    let workingMinutes = 0;
    try {
      workingMinutes = Math.floor(calendar.workingTimeBetween(row.submitted_at, waitedUntil) / 60_000);
    } catch (error) {
      if (!(error instanceof CalendarYearMissingError)) throw error;
    }
    const moderator = moderators.find((m) => m.id === row.decided_by);
    return {
      ...toApplicationStatus(row),
      binIin: row.bin_iin,
      email: row.email,
      form: row.form,
      signatureCheck: row.signature_check ?? null,
      decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
      decidedBy: moderator ? { id: moderator.id, name: moderator.name } : null,
      clientId: row.client_id ?? null,
      waiting: {
        workingMinutes,
        reminderDueAt:
          row.status === 'awaiting_moderation' && row.reminder_due_at
            ? new Date(row.reminder_due_at).toISOString()
            : null,
        remindersSent: row.reminders_sent,
      },
    };
  });
}
