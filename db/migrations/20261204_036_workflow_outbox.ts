import type { Knex } from 'knex';

/**
 * The transactional outbox (issue #19): what a workflow must be told about a write is recorded in
 * the write's own transaction, then delivered after the commit and again by the relay until
 * Temporal has taken it — a ticket's message, a force-majeure event, a calendar edit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('workflow_outbox', (t) => {
    t.bigIncrements('id');
    t.text('kind').notNullable();
    t.text('workflow_id');
    t.text('signal');
    t.jsonb('args').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.timestamp('delivered_at', { useTz: true });
    t.text('outcome');
  });
  await knex.raw(
    `ALTER TABLE workflow_outbox ADD CONSTRAINT workflow_outbox_kind CHECK (
       (kind = 'signal' AND workflow_id IS NOT NULL AND signal IS NOT NULL) OR kind = 'deadlines-changed')`,
  );
  await knex.raw(
    `CREATE INDEX workflow_outbox_pending ON workflow_outbox (next_attempt_at, id) WHERE delivered_at IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('workflow_outbox');
}
