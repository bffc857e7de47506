import type { Knex } from 'knex';

/**
 * Issue #19, for the monthly acts (6.5): an act and its VAT invoice are numbered without gaps in a
 * short transaction that commits the act's row (its lines, the charges it covers, its history) with
 * both numbers, and their PDFs are rendered and signed by the operator (6.7) after it, outside the
 * counters' locks, then stored together. Until then the row has none of them: the act's PDF, its
 * digest, the VAT invoice's PDF, the operator's signatures and key are all NULL or all set (the VAT
 * invoice's signature may still be NULL on acts issued before it was signed), and an act leaves
 * `issued` (signed, disputed, accepted, corrected) only with its documents.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE acts ALTER COLUMN pdf DROP NOT NULL, ALTER COLUMN pdf_sha256 DROP NOT NULL,
       ALTER COLUMN vat_invoice_pdf DROP NOT NULL, ALTER COLUMN operator_signature DROP NOT NULL,
       ALTER COLUMN operator_key_id DROP NOT NULL`,
  );
  await knex.raw(
    `ALTER TABLE acts ADD CONSTRAINT acts_documents_together CHECK (
       (pdf IS NULL) = (pdf_sha256 IS NULL) AND (pdf IS NULL) = (vat_invoice_pdf IS NULL)
       AND (pdf IS NULL) = (operator_signature IS NULL) AND (pdf IS NULL) = (operator_key_id IS NULL)
       AND (pdf IS NOT NULL OR vat_invoice_signature IS NULL))`,
  );
  await knex.raw(`ALTER TABLE acts ADD CONSTRAINT acts_answered_with_pdf CHECK (pdf IS NOT NULL OR status = 'issued')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE acts DROP CONSTRAINT IF EXISTS acts_answered_with_pdf`);
  await knex.raw(`ALTER TABLE acts DROP CONSTRAINT IF EXISTS acts_documents_together`);
  await knex.raw(
    `ALTER TABLE acts ALTER COLUMN pdf SET NOT NULL, ALTER COLUMN pdf_sha256 SET NOT NULL,
       ALTER COLUMN vat_invoice_pdf SET NOT NULL, ALTER COLUMN operator_signature SET NOT NULL,
       ALTER COLUMN operator_key_id SET NOT NULL`,
  );
}
