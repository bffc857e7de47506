import { ApplicationFailure } from '@temporalio/activity';
import { openPersonalAccount } from '../db/personal-accounts';
import { issueToken, revokeTokens } from '../db/api-tokens';
import { tokenExpiry } from '../lib/api-tokens';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../lib/calendar';
import { detailsOf, type JoinForm } from '../lib/joining/form';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { accessNotice, moderationReminder, rejectionNotice } from './texts/joining';

export interface Activation {
  clientId: string;
  accountNumber: string;
  effectiveFrom: string;
}

/** Join applications (10.5, Прил. 1): checks, the moderators' queue, activation, the applicant's e-mails. */
export function createJoinApplicationActivities({
  db,
  mailer,
  clock,
  eds,
  calendarSettings = DEFAULT_SETTINGS,
  publicUrl = '',
}: ActivityDeps) {
  const application = (id: string) =>
    committedRow(() => db('join_applications').where({ id }).first(), `join application ${id}`, 'ApplicationNotFound');

  return {
    /**
     * Verifies the EDS again, as of the submission, with the trusted CAs the worker has now,
     * and keeps the full result for the moderator. The API refused invalid ones already.
     */
    async verifyApplicationSignature(applicationId: string): Promise<{ valid: boolean; problems: string[] }> {
      const row = await application(applicationId);
      if (!eds) throw ApplicationFailure.nonRetryable('no EDS verifier is configured for the worker', 'NoEdsVerifier');
      const check = await eds.verify({
        document: row.document,
        signature: row.signature.toString('utf8'),
        expectedBinIin: row.bin_iin,
        at: new Date(row.submitted_at),
      });
      await db('join_applications').where({ id: applicationId }).update({ signature_check: check });
      return { valid: check.valid, problems: check.problems.map((p) => p.message) };
    },

    async markAwaitingModeration(applicationId: string): Promise<void> {
      await db('join_applications')
        .where({ id: applicationId, status: 'registered' })
        .update({ status: 'awaiting_moderation' });
    },

    async setModerationReminderDue(applicationId: string, dueAt: string): Promise<void> {
      await db('join_applications').where({ id: applicationId }).update({ reminder_due_at: dueAt });
    },

    /** E-mails every active moderator; the n-th reminder is sent once even if retried after the update. */
    async remindModerators(applicationId: string, reminder: number): Promise<number> {
      const row = await application(applicationId);
      if (row.reminders_sent >= reminder || row.status !== 'awaiting_moderation') return 0;
      const moderators = await db('staff_users')
        .where({ active: true })
        .whereRaw("'moderator' = ANY(roles)")
        .select('email');
      const calendar = new BusinessCalendar({ years: {} }, calendarSettings);
      for (const { email } of moderators) {
        await mailer.send({
          ...moderationReminder({
            to: email,
            number: row.number,
            companyName: (row.form as JoinForm).companyName,
            binIin: row.bin_iin,
            submittedAt: new Date(row.submitted_at),
            zone: calendar.settings.zone,
            reminder,
            consoleUrl: `${publicUrl}/console/moderation#${applicationId}`,
          }),
          messageId: `<join-reminder-${applicationId}-${reminder}-${email}@ismet-backoffice>`,
        });
      }
      await db('join_applications').where({ id: applicationId }).update({ reminders_sent: reminder });
      return moderators.length;
    },

    /**
     * On approval, in one transaction: the client with the form's details, its personal
     * account and first API token, consent recorded. Exactly once: a retry finds the
     * application approved and returns what was created.
     */
    async activateClient(applicationId: string, moderatorId: string): Promise<Activation> {
      return db.transaction(async (trx) => {
        const row = await trx('join_applications').where({ id: applicationId }).forUpdate().first();
        if (!row)
          throw ApplicationFailure.nonRetryable(
            `join application ${applicationId} does not exist`,
            'ApplicationNotFound',
          );
        if (row.client_id) {
          const account = await trx('personal_accounts').where({ client_id: row.client_id }).first();
          return { clientId: row.client_id, accountNumber: account.number, effectiveFrom: row.effective_from };
        }
        if (row.status !== 'awaiting_moderation') {
          throw ApplicationFailure.nonRetryable(
            `application ${row.number} is ${row.status}, not awaiting moderation`,
            'NotAwaitingModeration',
          );
        }
        const form = row.form as JoinForm;
        const fields = {
          name: form.companyName,
          email: form.email,
          status: 'active',
          details: detailsOf(form),
          joined_on: row.joined_on,
          effective_from: row.effective_from,
          join_application_id: row.id,
          personal_data_consent_at: row.signed_at,
          personal_data_consent_withdrawn_at: null,
          language: form.language ?? 'ru',
        };
        // A client whose contract ended may join again: the same row, new details.
        const [client] = await trx('clients')
          .insert({ bin_iin: row.bin_iin, ...fields })
          .onConflict('bin_iin')
          .merge(fields)
          .returning('*');
        const account = await openPersonalAccount(trx, client.id, clock.now());
        // A client joining again never gets its old tokens back.
        await revokeTokens(trx, { clientId: client.id }, 'system', `joined again by application ${row.number}`);
        const { token } = await issueToken(trx, { clientId: client.id }, `initial token, application ${row.number}`, {
          expiresAt: tokenExpiry(clock.now()),
        });
        await trx('consent_events').insert({
          client_id: client.id,
          kind: 'given',
          at: row.signed_at,
          note: `join application ${row.number} (10.7.1)`,
        });
        await trx('join_applications').where({ id: applicationId }).update({
          status: 'approved',
          client_id: client.id,
          decided_by: moderatorId,
          decided_at: clock.now(),
          initial_token: token,
        });
        return { clientId: client.id, accountNumber: account.number, effectiveFrom: row.effective_from };
      });
    },

    /** The access notice with the first API token; the token leaves the database once sent. */
    async sendAccessNotice(applicationId: string): Promise<void> {
      const row = await application(applicationId);
      if (row.access_notice_sent_at) return;
      const account = await db('personal_accounts').where({ client_id: row.client_id }).first();
      await mailer.send({
        ...accessNotice({
          to: row.email,
          number: row.number,
          companyName: (row.form as JoinForm).companyName,
          joinedOn: row.joined_on,
          effectiveFrom: row.effective_from,
          accountNumber: account.number,
          token: row.initial_token,
          apiUrl: publicUrl,
          language: (row.form as JoinForm).language,
        }),
        messageId: `<join-access-${applicationId}@ismet-backoffice>`,
      });
      await db('join_applications')
        .where({ id: applicationId })
        .update({ access_notice_sent_at: clock.now(), initial_token: null });
    },

    async rejectApplication(applicationId: string, reason: string, moderatorId?: string): Promise<void> {
      await db('join_applications')
        .where({ id: applicationId })
        .whereIn('status', ['registered', 'awaiting_moderation'])
        .update({
          status: 'rejected',
          decision_reason: reason,
          decided_by: moderatorId ?? null,
          decided_at: clock.now(),
        });
    },

    async sendRejectionNotice(applicationId: string): Promise<void> {
      const row = await application(applicationId);
      if (row.rejection_notice_sent_at) return;
      await mailer.send({
        ...rejectionNotice({
          to: row.email,
          number: row.number,
          companyName: (row.form as JoinForm).companyName,
          reason: row.decision_reason,
          language: (row.form as JoinForm).language,
        }),
        messageId: `<join-rejection-${applicationId}@ismet-backoffice>`,
      });
      await db('join_applications').where({ id: applicationId }).update({ rejection_notice_sent_at: clock.now() });
    },
  };
}
