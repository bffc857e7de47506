import type { Knex } from 'knex';

/**
 * The calendar never runs out (issue #13):
 * - calendar_bundled_years: the content of each year in lib/calendar/data/kz.json as last
 *   compared with the database at start, so that a corrected year in a new release is applied
 *   (or, over a staff edit, noted in calendar_changes) once, not on every start;
 * - calendar_horizon_mail: the year admins were e-mailed that its official calendar is missing
 *   (from 1 October of the year before), once per year.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_bundled_years', (t) => {
    t.integer('year').primary();
    t.jsonb('content').notNullable();
    t.timestamp('compared_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('calendar_horizon_mail', (t) => {
    t.integer('year').primary();
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.specificType('recipients', 'text[]').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['calendar_horizon_mail', 'calendar_bundled_years']) await knex.schema.dropTableIfExists(table);
}
