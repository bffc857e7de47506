import type { Knex } from 'knex';
import { AccountBalance, balanceFrom } from './ledger';
import { prepared } from './prepared';
import { inForceSelect, NoPriceError, PriceInForce, priceFrom } from './prices';

/**
 * Everything the personal account's page shows (6.10) in one round trip, as a prepared statement: the account's
 * number and status, its balances and totals (ledger_account_totals, migration 038), the price in force on `date`.
 */
const ACCOUNT_READ = `
  SELECT (SELECT row_to_json(p) FROM (SELECT number, status FROM personal_accounts WHERE client_id = $1) p) AS account,
         (SELECT COALESCE(json_agg(b), '[]') FROM (
            SELECT a.kind AS account_kind, a.balance, t.tx_kind, t.total
              FROM ledger_accounts a LEFT JOIN ledger_account_totals t ON t.account_id = a.id
             WHERE a.client_id = $1) b) AS balances,
         ${inForceSelect('$2')}`;

export interface AccountFacts {
  account?: { number: string; status: string };
  balance: AccountBalance;
  /** Undefined when no tariff or VAT rate is in force on the date. */
  price?: PriceInForce;
}

export async function readAccount(db: Knex, clientId: string, date: string): Promise<AccountFacts> {
  const [row] = await prepared(db, 'account-read', ACCOUNT_READ, [clientId, date]);
  let price: PriceInForce | undefined;
  try {
    price = priceFrom(date, row);
  } catch (error) {
    if (!(error instanceof NoPriceError)) throw error;
  }
  return { account: row.account ?? undefined, balance: balanceFrom(row.balances), price };
}
