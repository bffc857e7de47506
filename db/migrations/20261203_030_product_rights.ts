import type { Knex } from 'knex';

/**
 * The client's right to a GTIN (issue #16): codes are ordered for a GTIN only after the operator
 * has accepted that the client may mark it — because the GTIN lies under a GS1 company prefix
 * recorded for the client (`gs1_prefix`), or because staff moderated the product card with the
 * evidence the client attached (`moderation`). Every decision is kept, with who made it and when.
 *
 * Products already in the database when this migration runs become `accepted` with basis
 * `legacy`, so deployments keep ordering for their existing catalogues; staff may still reject
 * such a product. New products start `pending` (the column's default), so a product inserted
 * without a decision can never be ordered.
 */
export async function up(knex: Knex): Promise<void> {
  // GS1 company prefixes recorded for a client: a prefix belongs to one company, so an unrevoked
  // prefix is unique across clients (overlapping prefixes of different clients are refused in code).
  await knex.schema.createTable('client_gs1_prefixes', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id');
    t.string('prefix', 12).notNullable();
    t.text('evidence_note').notNullable();
    t.uuid('recorded_by').notNullable().references('staff_users.id');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.uuid('revoked_by').references('staff_users.id');
    t.text('revocation_reason');
    t.index(['client_id']);
  });
  await knex.raw(
    `ALTER TABLE client_gs1_prefixes ADD CONSTRAINT client_gs1_prefixes_digits CHECK (prefix ~ '^[0-9]{6,12}$')`,
  );
  await knex.raw(
    `ALTER TABLE client_gs1_prefixes ADD CONSTRAINT client_gs1_prefixes_revocation
       CHECK ((revoked_at IS NULL AND revoked_by IS NULL AND revocation_reason IS NULL) OR (revoked_at IS NOT NULL AND revoked_by IS NOT NULL AND revocation_reason IS NOT NULL))`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX client_gs1_prefixes_one_owner ON client_gs1_prefixes (prefix) WHERE revoked_at IS NULL`,
  );

  await knex.schema.alterTable('products', (t) => {
    t.text('rights_status');
    t.text('rights_basis');
    t.uuid('rights_prefix_id').references('client_gs1_prefixes.id');
    t.uuid('rights_decided_by').references('staff_users.id');
    t.timestamp('rights_decided_at', { useTz: true });
    t.text('rights_reason');
    // The evidence the client attached for moderation: a document and/or a reference or text.
    t.text('evidence_text');
    t.text('evidence_filename');
    t.text('evidence_content_type');
    t.string('evidence_sha256', 64);
    t.integer('evidence_bytes');
    t.binary('evidence_document');
    t.timestamp('evidence_submitted_at', { useTz: true });
  });
  // Existing products keep working: accepted as `legacy`, decided when this migration ran, by nobody.
  await knex('products').update({
    rights_status: 'accepted',
    rights_basis: 'legacy',
    rights_decided_at: knex.fn.now(),
  });
  await knex.raw(
    `ALTER TABLE products ALTER COLUMN rights_status SET DEFAULT 'pending', ALTER COLUMN rights_status SET NOT NULL`,
  );
  await knex.raw(
    `ALTER TABLE products ADD CONSTRAINT products_rights_status CHECK (rights_status IN ('pending','accepted','rejected'))`,
  );
  await knex.raw(
    `ALTER TABLE products ADD CONSTRAINT products_rights_decision CHECK (
       (rights_status = 'pending' AND rights_basis IS NULL AND rights_decided_at IS NULL AND rights_decided_by IS NULL)
       OR (rights_status = 'accepted' AND rights_decided_at IS NOT NULL AND (
             (rights_basis = 'legacy')
             OR (rights_basis = 'gs1_prefix' AND rights_prefix_id IS NOT NULL)
             OR (rights_basis = 'moderation' AND rights_decided_by IS NOT NULL)))
       OR (rights_status = 'rejected' AND rights_basis = 'moderation' AND rights_decided_at IS NOT NULL AND rights_decided_by IS NOT NULL AND rights_reason IS NOT NULL))`,
  );
  await knex.raw(
    `ALTER TABLE products ADD CONSTRAINT products_evidence_document CHECK (
       (evidence_document IS NULL AND evidence_filename IS NULL AND evidence_sha256 IS NULL AND evidence_bytes IS NULL)
       OR (evidence_document IS NOT NULL AND evidence_filename IS NOT NULL AND evidence_content_type IS NOT NULL AND evidence_sha256 IS NOT NULL AND evidence_bytes = octet_length(evidence_document)))`,
  );
  await knex.raw(`CREATE INDEX products_rights_pending ON products (created_at) WHERE rights_status = 'pending'`);

  // Every decision on a product's rights, in order (a product may be rejected, re-submitted, accepted).
  await knex.schema.createTable('product_rights_decisions', (t) => {
    t.bigIncrements('id');
    t.uuid('product_id').notNullable().references('products.id');
    t.text('status').notNullable();
    t.text('basis');
    t.uuid('prefix_id').references('client_gs1_prefixes.id');
    t.uuid('decided_by').references('staff_users.id');
    t.timestamp('decided_at', { useTz: true }).notNullable();
    t.text('reason');
    t.index(['product_id']);
  });
  await knex.raw(
    `ALTER TABLE product_rights_decisions ADD CONSTRAINT product_rights_decisions_status CHECK (status IN ('pending','accepted','rejected'))`,
  );
  await knex.raw(
    `INSERT INTO product_rights_decisions (product_id, status, basis, decided_at, reason)
     SELECT id, 'accepted', 'legacy', rights_decided_at, 'in the catalogue before rights were checked' FROM products`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('product_rights_decisions');
  await knex.raw('DROP INDEX IF EXISTS products_rights_pending');
  await knex.raw(
    'ALTER TABLE products DROP CONSTRAINT IF EXISTS products_evidence_document, DROP CONSTRAINT IF EXISTS products_rights_decision, DROP CONSTRAINT IF EXISTS products_rights_status',
  );
  await knex.schema.alterTable('products', (t) => {
    for (const c of [
      'rights_status',
      'rights_basis',
      'rights_prefix_id',
      'rights_decided_by',
      'rights_decided_at',
      'rights_reason',
    ])
      t.dropColumn(c);
    for (const c of [
      'evidence_text',
      'evidence_filename',
      'evidence_content_type',
      'evidence_sha256',
      'evidence_bytes',
      'evidence_document',
      'evidence_submitted_at',
    ])
      t.dropColumn(c);
  });
  await knex.schema.dropTable('client_gs1_prefixes');
}
