import { Type } from 'typebox';
import { TERMINATION_BASES } from '../../lib/termination';
import { IsoInstant, StringEnum, Uuid } from './common';

const Tiyn = (description: string) =>
  Type.Integer({ minimum: 1, description: `${description}, tiyn (1 KZT = 100 tiyn)` });
const LocalDate = (description: string) => Type.String({ format: 'date', description });
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);

/** The bytes a `.../document` route gives to sign with the EDS (api/intake/signed-instructions.ts). */
export const InstructionDocument = Type.Object({
  documentBase64: Type.String({ description: 'The exact bytes to sign with the EDS, base64' }),
  documentText: Type.String({ description: 'The same bytes as UTF-8 text (RFC 8785 canonical JSON)' }),
  sha256: Type.String(),
});
/** The client's EDS signature over an instruction's document (issue 16). */
export const SignatureField = (documentRoute: string) =>
  Type.String({
    minLength: 16,
    maxLength: 200_000,
    description: `The EDS signature: CMS (PKCS#7, attached or detached, base64 or PEM) over the bytes of ${documentRoute}, made with the client’s EDS or under a power of attorney recorded by staff`,
  });

export const Refund = Type.Object({
  id: Uuid,
  clientId: Uuid,
  kind: StringEnum(['request', 'one_year', 'termination'], {
    description: 'request: 6.11; one_year: 3.7; termination: 4.1.2, 10.4',
  }),
  status: StringEnum(['pending', 'paid', 'refused']),
  amountRequestedTiyn: Type.Union([Type.Integer(), Type.Null()], { description: 'null: the whole unused balance' }),
  requestedAt: IsoInstant,
  dueAt: Nullable(IsoInstant),
  overdue: Type.Boolean(),
  decidedAt: Nullable(IsoInstant),
  decisionReason: Nullable(Type.String()),
  clause: Type.Union([StringEnum(['6.11', '3.7', '4.1.2', '10.4']), Type.Null()], {
    description: 'The clause the refund was paid under',
  }),
  paidTiyn: NullableInt,
  bankFeeTiyn: Type.Union([Type.Integer(), Type.Null()], { description: '3.7: the operator’s actual bank cost kept' }),
  clientBankFeesTiyn: Type.Union([Type.Integer(), Type.Null()], {
    description: '4.1.2: the client’s bank fees paid on top',
  }),
  iik: Nullable(Type.String()),
});
export const toRefund = (r: Record<string, any>) => ({
  id: r.id,
  clientId: r.client_id,
  kind: r.kind,
  status: r.status,
  amountRequestedTiyn: r.amount_requested ?? null,
  requestedAt: iso(r.requested_at)!,
  dueAt: iso(r.due_at),
  overdue: Boolean(r.overdue_at),
  decidedAt: iso(r.decided_at),
  decisionReason: r.decision_reason ?? null,
  clause: r.clause ?? null,
  paidTiyn: r.paid_amount ?? null,
  bankFeeTiyn: r.bank_fee ?? null,
  clientBankFeesTiyn:
    r.client_bank_fees === null || r.client_bank_fees === undefined ? null : Number(r.client_bank_fees),
  iik: r.iik ?? null,
});

export const Termination = Type.Object({
  id: Uuid,
  clientId: Uuid,
  initiator: StringEnum(['operator', 'client']),
  basis: StringEnum(TERMINATION_BASES),
  grounds: Type.String(),
  evidence: Nullable(Type.String()),
  notifiedAt: IsoInstant,
  earliestDate: LocalDate('The first day the notice period allows (10.4.3, 10.4.4)'),
  terminationDate: LocalDate('The day the contract ends'),
  status: StringEnum(['scheduled', 'withdrawn', 'settling', 'terminated']),
  withdrawnAt: Nullable(IsoInstant),
  withdrawalReason: Nullable(Type.String()),
  accessEndedAt: Nullable(IsoInstant),
});
export const toTermination = (t: Record<string, any>) => ({
  id: t.id,
  clientId: t.client_id,
  initiator: t.initiator,
  basis: t.basis,
  grounds: t.grounds,
  evidence: t.evidence ?? null,
  notifiedAt: iso(t.notified_at)!,
  earliestDate: t.earliest_date,
  terminationDate: t.termination_date,
  status: t.status,
  withdrawnAt: iso(t.withdrawn_at),
  withdrawalReason: t.withdrawal_reason ?? null,
  accessEndedAt: iso(t.access_ended_at),
});

export const ContractVersion = Type.Object({
  id: Uuid,
  version: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  documentUrl: Nullable(Type.String()),
  reason: StringEnum(['original', 'services', 'law'], {
    description: 'services: needed to render the services; law: to comply with the law (10.3.2)',
  }),
  publishedAt: IsoInstant,
  effectiveAt: IsoInstant,
  status: StringEnum(['announced', 'in_force', 'withdrawn']),
  clientsNotified: Type.Integer(),
});
export const toContractVersion = (v: Record<string, any>) => ({
  id: v.id,
  version: v.version,
  title: v.title,
  summary: v.summary,
  documentUrl: v.document_url ?? null,
  reason: v.reason,
  publishedAt: iso(v.published_at)!,
  effectiveAt: iso(v.effective_at)!,
  status: v.status,
  clientsNotified: v.clients_notified,
});

export const CLAIM_DOCUMENT_KINDS = ['authority', 'damage', 'basis', 'other'] as const;
export const ClaimDocumentInput = Type.Object(
  {
    kind: StringEnum(CLAIM_DOCUMENT_KINDS, {
      description:
        'authority: a copy of the charter or power of attorney, for reference — it does not by itself prove the signer’s authority (9.4): the EDS signature does, or a power of attorney recorded by staff; damage: the size of the actual damage; basis: the substance',
    }),
    filename: Type.String({ minLength: 1, maxLength: 200 }),
    contentType: Type.String({ minLength: 3, maxLength: 100 }),
    contentBase64: Type.String({ minLength: 4, maxLength: 14_000_000, contentEncoding: 'base64' }),
  },
  { additionalProperties: false },
);
/** What the signer signs (9.4): the claim's content and its documents, see POST /client/v1/claims/document. */
export const ClaimContent = Type.Object(
  {
    subject: Type.String({ minLength: 3, maxLength: 300 }),
    demands: Type.String({ minLength: 10, maxLength: 20_000, description: 'What is claimed and why' }),
    amountClaimedTiyn: Type.Optional(Tiyn('The damage claimed')),
    signerName: Type.String({ minLength: 3, maxLength: 300 }),
    concernsDate: Type.Optional(
      LocalDate(
        'The day of the events the claim is about; required once the contract has ended, and not after its end',
      ),
    ),
    documents: Type.Array(ClaimDocumentInput, { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export const ClaimInput = Type.Object(
  {
    ...ClaimContent.properties,
    signature: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 200_000,
        description:
          'The EDS signature (9.4): CMS (PKCS#7, attached or detached, base64 or PEM) over the claim’s canonical document (POST /client/v1/claims/document). ' +
          'With the client’s own certificate (its BIN, or an individual entrepreneur’s IIN) the claim is signed for the client; with an individual’s certificate only under a power of attorney recorded by the operator’s staff. ' +
          'Without a signature, or signed by someone without authority, the claim counts as not presented and is not considered (9.4); a signature that does not verify → 422 BAD_SIGNATURE, nothing recorded.',
      }),
    ),
  },
  { additionalProperties: false },
);
export const ClaimDocument = Type.Object({
  documentBase64: Type.String({ description: 'The exact bytes to sign with the EDS, base64' }),
  documentText: Type.String({ description: 'The same bytes as UTF-8 text (RFC 8785 canonical JSON)' }),
  sha256: Type.String(),
});
export const CLAIM_AUTHORITY_BASES = ['client_eds', 'power_of_attorney', 'paper_originals'] as const;
export const CLAIM_NOT_CONSIDERED_REASONS = ['NOT_SIGNED', 'SIGNER_NOT_AUTHORISED'] as const;
const ClaimAuthority = Type.Object({
  basis: Type.Union([StringEnum(CLAIM_AUTHORITY_BASES), Type.Null()], {
    description:
      'How the signer’s authority was established (9.4): client_eds — signed with the client’s own EDS (its BIN, or an individual entrepreneur’s IIN); ' +
      'power_of_attorney — signed with an individual’s EDS under a power of attorney recorded by staff and valid on the day of receipt; ' +
      'paper_originals — received by post, the originals or notarised copies examined by the staff who recorded it; null — not established',
  }),
  notConsideredReason: Type.Union([StringEnum(CLAIM_NOT_CONSIDERED_REASONS), Type.Null()], {
    description:
      'Why the claim is not considered (9.4): NOT_SIGNED — no EDS signature; SIGNER_NOT_AUTHORISED — signed by someone whose authority to sign for the client is not proven',
  }),
  message: Nullable(Type.String()),
  signer: Type.Union([
    Type.Object({
      commonName: Nullable(Type.String()),
      iin: Nullable(Type.String()),
      bin: Nullable(Type.String()),
      signedAt: Nullable(IsoInstant),
    }),
    Type.Null(),
  ]),
  powerOfAttorneyId: Nullable(Uuid),
});
export const Claim = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  clientId: Uuid,
  channel: StringEnum(['api', 'email', 'post']),
  receivedAt: IsoInstant,
  subject: Type.String(),
  demands: Type.String(),
  amountClaimedTiyn: NullableInt,
  signerName: Type.String(),
  concernsDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  status: StringEnum(['not_considered', 'under_review', 'satisfied', 'partially_satisfied', 'refused']),
  dueAt: Nullable(IsoInstant),
  overdue: Type.Boolean(),
  answeredAt: Nullable(IsoInstant),
  answer: Nullable(Type.String()),
  amountAwardedTiyn: NullableInt,
  authority: ClaimAuthority,
  documents: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: StringEnum(CLAIM_DOCUMENT_KINDS),
      filename: Type.String(),
      contentType: Type.String(),
      sha256: Type.String(),
    }),
  ),
});
export const toClaim = (c: Record<string, any>, documents: Record<string, any>[]) => ({
  id: c.id,
  number: Number(c.number),
  clientId: c.client_id,
  channel: c.channel,
  receivedAt: iso(c.received_at)!,
  subject: c.subject,
  demands: c.demands,
  amountClaimedTiyn: c.amount_claimed ?? null,
  signerName: c.signer_name,
  concernsDate: c.concerns_date ?? null,
  status: c.status,
  dueAt: iso(c.due_at),
  overdue: Boolean(c.overdue_at) && c.status === 'under_review',
  answeredAt: iso(c.answered_at),
  answer: c.answer ?? null,
  amountAwardedTiyn: c.amount_awarded ?? null,
  authority: {
    basis: c.authority_basis ?? null,
    notConsideredReason: c.not_considered_reason ?? null,
    message: c.authority_note ?? null,
    signer: c.signer
      ? {
          commonName: c.signer.commonName ?? null,
          iin: c.signer.iin ?? null,
          bin: c.signer.bin ?? null,
          signedAt: iso(c.signed_at),
        }
      : null,
    powerOfAttorneyId: c.power_of_attorney_id ?? null,
  },
  documents: documents.map((d) => ({
    id: Number(d.id),
    kind: d.kind,
    filename: d.filename,
    contentType: d.content_type,
    sha256: d.sha256,
  })),
});

export const Breach = Type.Object({
  type: StringEnum(['order_breach', 'ticket'], {
    description: 'order_breach: the 4-hour emission deadline missed (4.4.4); ticket: a Прил. 3 deadline missed',
  }),
  id: Type.String({ minLength: 1, maxLength: 100 }),
});
export const Compensation = Type.Object({
  id: Uuid,
  clientId: Uuid,
  basis: StringEnum(['defect_act', 'late_service'], { description: 'defect_act: 7.2; late_service: 7.3' }),
  description: Type.String(),
  breaches: Type.Array(Breach),
  claimId: Nullable(Uuid),
  eventAt: Type.String({
    format: 'date-time',
    description: 'The defect act signed (7.2) or the demand received (7.3)',
  }),
  amountClaimedTiyn: Type.Integer(),
  payTo: StringEnum(['account', 'bank']),
  status: StringEnum(['pending', 'paid', 'refused']),
  dueAt: Nullable(IsoInstant),
  overdue: Type.Boolean(),
  decidedAt: Nullable(IsoInstant),
  decisionReason: Nullable(Type.String()),
  amountPaidTiyn: NullableInt,
});
export const toCompensation = (c: Record<string, any>) => ({
  id: c.id,
  clientId: c.client_id,
  basis: c.basis,
  description: c.description,
  breaches: c.breaches,
  claimId: c.claim_id ?? null,
  eventAt: iso(c.event_at)!,
  amountClaimedTiyn: c.amount_claimed,
  payTo: c.pay_to,
  status: c.status,
  dueAt: iso(c.due_at),
  overdue: Boolean(c.overdue_at) && c.status === 'pending',
  decidedAt: iso(c.decided_at),
  decisionReason: c.decision_reason ?? null,
  amountPaidTiyn: c.amount_paid ?? null,
});
