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
