import type { Knex } from 'knex';

/**
 * Issue #19: an invoice for payment (Прил. 2 п.6) and a reconciliation act (6.6) are numbered
 * without gaps in a short transaction that commits the document's row with its number, and their
 * PDF is rendered (and the act signed by the operator, 6.7) after it, outside the counter's lock,
 * then stored. Until then the row has no PDF: its PDF and digest are both NULL or both set, and a
 * reconciliation act leaves `issued` (signed, refused, accepted) only with its signed PDF.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE invoices ALTER COLUMN pdf DROP NOT NULL, ALTER COLUMN pdf_sha256 DROP NOT NULL`);
  await knex.raw(
    `ALTER TABLE invoices ADD CONSTRAINT invoices_pdf_with_digest CHECK ((pdf IS NULL) = (pdf_sha256 IS NULL))`,
  );

  await knex.raw(
    `ALTER TABLE reconciliation_acts ALTER COLUMN pdf DROP NOT NULL, ALTER COLUMN pdf_sha256 DROP NOT NULL`,
  );
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_pdf_with_digest CHECK ((pdf IS NULL) = (pdf_sha256 IS NULL))`,
  );
  await knex.raw(`ALTER TABLE reconciliation_acts DROP CONSTRAINT reconciliation_acts_signed_by_operator`);
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_signed_by_operator CHECK (status = 'unsigned' OR (due_at IS NOT NULL AND (pdf IS NULL OR (operator_signature IS NOT NULL AND operator_key_id IS NOT NULL))))`,
  );
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_answered_with_pdf CHECK (pdf IS NOT NULL OR status = 'issued')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE reconciliation_acts DROP CONSTRAINT IF EXISTS reconciliation_acts_answered_with_pdf`);
  await knex.raw(`ALTER TABLE reconciliation_acts DROP CONSTRAINT IF EXISTS reconciliation_acts_signed_by_operator`);
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_signed_by_operator CHECK (status = 'unsigned' OR (operator_signature IS NOT NULL AND operator_key_id IS NOT NULL AND due_at IS NOT NULL))`,
  );
  await knex.raw(`ALTER TABLE reconciliation_acts DROP CONSTRAINT IF EXISTS reconciliation_acts_pdf_with_digest`);
  await knex.raw(`ALTER TABLE reconciliation_acts ALTER COLUMN pdf SET NOT NULL, ALTER COLUMN pdf_sha256 SET NOT NULL`);
  await knex.raw(`ALTER TABLE invoices DROP CONSTRAINT IF EXISTS invoices_pdf_with_digest`);
  await knex.raw(`ALTER TABLE invoices ALTER COLUMN pdf SET NOT NULL, ALTER COLUMN pdf_sha256 SET NOT NULL`);
}
