import { takeOrder } from '../../api/intake/orders';
import type { AppDeps } from '../../api/http/deps';
import { orderWorkflowId } from '../../workflows/order-emission';
import { eventually, useTestApi } from '../helpers/api';
import { clientToken } from '../helpers/fixtures';
import { fundedClient, line } from '../helpers/orders';

// Orders run on a task queue of their own, so a burst of them never delays the contract's
// clocks (issue #19); the worker process polls both queues (lib/task-queues.ts).
const ctx = useTestApi();

test("an order's workflow runs on the orders' queue, a ticket's on the base queue, and one worker process takes both", async () => {
  const client = await fundedClient(ctx.database.db, 100_000_000);
  const deps = {
    db: ctx.database.db,
    temporal: ctx.api.temporal,
    clock: { now: () => new Date() },
    config: { temporalTaskQueue: ctx.api.taskQueue, operatorTimeZone: 'Asia/Almaty' },
  } as unknown as Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;

  const { orderId } = await takeOrder(
    deps,
    { clientId: client.id, omsId: client.oms_id },
    {
      contactPerson: 'Иванов И.И.',
      releaseMethodType: 'PRODUCTION',
      createMethodType: 'SELF_MADE',
      products: [line(client.gtins[0], 1)],
    },
  );
  const order = ctx.api.temporal.client.workflow.getHandle(orderWorkflowId(orderId));
  expect((await order.describe()).taskQueue).toBe(`${ctx.api.taskQueue}-orders`);
  await eventually(async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'READY');

  const opened = await ctx.api.request('POST', '/client/v1/tickets', {
    token: await clientToken(ctx.database.db, client.id),
    body: { subject: 'Вопрос', body: 'Где коды?' },
  });
  expect(opened.status).toBe(201);
  const ticket = ctx.api.temporal.client.workflow.getHandle(`ticket-${opened.body.id}`);
  expect((await ticket.describe()).taskQueue).toBe(ctx.api.taskQueue);
  await eventually(
    async () => (await ctx.database.db('tickets').where({ id: opened.body.id }).first()).reaction_due_at,
  );
});
