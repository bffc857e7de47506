import type { Knex } from 'knex';
import { notFound } from '../http/errors';

/** Clients as the routes read them: by id, or 404. */

/** The client's row (with the columns given, all by default), or undefined. */
export const clientById = (db: Knex, clientId: string, ...columns: string[]) =>
  db('clients')
    .where({ id: clientId })
    .first(...columns);

/** The client's row (with the columns given, all by default), or 404. */
export async function existingClient(db: Knex, clientId: string, ...columns: string[]): Promise<Record<string, any>> {
  const row = await clientById(db, clientId, ...columns);
  if (!row) throw notFound('client', clientId);
  return row;
}
