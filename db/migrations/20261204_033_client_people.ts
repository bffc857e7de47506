import type { Knex } from 'knex';

/**
 * The company's people in the cabinet (issue #17; 1.1 «пользователях работающих с его профилем»):
 * - client_people: an employee of a client — IIN, name, e-mail, roles (admin, ordering, accounting,
 *   support) — added and removed by the company's administrator; one current entry per IIN and client;
 * - client_sign_in_challenges: the text a person signs with their EDS (through NCALayer) to sign in, used once;
 * - client_sessions: the person's server-side cabinet sessions (only the cookie secret's hash is kept);
 * - client_person_actions: every change a person made through a session, and their sign-ins.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('client_people', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.string('iin', 12).notNullable();
    t.text('full_name').notNullable();
    t.text('email');
    t.specificType('roles', 'text[]').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('created_by').notNullable();
    t.timestamp('removed_at', { useTz: true });
    t.text('removed_by');
    t.timestamp('last_sign_in_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE client_people ADD CONSTRAINT client_people_roles CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['admin','ordering','accounting','support']::text[])`,
  );
  await knex.raw(`ALTER TABLE client_people ADD CONSTRAINT client_people_iin CHECK (iin ~ '^[0-9]{12}$')`);
  await knex.raw(
    `CREATE UNIQUE INDEX client_people_current ON client_people (client_id, iin) WHERE removed_at IS NULL`,
  );
  await knex.raw(`CREATE INDEX client_people_by_iin ON client_people (iin) WHERE removed_at IS NULL`);

  await knex.schema.createTable('client_sign_in_challenges', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('document').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
  });

  await knex.schema.createTable('client_sessions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('token_hash', 64).notNullable().unique();
    t.uuid('person_id').notNullable().references('client_people.id').index();
    t.uuid('client_id').notNullable().references('clients.id');
    t.text('certificate_serial');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoke_reason');
    t.text('ip');
    t.text('user_agent');
  });

  await knex.schema.createTable('client_person_actions', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('client_id').notNullable().references('clients.id');
    t.uuid('person_id').notNullable().references('client_people.id');
    t.uuid('session_id').references('client_sessions.id');
    t.text('method').notNullable();
    t.text('route').notNullable();
    t.text('path').notNullable();
    t.integer('status_code').notNullable();
  });
  await knex.raw(`CREATE INDEX client_person_actions_by_client ON client_person_actions (client_id, id DESC)`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['client_person_actions', 'client_sessions', 'client_sign_in_challenges', 'client_people'])
    await knex.schema.dropTableIfExists(table);
}
