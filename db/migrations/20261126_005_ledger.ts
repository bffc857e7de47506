import type { Knex } from 'knex';

/**
 * The personal account (3.2-3.8, 6.1-6.4): a double-entry ledger of immutable transactions,
 * reservations of orders, tariffs and VAT rates as dated records.
 *
 * Sign convention: an entry's amount is positive for a credit and negative for a debit, and
 * the entries of a transaction sum to zero (checked at commit). The client's accounts are
 * what the operator owes the client, so their balances are positive and may never go
 * negative: the CHECK on ledger_accounts refuses the entry that would make them so, which is
 * what makes concurrent reservations safe. Operator accounts keep no running balance (so
 * they are not a row every transaction would lock); their balances are sums of entries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_accounts', (t) => {
    t.bigIncrements('id');
    t.text('code').notNullable().unique();
    t.text('kind').notNullable();
    t.uuid('client_id').references('clients.id');
    t.text('name').notNullable();
    t.boolean('tracks_balance').notNullable();
    t.bigInteger('balance').notNullable().defaultTo(0);
    t.bigInteger('entry_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind CHECK (kind IN (
    'client_available','client_reserved',
    'operator_bank','revenue','vat_payable','refunds_payable','bank_fees','unassigned_payments','compensations','corrections'))`);
  await knex.raw(
    `ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_client CHECK ((client_id IS NOT NULL) = (kind LIKE 'client_%'))`,
  );
  await knex.raw(
    `ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_non_negative CHECK (NOT tracks_balance OR balance >= 0)`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX ledger_accounts_client_kind ON ledger_accounts (client_id, kind) WHERE client_id IS NOT NULL`,
  );

  await knex.schema.createTable('ledger_transactions', (t) => {
    t.bigIncrements('id');
    t.text('idempotency_key').notNullable().unique();
    t.string('request_hash', 64).notNullable();
    t.text('kind').notNullable();
    t.uuid('client_id').references('clients.id');
    t.text('reference_type');
    t.text('reference_id');
    t.text('clause').notNullable();
    t.text('memo');
    t.uuid('created_by').references('staff_users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['client_id', 'id']);
    t.index(['reference_type', 'reference_id']);
  });
  await knex.raw(`ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind CHECK (kind IN (
    'deposit','payment_unassigned','payment_assign','payment_return',
    'reserve','capture','release','refund_payout','compensation','correction'))`);

  await knex.schema.createTable('ledger_entries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('transaction_id').notNullable().references('ledger_transactions.id');
    t.bigInteger('account_id').notNullable().references('ledger_accounts.id');
    t.bigInteger('amount').notNullable();
    t.bigInteger('balance_after');
    t.bigInteger('account_seq');
    t.index(['account_id', 'id']);
    t.index(['transaction_id']);
    t.unique(['account_id', 'account_seq']);
  });
  await knex.raw(`ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_amount CHECK (amount <> 0)`);

  // Each entry moves its account's running balance (the CHECK above refuses a negative one)
  // and takes the next number in the account's own order, under the account's row lock.
  await knex.raw(`
    CREATE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE ledger_accounts SET balance = balance + NEW.amount, entry_count = entry_count + 1
       WHERE id = NEW.account_id AND tracks_balance
      RETURNING balance, entry_count INTO NEW.balance_after, NEW.account_seq;
      RETURN NEW;
    END $$`);
  await knex.raw(
    `CREATE TRIGGER ledger_entries_apply BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_apply_entry()`,
  );

  // A transaction balances: checked at commit, once all its entries are in.
  await knex.raw(`
    CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE total bigint;
    BEGIN
      SELECT COALESCE(SUM(amount), 0) INTO total FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
      IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sum of entries %)', NEW.transaction_id, total
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_transaction_balanced';
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(`CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()`);

  // Immutable: what was booked stays booked; a mistake is corrected by a new transaction.
  await knex.raw(`
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'ledger % are immutable: book a correcting transaction instead', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END $$`);
  for (const table of ['ledger_transactions', 'ledger_entries']) {
    await knex.raw(
      `CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`,
    );
    await knex.raw(
      `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`,
    );
  }
  // A running balance moves only with an entry.
  await knex.raw(`
    CREATE FUNCTION ledger_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (NEW.balance, NEW.entry_count) IS DISTINCT FROM (OLD.balance, OLD.entry_count) AND pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'a ledger balance changes only by booking entries' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(
    `CREATE TRIGGER ledger_accounts_guard BEFORE UPDATE ON ledger_accounts FOR EACH ROW EXECUTE FUNCTION ledger_guard_balance()`,
  );

  // Reservations of orders (3.2, 6.4): money held at emission at the price then in force,
  // charged download by download, the rest released when the order closes.
  await knex.schema.createTable('reservations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('client_id').notNullable().references('clients.id').index();
    t.text('order_ref').notNullable().unique();
    t.integer('codes').notNullable();
    t.integer('price_per_code_tiyn').notNullable();
    t.integer('vat_rate_bp').notNullable();
    t.bigInteger('amount').notNullable();
    t.integer('captured_codes').notNullable().defaultTo(0);
    t.bigInteger('captured_net').notNullable().defaultTo(0);
    t.bigInteger('captured_vat').notNullable().defaultTo(0);
    t.bigInteger('released_amount').notNullable().defaultTo(0);
    t.text('status').notNullable().defaultTo('open');
    t.bigInteger('reserve_transaction_id').notNullable().references('ledger_transactions.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE reservations ADD CONSTRAINT reservations_amounts CHECK (
    codes > 0 AND amount > 0 AND captured_codes BETWEEN 0 AND codes AND released_amount >= 0
    AND captured_net + captured_vat + released_amount <= amount
    AND (status = 'open' OR captured_net + captured_vat + released_amount = amount))`);
  await knex.raw(`ALTER TABLE reservations ADD CONSTRAINT reservations_status CHECK (status IN ('open','closed'))`);

  // Tariff (6.1) and VAT rates (the Tax Code) as dated records with their sources.
  await knex.schema.createTable('tariffs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.integer('price_per_code_tiyn').notNullable();
    t.date('effective_from').notNullable().unique();
    t.text('basis').notNullable();
    t.timestamp('announced_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('announced_by').references('staff_users.id');
    t.timestamp('earliest_effective_at', { useTz: true });
  });
  await knex.raw(`ALTER TABLE tariffs ADD CONSTRAINT tariffs_price CHECK (price_per_code_tiyn > 0)`);
  await knex.schema.createTable('vat_rates', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.integer('rate_bp').notNullable();
    t.date('effective_from').notNullable().unique();
    t.text('source').notNullable();
    t.uuid('created_by').references('staff_users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE vat_rates ADD CONSTRAINT vat_rates_rate CHECK (rate_bp BETWEEN 0 AND 10000)`);
  await knex('tariffs').insert({
    price_per_code_tiyn: 268,
    effective_from: '2021-07-23',
    basis:
      'Типовой договор предоставления доступа к услугам Единого оператора маркировки от 23.07.2021, п. 6.1: 2,68 тенге за 1 код маркировки без НДС',
    announced_at: '2021-07-23T00:00:00+06:00',
  });
  await knex('vat_rates').insert([
    {
      rate_bp: 1200,
      effective_from: '2018-01-01',
      source:
        'Кодекс РК «О налогах и других обязательных платежах в бюджет» (Налоговый кодекс) от 25.12.2017 № 120-VI, ст. 422: ставка НДС 12%',
    },
    {
      rate_bp: 1600,
      effective_from: '2026-01-01',
      source: 'Налоговый кодекс РК от 18.07.2025 № 214-VIII, в силу с 01.01.2026: базовая ставка НДС 16%',
    },
  ]);

  // E-mail notices that belong to a subject (a payment, a tariff) are sent once per client.
  await knex.schema.alterTable('notices', (t) => {
    t.text('topic');
  });
  await knex.raw(`CREATE UNIQUE INDEX notices_client_topic ON notices (client_id, topic) WHERE topic IS NOT NULL`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS notices_client_topic');
  await knex.schema.alterTable('notices', (t) => t.dropColumn('topic'));
  for (const table of [
    'vat_rates',
    'tariffs',
    'reservations',
    'ledger_entries',
    'ledger_transactions',
    'ledger_accounts',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  for (const fn of ['ledger_apply_entry', 'ledger_check_balanced', 'ledger_refuse_change', 'ledger_guard_balance']) {
    await knex.raw(`DROP FUNCTION IF EXISTS ${fn}()`);
  }
}
