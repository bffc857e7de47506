import type { ChildProcess } from 'node:child_process';
import { checkLedger, clientBalance } from '../../db/ledger';
import { priceOfCodes } from '../../lib/money';
import { eventually, useTestApi } from '../helpers/api';
import { clientToken } from '../helpers/fixtures';
import { fundedClient } from '../helpers/orders';
import { kill, startWorkerProcess } from '../helpers/worker-process';

// A worker process killed (SIGKILL) while it delivers a download: after a new one starts, the
// download completes charged once, and the codes' status matches the ledger.
const ctx = useTestApi();
const CODES = 120_000;
const startWorker = () =>
  startWorkerProcess({ databaseUrl: ctx.database.url, taskQueue: ctx.api.taskQueue, smtpUrl: ctx.smtp.url });

test('no double charge; APPLIED codes are exactly the charged ones', async () => {
  const client = await fundedClient(ctx.database.db, 1_000_000_00);
  const token = await clientToken(ctx.database.db, client.id);
  const headers = { clientToken: token };
  const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
    headers,
    body: {
      contactPerson: 'Тест',
      releaseMethodType: 'PRODUCTION',
      createMethodType: 'SELF_MADE',
      products: [
        { gtin: client.gtins[0], quantity: CODES, serialNumberType: 'OPERATOR', templateId: 1, cisType: 'UNIT' },
      ],
    },
  });
  const { orderId } = created.body;
  await eventually(
    async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'READY',
    120_000,
  );

  await ctx.api.worker.stop(); // from here only the worker processes poll the queue
  const first = startWorker();
  let second: ChildProcess | undefined;
  try {
    const answer = ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${client.gtins[0]}&quantity=${CODES}&lastBlockId=0`,
      { headers },
    );
    // Kill the worker while its delivery transaction is marking the codes APPLIED.
    await eventually(async () => {
      const { rows } = await ctx.database.db.raw(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'update "marking_codes"%' AND state = 'active'`,
      );
      return rows.length > 0;
    }, 60_000);
    await kill(first);
    const committed = await ctx.database.db('code_blocks').count<{ n: number }[]>('* as n');
    second = startWorker();
    const delivered = await answer;
    expect(delivered.status).toBe(200);
    expect(delivered.body.codes).toHaveLength(CODES);

    const blocks = await ctx.database.db('code_blocks').where({ client_id: client.id });
    expect(blocks).toHaveLength(1);
    expect(Number(committed[0].n)).toBe(0); // the kill landed before the commit: nothing was booked then
    const charged = priceOfCodes(CODES, { pricePerCodeTiyn: 268, vatRateBp: 1600 }).total;
    expect(await clientBalance(ctx.database.db, client.id)).toMatchObject({ totalCharged: charged, reserved: 0 });
    expect(blocks[0].amount).toBe(charged);
    const applied = await ctx.database
      .db('marking_codes')
      .where({ client_id: client.id, status: 'APPLIED', block_id: blocks[0].id })
      .count<{ n: number }[]>('* as n');
    expect(Number(applied[0].n)).toBe(CODES);
    const captures = await ctx.database.db('ledger_transactions').where({ client_id: client.id, kind: 'capture' });
    expect(captures).toHaveLength(1);
    expect((await checkLedger(ctx.database.db)).problems).toEqual([]);
  } finally {
    await Promise.all([first, second].filter((c): c is ChildProcess => !!c).map(kill));
  }
}, 300_000);
