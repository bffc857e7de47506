import type { Knex } from 'knex';

/**
 * Issue #20: the personal account's totals (paid in, charged, refunded, compensated, corrections — 6.10) read in
 * one round trip however long the client's history. Each client account keeps, per kind of transaction, the sum
 * of its entries, added by a trigger of the entry's insert — under the account's row lock its balance step already
 * holds — and by nothing else. `checkLedger` recomputes them from the entries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_account_totals', (t) => {
    t.bigInteger('account_id').notNullable().references('ledger_accounts.id');
    t.text('tx_kind').notNullable();
    t.bigInteger('total').notNullable();
    t.primary(['account_id', 'tx_kind']);
  });
  await knex.raw(`
    INSERT INTO ledger_account_totals (account_id, tx_kind, total)
    SELECT e.account_id, t.kind, SUM(e.amount)
      FROM ledger_entries e
      JOIN ledger_transactions t ON t.id = e.transaction_id
      JOIN ledger_accounts a ON a.id = e.account_id
     WHERE a.tracks_balance
     GROUP BY e.account_id, t.kind`);
  await knex.raw(`
    CREATE FUNCTION ledger_add_to_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO ledger_account_totals (account_id, tx_kind, total)
      SELECT NEW.account_id, t.kind, NEW.amount
        FROM ledger_transactions t, ledger_accounts a
       WHERE t.id = NEW.transaction_id AND a.id = NEW.account_id AND a.tracks_balance
      ON CONFLICT (account_id, tx_kind) DO UPDATE SET total = ledger_account_totals.total + EXCLUDED.total;
      RETURN NULL;
    END $$`);
  await knex.raw(
    `CREATE TRIGGER ledger_entries_totals AFTER INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_add_to_totals()`,
  );
  // Moved only by that trigger: a direct write (trigger depth 1) is refused.
  await knex.raw(`
    CREATE FUNCTION ledger_guard_totals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'ledger totals change only by booking entries' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END $$`);
  await knex.raw(
    `CREATE TRIGGER ledger_account_totals_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_account_totals
       FOR EACH ROW EXECUTE FUNCTION ledger_guard_totals()`,
  );
  await knex.raw(
    `CREATE TRIGGER ledger_account_totals_no_truncate BEFORE TRUNCATE ON ledger_account_totals
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER ledger_entries_totals ON ledger_entries`);
  await knex.schema.dropTable('ledger_account_totals');
  await knex.raw(`DROP FUNCTION ledger_add_to_totals(); DROP FUNCTION ledger_guard_totals()`);
}
