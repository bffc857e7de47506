import type { Knex } from 'knex';

/**
 * E-mail to the support address from senders it cannot place waits in a quarantine that agents
 * review; what the relay found about each sender (SPF, DKIM, DMARC) is recorded with the message.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mail_quarantine', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.text('sender').notNullable().index();
    t.text('sender_name');
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.text('email_message_id').unique();
    t.text('reason').notNullable();
    t.uuid('ticket_id').references('tickets.id');
    t.text('auth_results');
    t.text('auth_verdict').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_note');
  });
  await knex.raw(
    `ALTER TABLE mail_quarantine ADD CONSTRAINT mail_quarantine_reason CHECK (reason IN ('NOT_A_TICKET_CONTACT','SENDER_NOT_AUTHENTICATED','RATE_LIMITED'))`,
  );
  await knex.raw(
    `ALTER TABLE mail_quarantine ADD CONSTRAINT mail_quarantine_status CHECK (status IN ('pending','released','discarded'))`,
  );
  await knex.raw(
    `ALTER TABLE mail_quarantine ADD CONSTRAINT mail_quarantine_verdict CHECK (auth_verdict IN ('pass','fail','none'))`,
  );
  await knex.schema.alterTable('ticket_messages', (t) => {
    t.text('auth_results');
    t.text('auth_verdict');
  });
  await knex.raw('CREATE INDEX ticket_messages_author_at ON ticket_messages (author, at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ticket_messages_author_at');
  await knex.schema.alterTable('ticket_messages', (t) => t.dropColumns('auth_results', 'auth_verdict'));
  await knex.schema.dropTableIfExists('mail_quarantine');
}
