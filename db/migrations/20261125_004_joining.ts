import type { Knex } from 'knex';

/**
 * Joining the contract (10.5, Прил. 1): EDS-signed applications and their moderation; the
 * client's details (Прил. 1 form) with their history (10.2.2); consent to personal-data
 * processing and its withdrawal (10.7); the personal account opened on activation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('join_applications', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('number').notNullable().unique();
    t.string('bin_iin', 12).notNullable().index();
    t.text('email').notNullable();
    t.jsonb('form').notNullable();
    t.binary('document').notNullable();
    t.binary('signature').notNullable();
    t.jsonb('signature_check');
    t.timestamp('signed_at', { useTz: true }).notNullable();
    t.date('joined_on').notNullable();
    t.date('effective_from').notNullable();
    t.text('status').notNullable().defaultTo('registered');
    t.timestamp('submitted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true });
    t.text('decision_reason');
    t.uuid('client_id').references('clients.id');
    t.text('initial_token');
    t.timestamp('access_notice_sent_at', { useTz: true });
    t.timestamp('rejection_notice_sent_at', { useTz: true });
    t.integer('reminders_sent').notNullable().defaultTo(0);
    t.timestamp('reminder_due_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE join_applications ADD CONSTRAINT join_applications_status
    CHECK (status IN ('registered','awaiting_moderation','approved','rejected'))`);
  // One application in progress per BIN/IIN; a rejected applicant may apply again.
  await knex.raw(`CREATE UNIQUE INDEX join_applications_one_in_progress ON join_applications (bin_iin)
    WHERE status IN ('registered','awaiting_moderation')`);
  await knex.raw('CREATE SEQUENCE join_application_numbers');

  await knex.schema.alterTable('clients', (t) => {
    t.jsonb('details');
    t.date('joined_on');
    t.date('effective_from');
    t.uuid('join_application_id').references('join_applications.id');
    t.timestamp('personal_data_consent_at', { useTz: true });
    t.timestamp('personal_data_consent_withdrawn_at', { useTz: true });
  });

  await knex.schema.createTable('client_detail_changes', (t) => {
    t.bigIncrements('id');
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.jsonb('before');
    t.jsonb('after').notNullable();
    t.date('occurred_on').notNullable();
    t.boolean('reported_late').notNullable().defaultTo(false);
    t.text('changed_by_kind').notNullable();
    t.uuid('changed_by_id');
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('consent_events', (t) => {
    t.bigIncrements('id');
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('kind').notNullable();
    t.text('note');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE consent_events ADD CONSTRAINT consent_events_kind CHECK (kind IN ('given','withdrawn'))`);

  await knex.schema.createTable('personal_accounts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().unique().references('clients.id');
    t.text('number').notNullable().unique();
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE personal_accounts ADD CONSTRAINT personal_accounts_status CHECK (status IN ('open','closed'))`,
  );
  await knex.raw('CREATE SEQUENCE personal_account_numbers');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP SEQUENCE IF EXISTS personal_account_numbers');
  await knex.schema.dropTableIfExists('personal_accounts');
  await knex.schema.dropTableIfExists('consent_events');
  await knex.schema.dropTableIfExists('client_detail_changes');
  await knex.schema.alterTable('clients', (t) => {
    t.dropColumns(
      'details',
      'joined_on',
      'effective_from',
      'join_application_id',
      'personal_data_consent_at',
      'personal_data_consent_withdrawn_at',
    );
  });
  await knex.raw('DROP SEQUENCE IF EXISTS join_application_numbers');
  await knex.schema.dropTableIfExists('join_applications');
}
