import type { Knex } from 'knex';
import { notFound } from '../http/errors';

/** Notices to clients (10.2.1, 4.3.2) as the API reads them. */

async function oneNotice(db: Knex, where: { id: string; client_id?: string }): Promise<Record<string, any>> {
  const row = await db('notices').where(where).first();
  if (!row) throw notFound('notice', where.id);
  return row;
}

/** A notice, or 404. */
export const noticeById = (db: Knex, noticeId: string) => oneNotice(db, { id: noticeId });

/** The client's notice, or 404. */
export const clientNotice = (db: Knex, clientId: string, noticeId: string) =>
  oneNotice(db, { id: noticeId, client_id: clientId });

/** The client's latest 200 notices, newest first. */
export const clientNotices = (db: Knex, clientId: string) =>
  db('notices').where({ client_id: clientId }).orderBy('created_at', 'desc').limit(200);
