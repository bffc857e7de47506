import type { Knex } from 'knex';

/**
 * Top-ups (3.4, 6.2): bank payments, each credited once however often its bank document is
 * imported, matched to a personal account or queued for an accountant; statement imports.
 * Invoices for payment (Прил. 2 п.6), numbered without gaps per year.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bank_statement_imports', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('file_name');
    t.text('format').notNullable();
    t.text('encoding').notNullable();
    t.string('sha256', 64).notNullable();
    t.integer('size').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.jsonb('summary');
    t.uuid('imported_by').references('staff_users.id');
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE bank_statement_imports ADD CONSTRAINT bank_statement_imports_status CHECK (status IN ('running','completed','failed'))`,
  );

  await knex.schema.createTable('bank_payments', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    // The bank document's identity: date, number, payer account and amount.
    t.text('source_key').notNullable().unique();
    t.text('source').notNullable();
    t.uuid('import_id').references('bank_statement_imports.id');
    t.text('document_number').notNullable();
    t.date('document_date').notNullable();
    t.date('received_on').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('payer_name').notNullable();
    t.string('payer_bin_iin', 12);
    t.text('payer_iik');
    t.text('payer_bik');
    t.text('purpose').notNullable();
    t.text('knp');
    t.text('status').notNullable();
    t.uuid('client_id').references('clients.id').index();
    t.text('match_rule');
    t.text('unmatched_reason');
    t.bigInteger('ledger_transaction_id').references('ledger_transactions.id');
    t.uuid('handled_by').references('staff_users.id');
    t.timestamp('handled_at', { useTz: true });
    t.text('return_reason');
    t.uuid('recorded_by').references('staff_users.id');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE bank_payments ADD CONSTRAINT bank_payments_amount CHECK (amount > 0)`);
  await knex.raw(
    `ALTER TABLE bank_payments ADD CONSTRAINT bank_payments_source CHECK (source IN ('manual','1c','csv'))`,
  );
  await knex.raw(
    `ALTER TABLE bank_payments ADD CONSTRAINT bank_payments_status CHECK (status IN ('credited','unassigned','returned'))`,
  );
  await knex.raw(
    `ALTER TABLE bank_payments ADD CONSTRAINT bank_payments_credited CHECK ((status = 'credited') = (client_id IS NOT NULL))`,
  );
  await knex.raw(`CREATE INDEX bank_payments_queue ON bank_payments (received_on) WHERE status = 'unassigned'`);

  await knex.schema.createTable('document_counters', (t) => {
    t.text('kind').notNullable();
    t.integer('year').notNullable();
    t.integer('last').notNullable();
    t.primary(['kind', 'year']);
  });

  await knex.schema.createTable('invoices', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.text('number').notNullable().unique();
    t.integer('year').notNullable();
    t.integer('seq').notNullable();
    t.date('issued_on').notNullable();
    t.date('payable_by');
    t.text('idempotency_key').notNullable().unique();
    t.string('request_hash', 64).notNullable();
    t.integer('codes');
    t.integer('price_per_code_tiyn').notNullable();
    t.integer('vat_rate_bp').notNullable();
    t.bigInteger('net').notNullable();
    t.bigInteger('vat').notNullable();
    t.bigInteger('total').notNullable();
    t.binary('pdf').notNullable();
    t.string('pdf_sha256', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['year', 'seq']);
    t.index(['client_id', 'created_at']);
  });
  await knex.raw(
    `ALTER TABLE invoices ADD CONSTRAINT invoices_amounts CHECK (net >= 0 AND vat >= 0 AND total = net + vat AND total > 0)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['invoices', 'document_counters', 'bank_payments', 'bank_statement_imports'])
    await knex.schema.dropTableIfExists(table);
}
