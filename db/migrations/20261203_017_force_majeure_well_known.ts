import type { Knex } from 'knex';

/** A force-majeure event that is a well-known fact needs neither notice nor proof (8.5). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('force_majeure_events', (t) => {
    t.boolean('well_known').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('force_majeure_events', (t) => {
    t.dropColumn('well_known');
  });
}
