import type { Knex } from 'knex';

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: any[] }>;
}

/**
 * A query by name on one of the pool's connections: PostgreSQL parses and plans it once per connection, then only
 * binds and runs it, and knex builds nothing. For the hot reads; never inside a transaction (it takes its own
 * connection). `name` must be unique to `text`.
 */
export async function prepared(db: Knex, name: string, text: string, values: unknown[]): Promise<any[]> {
  const connection = (await db.client.acquireConnection()) as PgConnection;
  try {
    return (await connection.query({ name, text, values })).rows;
  } finally {
    await db.client.releaseConnection(connection);
  }
}
