import { Type, Static } from 'typebox';
import { LANGUAGES } from '../../lib/i18n/languages';
import { STAFF_ROLES } from '../../lib/roles';
import { IsoInstant, StringEnum, Uuid } from './common';

export const StaffRole = StringEnum(STAFF_ROLES);

export const StaffUser = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    email: Type.String({ format: 'email' }),
    roles: Type.Array(StaffRole),
    active: Type.Boolean(),
    createdAt: IsoInstant,
    language: Type.Union([StringEnum(LANGUAGES), Type.Null()], {
      description: 'The language the user reads the consoles in (kk or ru); null until chosen',
    }),
  },
  { $id: 'StaffUser', title: 'Staff user' },
);
export type StaffUser = Static<typeof StaffUser>;

export const CreateStaffUserBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    roles: Type.Array(StaffRole, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export function toStaffUser(row: Record<string, any>): StaffUser {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    roles: row.roles,
    active: row.active,
    createdAt: new Date(row.created_at).toISOString(),
    language: row.language ?? null,
  };
}
