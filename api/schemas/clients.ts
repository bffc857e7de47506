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
  { $id: 'Client', title: 'Client', description: 'omsId: the client’s order station id, passed as `omsId` to /api/v2/shoes' },
);
export type Client = Static<typeof Client>;

export const CreateClientBody = Type.Object(
  {
    binIin: Type.String({ pattern: '^[0-9]{12}$', description: 'BIN or IIN, 12 digits with a valid check digit' }),
    name: Type.String({ minLength: 1, maxLength: 500 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    requisites: Type.Object(
      {
        companyName: Type.String({ minLength: 1, maxLength: 500, description: 'Full name of the legal entity or entrepreneur, as on invoices and acts' }),
        legalAddress: Type.String({ minLength: 1, maxLength: 1000 }),
        iik: Type.String({ minLength: 20, maxLength: 34, description: 'IIK, a Kazakhstan IBAN: refunds go there (3.7, 6.11)' }),
        bankName: Type.String({ minLength: 1, maxLength: 300 }),
        bik: Type.String({ minLength: 8, maxLength: 11 }),
        kbe: Type.String({ pattern: '^[0-9]{2}$' }),
        actualAddress: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
        phone: Type.Optional(Type.String({ minLength: 5, maxLength: 30 })),
      },
      { additionalProperties: false, description: 'The buyer\'s requisites every invoice, act and VAT invoice carries; given at registration' },
    ),
  },
  { additionalProperties: false },
);

export const IssuedToken = Type.Object({
  id: Uuid,
  token: Type.String({ description: 'The secret; shown once, only its hash is stored' }),
});

export const IssueTokenBody = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 200 }) },
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
