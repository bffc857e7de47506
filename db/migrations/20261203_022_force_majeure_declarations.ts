import type { Knex } from 'knex';

const check = (knex: Knex, table: string, name: string, condition: string) =>
  knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${name} CHECK (${condition})`);

/**
 * Force majeure declared by clients; a start earlier than the notice allows needs a reason and a
 * second person's confirmation (8.3-8.5).
 *
 * - force_majeure_events (recorded by staff): an event noticed later than 5 working days after
 *   its start (8.3) that staff want relied on anyway carries the reason and stays
 *   `pending_confirmation` until another admin confirms or rejects it; the database itself
 *   refuses a decision by the proposer.
 * - force_majeure_declarations: a client's notice (8.3) with its receipt time, the obligations it
 *   prevents (the client's own, 8.4), its expected and actual end, the claim that it is a
 *   well-known fact (8.5), and the staff review (accepted / rejected, a late one confirmed by a
 *   second admin).
 * - force_majeure_evidence: the files proving it (8.5: a certificate of a competent authority or
 *   organisation, e.g. the NCE «Atameken»), added with the declaration or later.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('force_majeure_events', (t) => {
    t.text('status').notNullable().defaultTo('recorded');
    t.text('late_notice_reason');
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true });
    t.text('rejection_reason');
  });
  await check(
    knex,
    'force_majeure_events',
    'status',
    `status IN ('recorded','pending_confirmation','confirmed','rejected')`,
  );
  await check(
    knex,
    'force_majeure_events',
    'late_notice',
    `status = 'recorded' OR (late_notice_reason IS NOT NULL AND recorded_by IS NOT NULL)`,
  );
  await check(
    knex,
    'force_majeure_events',
    'second_person',
    `(status IN ('confirmed','rejected')) = (decided_by IS NOT NULL AND decided_at IS NOT NULL) AND (decided_by IS NULL OR decided_by <> recorded_by)`,
  );
  await check(knex, 'force_majeure_events', 'rejection', `(status = 'rejected') = (rejection_reason IS NOT NULL)`);

  await knex.schema.createTable('force_majeure_declarations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('expected_end_at', { useTz: true });
    t.timestamp('ended_at', { useTz: true });
    t.timestamp('end_notified_at', { useTz: true });
    t.specificType('obligations', 'text[]').notNullable();
    t.text('description').notNullable();
    t.boolean('well_known').notNullable().defaultTo(false);
    t.text('status').notNullable().defaultTo('under_review');
    t.uuid('reviewed_by').references('staff_users.id');
    t.timestamp('reviewed_at', { useTz: true });
    t.text('late_notice_reason');
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true });
    t.text('rejection_reason');
  });
  await check(
    knex,
    'force_majeure_declarations',
    'status',
    `status IN ('under_review','pending_confirmation','accepted','rejected')`,
  );
  await check(
    knex,
    'force_majeure_declarations',
    'obligations',
    `cardinality(obligations) > 0 AND obligations <@ ARRAY['acts','application','notices']::text[]`,
  );
  await check(
    knex,
    'force_majeure_declarations',
    'period',
    `(expected_end_at IS NULL OR expected_end_at > started_at) AND (ended_at IS NULL OR (ended_at > started_at AND end_notified_at IS NOT NULL))`,
  );
  await check(knex, 'force_majeure_declarations', 'reviewed', `(status = 'under_review') = (reviewed_by IS NULL)`);
  await check(
    knex,
    'force_majeure_declarations',
    'late_notice',
    `(status <> 'pending_confirmation' OR late_notice_reason IS NOT NULL) AND (decided_by IS NULL OR late_notice_reason IS NOT NULL)`,
  );
  await check(
    knex,
    'force_majeure_declarations',
    'second_person',
    `(decided_by IS NULL) = (decided_at IS NULL) AND (decided_by IS NULL OR decided_by <> reviewed_by)`,
  );
  await check(
    knex,
    'force_majeure_declarations',
    'rejection',
    `(status = 'rejected') = (rejection_reason IS NOT NULL)`,
  );

  await knex.schema.createTable('force_majeure_evidence', (t) => {
    t.bigIncrements('id');
    t.uuid('declaration_id').notNullable().references('force_majeure_declarations.id').index();
    t.text('kind').notNullable();
    t.text('filename').notNullable();
    t.text('content_type').notNullable();
    t.binary('content').notNullable();
    t.text('sha256').notNullable();
    t.timestamp('added_at', { useTz: true }).notNullable();
  });
  await check(knex, 'force_majeure_evidence', 'kind', `kind IN ('certificate','other')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('force_majeure_evidence');
  await knex.schema.dropTableIfExists('force_majeure_declarations');
  await knex.schema.alterTable('force_majeure_events', (t) => {
    for (const c of ['status', 'late_notice_reason', 'decided_by', 'decided_at', 'rejection_reason']) t.dropColumn(c);
  });
}
