import type { Knex } from 'knex';

/** A claim records the day of the events it concerns: once the contract has ended, within its time (9.2-9.4). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('claims', (t) => {
    t.date('concerns_date');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('claims', (t) => {
    t.dropColumn('concerns_date');
  });
}
