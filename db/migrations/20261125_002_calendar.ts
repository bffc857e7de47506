import type { Knex } from 'knex';

/**
 * The business calendar (issue: one calendar behind every deadline): covered years with
 * their sources, the dates that differ from an ordinary week, and an audit of every change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('calendar_years', (t) => {
    t.integer('year').primary();
    t.text('status').notNullable();
    t.jsonb('sources').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('updated_by').references('staff_users.id');
  });
  await knex.raw(
    `ALTER TABLE calendar_years ADD CONSTRAINT calendar_years_status CHECK (status IN ('official','provisional'))`,
  );

  await knex.schema.createTable('calendar_days', (t) => {
    t.date('date').primary();
    t.integer('year').notNullable().references('calendar_years.year').onDelete('CASCADE').index();
    t.text('kind').notNullable();
    t.text('name').notNullable();
    t.text('source').notNullable();
    t.text('category');
    t.date('moved_from');
    t.date('paired_with');
  });
  await knex.raw(`ALTER TABLE calendar_days ADD CONSTRAINT calendar_days_kind
    CHECK (kind IN ('holiday','holiday_moved','rest_day_transfer','working_day_transfer'))`);
  await knex.raw(
    `ALTER TABLE calendar_days ADD CONSTRAINT calendar_days_in_year CHECK (extract(year FROM date) = year)`,
  );

  await knex.schema.createTable('calendar_changes', (t) => {
    t.bigIncrements('id');
    t.integer('year').notNullable().index();
    t.uuid('changed_by').references('staff_users.id');
    t.text('reason').notNullable();
    t.jsonb('before');
    t.jsonb('after').notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['calendar_changes', 'calendar_days', 'calendar_years'])
    await knex.schema.dropTableIfExists(table);
}
