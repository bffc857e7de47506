import type { Knex } from 'knex';

/**
 * Orders through the order station (СУЗ, Прил. 2 п.3) and the marking codes emitted for them
 * (3.2, 4.4.4): the client's product catalogue, orders with one buffer per GTIN, codes unique
 * per GTIN for ever and kept 5 years (4.4.8), missed emission deadlines (7.3).
 */
export async function up(knex: Knex): Promise<void> {
  // Each client has its own order station id (omsId in the СУЗ API).
  await knex.schema.alterTable('clients', (t) => {
    t.uuid('oms_id').notNullable().unique().defaultTo(knex.raw('gen_random_uuid()'));
  });

  await knex.schema.createTable('products', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.string('gtin', 14).notNullable();
    t.text('name').notNullable();
    t.jsonb('attributes').notNullable().defaultTo('{}');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['client_id', 'gtin']);
  });
  await knex.raw(`ALTER TABLE products ADD CONSTRAINT products_gtin CHECK (gtin ~ '^[0-9]{14}$')`);

  await knex.schema.createTable('orders', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.uuid('oms_id').notNullable();
    t.text('idempotency_key');
    t.string('request_hash', 64);
    t.text('contact_person').notNullable();
    t.text('release_method_type').notNullable();
    t.text('create_method_type').notNullable();
    t.text('production_order_id');
    t.text('status').notNullable().defaultTo('CREATED');
    t.text('decline_reason');
    t.integer('total_codes').notNullable();
    t.timestamp('registered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('emission_deadline_at', { useTz: true }).notNullable();
    t.bigInteger('reserved_amount');
    t.timestamp('approved_at', { useTz: true });
    t.timestamp('ready_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('deadline_missed_at', { useTz: true });
    t.index(['client_id', 'status']);
    t.unique(['client_id', 'idempotency_key']);
  });
  await knex.raw(
    `ALTER TABLE orders ADD CONSTRAINT orders_status CHECK (status IN ('CREATED','PENDING','DECLINED','APPROVED','READY','CLOSED','EXPIRED'))`,
  );
  await knex.raw(`ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total_codes > 0)`);

  // One buffer (sub-order) per GTIN of an order.
  await knex.schema.createTable('order_products', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('order_id').notNullable().references('orders.id');
    t.string('gtin', 14).notNullable();
    t.integer('quantity').notNullable();
    t.text('serial_number_type').notNullable();
    t.integer('template_id').notNullable();
    t.text('cis_type').notNullable();
    t.integer('emitted').notNullable().defaultTo(0);
    t.integer('passed').notNullable().defaultTo(0);
    t.text('status').notNullable().defaultTo('PENDING');
    t.text('rejection_reason');
    t.timestamp('closed_at', { useTz: true });
    t.unique(['order_id', 'gtin']);
  });
  await knex.raw(
    `ALTER TABLE order_products ADD CONSTRAINT order_products_counts CHECK (quantity BETWEEN 1 AND 150000 AND emitted BETWEEN 0 AND quantity AND passed BETWEEN 0 AND emitted)`,
  );
  await knex.raw(
    `ALTER TABLE order_products ADD CONSTRAINT order_products_status CHECK (status IN ('PENDING','ACTIVE','EXHAUSTED','REJECTED','CLOSED','EXPIRED'))`,
  );

  // Serials the client made itself (SELF_MADE), taken for their GTIN from the order on.
  await knex.schema.createTable('self_made_serials', (t) => {
    t.uuid('order_product_id').notNullable().references('order_products.id');
    t.integer('seq').notNullable();
    t.string('gtin', 14).notNullable();
    t.string('serial', 13).notNullable();
    t.primary(['order_product_id', 'seq']);
    t.unique(['gtin', 'serial']);
  });

  await knex.schema.createTable('marking_codes', (t) => {
    t.bigIncrements('id');
    t.uuid('order_product_id').notNullable().references('order_products.id');
    t.integer('seq').notNullable();
    t.uuid('client_id').notNullable().references('clients.id');
    t.string('gtin', 14).notNullable();
    t.string('serial', 13).notNullable();
    t.text('code').notNullable();
    t.string('key_id', 4).notNullable();
    t.text('status').notNullable().defaultTo('EMITTED');
    t.timestamp('emitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('block_id');
    t.timestamp('applied_at', { useTz: true });
    t.timestamp('introduced_at', { useTz: true });
    // A serial is never issued twice for a GTIN (codes are kept 5 years, 4.4.8: never deleted).
    t.unique(['gtin', 'serial']);
    t.unique(['order_product_id', 'seq']);
    t.index(['block_id']);
  });
  await knex.raw(
    `ALTER TABLE marking_codes ADD CONSTRAINT marking_codes_status CHECK (status IN ('EMITTED','APPLIED','INTRODUCED','CANCELLED'))`,
  );

  // 4.4.4 missed: recorded with the right it gives (7.3) and the support ticket it asks for.
  await knex.schema.createTable('order_breaches', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('order_id').notNullable().unique().references('orders.id');
    t.uuid('client_id').notNullable().references('clients.id');
    t.timestamp('deadline_at', { useTz: true }).notNullable();
    t.timestamp('detected_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('codes_ready_at', { useTz: true });
    t.text('compensation_status').notNullable().defaultTo('eligible');
  });
  await knex.raw(
    `ALTER TABLE order_breaches ADD CONSTRAINT order_breaches_compensation CHECK (compensation_status IN ('eligible','claimed','paid','refused'))`,
  );

  // Requests for support tickets raised by processes (a missed emission deadline opens a
  // high-priority one); the support capability takes them and fills ticket_id.
  await knex.schema.createTable('support_ticket_requests', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.text('source').notNullable();
    t.text('source_id').notNullable();
    t.text('priority').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('ticket_id');
    t.unique(['source', 'source_id']);
  });
  await knex.raw(
    `ALTER TABLE support_ticket_requests ADD CONSTRAINT support_ticket_requests_priority CHECK (priority IN ('high','medium','low'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'support_ticket_requests',
    'order_breaches',
    'marking_codes',
    'self_made_serials',
    'order_products',
    'orders',
    'products',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.alterTable('clients', (t) => t.dropColumn('oms_id'));
}
