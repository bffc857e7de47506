import type { Knex } from 'knex';

/**
 * API tokens with a purpose and a life: scopes (the order station only; the cabinet read only;
 * the whole cabinet), an expiry, and who revoked each and why. Tokens issued before keep what
 * they could do.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.specificType('scopes', 'text[]').notNullable().defaultTo(knex.raw(`'{station,cabinet}'`));
    t.timestamp('expires_at', { useTz: true });
    t.text('revoked_by');
    t.text('revoke_reason');
  });
  await knex.raw(
    `ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scopes CHECK (scopes <@ ARRAY['station','cabinet_read','cabinet']::text[] AND cardinality(scopes) > 0)`,
  );
  await knex.schema.alterTable('staff_users', (t) => {
    t.timestamp('deactivated_at', { useTz: true });
    t.uuid('deactivated_by').references('staff_users.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_users', (t) => t.dropColumns('deactivated_at', 'deactivated_by'));
  await knex.raw('ALTER TABLE api_tokens DROP CONSTRAINT IF EXISTS api_tokens_scopes');
  await knex.schema.alterTable('api_tokens', (t) =>
    t.dropColumns('scopes', 'expires_at', 'revoked_by', 'revoke_reason'),
  );
}
