import type { Knex } from 'knex';

const check = (knex: Knex, table: string, name: string, condition: string) =>
  knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${name} CHECK (${condition})`);

/**
 * A claim signed for a company carries that company's EDS or a power of attorney recorded by staff (9.2-9.4).
 *
 * 9.4: a claim comes with the documents proving the authority of the person who signed it; sent in
 * electronic form they are signed with the EDS of the party or its representative; without them the
 * claim counts as not presented. A label the client puts on an attached file proves nothing: the
 * claim now keeps the EDS signature over its canonical content, the certificate it was made with,
 * how the signer's authority was established, and — when it was not — why.
 */
export async function up(knex: Knex): Promise<void> {
  // Powers of attorney the operator's staff have seen and recorded: an individual (IIN) may sign the
  // client's claims with a personal EDS while one is valid. Recorded and revoked, never edited: the
  // row keeps who did each and when.
  await knex.schema.createTable('powers_of_attorney', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('attorney_iin').notNullable();
    t.text('attorney_name').notNullable();
    t.text('number').notNullable();
    t.date('issued_on').notNullable();
    t.date('valid_from').notNullable();
    t.date('valid_until').notNullable();
    t.specificType('scopes', 'text[]').notNullable();
    t.text('note');
    t.uuid('recorded_by').notNullable().references('staff_users.id');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.uuid('revoked_by').references('staff_users.id');
    t.text('revocation_reason');
    t.unique(['client_id', 'number', 'issued_on'], { indexName: 'powers_of_attorney_one_per_number' });
    t.index(['client_id', 'attorney_iin']);
  });
  await check(knex, 'powers_of_attorney', 'iin', `attorney_iin ~ '^[0-9]{12}$'`);
  await check(knex, 'powers_of_attorney', 'period', `valid_from >= issued_on AND valid_until >= valid_from`);
  await check(knex, 'powers_of_attorney', 'scopes', `cardinality(scopes) > 0 AND scopes <@ ARRAY['claims']::text[]`);
  await check(
    knex,
    'powers_of_attorney',
    'revocation',
    `(revoked_at IS NULL) = (revoked_by IS NULL) AND (revoked_at IS NULL) = (revocation_reason IS NULL)`,
  );

  await knex.schema.alterTable('claims', (t) => {
    t.text('signature');
    t.binary('signed_document');
    t.jsonb('signature_check');
    t.jsonb('signer');
    t.timestamp('signed_at', { useTz: true });
    t.text('authority_basis');
    t.uuid('power_of_attorney_id').references('powers_of_attorney.id');
    t.text('not_considered_reason');
    t.text('authority_note');
  });
  // Claims recorded before: the ones not considered had no proof of authority at all — and no signature.
  await knex('claims').where({ status: 'not_considered' }).update({
    not_considered_reason: 'NOT_SIGNED',
    authority_note:
      'Recorded before claims were checked for an EDS: no proof of the signer’s authority came with it (9.4).',
  });
  await knex('claims').whereNot({ status: 'not_considered' }).update({
    authority_note:
      'Recorded before claims were checked for an EDS: the signer’s authority was taken from the documents attached.',
  });
  await check(
    knex,
    'claims',
    'authority_basis',
    `authority_basis IN ('client_eds','power_of_attorney','paper_originals')`,
  );
  await check(
    knex,
    'claims',
    'not_considered_reason',
    `not_considered_reason IN ('NOT_SIGNED','SIGNER_NOT_AUTHORISED')`,
  );
  await check(
    knex,
    'claims',
    'reason_iff_not_considered',
    `(status = 'not_considered') = (not_considered_reason IS NOT NULL)`,
  );
  await check(knex, 'claims', 'basis_not_when_not_considered', `authority_basis IS NULL OR status <> 'not_considered'`);
  await check(
    knex,
    'claims',
    'power_of_attorney',
    `COALESCE(authority_basis = 'power_of_attorney', false) = (power_of_attorney_id IS NOT NULL)`,
  );
  await check(
    knex,
    'claims',
    'signed',
    `(signature IS NULL) = (signed_document IS NULL) AND (signature IS NULL OR signer IS NOT NULL)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('claims', (t) => {
    // Their checks go with them.
    t.dropColumns(
      'signature',
      'signed_document',
      'signature_check',
      'signer',
      'signed_at',
      'authority_basis',
      'power_of_attorney_id',
      'not_considered_reason',
      'authority_note',
    );
  });
  await knex.schema.dropTable('powers_of_attorney');
}
