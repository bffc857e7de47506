import {
  ActivityFailure,
  defineQuery,
  defineSignal,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { waitForDecisionOrDeadline } from './shared/deadline';

export interface NoticeDeliveryInput {
  noticeId: string;
  clientId: string;
  subject: string;
  /** Set when the client must answer: 5 (10.2.1) or 1 for an information request (4.3.2). */
  answerWithinWorkingDays?: number;
}

export type AnswerStatus = 'awaiting' | 'answered' | 'overdue';

export interface NoticeDeliveryState {
  noticeId: string;
  status: 'sending' | 'sent' | 'failed';
  messageId?: string;
  sentAt?: string;
  failure?: string;
  answer?: { status: AnswerStatus; receivedAt?: string; dueAt?: string; answeredAt?: string };
}

/** One delivery workflow per notice. */
export const noticeWorkflowId = (noticeId: string) => `notice-${noticeId}`;
export const noticeStateQuery = defineQuery<NoticeDeliveryState>('noticeState');
/** The client's answer is recorded (by the API, in the database); the wait ends. */
export const noticeAnsweredSignal = defineSignal<[{ answeredAt: string }]>('noticeAnswered');

/** How long an unreachable mail server is retried before the notice counts as failed. */
export const DELIVERY_WINDOW = '3 days';

const { sendNotice } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: DELIVERY_WINDOW,
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});
const { markNoticeFailed, setNoticeAnswerDue, closeNoticeAnswerWindow } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
});

/**
 * Delivers one e-mail notice to a client (10.2.1), retrying a mail server that is down
 * for up to DELIVERY_WINDOW; then the notice is marked failed for staff to act on.
 * A notice that needs an answer then waits for it: the period starts on the day of
 * receipt (10.2.1) and runs in working days of the business calendar.
 */
export async function noticeDelivery(input: NoticeDeliveryInput): Promise<NoticeDeliveryState> {
  const state: NoticeDeliveryState = { noticeId: input.noticeId, status: 'sending' };
  setHandler(noticeStateQuery, () => state);
  setHandler(noticeAnsweredSignal, ({ answeredAt }) => {
    state.answer = { ...state.answer, status: 'answered', answeredAt };
  });
  upsertSearchAttributes([
    { key: ClientId, value: input.clientId },
    { key: BusinessStatus, value: state.status },
  ]);
  setCurrentDetails(
    `Sending «${input.subject}»; retried for up to ${DELIVERY_WINDOW} while the mail server is unreachable.`,
  );

  try {
    const sent = await sendNotice(input.noticeId);
    Object.assign(state, { status: 'sent', messageId: sent.messageId, sentAt: sent.sentAt });
    setCurrentDetails(`Sent at ${sent.sentAt}, message id ${sent.messageId}.`);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const reason = error.cause?.message ?? error.message;
    await markNoticeFailed(input.noticeId, reason);
    Object.assign(state, { status: 'failed', failure: reason });
    setCurrentDetails(`Not delivered: ${reason}`);
  }
  upsertSearchAttributes([{ key: BusinessStatus, value: state.status }]);
  if (state.status === 'sent' && input.answerWithinWorkingDays)
    await awaitAnswer(input, state, input.answerWithinWorkingDays);
  return state;
}

async function awaitAnswer(input: NoticeDeliveryInput, state: NoticeDeliveryState, workingDays: number) {
  // Received when delivered (10.2.1: e-mail); the workflow's own clock, which timers also follow.
  const receivedAt = new Date();
  state.answer = { status: 'awaiting', ...state.answer, receivedAt: receivedAt.toISOString() };
  upsertSearchAttributes([
    { key: BusinessStatus, value: state.answer.status === 'answered' ? 'answered' : 'awaiting_answer' },
  ]);
  const outcome = await waitForDecisionOrDeadline({
    process: 'notices',
    compute: (calendar) => calendar.addWorkingDays(receivedAt, workingDays),
    done: () => state.answer?.status === 'answered',
    onDeadline: async (deadline, calendar) => {
      state.answer = { ...state.answer!, dueAt: deadline.toISOString() };
      await setNoticeAnswerDue(input.noticeId, deadline.toISOString());
      setCurrentDetails(
        `Delivered ${calendar.format(receivedAt)}. The client's answer is due within ${workingDays} working day(s): ` +
          `by ${calendar.format(deadline)} (10.2.1).`,
      );
    },
  });
  if (outcome === 'deadline') {
    const closed = await closeNoticeAnswerWindow(input.noticeId);
    state.answer = { ...state.answer!, ...closed };
  }
  const answer = state.answer!;
  setCurrentDetails(
    answer.status === 'answered'
      ? `Answered at ${answer.answeredAt}.`
      : `No answer by ${answer.dueAt}: overdue (10.2.1).`,
  );
  upsertSearchAttributes([
    { key: BusinessStatus, value: answer.status === 'answered' ? 'answered' : 'answer_overdue' },
  ]);
}
