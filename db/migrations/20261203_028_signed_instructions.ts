import type { Knex } from 'knex';

const SIGNED_TABLES = ['client_detail_changes', 'refund_requests', 'terminations'] as const;

/**
 * Instructions that move money are EDS-signed documents (issue 16): a change of the bank details or
 * of the e-mail of record (10.2.2), a refund request (6.11), a notice of termination (4.1.1, 10.4).
 * Each row keeps the signed document (RFC 8785 canonical JSON, api/intake/signed-instructions.ts), the CMS
 * signature, the certificate it was made with, and how the signer's authority was established: the
 * client's own EDS or a power of attorney recorded by staff — whose scopes now name these kinds too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE powers_of_attorney DROP CONSTRAINT powers_of_attorney_scopes');
  await knex.raw(
    `ALTER TABLE powers_of_attorney ADD CONSTRAINT powers_of_attorney_scopes CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['claims','details','refunds','termination']::text[])`,
  );
  for (const table of SIGNED_TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.binary('signed_document');
      t.text('signature');
      t.jsonb('signer');
      t.timestamp('signed_at', { useTz: true });
      t.text('signature_basis');
      t.uuid('power_of_attorney_id').references('powers_of_attorney.id');
      t.text('signature_note');
    });
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_signature_basis CHECK (signature_basis IN ('client_eds','power_of_attorney'))`,
    );
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_signed CHECK ((signature IS NULL) = (signed_document IS NULL) AND (signature IS NULL) = (signer IS NULL) AND (signature IS NULL) = (signature_basis IS NULL))`,
    );
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_power_of_attorney CHECK (COALESCE(signature_basis = 'power_of_attorney', false) = (power_of_attorney_id IS NOT NULL))`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of SIGNED_TABLES) {
    // Their checks go with them.
    await knex.schema.alterTable(table, (t) =>
      t.dropColumns(
        'signed_document',
        'signature',
        'signer',
        'signed_at',
        'signature_basis',
        'power_of_attorney_id',
        'signature_note',
      ),
    );
  }
  // Powers of attorney for the new scopes only go; the others keep their `claims`.
  await knex('powers_of_attorney').whereRaw(`NOT scopes @> ARRAY['claims']::text[]`).delete();
  await knex('powers_of_attorney').update({ scopes: knex.raw(`ARRAY['claims']::text[]`) });
  await knex.raw('ALTER TABLE powers_of_attorney DROP CONSTRAINT powers_of_attorney_scopes');
  await knex.raw(
    `ALTER TABLE powers_of_attorney ADD CONSTRAINT powers_of_attorney_scopes CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['claims']::text[])`,
  );
}
