/**
 * The data the benchmarks set up, with the project's own code (ops/sample-data.ts): a funded
 * client with products, order lines, and orders registered as the order station registers them.
 * The benchmarks do not depend on the test helpers, which change with the tests.
 */
import type { Db } from '../../db/connection';
import { deposit } from '../../db/ledger';
import { openPersonalAccount } from '../../db/personal-accounts';
import { randomBinIin } from '../sample-data';

export { line, placeOrder, randomGtin } from '../sample-data';

export interface BenchClient {
  id: string;
  oms_id: string;
  accountNumber: string;
  gtins: string[];
}

/** An active client with a personal account, `amountTiyn` deposited on it and `gtins` in its catalogue. */
export async function fundedClient(db: Db, amountTiyn: number, gtins: string[]): Promise<BenchClient> {
  const binIin = randomBinIin();
  const [client] = await db('clients')
    .insert({ bin_iin: binIin, name: 'ТОО «Нагрузочный тест»', email: `bench-${binIin}@example.kz` })
    .returning('*');
  const account = await openPersonalAccount(db, client.id, new Date());
  if (amountTiyn > 0)
    await deposit(db, {
      idempotencyKey: `bench-fund-${client.id}`,
      clientId: client.id,
      amountTiyn,
      paymentId: `bench-fund-${client.id}`,
    });
  // Accepted (issue #16) so the bench can order them; `legacy`: no staff member decided in a bench.
  await db('products').insert(
    gtins.map((gtin) => ({
      client_id: client.id,
      gtin,
      name: `Туфли ${gtin}`,
      rights_status: 'accepted',
      rights_basis: 'legacy',
      rights_decided_at: new Date(),
    })),
  );
  return { id: client.id, oms_id: client.oms_id, accountNumber: account.number, gtins };
}
