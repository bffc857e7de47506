import knex, { Knex } from 'knex';
import pg from 'pg';

// Return BIGINT (int8) columns as JS numbers only where they are safe: money in tiyn
// stays far below 2^53. COUNT(*) and SUM() results come back as strings otherwise.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
  return n;
});

// DATE columns stay 'YYYY-MM-DD' strings: a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type Db = Knex;

export function createDb(databaseUrl: string, options: { poolMax?: number } = {}): Db {
  return knex({
    client: 'pg',
    connection: { connectionString: databaseUrl, application_name: 'ismet-backoffice' },
    pool: { min: 0, max: options.poolMax ?? 10 },
    acquireConnectionTimeout: 10_000,
  });
}

/** What the pool connects with (its URL, application name), for a `pg` connection of a process's own beside it. */
export function connectionSettingsOf(db: Db): pg.ClientConfig {
  // knex keeps the `connection` it was made with on its client object; its types leave the client untyped.
  return (db.client as { connectionSettings: pg.ClientConfig }).connectionSettings;
}
