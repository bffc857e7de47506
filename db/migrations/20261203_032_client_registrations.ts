import type { Knex } from 'knex';

/**
 * A client registered by staff without an EDS application (10.5): one person proposes it with its
 * grounds, another approves (the client is created then) or rejects it; both are recorded.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('client_registrations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('bin_iin').notNullable();
    t.text('name').notNullable();
    t.text('email').notNullable();
    t.jsonb('requisites').notNullable();
    t.text('grounds').notNullable();
    t.uuid('proposed_by').notNullable().references('staff_users.id');
    t.timestamp('proposed_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_note');
    t.uuid('client_id').references('clients.id');
  });
  await knex.raw(
    `ALTER TABLE client_registrations ADD CONSTRAINT client_registrations_status CHECK (status IN ('pending','approved','rejected'))`,
  );
  await knex.raw(
    `ALTER TABLE client_registrations ADD CONSTRAINT client_registrations_four_eyes CHECK (decided_by IS NULL OR decided_by <> proposed_by)`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX client_registrations_one_pending ON client_registrations (bin_iin) WHERE status = 'pending'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('client_registrations');
}
