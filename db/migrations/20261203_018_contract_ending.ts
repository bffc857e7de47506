import type { Knex } from 'knex';

/**
 * The contract is ending on its own (3.7: an advance unused for a year): from then on no new
 * orders, what is open is settled, the advance returned, and only then the account closes.
 * A download records the VAT rate of its own date (6.4), which may differ from the reservation's.
 * An act's VAT rounded per line may differ from the sum charged per download: the difference is booked.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('clients', (t) => {
    t.timestamp('ending_since', { useTz: true });
    t.text('ending_clause');
  });
  await knex.schema.alterTable('code_blocks', (t) => {
    t.integer('vat_rate_bp');
  });
  // An act's VAT is rounded per line (6.5); the difference from the VAT charged per download is booked.
  await knex.raw('ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind');
  await knex.raw(`ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind CHECK (kind IN (
    'deposit','payment_unassigned','payment_assign','payment_return',
    'reserve','capture','release','refund_payout','compensation','compensation_payout','correction','vat_rounding'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind');
  await knex.raw(`ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind CHECK (kind IN (
    'deposit','payment_unassigned','payment_assign','payment_return',
    'reserve','capture','release','refund_payout','compensation','compensation_payout','correction'))`);
  await knex.schema.alterTable('clients', (t) => {
    t.dropColumns('ending_since', 'ending_clause');
  });
  await knex.schema.alterTable('code_blocks', (t) => {
    t.dropColumn('vat_rate_bp');
  });
}
