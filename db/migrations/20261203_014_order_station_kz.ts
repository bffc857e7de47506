import type { Knex } from 'knex';

/**
 * The order station speaks the Kazakhstan station's published API (issue #14):
 * - the KZ order's own fields, kept as sent (`country`, `serviceProviderId`; per line
 *   `stickerId`, `exporterTaxpayerId`);
 * - aggregation of unit codes into a box or set (СУЗ «Отчёт об агрегации КМ»): the reports and
 *   the units they made, each code in at most one unit;
 * - the logs a client's production software (АСУТП) uploads for support to read.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.string('country', 2);
    t.text('service_provider_id');
  });
  await knex.schema.alterTable('order_products', (t) => {
    t.text('sticker_id');
    t.text('exporter_taxpayer_id');
  });

  await knex.schema.createTable('aggregation_reports', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.text('participant_id').notNullable();
    t.text('request_hash').notNullable();
    t.text('status').notNullable();
    t.text('error_reason');
    t.integer('units').notNullable();
    t.integer('codes').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.unique(['client_id', 'request_hash']);
  });
  await knex.raw(
    `ALTER TABLE aggregation_reports ADD CONSTRAINT aggregation_reports_status CHECK (status IN ('PENDING','CHECK','READY_TO_SEND','REJECTED','SENT'))`,
  );

  await knex.schema.createTable('aggregation_units', (t) => {
    t.text('unit_serial_number').primary();
    t.uuid('client_id').notNullable().references('clients.id');
    t.integer('capacity').notNullable();
    t.integer('items_count').notNullable();
    t.uuid('report_id').notNullable().references('aggregation_reports.id');
    t.timestamp('aggregated_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `ALTER TABLE aggregation_units ADD CONSTRAINT aggregation_units_counts CHECK (capacity > 0 AND items_count BETWEEN 1 AND capacity)`,
  );
  await knex.schema.createTable('aggregation_unit_codes', (t) => {
    t.text('unit_serial_number').notNullable().references('aggregation_units.unit_serial_number').onDelete('CASCADE');
    t.bigInteger('code_id').notNullable().unique().references('marking_codes.id');
    t.integer('position').notNullable();
    t.primary(['unit_serial_number', 'position']);
  });

  await knex.schema.createTable('station_logs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.text('file_name').notNullable();
    t.text('content_type').notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.binary('content').notNullable();
    t.timestamp('uploaded_at', { useTz: true }).notNullable();
    t.index(['client_id', 'uploaded_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['station_logs', 'aggregation_unit_codes', 'aggregation_units', 'aggregation_reports'])
    await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('order_products', (t) => {
    t.dropColumn('sticker_id');
    t.dropColumn('exporter_taxpayer_id');
  });
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('country');
    t.dropColumn('service_provider_id');
  });
}
