import type { Knex } from 'knex';

/** The registration number must reach the client within 5 minutes (Прил. 3 п.2a): a late one is recorded. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => {
    t.timestamp('registration_breached_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tickets', (t) => t.dropColumn('registration_breached_at'));
}
