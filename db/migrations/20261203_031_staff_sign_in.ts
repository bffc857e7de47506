import type { Knex } from 'knex';

/**
 * Staff sign in as people through the operator's OpenID Connect provider (issue #16):
 * - staff_users.oidc_issuer/oidc_subject: the person at the provider (`iss` + `sub`), bound on the first
 *   sign-in by a verified e-mail and matched by it alone afterwards;
 * - staff_sign_in_requests: an authorization request under way (state, nonce, PKCE verifier), used once;
 * - staff_sessions: the short server-side sessions the consoles' cookie names (only its hash is kept);
 * - staff_sign_ins: every sign-in, refusal and sign-out — who, when, from which address.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('staff_users', (t) => {
    t.text('oidc_issuer');
    t.text('oidc_subject');
    t.unique(['oidc_issuer', 'oidc_subject'], { indexName: 'staff_users_oidc_person' });
  });
  await knex.raw(
    `ALTER TABLE staff_users ADD CONSTRAINT staff_users_oidc_both CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL))`,
  );

  await knex.schema.createTable('staff_sign_in_requests', (t) => {
    t.string('id_hash', 64).primary();
    t.text('state').notNullable();
    t.text('nonce').notNullable();
    t.text('code_verifier').notNullable();
    t.text('return_to').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
  });

  await knex.schema.createTable('staff_sessions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('token_hash', 64).notNullable().unique();
    t.uuid('staff_user_id').notNullable().references('staff_users.id').index();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoke_reason');
    t.text('ip');
    t.text('user_agent');
  });

  await knex.schema.createTable('staff_sign_ins', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('outcome').notNullable();
    t.uuid('staff_user_id').references('staff_users.id').index();
    t.uuid('session_id').references('staff_sessions.id');
    t.text('issuer');
    t.text('subject');
    t.text('email');
    t.text('ip');
    t.text('user_agent');
    t.text('detail');
  });
  await knex.raw(
    `ALTER TABLE staff_sign_ins ADD CONSTRAINT staff_sign_ins_outcome CHECK (outcome IN ('signed_in','signed_out','refused_unknown','refused_inactive','refused_conflict','failed'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['staff_sign_ins', 'staff_sessions', 'staff_sign_in_requests'])
    await knex.schema.dropTableIfExists(table);
  await knex.raw('ALTER TABLE staff_users DROP CONSTRAINT IF EXISTS staff_users_oidc_both');
  await knex.schema.alterTable('staff_users', (t) => {
    t.dropUnique(['oidc_issuer', 'oidc_subject'], 'staff_users_oidc_person');
    t.dropColumns('oidc_issuer', 'oidc_subject');
  });
}
