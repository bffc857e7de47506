import type { Knex } from 'knex';

/**
 * Dated tariffs (6.1) and VAT rates not yet in force can be withdrawn or replaced: one person
 * proposes with a reason, a second confirms; the withdrawn record stays, marked, for the audit.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['tariffs', 'vat_rates']) {
    await knex.schema.alterTable(table, (t) => {
      t.timestamp('withdrawn_at', { useTz: true });
    });
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_effective_from_unique`);
    await knex.raw(
      `CREATE UNIQUE INDEX ${table}_effective_from_in_use ON ${table} (effective_from) WHERE withdrawn_at IS NULL`,
    );
  }
  await knex.schema.createTable('pricing_changes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('subject').notNullable();
    t.uuid('record_id').notNullable();
    t.text('action').notNullable();
    t.jsonb('replacement');
    t.text('reason').notNullable();
    t.uuid('proposed_by').notNullable().references('staff_users.id');
    t.timestamp('proposed_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_note');
    t.uuid('replacement_id');
  });
  await knex.raw(
    `ALTER TABLE pricing_changes ADD CONSTRAINT pricing_changes_subject CHECK (subject IN ('tariff','vat_rate'))`,
  );
  await knex.raw(
    `ALTER TABLE pricing_changes ADD CONSTRAINT pricing_changes_action CHECK (action IN ('withdraw','replace') AND (action = 'replace') = (replacement IS NOT NULL))`,
  );
  await knex.raw(
    `ALTER TABLE pricing_changes ADD CONSTRAINT pricing_changes_status CHECK (status IN ('pending','confirmed','rejected'))`,
  );
  await knex.raw(
    `ALTER TABLE pricing_changes ADD CONSTRAINT pricing_changes_four_eyes CHECK (decided_by IS NULL OR decided_by <> proposed_by)`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX pricing_changes_one_pending ON pricing_changes (subject, record_id) WHERE status = 'pending'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('pricing_changes');
  for (const table of ['tariffs', 'vat_rates']) {
    await knex.raw(`DROP INDEX IF EXISTS ${table}_effective_from_in_use`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_effective_from_unique UNIQUE (effective_from)`);
    await knex.schema.alterTable(table, (t) => t.dropColumn('withdrawn_at'));
  }
}
