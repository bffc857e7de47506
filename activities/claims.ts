import { ApplicationFailure } from '@temporalio/activity';
import { clientLanguage } from '../db/client-profile-store';
import { DEFAULT_SETTINGS, localDateIn } from '../lib/calendar';
import type { ActivityDeps } from './deps';
import { recordNotice, RecordedNotice } from './notice-records';
import { committedRow } from './rows';
import { claimAnsweredNotice, claimReceivedNotice } from './texts/lifecycle';

export type ClaimDecision = 'satisfied' | 'partially_satisfied' | 'refused';

export interface ClaimAnswer {
  decision: ClaimDecision;
  answer: string;
  amountAwardedTiyn?: number;
  staffId: string;
  at: string;
}

/** Claims (9.2-9.4): registered, acknowledged, answered within 15 working days. */
export function createClaimActivities({ db, clock, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const claim = (id: string) => committedRow(() => db('claims').where({ id }).first(), `claim ${id}`, 'ClaimNotFound');
  /** The letter names local days in the operator's zone, not UTC instants. */
  const localDate = (instant: Date | string) => localDateIn(calendarSettings.zone, instant);
  return {
    /** Tells the client the claim is under review with its deadline — or, without proof of the signer's authority, not considered (9.4). */
    async acknowledgeClaim(claimId: string, dueAt: string | null): Promise<RecordedNotice> {
      const c = await claim(claimId);
      if (dueAt) await db('claims').where({ id: claimId }).update({ due_at: dueAt });
      // The deadline is the end of its last day (24:00, the next day's midnight): the letter names that last day.
      const answerBy = dueAt ? localDate(new Date(Date.parse(dueAt) - 1)) : null;
      // 9.4: a claim not considered tells the client why — unsigned, or signed by someone without proven authority.
      const refusal = c.not_considered_reason ? { reason: c.not_considered_reason, signer: c.signer } : null;
      return recordNotice(
        db,
        c.client_id,
        `claim:${c.id}:received`,
        claimReceivedNotice({
          number: Number(c.number),
          receivedOn: localDate(c.received_at),
          answerBy,
          considered: c.status !== 'not_considered',
          refusal,
          language: await clientLanguage(db, c.client_id),
        }),
      );
    },

    async recordClaimDue(claimId: string, dueAt: string): Promise<void> {
      await db('claims').where({ id: claimId }).update({ due_at: dueAt });
    },

    async recordClaimOverdue(claimId: string): Promise<void> {
      await db('claims')
        .where({ id: claimId, status: 'under_review' })
        .whereNull('overdue_at')
        .update({ overdue_at: clock.now() });
    },

    async answerClaim(claimId: string, a: ClaimAnswer): Promise<RecordedNotice> {
      const c = await claim(claimId);
      if (c.status === 'under_review') {
        if (
          a.decision !== 'refused' &&
          c.amount_claimed &&
          a.amountAwardedTiyn &&
          a.amountAwardedTiyn > Number(c.amount_claimed)
        ) {
          throw ApplicationFailure.nonRetryable(
            `the amount awarded exceeds the ${c.amount_claimed} tiyn claimed`,
            'AMOUNT_EXCEEDS_CLAIM',
            { status: 400 },
          );
        }
        await db('claims')
          .where({ id: claimId, status: 'under_review' })
          .update({
            status: a.decision,
            answer: a.answer,
            amount_awarded: a.decision === 'refused' ? null : (a.amountAwardedTiyn ?? null),
            answered_at: a.at,
            answered_by: a.staffId,
          });
      }
      const answered = await claim(claimId);
      return recordNotice(
        db,
        c.client_id,
        `claim:${c.id}:answer`,
        claimAnsweredNotice({
          number: Number(c.number),
          decision: answered.status,
          answer: answered.answer,
          amountAwardedTiyn: answered.amount_awarded,
          language: await clientLanguage(db, c.client_id),
        }),
      );
    },
  };
}
