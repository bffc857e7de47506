import type { Language } from '../lib/i18n/languages';
import type { Db } from './connection';

/**
 * The language each user reads the consoles and the cabinet in (issue #21), kept wherever they sign in; null until
 * they choose one.
 */

export async function setStaffUserLanguage(db: Db, staffUserId: string, language: Language): Promise<boolean> {
  return (await db('staff_users').where({ id: staffUserId }).update({ language })) === 1;
}

export async function setPersonLanguage(
  db: Db,
  clientId: string,
  personId: string,
  language: Language,
): Promise<boolean> {
  return (await db('client_people').where({ id: personId, client_id: clientId }).update({ language })) === 1;
}

export async function personLanguage(db: Db, personId: string): Promise<Language | null> {
  const row = await db('client_people').where({ id: personId }).first('language');
  return (row?.language as Language | null | undefined) ?? null;
}
