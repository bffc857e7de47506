import { Type, Static } from 'typebox';
import { LANGUAGES } from '../../lib/i18n/languages';
import { IsoInstant, StringEnum, Uuid } from './common';

const text = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, description });

/** The join application form (Прил. 1) with the consent of 10.7. */
export const JoinForm = Type.Object(
  {
    companyName: text(500, 'Full name of the legal entity or individual entrepreneur'),
    signerName: text(300, 'Full name of the person who signs'),
    signerPosition: text(300, 'Position of the person who signs'),
    authorityBasis: text(300, 'Basis of authority: charter, certificate of registration, power of attorney No. ...'),
    binIin: Type.String({
      pattern: '^[0-9]{12}$',
      description: 'BIN (legal entity) or IIN (entrepreneur), with a valid check digit',
    }),
    legalAddress: text(1000),
    actualAddress: text(1000),
    iik: Type.String({
      minLength: 20,
      maxLength: 34,
      description: 'IIK, the bank account: a Kazakhstan IBAN (KZ..., 20 characters)',
    }),
    bankName: text(300),
    kbe: Type.String({ pattern: '^[0-9]{2}$', description: 'KBe, two digits' }),
    bik: Type.String({
      minLength: 8,
      maxLength: 11,
      description: 'BIK: SWIFT code of a Kazakhstan bank, 8 or 11 characters',
    }),
    phone: Type.String({ minLength: 5, maxLength: 30 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    personalDataConsent: Type.Boolean({ description: 'Consent to personal-data processing (10.7); must be true' }),
    language: Type.Optional(
      StringEnum(LANGUAGES, {
        description:
          'The language the client reads first — kk (Kazakh, the state language) or ru (Russian) — in its e-mails and cabinet, the other below; ru when not given. Changeable later: PUT /client/v1/profile/language',
      }),
    ),
  },
  { additionalProperties: false, title: 'Join application form (Прил. 1)' },
);
export type JoinForm = Static<typeof JoinForm>;

export const DocumentBody = Type.Object({ form: JoinForm }, { additionalProperties: false });

export const DocumentToSign = Type.Object({
  documentBase64: Type.String({
    description: 'The exact bytes to sign with the EDS (CMS, attached or detached), base64',
  }),
  documentText: Type.String({ description: 'The same bytes as UTF-8 text (RFC 8785 canonical JSON)' }),
  sha256: Type.String({ description: 'SHA-256 of the bytes, hex' }),
});

export const SubmitBody = Type.Object(
  {
    form: JoinForm,
    signature: Type.String({
      minLength: 16,
      maxLength: 200_000,
      description:
        'CMS/PKCS#7 SignedData over the document from POST /v1/join-applications/document: base64 DER or PEM',
    }),
  },
  { additionalProperties: false },
);

export const APPLICATION_STATUSES = ['registered', 'awaiting_moderation', 'approved', 'rejected'] as const;

export const ApplicationStatus = Type.Object({
  id: Uuid,
  number: Type.String(),
  status: StringEnum(APPLICATION_STATUSES),
  submittedAt: IsoInstant,
  joinedOn: Type.String({ description: 'The joining date: the signing date (10.5.1)' }),
  effectiveFrom: Type.String({
    description: 'The contract applies from the next day unless activation is refused (10.5.3)',
  }),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
});

const Check = Type.Object({ name: Type.String(), ok: Type.Boolean(), detail: Type.String() });
const Problem = Type.Object({
  code: Type.String(),
  message: Type.String({ description: 'For staff, in English' }),
  messageRu: Type.Optional(Type.String({ description: 'For the applicant, in Russian: what happened and what to do' })),
});

export const SignatureCheck = Type.Object({
  valid: Type.Boolean(),
  problems: Type.Array(Problem),
  checks: Type.Array(Check),
  signingTime: Type.String(),
  signer: Type.Optional(Type.Unknown()),
});

export const Application = Type.Object(
  {
    ...ApplicationStatus.properties,
    binIin: Type.String(),
    email: Type.String(),
    form: JoinForm,
    signatureCheck: Type.Union([SignatureCheck, Type.Null()]),
    decidedAt: Type.Union([IsoInstant, Type.Null()]),
    decidedBy: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
    clientId: Type.Union([Uuid, Type.Null()]),
    waiting: Type.Object({
      workingMinutes: Type.Integer({ description: 'Working time the application has waited for moderation so far' }),
      reminderDueAt: Type.Union([IsoInstant, Type.Null()], {
        description: 'When moderators are reminded (1 working day)',
      }),
      remindersSent: Type.Integer(),
    }),
  },
  { $id: 'JoinApplication', title: 'Join application' },
);
export type Application = Static<typeof Application>;

export const RejectBody = Type.Object(
  { reason: Type.String({ minLength: 3, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const QueueQuery = Type.Object({
  status: Type.Optional(StringEnum(APPLICATION_STATUSES)),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

export const RejectedQuery = Type.Object({
  binIin: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

export const RejectedApplication = Type.Object(
  {
    id: Uuid,
    binIin: Type.String(),
    email: Type.String(),
    form: Type.Unknown({ description: 'The form as submitted (normalised)' }),
    problems: Type.Array(Problem),
    signatureCheck: SignatureCheck,
    receivedAt: IsoInstant,
    clientIp: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'Join application refused for its EDS signature' },
);
