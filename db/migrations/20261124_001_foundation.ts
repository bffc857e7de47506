import type { Knex } from 'knex';

/** Clients, staff users with roles, API tokens (stored hashed), e-mail notices. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pgcrypto');

  await knex.schema.createTable('clients', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('bin_iin', 12).notNullable().unique();
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.text('status').notNullable().defaultTo('active');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE clients ADD CONSTRAINT clients_bin_iin_format CHECK (bin_iin ~ '^[0-9]{12}$')`);
  await knex.raw(
    `ALTER TABLE clients ADD CONSTRAINT clients_status CHECK (status IN ('pending','active','suspended','terminated'))`,
  );

  await knex.schema.createTable('staff_users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('email').notNullable().unique();
    t.specificType('roles', 'text[]').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE staff_users ADD CONSTRAINT staff_users_roles CHECK (
    cardinality(roles) > 0 AND roles <@ ARRAY['moderator','support','accountant','admin']::text[])`);

  await knex.schema.createTable('api_tokens', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('token_hash', 64).notNullable().unique();
    t.uuid('client_id').references('clients.id');
    t.uuid('staff_user_id').references('staff_users.id');
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_one_owner CHECK ((client_id IS NULL) <> (staff_user_id IS NULL))`,
  );

  await knex.schema.createTable('notices', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('recipient').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.text('status').notNullable().defaultTo('queued');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.text('message_id');
    t.uuid('created_by').references('staff_users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE notices ADD CONSTRAINT notices_status CHECK (status IN ('queued','sent','failed'))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['notices', 'api_tokens', 'staff_users', 'clients']) await knex.schema.dropTableIfExists(table);
}
