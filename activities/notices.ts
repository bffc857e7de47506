import type { ActivityDeps } from './deps';
import { recordSent } from './record-sent';
import { committedRow } from './rows';

export interface SentNotice {
  messageId: string;
  sentAt: string;
}

/** E-mail notices to clients (10.2.1: notices are sent to the client's e-mail). */
export function createNoticeActivities({ db, mailer, clock }: ActivityDeps) {
  return {
    /**
     * Sends the notice once: a notice already marked sent is not sent again, so a retry
     * after a lost acknowledgement does not e-mail the client twice.
     */
    async sendNotice(noticeId: string): Promise<SentNotice> {
      const notice = await committedRow(
        () => db('notices').where({ id: noticeId }).first(),
        `notice ${noticeId}`,
        'NoticeNotFound',
      );
      if (notice.status === 'sent') return { messageId: notice.message_id, sentAt: notice.sent_at.toISOString() };
      await db('notices').where({ id: noticeId }).increment('attempts', 1);
      let messageId: string;
      try {
        ({ messageId } = await mailer.send({
          to: notice.recipient,
          subject: notice.subject,
          text: notice.body,
          messageId: `<notice-${noticeId}@ismet-backoffice>`,
        }));
      } catch (error) {
        await db('notices')
          .where({ id: noticeId })
          .update({ last_error: String((error as Error).message ?? error) });
        throw error;
      }
      const sentAt = clock.now();
      await recordSent(() =>
        db('notices')
          .where({ id: noticeId })
          .update({ status: 'sent', message_id: messageId, sent_at: sentAt, last_error: null }),
      );
      return { messageId, sentAt: sentAt.toISOString() };
    },

    async markNoticeFailed(noticeId: string, reason: string): Promise<void> {
      await db('notices')
        .where({ id: noticeId })
        .whereNot({ status: 'sent' })
        .update({ status: 'failed', last_error: reason });
    },

    /** Records when the client's answer is due (10.2.1), again whenever the calendar moves it. */
    async setNoticeAnswerDue(noticeId: string, dueAt: string): Promise<void> {
      await db('notices')
        .where({ id: noticeId })
        .whereNull('answered_at')
        .update({ answer_status: 'awaiting', answer_due_at: dueAt });
    },

    /**
     * The answer period is over: an unanswered notice becomes overdue. The database
     * decides a race with an answer arriving at the same moment; returns the outcome.
     */
    async closeNoticeAnswerWindow(noticeId: string): Promise<{ status: 'answered' | 'overdue'; answeredAt?: string }> {
      await db('notices')
        .where({ id: noticeId, answer_status: 'awaiting' })
        .whereNull('answered_at')
        .update({ answer_status: 'overdue' });
      const row = await db('notices').where({ id: noticeId }).first('answer_status', 'answered_at');
      return row.answered_at
        ? { status: 'answered', answeredAt: row.answered_at.toISOString() }
        : { status: 'overdue' };
    },
  };
}
