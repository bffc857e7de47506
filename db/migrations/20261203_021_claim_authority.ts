import type { Knex } from 'knex';

/** A claim signed for a company carries that company's EDS or a power of attorney recorded by staff (9.2-9.4). */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
