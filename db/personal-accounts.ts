import type { Knex } from 'knex';

/**
 * Opens the client's personal account (3.5), numbered LS00000001, LS00000002...; an account
 * closed earlier (the client joins again) is reopened with its number.
 */
export async function openPersonalAccount(
  trx: Knex,
  clientId: string,
  openedAt: Date,
): Promise<{ id: string; number: string }> {
  const [{ nextval }] = (await trx.raw("SELECT nextval('personal_account_numbers')")).rows;
  const [account] = await trx('personal_accounts')
    .insert({ client_id: clientId, number: `LS${String(nextval).padStart(8, '0')}`, opened_at: openedAt })
    .onConflict('client_id')
    .merge({ status: 'open', closed_at: null })
    .returning(['id', 'number']);
  return account;
}
