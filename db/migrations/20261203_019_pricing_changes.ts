import type { Knex } from 'knex';

/** Dated tariffs and VAT rates not yet in force can be withdrawn or replaced, with a second person's confirmation. */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
