import { Type } from 'typebox';
import { BusinessCalendar, CalendarYearMissingError } from '../../lib/calendar';
import {
  CLIENT_OBLIGATIONS,
  DECLARATION_STATUSES,
  EVIDENCE_KINDS,
  FORCE_MAJEURE_PROCESSES,
  FORCE_MAJEURE_STATUSES,
  missingProof,
  noticeDueAt,
} from '../../lib/force-majeure';
import { IsoInstant, StringEnum, Uuid } from './common';

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

/** 8.3: the end of the 5th working day after the start; null while the calendar lacks that year. */
export function noticeDue(calendar: BusinessCalendar, startedAt: string | Date): string | null {
  try {
    return noticeDueAt(calendar, startedAt).toISOString();
  } catch (error) {
    if (!(error instanceof CalendarYearMissingError)) throw error;
    return null;
  }
}

/** A force-majeure event staff recorded (8.3-8.6), with the four-eyes trail of a late one. */
export const ForceMajeureEvent = Type.Object({
  id: Uuid,
  startedAt: IsoInstant,
  endedAt: Nullable(IsoInstant),
  processes: Type.Array(StringEnum(FORCE_MAJEURE_PROCESSES)),
  description: Type.String(),
  evidence: Nullable(Type.String()),
  noticeDueAt: Type.Union([IsoInstant, Type.Null()], {
    description: 'The end of the 5th working day after the start (8.3)',
  }),
  notifiedAt: Nullable(IsoInstant),
  wellKnown: Type.Boolean({ description: 'A well-known fact: needs neither notice nor proof (8.5)' }),
  status: StringEnum(FORCE_MAJEURE_STATUSES, {
    description:
      'recorded: no second person needed; pending_confirmation: noticed later than 8.3 allows, proposed to be relied on anyway with a reason, waiting for a different admin; confirmed / rejected: that admin’s decision',
  }),
  reliedOn: Type.Boolean({
    description:
      'Its deadlines are suspended: well known, or noticed within 5 working days (or still may be), or a late one confirmed by a second admin; noticed late, the operator cannot rely on it (8.3)',
  }),
  lateNoticeReason: Nullable(
    Type.String({
      description: 'Why a late one is to be relied on anyway (e.g. the event kept the notice from going out, 8.3)',
    }),
  ),
  recordedBy: Nullable(Uuid),
  recordedAt: IsoInstant,
  decidedBy: Type.Union([Uuid, Type.Null()], { description: 'The second admin who confirmed or rejected a late one' }),
  decidedAt: Nullable(IsoInstant),
  rejectionReason: Nullable(Type.String()),
  terminationMayBeAgreed: Type.Boolean({
    description: 'It has lasted 30 days: the parties may agree to end the contract (8.6)',
  }),
  workflowsSignalled: Type.Optional(Type.Integer()),
});

/** The four-eyes trail of an event, as the view shows it. */
export const toEventTrail = (row: Record<string, any>) => ({
  status: row.status,
  lateNoticeReason: row.late_notice_reason ?? null,
  recordedBy: row.recorded_by ?? null,
  recordedAt: iso(row.recorded_at)!,
  decidedBy: row.decided_by ?? null,
  decidedAt: iso(row.decided_at),
  rejectionReason: row.rejection_reason ?? null,
});

export const EvidenceInput = Type.Object(
  {
    kind: StringEnum(EVIDENCE_KINDS, {
      description:
        'certificate: of a competent authority of Kazakhstan or an authorised organisation, e.g. the NCE «Atameken» (8.5); other: anything supporting it',
    }),
    filename: Type.String({ minLength: 1, maxLength: 200 }),
    contentType: Type.String({ minLength: 3, maxLength: 100 }),
    contentBase64: Type.String({ minLength: 4, maxLength: 14_000_000, contentEncoding: 'base64' }),
  },
  { additionalProperties: false },
);

const Obligations = Type.Array(StringEnum(CLIENT_OBLIGATIONS), {
  minItems: 1,
  uniqueItems: true,
  description:
    'The obligations it prevents (8.3), whose periods it extends (8.4): acts — signing the monthly act or refusing it within 5 working days (6.7, 6.8); application — applying codes within 30 working days (4.1.6); notices — answering the operator’s notices (10.2.1, 4.3.2)',
});

export const DeclarationInput = Type.Object(
  {
    description: Type.String({ minLength: 10, maxLength: 10_000, description: 'Its nature and kind (8.3)' }),
    startedAt: IsoInstant,
    expectedEndAt: Type.Union([IsoInstant, Type.Null()], {
      description: 'Its expected end (8.3: the expected duration); null when unknown',
    }),
    obligations: Obligations,
    wellKnown: Type.Optional(Type.Boolean({ description: 'A well-known fact: needs no proof (8.5)' })),
    evidence: Type.Optional(
      Type.Array(EvidenceInput, { maxItems: 20, description: 'The proof (8.5); may follow later' }),
    ),
  },
  { additionalProperties: false },
);

const Evidence = Type.Object({
  id: Type.Integer(),
  kind: StringEnum(EVIDENCE_KINDS),
  filename: Type.String(),
  contentType: Type.String(),
  sha256: Type.String(),
  addedAt: IsoInstant,
});

/** A client's declaration of force majeure (8.3-8.5) as the client sees it. */
export const Declaration = Type.Object({
  id: Uuid,
  status: StringEnum(DECLARATION_STATUSES, {
    description:
      'under_review: received; accepted: it suspends the client’s deadlines of the obligations named while it lasts (8.4); rejected: with the reason; pending_confirmation: a late one staff propose to accept, waiting for a second admin',
  }),
  receivedAt: Type.String({ format: 'date-time', description: 'When the operator received the notice (8.3)' }),
  startedAt: IsoInstant,
  expectedEndAt: Nullable(IsoInstant),
  endedAt: Nullable(IsoInstant),
  endNotifiedAt: Nullable(IsoInstant),
  obligations: Obligations,
  description: Type.String(),
  wellKnown: Type.Boolean(),
  noticeDueAt: Type.Union([IsoInstant, Type.Null()], {
    description: 'The end of the 5th working day after the start (8.3)',
  }),
  noticeInTime: Type.Boolean({
    description: 'Received by noticeDueAt, or a well-known fact that needs no notice (8.3, 8.5)',
  }),
  reliedOn: Type.Boolean({
    description: 'Accepted: the client’s deadlines of those obligations stand still while it lasts (8.4)',
  }),
  proofMissing: Type.Boolean({
    description: 'Neither a certificate nor a well-known fact (8.5): it cannot be accepted until one is added',
  }),
  evidence: Type.Array(Evidence),
  reviewedAt: Nullable(IsoInstant),
  rejectionReason: Nullable(Type.String()),
});

/** The same for staff, with the client and the review's trail. */
export const DeclarationCase = Type.Object({
  ...Declaration.properties,
  clientId: Uuid,
  clientName: Type.String(),
  reviewedBy: Type.Union([Uuid, Type.Null()], {
    description: 'Who accepted, rejected, or proposed to accept a late one',
  }),
  lateNoticeReason: Nullable(Type.String()),
  decidedBy: Type.Union([Uuid, Type.Null()], { description: 'The second admin who confirmed or rejected a late one' }),
  decidedAt: Nullable(IsoInstant),
});

export const toDeclaration = (calendar: BusinessCalendar, d: Record<string, any>, evidence: Record<string, any>[]) => {
  const due = noticeDue(calendar, d.started_at);
  return {
    id: d.id,
    status: d.status,
    receivedAt: iso(d.received_at)!,
    startedAt: iso(d.started_at)!,
    expectedEndAt: iso(d.expected_end_at),
    endedAt: iso(d.ended_at),
    endNotifiedAt: iso(d.end_notified_at),
    obligations: d.obligations,
    description: d.description,
    wellKnown: d.well_known,
    noticeDueAt: due,
    noticeInTime: d.well_known || (due !== null && new Date(d.received_at).getTime() <= Date.parse(due)),
    reliedOn: d.status === 'accepted',
    proofMissing: missingProof({ wellKnown: d.well_known, evidenceKinds: evidence.map((e) => e.kind) }) !== undefined,
    evidence: evidence.map((e) => ({
      id: Number(e.id),
      kind: e.kind,
      filename: e.filename,
      contentType: e.content_type,
      sha256: e.sha256,
      addedAt: iso(e.added_at)!,
    })),
    reviewedAt: iso(d.reviewed_at),
    rejectionReason: d.rejection_reason ?? null,
  };
};

export const toDeclarationCase = (
  calendar: BusinessCalendar,
  d: Record<string, any>,
  evidence: Record<string, any>[],
) => ({
  ...toDeclaration(calendar, d, evidence),
  clientId: d.client_id,
  clientName: d.client_name,
  reviewedBy: d.reviewed_by ?? null,
  lateNoticeReason: d.late_notice_reason ?? null,
  decidedBy: d.decided_by ?? null,
  decidedAt: iso(d.decided_at),
});

/** The evidence's columns listed with a declaration (not its content). */
export const EVIDENCE_COLUMNS = ['id', 'kind', 'filename', 'content_type', 'sha256', 'added_at'] as const;
