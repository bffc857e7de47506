import type { Knex } from 'knex';

/**
 * Downloads (3.2, 6.4, 1.1.14): a block of codes handed to the client, charged once, its codes
 * APPLIED; the 30-working-day application period (4.1.6); introduction into circulation
 * (Прил. 2 п.4); retention for 5 years (4.4.8).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('code_blocks', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('order_product_id').notNullable().references('order_products.id');
    t.uuid('client_id').notNullable().references('clients.id');
    // The request that made the block: `after:<lastBlockId>` from the order station (each block
    // names the one before it, '0' for the first), `key:<idempotency key>` from the cabinet. The
    // same request again is the same block, charged once.
    t.text('request_ref').notNullable();
    t.integer('requested').notNullable();
    t.integer('quantity').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('ledger_transaction_id').references('ledger_transactions.id');
    t.text('channel').notNullable();
    t.string('codes_sha256', 64).notNullable();
    t.timestamp('delivered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.date('apply_by');
    t.timestamp('reminded_at', { useTz: true });
    t.timestamp('overdue_at', { useTz: true });
    t.unique(['order_product_id', 'request_ref']);
    t.index(['client_id', 'delivered_at']);
  });
  await knex.raw(
    `ALTER TABLE code_blocks ADD CONSTRAINT code_blocks_quantity CHECK (quantity > 0 AND quantity <= requested AND amount >= 0)`,
  );
  await knex.raw(
    `ALTER TABLE code_blocks ADD CONSTRAINT code_blocks_channel CHECK (channel IN ('order_station','cabinet'))`,
  );

  // Each file made from a block (re-downloads are free): what was handed over, and its checksum.
  await knex.schema.createTable('code_files', (t) => {
    t.bigIncrements('id');
    t.uuid('block_id').notNullable().references('code_blocks.id').index();
    t.text('format').notNullable();
    t.bigInteger('bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('introductions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.text('idempotency_key').notNullable();
    t.string('request_hash', 64).notNullable();
    t.date('introduced_on').notNullable();
    t.text('document_number');
    t.jsonb('result').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['client_id', 'idempotency_key']);
  });

  await knex.schema.alterTable('marking_codes', (t) => {
    t.uuid('introduction_id').references('introductions.id');
    // Kept 5 years (4.4.8); then the code itself is purged; GTIN and serial stay, never reissued.
    t.timestamp('purged_at', { useTz: true });
    t.index(['emitted_at']);
    t.index(['block_id', 'seq']);
    t.dropIndex(['block_id']);
  });
  await knex.raw(`ALTER TABLE marking_codes ALTER COLUMN code DROP NOT NULL`);
  await knex.raw(
    `ALTER TABLE marking_codes ADD CONSTRAINT marking_codes_purged CHECK ((code IS NULL) = (purged_at IS NOT NULL))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE marking_codes DROP CONSTRAINT IF EXISTS marking_codes_purged');
  await knex.schema.alterTable('marking_codes', (t) => {
    t.dropIndex(['block_id', 'seq']);
    t.index(['block_id']);
    t.dropColumns('introduction_id', 'purged_at');
  });
  for (const table of ['introductions', 'code_files', 'code_blocks']) await knex.schema.dropTableIfExists(table);
}
