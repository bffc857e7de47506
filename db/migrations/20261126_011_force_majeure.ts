import type { Knex } from 'knex';

/**
 * Force majeure (8.3-8.6): events staff record with the processes they affect; while one lasts
 * the deadlines of those processes are suspended.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('force_majeure_events', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.specificType('processes', 'text[]').notNullable();
    t.text('description').notNullable();
    t.text('evidence');
    t.timestamp('notified_at', { useTz: true });
    t.uuid('recorded_by').references('staff_users.id');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE force_majeure_events ADD CONSTRAINT force_majeure_events_period CHECK (ended_at IS NULL OR ended_at > started_at)`,
  );
  await knex.raw(
    `ALTER TABLE force_majeure_events ADD CONSTRAINT force_majeure_events_processes CHECK (cardinality(processes) > 0 AND processes <@ ARRAY['all','emission','tickets','acts','notices','application','onboarding','refunds','claims']::text[])`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('force_majeure_events');
}
