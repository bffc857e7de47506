import type { Knex } from 'knex';

/**
 * Money put into a personal account by hand (corrections, compensations) above a threshold waits
 * for a second person: one proposes, another approves or rejects, both recorded.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('manual_credits', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('kind').notNullable();
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.bigInteger('amount').notNullable();
    t.jsonb('details').notNullable();
    t.text('idempotency_key').notNullable().unique();
    t.uuid('proposed_by').notNullable().references('staff_users.id');
    t.timestamp('proposed_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_note');
    t.bigInteger('ledger_transaction_id').references('ledger_transactions.id');
  });
  await knex.raw(
    `ALTER TABLE manual_credits ADD CONSTRAINT manual_credits_kind CHECK (kind IN ('correction','compensation'))`,
  );
  await knex.raw(
    `ALTER TABLE manual_credits ADD CONSTRAINT manual_credits_status CHECK (status IN ('pending','approved','rejected'))`,
  );
  await knex.raw(
    `ALTER TABLE manual_credits ADD CONSTRAINT manual_credits_four_eyes CHECK (decided_by IS NULL OR decided_by <> proposed_by)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('manual_credits');
}
