import { Type } from 'typebox';
import { LANGUAGES } from '../../lib/i18n/languages';
import { IsoInstant, StringEnum, Uuid } from './common';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

/** Details a client may change (10.2.2); BIN/IIN is not among them. */
export const DetailsPatch = Type.Object(
  {
    companyName: Type.Optional(text(500)),
    signerName: Type.Optional(text(300)),
    signerPosition: Type.Optional(text(300)),
    authorityBasis: Type.Optional(text(300)),
    legalAddress: Type.Optional(text(1000)),
    actualAddress: Type.Optional(text(1000)),
    iik: Type.Optional(Type.String({ minLength: 20, maxLength: 34 })),
    bankName: Type.Optional(text(300)),
    kbe: Type.Optional(Type.String({ pattern: '^[0-9]{2}$' })),
    bik: Type.Optional(Type.String({ minLength: 8, maxLength: 11 })),
    phone: Type.Optional(Type.String({ minLength: 5, maxLength: 30 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** What the signer signs for a change of details (10.2.2), see POST /client/v1/profile/document. */
export const DetailsChangeContent = Type.Object(
  {
    details: DetailsPatch,
    occurredOn: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const ChangeDetailsBody = Type.Object(
  {
    ...DetailsChangeContent.properties,
    signature: Type.Optional(
      Type.String({
        minLength: 16,
        maxLength: 200_000,
        description:
          'The EDS signature: CMS (PKCS#7, attached or detached, base64 or PEM) over the bytes of POST /client/v1/profile/document, made with the client’s EDS or under a power of attorney recorded by staff. ' +
          'Required when the change touches the bank details (iik, bik, bankName, kbe) or the e-mail of record (10.2.2).',
      }),
    ),
  },
  { additionalProperties: false },
);

export const WithdrawConsentBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

/** The language the client reads first in its e-mails and cabinet, the other below (issue #21). */
export const ClientLanguage = StringEnum(LANGUAGES, {
  description:
    'kk (Kazakh, the state language) or ru (Russian): read first in the e-mails and the cabinet, the other below',
});
export const LanguageBody = Type.Object({ language: ClientLanguage }, { additionalProperties: false });

export const Profile = Type.Object({
  id: Uuid,
  binIin: Type.String(),
  status: Type.String(),
  details: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  joinedOn: Type.Union([IsoDate, Type.Null()]),
  effectiveFrom: Type.Union([IsoDate, Type.Null()]),
  personalAccount: Type.Union([Type.Object({ number: Type.String(), status: Type.String() }), Type.Null()]),
  consent: Type.Object({
    givenAt: Type.Union([IsoInstant, Type.Null()]),
    withdrawnAt: Type.Union([IsoInstant, Type.Null()]),
  }),
  language: ClientLanguage,
});

export const History = Type.Object({
  detailChanges: Type.Array(
    Type.Object({
      id: Type.Integer(),
      occurredOn: IsoDate,
      reportedLate: Type.Boolean({ description: 'Reported later than 5 working days after the change (10.2.2)' }),
      changedBy: Type.String(),
      changedAt: IsoInstant,
      before: Type.Unknown(),
      after: Type.Unknown(),
      signed: Type.Union(
        [
          Type.Object({
            basis: Type.String({
              description:
                'client_eds: the client’s own EDS; power_of_attorney: a representative’s under a power of attorney recorded by staff',
            }),
            signer: Type.Object({
              commonName: Type.Union([Type.String(), Type.Null()]),
              iin: Type.Union([Type.String(), Type.Null()]),
              bin: Type.Union([Type.String(), Type.Null()]),
            }),
            signedAt: Type.Union([IsoInstant, Type.Null()]),
            powerOfAttorneyId: Type.Union([Type.String(), Type.Null()]),
          }),
          Type.Null(),
        ],
        {
          description:
            'The client’s EDS-signed document the change was made by (10.2.2: bank details, e-mail of record); null when not signed',
        },
      ),
    }),
  ),
  consentEvents: Type.Array(
    Type.Object({ kind: Type.String(), at: IsoInstant, note: Type.Union([Type.String(), Type.Null()]) }),
  ),
});
