import { Type, Static } from 'typebox';
import { IsoInstant, StringEnum, Uuid } from './common';

export const Client = Type.Object(
  {
    id: Uuid,
    binIin: Type.String({ pattern: '^[0-9]{12}$', description: 'BIN or IIN, 12 digits' }),
    name: Type.String(),
    email: Type.String({ format: 'email' }),
    status: StringEnum(['pending', 'active', 'suspended', 'terminated']),
    omsId: Uuid,
    createdAt: IsoInstant,
  },
  {
    $id: 'Client',
    title: 'Client',
    description: 'omsId: the client’s order station id, passed as `omsId` to /api/v2/shoes',
  },
);
export type Client = Static<typeof Client>;

export const CreateClientBody = Type.Object(
  {
    binIin: Type.String({ pattern: '^[0-9]{12}$', description: 'BIN or IIN, 12 digits with a valid check digit' }),
    name: Type.String({ minLength: 1, maxLength: 500 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    requisites: Type.Object(
      {
        companyName: Type.String({
          minLength: 1,
          maxLength: 500,
          description: 'Full name of the legal entity or entrepreneur, as on invoices and acts',
        }),
        legalAddress: Type.String({ minLength: 1, maxLength: 1000 }),
        iik: Type.String({
          minLength: 20,
          maxLength: 34,
          description: 'IIK, a Kazakhstan IBAN: refunds go there (3.7, 6.11)',
        }),
        bankName: Type.String({ minLength: 1, maxLength: 300 }),
        bik: Type.String({ minLength: 8, maxLength: 11 }),
        kbe: Type.String({ pattern: '^[0-9]{2}$' }),
        actualAddress: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
        phone: Type.Optional(Type.String({ minLength: 5, maxLength: 30 })),
      },
      {
        additionalProperties: false,
        description: "The buyer's requisites every invoice, act and VAT invoice carries; given at registration",
      },
    ),
    grounds: Type.String({
      minLength: 10,
      maxLength: 2000,
      description:
        'Why the client is registered without an EDS application, and the document it rests on (a paper application, an agreement…)',
    }),
  },
  { additionalProperties: false },
);

export const ClientRegistration = Type.Object(
  {
    id: Uuid,
    binIin: Type.String(),
    name: Type.String(),
    email: Type.String(),
    requisites: Type.Record(Type.String(), Type.String()),
    grounds: Type.String(),
    status: StringEnum(['pending', 'approved', 'rejected']),
    proposedBy: Uuid,
    proposedAt: IsoInstant,
    decidedBy: Type.Union([Uuid, Type.Null()]),
    decidedAt: Type.Union([IsoInstant, Type.Null()]),
    decisionNote: Type.Union([Type.String(), Type.Null()]),
    clientId: Type.Union([Uuid, Type.Null()], { description: 'The client created on approval' }),
  },
  {
    $id: 'ClientRegistration',
    title: 'A client registered by staff without an application, waiting for or decided by a second person',
  },
);

export const IssuedToken = Type.Object({
  id: Uuid,
  token: Type.String({ description: 'The secret; shown once, only its hash is stored' }),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.Union([IsoInstant, Type.Null()]),
});

const SCOPES_DESCRIPTION =
  'station: the order station API (/api/v2) only — what an integrator pastes into its software; cabinet_read: read the cabinet; cabinet: the whole cabinet';
const Scopes = (description: string) =>
  Type.Array(StringEnum(['station', 'cabinet_read', 'cabinet']), {
    minItems: 1,
    maxItems: 3,
    uniqueItems: true,
    description,
  });

export const IssueTokenBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 200 }),
    scopes: Type.Optional(Scopes(`${SCOPES_DESCRIPTION}. Default: station and cabinet`)),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 730, description: 'Default 365' })),
  },
  { additionalProperties: false },
);

export const TokenInfo = Type.Object(
  {
    id: Uuid,
    label: Type.String(),
    scopes: Type.Array(Type.String()),
    createdAt: IsoInstant,
    lastUsedAt: Type.Union([IsoInstant, Type.Null()]),
    expiresAt: Type.Union([IsoInstant, Type.Null()]),
    revokedAt: Type.Union([IsoInstant, Type.Null()]),
    revokedBy: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean({ description: 'The token of this request' }),
  },
  { $id: 'TokenInfo', title: 'API token (never its secret)' },
);

export const TokenList = Type.Object({ tokens: Type.Array(TokenInfo) });
export const RevokeTokenBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export function toClient(row: Record<string, any>): Client {
  return {
    id: row.id,
    binIin: row.bin_iin,
    name: row.name,
    email: row.email,
    status: row.status,
    omsId: row.oms_id,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
