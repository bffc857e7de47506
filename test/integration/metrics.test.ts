import type { ChildProcess } from 'node:child_process';
import { eventually, useTestApi } from '../helpers/api';
import { freePort } from '../helpers/ports';
import { clientToken } from '../helpers/fixtures';
import { fundedClient, stationOrder } from '../helpers/orders';
import { kill, startWorkerProcess } from '../helpers/worker-process';

// Prometheus, as an operator scrapes it: the API's /metrics (requests by route, the pool, the outbox, Node's own)
// and a worker process's endpoint (the Temporal SDK's metrics and the business counters its workflows add).
const ctx = useTestApi();

/** The samples of a Prometheus text exposition whose name is `name` and whose labels include `labels`. */
function samples(text: string, name: string, labels: Record<string, string> = {}): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

test('the API answers /metrics to the machine itself, not to what a proxy forwards', async () => {
  const client = await fundedClient(ctx.database.db, 1_000_000_00);
  const headers = { clientToken: await clientToken(ctx.database.db, client.id) };
  const order = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
    headers,
    body: stationOrder(client.gtins[0], 2),
  });
  expect(order.status).toBe(200);
  // Emitted here, by the test API's own worker: the next test counts only its own order.
  await eventually(
    async () => (await ctx.database.db('orders').where({ id: order.body.orderId }).first()).status === 'READY',
    60_000,
  );
  await ctx.api.request('GET', `/client/v1/account`, { token: 'not-a-token' });

  const scraped = await ctx.api.request('GET', '/metrics');
  expect(scraped.status).toBe(200);
  expect(scraped.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = scraped.body as string;
  // Each answer under its route's pattern and status — never the raw URL with its ids.
  const orders = { route: '/api/v2/shoes/orders', method: 'POST', status_code: '200' };
  expect(samples(text, 'http_server_request_duration_seconds_count', orders)).toEqual([1]);
  expect(
    samples(text, 'http_server_request_duration_seconds_count', { route: '/client/v1/account', status_code: '401' }),
  ).toEqual([1]);
  expect(text).not.toContain(client.oms_id);
  expect(samples(text, 'ismet_db_pool_connections', { state: 'used' })).toHaveLength(1);
  expect(samples(text, 'ismet_outbox_pending')).toEqual([expect.any(Number)]);
  expect(samples(text, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);

  const forwarded = await ctx.api.request('GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.7' } });
  expect(forwarded.status).toBe(401);
  expect(forwarded.body).toMatchObject({ code: 'METRICS_FORBIDDEN' });
});

test('a worker process serves the SDK’s metrics and the business counters: codes emitted, downloads, charges', async () => {
  await ctx.api.worker.stop(); // only the worker process below polls this test's task queues
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  let worker: ChildProcess | undefined;
  try {
    worker = startWorkerProcess({
      databaseUrl: ctx.database.url,
      taskQueue: ctx.api.taskQueue,
      smtpUrl: ctx.smtp.url,
      env: { WORKER_METRICS_ADDRESS: metricsAddress },
    });
    const client = await fundedClient(ctx.database.db, 1_000_000_00);
    const headers = { clientToken: await clientToken(ctx.database.db, client.id) };
    const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
      headers,
      body: stationOrder(client.gtins[0], 7),
    });
    const { orderId } = created.body;
    await eventually(
      async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'READY',
      120_000,
    );
    const block = await ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${client.gtins[0]}&quantity=5&lastBlockId=0`,
      { headers },
    );
    expect(block.status).toBe(200);
    const [charged] = await ctx.database.db('code_blocks').where({ id: block.body.blockId }).pluck('amount');

    const scrape = async () => (await fetch(`http://${metricsAddress}/metrics`)).text();
    // Counters reach the endpoint at the SDK's next export: wait for the last of them.
    const text = await eventually(async () => {
      const t = await scrape();
      return sum(samples(t, 'ismet_charged_tiyn_total')) > 0 && t;
    }, 30_000);
    expect(sum(samples(text, 'ismet_codes_emitted_total'))).toBe(7);
    expect(sum(samples(text, 'ismet_orders_total', { event: 'ready' }))).toBe(1);
    expect(sum(samples(text, 'ismet_downloads_total'))).toBe(1);
    expect(sum(samples(text, 'ismet_codes_downloaded_total'))).toBe(5);
    expect(sum(samples(text, 'ismet_charged_tiyn_total'))).toBe(Number(charged));
    // The SDK's own: how long tasks waited to start, and the sticky cache.
    const ordersQueue = `${ctx.api.taskQueue}-orders`;
    const orders = { task_queue: ordersQueue };
    expect(sum(samples(text, 'temporal_workflow_task_schedule_to_start_latency_count', orders))).toBeGreaterThan(0);
    // A small order's chunk is a local activity (workflows/order-emission.ts, patch order-local-steps).
    expect(
      samples(text, 'temporal_local_activity_execution_latency_count', { ...orders, activity_type: 'emitCodes' }),
    ).toEqual([1]);
    // The download's delivery, an activity of its own.
    expect(
      samples(text, 'temporal_activity_execution_latency_count', { ...orders, activity_type: 'deliverCodes' }),
    ).toEqual([1]);
    expect(samples(text, 'temporal_sticky_cache_size').length).toBeGreaterThan(0);
    expect(samples(text, 'temporal_worker_task_slots_available', orders).length).toBeGreaterThan(0);
    // Each business counter by the workflow that added it.
    expect(
      samples(text, 'ismet_codes_emitted_total', { workflowType: 'orderEmission', taskQueue: ordersQueue }),
    ).toEqual([7]);
  } finally {
    if (worker) await kill(worker);
  }
}, 240_000);
