import type { Knex } from 'knex';

/** The reconciliation act is signed like an act (6.7, 6.8). */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
