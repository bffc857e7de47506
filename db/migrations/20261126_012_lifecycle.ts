import type { Knex } from 'knex';

const check = (knex: Knex, table: string, name: string, condition: string) =>
  knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${name} CHECK (${condition})`);

/**
 * The long-lived rules of the contract: refunds (6.11, 3.7), terminations (4.1.1, 4.3.1, 10.4),
 * amendments (4.3.5, 10.3.2), claims (9.2-9.4) and compensations (7.2, 7.3).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('terminations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('initiator').notNullable();
    t.text('basis').notNullable();
    t.text('grounds').notNullable();
    t.text('evidence');
    t.timestamp('notified_at', { useTz: true }).notNullable();
    t.date('earliest_date').notNullable();
    t.date('termination_date').notNullable();
    t.text('status').notNullable().defaultTo('scheduled');
    t.uuid('recorded_by').references('staff_users.id');
    t.timestamp('withdrawn_at', { useTz: true });
    t.text('withdrawal_reason');
    t.timestamp('access_ended_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await check(knex, 'terminations', 'initiator', `initiator IN ('operator','client')`);
  await check(
    knex,
    'terminations',
    'basis',
    `basis IN ('4.1.1','4.3.1a','4.3.1b','4.3.1c','4.3.1d','10.4.2','10.4.3')`,
  );
  await check(knex, 'terminations', 'status', `status IN ('scheduled','withdrawn','settling','terminated')`);
  await check(knex, 'terminations', 'dates', `termination_date >= earliest_date`);
  await knex.raw(
    `CREATE UNIQUE INDEX terminations_one_open ON terminations (client_id) WHERE status IN ('scheduled','settling')`,
  );

  await knex.schema.createTable('refund_requests', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('kind').notNullable();
    t.bigInteger('amount_requested');
    t.text('client_note');
    t.text('iik');
    t.uuid('termination_id').references('terminations.id');
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('requested_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true });
    t.timestamp('overdue_at', { useTz: true });
    t.timestamp('decided_at', { useTz: true });
    t.uuid('decided_by').references('staff_users.id');
    t.text('decision_reason');
    t.bigInteger('bank_fee');
    t.bigInteger('paid_amount');
    t.bigInteger('ledger_transaction_id').references('ledger_transactions.id');
  });
  await check(knex, 'refund_requests', 'kind', `kind IN ('request','one_year','termination')`);
  await check(knex, 'refund_requests', 'status', `status IN ('pending','refused','paid','nothing_to_refund')`);
  await check(knex, 'refund_requests', 'amount', `amount_requested IS NULL OR amount_requested > 0`);
  // One refund in progress per client at a time.
  await knex.raw(
    `CREATE UNIQUE INDEX refund_requests_one_pending ON refund_requests (client_id) WHERE status = 'pending'`,
  );

  await knex.schema.alterTable('clients', (t) => {
    t.timestamp('contract_ended_at', { useTz: true });
    t.text('contract_end_reason');
  });

  await knex.schema.createTable('contract_versions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('version').notNullable().unique();
    t.text('title').notNullable();
    t.text('summary').notNullable();
    t.text('document_url');
    t.text('reason').notNullable();
    t.timestamp('published_at', { useTz: true }).notNullable();
    t.timestamp('effective_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('announced');
    t.integer('clients_notified').notNullable().defaultTo(0);
    t.uuid('recorded_by').references('staff_users.id');
  });
  await check(knex, 'contract_versions', 'reason', `reason IN ('original','services','law')`);
  await check(knex, 'contract_versions', 'status', `status IN ('announced','in_force','withdrawn')`);
  await knex('contract_versions').insert({
    version: '2021',
    title: 'Типовой договор на оказание услуг Единого оператора маркировки (обувные изделия)',
    summary: 'Редакция, к которой присоединяются клиенты (ст. 389 ГК РК).',
    reason: 'original',
    published_at: '2021-01-01T00:00:00+06:00',
    effective_at: '2021-01-01T00:00:00+06:00',
    status: 'in_force',
  });

  await knex.schema.createTable('claims', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.bigIncrements('number', { primaryKey: false });
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('channel').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.text('subject').notNullable();
    t.text('demands').notNullable();
    t.bigInteger('amount_claimed');
    t.text('signer_name').notNullable();
    t.text('status').notNullable();
    t.timestamp('due_at', { useTz: true });
    t.timestamp('overdue_at', { useTz: true });
    t.timestamp('answered_at', { useTz: true });
    t.uuid('answered_by').references('staff_users.id');
    t.text('answer');
    t.bigInteger('amount_awarded');
    t.uuid('recorded_by').references('staff_users.id');
  });
  await check(knex, 'claims', 'channel', `channel IN ('api','email','post')`);
  await check(
    knex,
    'claims',
    'status',
    `status IN ('not_considered','under_review','satisfied','partially_satisfied','refused')`,
  );
  await check(
    knex,
    'claims',
    'amounts',
    `(amount_claimed IS NULL OR amount_claimed > 0) AND (amount_awarded IS NULL OR amount_awarded > 0)`,
  );
  await knex.schema.createTable('claim_documents', (t) => {
    t.bigIncrements('id');
    t.uuid('claim_id').notNullable().references('claims.id').index();
    t.text('kind').notNullable();
    t.text('filename').notNullable();
    t.text('content_type').notNullable();
    t.binary('content').notNullable();
    t.text('sha256').notNullable();
  });
  await check(knex, 'claim_documents', 'kind', `kind IN ('authority','damage','basis','other')`);

  await knex.schema.createTable('compensations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('basis').notNullable();
    t.text('description').notNullable();
    t.jsonb('breaches').notNullable().defaultTo('[]');
    t.uuid('claim_id').references('claims.id');
    t.timestamp('event_at', { useTz: true }).notNullable();
    t.bigInteger('amount_claimed').notNullable();
    t.text('pay_to').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('due_at', { useTz: true });
    t.timestamp('overdue_at', { useTz: true });
    t.timestamp('decided_at', { useTz: true });
    t.uuid('decided_by').references('staff_users.id');
    t.text('decision_reason');
    t.bigInteger('amount_paid');
    t.bigInteger('ledger_transaction_id').references('ledger_transactions.id');
    t.uuid('recorded_by').references('staff_users.id');
  });
  await check(knex, 'compensations', 'basis', `basis IN ('defect_act','late_service')`);
  await check(
    knex,
    'compensations',
    'pay_to',
    `pay_to IN ('account','bank') AND (basis = 'late_service' OR pay_to = 'account')`,
  );
  await check(knex, 'compensations', 'status', `status IN ('pending','paid','refused')`);
  await check(knex, 'compensations', 'amounts', `amount_claimed > 0 AND (amount_paid IS NULL OR amount_paid > 0)`);

  // A compensation paid to the client's bank account (7.3) leaves through the refunds payable.
  await knex.raw('ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind');
  await knex.raw(`ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind CHECK (kind IN (
    'deposit','payment_unassigned','payment_assign','payment_return',
    'reserve','capture','release','refund_payout','compensation','compensation_payout','correction'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind');
  await knex.raw(`ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind CHECK (kind IN (
    'deposit','payment_unassigned','payment_assign','payment_return',
    'reserve','capture','release','refund_payout','compensation','correction'))`);
  for (const table of [
    'compensations',
    'claim_documents',
    'claims',
    'contract_versions',
    'refund_requests',
    'terminations',
  ])
    await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('clients', (t) => t.dropColumns('contract_ended_at', 'contract_end_reason'));
}
