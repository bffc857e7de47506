import type { Knex } from 'knex';

/**
 * Monthly acts of completed work with their VAT invoices (6.5, 6.7, 6.8, Прил. 2 п.5): issued
 * for each month with services, signed by the client with EDS, refused with reasons, corrected,
 * or accepted when 5 working days pass; their history; reconciliation acts (6.6, Прил. 2 п.7).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('acts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.date('period_from').notNullable();
    t.date('period_to').notNullable();
    t.integer('revision').notNullable().defaultTo(1);
    t.uuid('replaces_act_id').references('acts.id');
    t.text('number').notNullable().unique();
    t.text('vat_invoice_number').notNullable().unique();
    t.text('status').notNullable().defaultTo('issued');
    t.integer('codes').notNullable();
    t.bigInteger('net').notNullable();
    t.bigInteger('vat').notNullable();
    t.bigInteger('total').notNullable();
    t.jsonb('lines').notNullable();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.date('issued_on').notNullable();
    t.timestamp('due_at', { useTz: true });
    t.binary('pdf').notNullable();
    t.string('pdf_sha256', 64).notNullable();
    t.binary('vat_invoice_pdf').notNullable();
    t.text('operator_signature').notNullable();
    t.text('operator_key_id').notNullable();
    t.timestamp('signed_at', { useTz: true });
    t.text('client_signature');
    t.jsonb('client_signer');
    t.timestamp('refused_at', { useTz: true });
    t.text('refusal_reason');
    t.binary('detailed_report_pdf');
    t.timestamp('resolved_at', { useTz: true });
    t.uuid('resolved_by').references('staff_users.id');
    t.text('resolution');
    t.timestamp('reminded_at', { useTz: true });
    t.timestamp('accepted_at', { useTz: true });
    t.unique(['client_id', 'period_from', 'revision']);
    t.index(['period_from', 'status']);
  });
  await knex.raw(
    `ALTER TABLE acts ADD CONSTRAINT acts_status CHECK (status IN ('issued','signed','disputed','auto_accepted','confirmed','superseded'))`,
  );
  await knex.raw(
    `ALTER TABLE acts ADD CONSTRAINT acts_amounts CHECK (codes >= 0 AND net >= 0 AND vat >= 0 AND total = net + vat)`,
  );

  // Public keys of the operator's document signatures, published for anyone to verify with.
  await knex.schema.createTable('operator_keys', (t) => {
    t.text('key_id').primary();
    t.text('public_key_pem').notNullable();
    t.timestamp('first_used_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('act_events', (t) => {
    t.bigIncrements('id');
    t.uuid('act_id').notNullable().references('acts.id').index();
    t.text('kind').notNullable();
    t.text('actor').notNullable();
    t.text('note');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('reconciliation_acts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.text('number').notNullable().unique();
    t.date('period_from').notNullable();
    t.date('period_to').notNullable();
    t.bigInteger('opening').notNullable();
    t.bigInteger('payments').notNullable();
    t.bigInteger('services').notNullable();
    t.bigInteger('corrections').notNullable();
    t.bigInteger('refunds').notNullable();
    t.bigInteger('closing').notNullable();
    t.binary('pdf').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['client_id', 'created_at']);
  });
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_balance CHECK (opening + payments - services + corrections - refunds = closing)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['reconciliation_acts', 'act_events', 'operator_keys', 'acts'])
    await knex.schema.dropTableIfExists(table);
}
