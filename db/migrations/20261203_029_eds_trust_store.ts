import type { Knex } from 'knex';

/**
 * The EDS trust store (docs/EDS.md): the CA certificates admins trust (NCA RK's roots and
 * intermediates), the CRLs they import, the revocation settings, and a version every change
 * bumps so that running processes reload without a restart. Also the join applications the
 * public route refused for their signature, for the moderators.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('eds_trusted_certificates', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.binary('der').notNullable();
    t.text('sha256').notNullable();
    t.text('subject').notNullable();
    t.text('issuer').notNullable();
    t.text('serial_number').notNullable();
    t.text('subject_key_identifier');
    t.timestamp('not_before', { useTz: true }).notNullable();
    t.timestamp('not_after', { useTz: true }).notNullable();
    t.boolean('self_signed').notNullable();
    t.text('source').notNullable().defaultTo('api');
    t.uuid('added_by').references('staff_users.id');
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('removed_by').references('staff_users.id');
    t.timestamp('removed_at', { useTz: true });
    t.text('note');
  });
  await knex.raw(
    `ALTER TABLE eds_trusted_certificates ADD CONSTRAINT eds_trusted_certificates_source CHECK (source IN ('api','directory'))`,
  );
  await knex.raw(
    'CREATE UNIQUE INDEX eds_trusted_certificates_one_active ON eds_trusted_certificates (sha256) WHERE removed_at IS NULL',
  );

  await knex.schema.createTable('eds_crls', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.binary('der').notNullable();
    t.text('sha256').notNullable().unique();
    t.text('issuer').notNullable();
    // The issuer name and key id, hex: which certificates the CRL speaks for.
    t.text('issuer_key').notNullable();
    t.uuid('issuer_certificate_id').notNullable().references('eds_trusted_certificates.id');
    t.text('crl_number');
    t.timestamp('this_update', { useTz: true }).notNullable();
    t.timestamp('next_update', { useTz: true });
    // [{ serialNumber: lower-case hex, revokedAt: ISO }]
    t.jsonb('revoked').notNullable();
    t.integer('revoked_count').notNullable();
    t.uuid('imported_by').references('staff_users.id');
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('note');
  });
  await knex.raw('CREATE INDEX eds_crls_current ON eds_crls (issuer_key, this_update DESC)');

  // One row: the store's version (bumped by every change), the operator's revocation policy.
  await knex.schema.createTable('eds_trust_state', (t) => {
    t.boolean('id').primary().defaultTo(true);
    t.bigInteger('version').notNullable().defaultTo(1);
    t.boolean('strict_revocation').notNullable().defaultTo(false);
    t.integer('signing_time_tolerance_minutes')
      .notNullable()
      .defaultTo(24 * 60);
    t.timestamp('directory_imported_at', { useTz: true });
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('changed_by').references('staff_users.id');
  });
  await knex.raw('ALTER TABLE eds_trust_state ADD CONSTRAINT eds_trust_state_one_row CHECK (id)');
  await knex.raw(
    'ALTER TABLE eds_trust_state ADD CONSTRAINT eds_trust_state_tolerance CHECK (signing_time_tolerance_minutes BETWEEN 1 AND 525600)',
  );
  await knex('eds_trust_state').insert({ id: true });

  await knex.schema.createTable('join_application_rejections', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('bin_iin').notNullable().index();
    t.text('email').notNullable();
    t.jsonb('form').notNullable();
    t.text('signature').notNullable();
    t.jsonb('problems').notNullable();
    t.jsonb('signature_check').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().index();
    t.text('client_ip');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('join_application_rejections');
  await knex.schema.dropTableIfExists('eds_trust_state');
  await knex.schema.dropTableIfExists('eds_crls');
  await knex.schema.dropTableIfExists('eds_trusted_certificates');
}
