import type { Knex } from 'knex';

/** The columns this adds to reconciliation_acts. */
const COLUMNS = [
  'status',
  'issued_at',
  'due_at',
  'pdf_sha256',
  'operator_signature',
  'operator_key_id',
  'signed_at',
  'client_signature',
  'client_signer',
  'refused_at',
  'refusal_reason',
  'accepted_at',
  'reminded_at',
];

/**
 * The reconciliation act is signed like an act (6.7, 6.8): the operator signs its PDF, it is sent
 * to the client with a deadline of 5 working days, and the client signs it with EDS, refuses it
 * with reasons, or says nothing and it counts as signed. The VAT invoice of an act is signed by
 * the operator too (6.7: «первичные бухгалтерские документы ... подписываются ЭЦП»).
 *
 * Reconciliation acts made before this were rendered on request and never signed nor sent for
 * signing: they stay, as `unsigned`, with their PDF's digest.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reconciliation_acts', (t) => {
    t.text('status').notNullable().defaultTo('issued');
    t.timestamp('issued_at', { useTz: true });
    t.timestamp('due_at', { useTz: true });
    t.string('pdf_sha256', 64);
    t.text('operator_signature');
    t.text('operator_key_id');
    t.timestamp('signed_at', { useTz: true });
    t.text('client_signature');
    t.jsonb('client_signer');
    t.timestamp('refused_at', { useTz: true });
    t.text('refusal_reason');
    t.timestamp('accepted_at', { useTz: true });
    t.timestamp('reminded_at', { useTz: true });
  });
  await knex.raw(
    `UPDATE reconciliation_acts SET status = 'unsigned', issued_at = created_at, pdf_sha256 = encode(sha256(pdf), 'hex')`,
  );
  await knex.raw(
    `ALTER TABLE reconciliation_acts ALTER COLUMN issued_at SET NOT NULL, ALTER COLUMN pdf_sha256 SET NOT NULL`,
  );
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_status CHECK (status IN ('unsigned','issued','signed','refused','auto_accepted'))`,
  );
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_signed_by_operator CHECK (status = 'unsigned' OR (operator_signature IS NOT NULL AND operator_key_id IS NOT NULL AND due_at IS NOT NULL))`,
  );
  await knex.raw(
    `ALTER TABLE reconciliation_acts ADD CONSTRAINT reconciliation_acts_refusal_reasons CHECK (status <> 'refused' OR refusal_reason IS NOT NULL)`,
  );

  await knex.schema.alterTable('acts', (t) => {
    // Over vat_invoice_pdf, with the act's operator_key_id; null on acts issued before this.
    t.text('vat_invoice_signature');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('acts', (t) => t.dropColumn('vat_invoice_signature'));
  for (const constraint of ['status', 'signed_by_operator', 'refusal_reasons'])
    await knex.raw(`ALTER TABLE reconciliation_acts DROP CONSTRAINT IF EXISTS reconciliation_acts_${constraint}`);
  await knex.schema.alterTable('reconciliation_acts', (t) => t.dropColumns(...COLUMNS));
}
