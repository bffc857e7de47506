import type { ChildProcess } from 'node:child_process';
import { eventually, useTestApi } from '../helpers/api';
import { clientToken } from '../helpers/fixtures';
import { fundedClient } from '../helpers/orders';
import { kill, startWorkerProcess } from '../helpers/worker-process';

// A worker process killed (SIGKILL) in the middle of a 150,000-code emission: after a new one
// starts, the order completes with exactly the ordered number of unique codes.
const ctx = useTestApi();
const ORDERED = 150_000;
const startWorker = () =>
  startWorkerProcess({ databaseUrl: ctx.database.url, taskQueue: ctx.api.taskQueue, smtpUrl: ctx.smtp.url });

const emitted = async (orderId: string) =>
  Number((await ctx.database.db('order_products').where({ order_id: orderId }).sum('emitted as n'))[0].n ?? 0);
/** The order as the database has it: its status, its products' emitted counters and the codes themselves. */
const progress = async (orderId: string) => {
  const { status } = await ctx.database.db('orders').where({ id: orderId }).first('status');
  const [{ codes }] = (
    await ctx.database.db.raw(
      `SELECT COUNT(*)::int AS codes FROM marking_codes c JOIN order_products p ON p.id = c.order_product_id WHERE p.order_id = ?`,
      [orderId],
    )
  ).rows;
  return { status, emitted: await emitted(orderId), codes };
};

test('the order completes with exactly the ordered codes, each once', async () => {
  await ctx.api.worker.stop(); // only the worker processes below poll this task queue
  const client = await fundedClient(ctx.database.db, 1_000_000_00);
  const token = await clientToken(ctx.database.db, client.id);
  const first = startWorker();
  let second: ChildProcess | undefined;
  try {
    const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
      headers: { clientToken: token },
      body: {
        contactPerson: 'Тест',
        releaseMethodType: 'PRODUCTION',
        createMethodType: 'SELF_MADE',
        products: [
          { gtin: client.gtins[0], quantity: ORDERED, serialNumberType: 'OPERATOR', templateId: 1, cisType: 'UNIT' },
        ],
      },
    });
    expect(created.status).toBe(200);
    const { orderId } = created.body;

    // Kill it once some chunks are in…
    await eventually(async () => (await emitted(orderId)) >= 20_000, 90_000);
    await kill(first);
    // …and prove it landed mid-emission: with no worker left on the task queue nothing more is written (a transaction
    // cut off by the kill rolls back), so what the database holds now is what the killed worker had done: some of the
    // codes, not all, the order not ready.
    // (A chunk's codes are inserted before its counter is updated: the codes may be ahead of the counter, never behind.)
    const atKill = await progress(orderId);
    expect(atKill.status).not.toBe('READY');
    expect(atKill.emitted).toBeGreaterThanOrEqual(20_000);
    expect(atKill.codes).toBeGreaterThanOrEqual(atKill.emitted);
    expect(atKill.codes).toBeLessThan(ORDERED);

    second = startWorker();
    await eventually(
      async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'READY',
      150_000,
    );

    const [{ rows, serials, seqs, lowest, highest }] = (
      await ctx.database.db.raw(
        `SELECT COUNT(*)::int AS rows, COUNT(DISTINCT serial)::int AS serials, COUNT(DISTINCT seq)::int AS seqs, MIN(seq) AS lowest, MAX(seq) AS highest
           FROM marking_codes c JOIN order_products p ON p.id = c.order_product_id WHERE p.order_id = ?`,
        [orderId],
      )
    ).rows;
    expect({ rows, serials, seqs, lowest, highest }).toEqual({
      rows: ORDERED,
      serials: ORDERED,
      seqs: ORDERED,
      lowest: 0,
      highest: ORDERED - 1,
    });
    expect(await emitted(orderId)).toBe(ORDERED);
    const account = await ctx.database.db('reservations').where({ order_ref: orderId });
    expect(account).toHaveLength(1);
  } finally {
    await Promise.all([first, second].filter((c): c is ChildProcess => !!c).map(kill));
  }
}, 300_000);
