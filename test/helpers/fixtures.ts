import { randomInt } from 'node:crypto';
import { issueToken } from '../../db/api-tokens';
import type { Db } from '../../db/connection';
import { randomBinIin } from '../../ops/sample-data';
import type { StaffRole } from '../../lib/roles';

export { randomBinIin };

/** The requisites staff give when they register a client (invoices and acts carry them). */
export const REQUISITES = {
  companyName: 'ТОО «Степная обувь»',
  legalAddress: 'г. Алматы, ул. Абая, 10',
  iik: 'KZ86125KZT5004100100',
  bankName: 'АО «Народный банк Казахстана»',
  bik: 'HSBKKZKX',
  kbe: '17',
};

export async function insertClient(db: Db, fields: Partial<{ name: string; email: string; binIin: string }> = {}) {
  const [row] = await db('clients')
    .insert({
      bin_iin: fields.binIin ?? randomBinIin(),
      name: fields.name ?? 'ТОО «Тестовая обувь»',
      email: fields.email ?? `client-${randomInt(1e9)}@example.kz`,
    })
    .returning('*');
  return row;
}

export async function insertStaff(db: Db, roles: StaffRole[], email = `staff-${randomInt(1e9)}@ismet.local`) {
  const [row] = await db('staff_users')
    .insert({ name: `Staff ${roles.join('+')}`, email, roles })
    .returning('*');
  const { token } = await issueToken(db, { staffUserId: row.id }, 'test');
  return { ...row, token };
}

export async function clientToken(db: Db, clientId: string) {
  return (await issueToken(db, { clientId }, 'test')).token;
}
