import type { Db } from '../../db/connection';
import type { DeliveredBlock } from '../../db/downloads';
import { TEST_CODE_KEYS } from './api';
import { clientToken } from './fixtures';
import { chargeClient, fundedClient } from './orders';

/**
 * A funded client with a token and one delivered block of each size given, each an order of its own emitted and
 * downloaded through the activities the order workflow runs.
 */
export async function clientWithBlocks(
  db: Db,
  sizes: number[],
): Promise<{ token: string; omsId: string; blocks: string[]; delivered: DeliveredBlock[] }> {
  const client = await fundedClient(db, 1_000_000_000_00);
  const token = await clientToken(db, client.id);
  const delivered: DeliveredBlock[] = [];
  for (const codes of sizes)
    delivered.push((await chargeClient(db, client, codes, TEST_CODE_KEYS.current)).block as DeliveredBlock);
  return { token, omsId: client.oms_id, blocks: delivered.map((b) => b.blockId), delivered };
}

/** CSV and JSON downloads streaming on the API's own download connections (db/copy-pool.ts), as /metrics tells. */
export async function streamingDownloads(apiUrl: string): Promise<number> {
  const text = await (await fetch(`${apiUrl}/metrics`)).text();
  return Number(/^ismet_download_streams\{state="streaming"\} (\d+)$/m.exec(text)?.[1]);
}
