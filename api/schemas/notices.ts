import { Type, Static } from 'typebox';
import { IsoInstant, StringEnum, Uuid } from './common';

export const NOTICE_KINDS = ['notice', 'information_request'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NoticeKind = StringEnum(NOTICE_KINDS, {
  description:
    'notice: answered within 5 working days if an answer is required (10.2.1); information_request: within 1 working day (4.3.2)',
});
/** Working days the client has to answer, by kind. */
export const ANSWER_WORKING_DAYS: Record<NoticeKind, number> = { notice: 5, information_request: 1 };

const NoticeAnswer = Type.Object({
  status: StringEnum(['awaiting', 'answered', 'overdue']),
  withinWorkingDays: Type.Integer(),
  dueAt: Type.Union([IsoInstant, Type.Null()], { description: 'Computed on delivery from the business calendar' }),
  answeredAt: Type.Union([IsoInstant, Type.Null()]),
  text: Type.Union([Type.String(), Type.Null()]),
  late: Type.Boolean({ description: 'Answered after the due instant' }),
});

export const NoticeWorkflow = Type.Object({
  workflowId: Type.String(),
  status: Type.String({ description: 'Temporal execution status, e.g. RUNNING, COMPLETED' }),
  state: Type.Optional(
    Type.Object({
      status: Type.String(),
      messageId: Type.Optional(Type.String()),
      sentAt: Type.Optional(IsoInstant),
      failure: Type.Optional(Type.String()),
      answer: Type.Optional(
        Type.Object({
          status: Type.String(),
          receivedAt: Type.Optional(IsoInstant),
          dueAt: Type.Optional(IsoInstant),
          answeredAt: Type.Optional(IsoInstant),
        }),
      ),
    }),
  ),
});

export const Notice = Type.Object(
  {
    id: Uuid,
    clientId: Uuid,
    recipient: Type.String(),
    subject: Type.String(),
    kind: NoticeKind,
    status: StringEnum(['queued', 'sent', 'failed']),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    sentAt: Type.Union([IsoInstant, Type.Null()]),
    createdAt: IsoInstant,
    answer: Type.Union([NoticeAnswer, Type.Null()], { description: 'null when no answer is required' }),
    workflow: Type.Optional(Type.Union([NoticeWorkflow, Type.Null()])),
  },
  { $id: 'Notice', title: 'E-mail notice to a client' },
);
export type Notice = Static<typeof Notice>;

export const CreateNoticeBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 300 }),
    body: Type.String({ minLength: 1, maxLength: 20000, description: 'Plain text, in Russian as the operator writes' }),
    kind: Type.Optional(NoticeKind),
    answerRequired: Type.Optional(
      Type.Boolean({ description: 'Default: true for an information_request, false for a notice' }),
    ),
  },
  { additionalProperties: false },
);

export function toNotice(row: Record<string, any>): Notice {
  return {
    id: row.id,
    clientId: row.client_id,
    recipient: row.recipient,
    subject: row.subject,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error ?? null,
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
    answer:
      row.answer_status === 'not_required'
        ? null
        : {
            status: row.answer_status,
            withinWorkingDays: row.answer_within_working_days,
            dueAt: iso(row.answer_due_at),
            answeredAt: iso(row.answered_at),
            text: row.answer_text ?? null,
            late: !!row.answered_at && !!row.answer_due_at && row.answered_at > row.answer_due_at,
          },
  };
}

const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

export const AnswerNoticeBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 20000, description: "The client's answer" }) },
  { additionalProperties: false },
);
