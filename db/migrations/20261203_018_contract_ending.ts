import type { Knex } from 'knex';

/**
 * The contract is ending on its own (3.7: an advance unused for a year): from then on no new
 * orders, what is open is settled, the advance returned, and only then the account closes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (t) => {
    t.timestamp('ending_since', { useTz: true });
    t.text('ending_clause');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (t) => {
    t.dropColumns('ending_since', 'ending_clause');
  });
}
