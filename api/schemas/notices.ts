import { Type, Static } from 'typebox';
import { IsoInstant, StringEnum, Uuid } from './common';

export const NoticeWorkflow = Type.Object({
  workflowId: Type.String(),
  status: Type.String({ description: 'Temporal execution status, e.g. RUNNING, COMPLETED' }),
  state: Type.Optional(
    Type.Object({
      status: Type.String(),
      messageId: Type.Optional(Type.String()),
      sentAt: Type.Optional(IsoInstant),
      failure: Type.Optional(Type.String()),
    }),
  ),
});

export const Notice = Type.Object(
  {
    id: Uuid,
    clientId: Uuid,
    recipient: Type.String(),
    subject: Type.String(),
    status: StringEnum(['queued', 'sent', 'failed']),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    sentAt: Type.Union([IsoInstant, Type.Null()]),
    createdAt: IsoInstant,
    workflow: Type.Optional(Type.Union([NoticeWorkflow, Type.Null()])),
  },
  { $id: 'Notice', title: 'E-mail notice to a client' },
);
export type Notice = Static<typeof Notice>;

export const CreateNoticeBody = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 300 }),
    body: Type.String({ minLength: 1, maxLength: 20000, description: 'Plain text, in Russian as the operator writes' }),
  },
  { additionalProperties: false },
);

export function toNotice(row: Record<string, any>): Notice {
  return {
    id: row.id,
    clientId: row.client_id,
    recipient: row.recipient,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error ?? null,
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
