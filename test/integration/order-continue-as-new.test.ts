import { clientBalance } from '../../db/ledger';
import { taskQueueOf } from '../../lib/task-queues';
import {
  closeBufferUpdate,
  downloadUpdate,
  orderEmission,
  orderStateQuery,
  orderWorkflowId,
} from '../../workflows/order-emission';
import { eventually, useTestApi } from '../helpers/api';
import { runsOf } from '../helpers/workflow-history';
import { fundedClient, line, placeOrder } from '../helpers/orders';

// An order lives until its codes are downloaded; a client paging one code at a time would fill
// its history (issue #19). Past its history limit a READY order goes on in a new run, as it
// stood: the same buffers, counts, reservation and lifetime; downloads and closing keep working.
const ctx = useTestApi();

test('downloads past the history limit continue the order in a new run, and the order ends as it would have', async () => {
  const client = await fundedClient(ctx.database.db, 100_000_000);
  const gtin = client.gtins[0];
  const input = await placeOrder(ctx.database.db, client, [line(gtin, 40)]);
  const first = await ctx.api.temporal.client.workflow.start(orderEmission, {
    taskQueue: taskQueueOf(ctx.api.taskQueue, 'orders'),
    workflowId: orderWorkflowId(input.orderId),
    args: [{ ...input, historyLimit: 60 }],
  });
  const order = ctx.api.temporal.client.workflow.getHandle(orderWorkflowId(input.orderId));
  // Emission takes a while when the machine is busy.
  await eventually(async () => (await order.query(orderStateQuery)).status === 'READY', 90_000);
  const reserved = (await clientBalance(ctx.database.db, client.id)).reserved;
  const expiresAt = (await order.query(orderStateQuery)).expiresAt;

  const blocks = [];
  for (let i = 0; i < 30; i++)
    blocks.push(
      await order.executeUpdate(downloadUpdate, {
        args: [{ gtin, quantity: 1, requestRef: `page-${i}`, channel: 'cabinet' }],
      }),
    );

  expect((await runsOf(ctx.api.temporal.client.workflow, orderWorkflowId(input.orderId))).length).toBeGreaterThan(1);
  expect((await order.describe()).runId).not.toBe(first.firstExecutionRunId);
  const state = await order.query(orderStateQuery);
  expect(state).toMatchObject({ status: 'READY', emitted: 40, expiresAt });
  expect(state.buffers).toMatchObject([{ gtin, passed: 30, status: 'ACTIVE' }]);
  expect(new Set(blocks.map((b) => b.blockId)).size).toBe(30);
  // A page asked again in the new run is the same block, not a second charge.
  expect(
    await order.executeUpdate(downloadUpdate, {
      args: [{ gtin, quantity: 1, requestRef: 'page-0', channel: 'cabinet' }],
    }),
  ).toMatchObject({ blockId: blocks[0].blockId, replayed: true });

  await order.executeUpdate(closeBufferUpdate, { args: [{}] });
  const end = await order.result();
  expect(end.status).toBe('CLOSED');
  const charged = blocks.reduce((sum, b) => sum + b.amountTiyn, 0);
  expect(end.releasedTiyn).toBe(reserved - charged);
  expect(await clientBalance(ctx.database.db, client.id)).toMatchObject({ reserved: 0, totalCharged: charged });
}, 180_000);
