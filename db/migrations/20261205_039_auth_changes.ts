import type { Knex } from 'knex';

/**
 * Issue #20: the API processes keep an API token's owner for a few seconds (api/http/token-cache.ts). Whatever changes
 * what a token may do — its revocation, expiry or scopes, its staff user's roles or deactivation, its client's status —
 * tells every process at once on the channel `ismet_auth_changed` (db/auth-changes.ts), and each drops its cache.
 * Statement triggers: one notice per change, however many rows; PostgreSQL folds equal notices of a transaction.
 */
const TRIGGERS: [table: string, columns: string][] = [
  ['api_tokens', 'revoked_at, expires_at, scopes, client_id, staff_user_id, token_hash'],
  ['staff_users', 'roles, active'],
  ['clients', 'status'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('ismet_auth_changed', TG_TABLE_NAME);
      RETURN NULL;
    END $$`);
  for (const [table, columns] of TRIGGERS) {
    await knex.raw(
      `CREATE TRIGGER ${table}_auth_changed AFTER UPDATE OF ${columns} OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION auth_changed()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of TRIGGERS) await knex.raw(`DROP TRIGGER ${table}_auth_changed ON ${table}`);
  await knex.raw('DROP FUNCTION auth_changed()');
}
