import type { Knex } from 'knex';

/**
 * Support tickets (Прил. 3): accepted 24/7 by API, phone (an agent) and e-mail, registered with
 * a number, worked in lines 1-3 with reaction and resolution deadlines in working hours; their
 * messages (both ways) and history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tickets', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('number').notNullable().unique();
    t.uuid('client_id').references('clients.id').index();
    t.text('contact_email').notNullable();
    t.text('contact_name');
    t.text('channel').notNullable();
    t.text('source_ref').unique();
    t.text('subject').notNullable();
    t.text('status').notNullable().defaultTo('new');
    t.integer('line').notNullable().defaultTo(1);
    t.text('priority');
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.timestamp('registration_sent_at', { useTz: true });
    t.timestamp('line_arrived_at', { useTz: true }).notNullable();
    t.timestamp('reaction_due_at', { useTz: true });
    t.timestamp('classified_at', { useTz: true });
    t.timestamp('resolution_due_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.text('resolution_kind');
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('reaction_breached_at', { useTz: true });
    t.timestamp('resolution_breached_at', { useTz: true });
    t.bigInteger('reaction_ms');
    t.bigInteger('resolution_ms');
    t.index(['status', 'resolution_due_at']);
  });
  await knex.raw(
    `ALTER TABLE tickets ADD CONSTRAINT tickets_status CHECK (status IN ('new','in_progress','waiting_client','resolved','closed'))`,
  );
  await knex.raw(
    `ALTER TABLE tickets ADD CONSTRAINT tickets_channel CHECK (channel IN ('api','phone','email','system'))`,
  );
  await knex.raw(`ALTER TABLE tickets ADD CONSTRAINT tickets_line CHECK (line BETWEEN 1 AND 3)`);
  await knex.raw(
    `ALTER TABLE tickets ADD CONSTRAINT tickets_priority CHECK (priority IS NULL OR priority IN ('high','medium','low'))`,
  );

  await knex.schema.createTable('ticket_messages', (t) => {
    t.bigIncrements('id');
    t.uuid('ticket_id').notNullable().references('tickets.id').index();
    t.text('direction').notNullable();
    t.text('author').notNullable();
    t.text('body').notNullable();
    t.text('email_message_id').unique();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('sent_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE ticket_messages ADD CONSTRAINT ticket_messages_direction CHECK (direction IN ('in','out'))`,
  );

  await knex.schema.createTable('ticket_events', (t) => {
    t.bigIncrements('id');
    t.uuid('ticket_id').notNullable().references('tickets.id').index();
    t.text('kind').notNullable();
    t.text('actor').notNullable();
    t.text('note');
    t.timestamp('at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['ticket_events', 'ticket_messages', 'tickets']) await knex.schema.dropTableIfExists(table);
}
