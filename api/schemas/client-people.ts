import { Type } from 'typebox';
import { CLIENT_PERSON_ROLES } from '../../lib/client-roles';
import { IsoInstant, StringEnum, Uuid } from './common';

const Role = StringEnum(CLIENT_PERSON_ROLES, {
  description:
    'admin: everything, the people and tokens; ordering: products, orders, codes; accounting: account, acts, refunds, claims; support: tickets',
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const ClientPerson = Type.Object(
  {
    id: Uuid,
    iin: Type.String({ pattern: '^[0-9]{12}$' }),
    fullName: Type.String(),
    email: Nullable(Type.String()),
    roles: Type.Array(Role),
    createdAt: IsoInstant,
    createdBy: Type.String({
      description: 'person:<id>, token:<id> or eds:<certificate serial> (the first administrator)',
    }),
    removedAt: Nullable(IsoInstant),
    removedBy: Nullable(Type.String()),
    lastSignInAt: Nullable(IsoInstant),
  },
  { title: 'ClientPerson' },
);

export const ClientPeople = Type.Object({ people: Type.Array(ClientPerson) });

export const AddPersonBody = Type.Object(
  {
    iin: Type.String({
      pattern: '^[0-9]{12}$',
      description: 'The person’s IIN, as in their EDS certificate (valid check digit)',
    }),
    fullName: Type.String({ minLength: 3, maxLength: 200 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    roles: Type.Array(Role, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const UpdatePersonBody = Type.Object(
  {
    fullName: Type.Optional(Type.String({ minLength: 3, maxLength: 200 })),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    roles: Type.Optional(Type.Array(Role, { minItems: 1, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PersonAction = Type.Object({
  id: Type.Integer(),
  at: IsoInstant,
  personId: Uuid,
  personName: Type.String(),
  personIin: Type.String(),
  method: Type.String(),
  route: Type.String({ description: 'The route as declared, e.g. /client/v1/acts/:actId/sign' }),
  path: Type.String(),
  statusCode: Type.Integer(),
});
export const PersonActions = Type.Object({ actions: Type.Array(PersonAction), nextBefore: Nullable(Type.Integer()) });
export const PersonActionsQuery = Type.Object(
  {
    personId: Type.Optional(Uuid),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export const SignInChallenge = Type.Object({
  challengeId: Uuid,
  documentBase64: Type.String({ description: 'The text to sign (UTF-8), base64 — NCALayer signs base64 data' }),
  documentText: Type.String(),
  expiresAt: IsoInstant,
});

export const SignInBody = Type.Object(
  {
    challengeId: Uuid,
    signature: Type.String({
      minLength: 16,
      maxLength: 200_000,
      description: 'CMS (PKCS#7) over the challenge text with the text attached, base64 or PEM — as NCALayer makes it',
    }),
    binIin: Type.Optional(
      Type.String({
        pattern: '^[0-9]{12}$',
        description: 'The company to sign in to, when the person works for several',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SignedInAnswer = Type.Object({
  person: Type.Object({ id: Uuid, fullName: Type.String(), iin: Type.String(), roles: Type.Array(Role) }),
  client: Type.Object({ id: Uuid, binIin: Type.String(), name: Type.String() }),
  expiresAt: IsoInstant,
  firstAdministrator: Type.Boolean({
    description: 'The person became the company’s first administrator by this sign-in',
  }),
});
