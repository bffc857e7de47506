import type { Knex } from 'knex';

/**
 * Notices that need an answer (10.2.1: within 5 working days of receipt; 4.3.2: an
 * information request within 1 working day), with the due instant and the answer.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notices', (t) => {
    t.text('kind').notNullable().defaultTo('notice');
    t.integer('answer_within_working_days');
    t.text('answer_status').notNullable().defaultTo('not_required');
    t.timestamp('answer_due_at', { useTz: true });
    t.timestamp('answered_at', { useTz: true });
    t.text('answer_text');
  });
  await knex.raw(`ALTER TABLE notices ADD CONSTRAINT notices_kind CHECK (kind IN ('notice','information_request'))`);
  await knex.raw(`ALTER TABLE notices ADD CONSTRAINT notices_answer_status
    CHECK (answer_status IN ('not_required','awaiting','answered','overdue'))`);
  await knex.raw(`ALTER TABLE notices ADD CONSTRAINT notices_answer_complete
    CHECK ((answered_at IS NULL) = (answer_text IS NULL))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notices', (t) => {
    t.dropChecks(['notices_kind', 'notices_answer_status', 'notices_answer_complete']);
    t.dropColumns('kind', 'answer_within_working_days', 'answer_status', 'answer_due_at', 'answered_at', 'answer_text');
  });
}
