import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { formatKeyRing } from '../../lib/codes';
import { CALENDAR_HORIZON_SCHEDULE_ID } from '../../workflows/calendar-horizon';
import { CODE_RETENTION_WORKFLOW_ID } from '../../workflows/code-retention';
import { MONTHLY_ACTS_SCHEDULE_ID } from '../../workflows/monthly-acts';
import { answers200, appProcess } from '../../ops/topology/app-process';
import { eventually, TEST_CODE_KEYS, useTestApi } from '../helpers/api';
import { clientToken } from '../helpers/fixtures';
import { fundedClient, stationOrder } from '../helpers/orders';
import { freePort } from '../helpers/ports';

// OpenTelemetry, as an operator's collector receives it: the API and a worker as deployed (each its own process,
// OTEL_EXPORTER_OTLP_ENDPOINT set) send one trace for a client's order — the HTTP request, Fastify's handler, the
// API's queries, the Temporal client's start, the workflow, its activities and their queries.
const ctx = useTestApi();

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** An OTLP/HTTP (JSON) trace receiver, as a collector listens on :4318. */
async function otlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const { resourceSpans = [] } = JSON.parse(body);
        for (const r of resourceSpans) {
          const service = r.resource.attributes.find((a: { key: string }) => a.key === 'service.name')?.value
            .stringValue;
          for (const scope of r.scopeSpans ?? [])
            for (const s of scope.spans ?? [])
              spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The API process set up the deployment's system workflows and schedules (fixed ids, on this test's task queue, on
 * the run's shared Temporal server): gone with the test, so that the tests of those processes set up their own.
 */
async function removeSystemWorkflows() {
  const { client } = ctx.api.temporal;
  await Promise.all([
    ...[MONTHLY_ACTS_SCHEDULE_ID, CALENDAR_HORIZON_SCHEDULE_ID].map((id) =>
      client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined),
    ),
    ...[CODE_RETENTION_WORKFLOW_ID, 'calendar-horizon', 'monthly-acts'].map((id) =>
      client.workflow
        .getHandle(id)
        .terminate('the tracing test is over')
        .catch(() => undefined),
    ),
  ]);
}

test('an order’s trace runs from the HTTP request through the workflow to the activities’ queries', async () => {
  await ctx.api.worker.stop(); // the worker process below takes this test's task queues
  const receiver = await otlpReceiver();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ismet-tracing-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: ctx.database.url,
    TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS,
    TEMPORAL_TASK_QUEUE: ctx.api.taskQueue,
    SMTP_URL: ctx.smtp.url,
    CODE_KEYS: formatKeyRing(TEST_CODE_KEYS),
    DATA_DIR: dir,
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  const api = appProcess({
    name: 'api',
    entry: 'api/http/server.ts',
    env: { ...env, HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    logFile: path.join(dir, 'api.log'),
    ready: () => answers200(`http://127.0.0.1:${port}/ready`),
  });
  const worker = appProcess({
    name: 'worker',
    entry: 'workflows/worker.ts',
    env,
    logFile: path.join(dir, 'worker.log'),
    ready: (output) => output.includes('worker polling'),
  });
  try {
    await Promise.all([api.start(), worker.start()]);
    // No money: the order is declined (4.3.7) and its workflow ends, so every span of it is exported.
    const client = await fundedClient(ctx.database.db, 0);
    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const answer = await fetch(`http://127.0.0.1:${port}/api/v2/shoes/orders?omsId=${client.oms_id}`, {
      method: 'POST',
      headers: {
        clientToken: await clientToken(ctx.database.db, client.id),
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${callerSpan}-01`,
      },
      body: JSON.stringify(stationOrder(client.gtins[0], 3)),
    });
    expect(answer.status).toBe(200);
    const { orderId } = (await answer.json()) as { orderId: string };
    await eventually(
      async () => (await ctx.database.db('orders').where({ id: orderId }).first('status')).status === 'DECLINED',
      60_000,
    );

    const trace = () => receiver.spans.filter((s) => s.traceId === traceId);
    const named = (service: string, name: string | RegExp) =>
      trace().filter((s) => s.service === service && (typeof name === 'string' ? s.name === name : name.test(s.name)));
    await eventually(async () => named('ismet-worker', 'RunWorkflow:orderEmission').length > 0, 30_000);
    await eventually(async () => named('ismet-worker', 'RunActivity:declineOrder').length > 0, 30_000);

    // The API's part: the request (HTTP, then Fastify's handler), its queries, the workflow's start.
    expect(named('ismet-api', /^POST/)).not.toHaveLength(0);
    expect(named('ismet-api', 'request')).toHaveLength(1);
    expect(named('ismet-api', /^pg\.query/).length).toBeGreaterThan(0);
    expect(named('ismet-api', 'StartWorkflow:orderEmission')).toHaveLength(1);
    // The worker's: the workflow, the activities it scheduled and ran, their queries.
    for (const activity of ['reserveOrder', 'declineOrder']) {
      expect(named('ismet-worker', `StartActivity:${activity}`)).toHaveLength(1);
      expect(named('ismet-worker', `RunActivity:${activity}`)).toHaveLength(1);
    }
    // One tree, from the caller's span down to the queries of the workflow's activities. (Spans of the notice's
    // own workflow, still running, wait for their parent's end: not every span's parent is in yet.)
    const byId = new Map(trace().map((s) => [s.spanId, s]));
    const ancestry = (span: ReceivedSpan): ReceivedSpan[] =>
      span.parentSpanId && byId.has(span.parentSpanId) ? [span, ...ancestry(byId.get(span.parentSpanId)!)] : [span];
    const reserving = named('ismet-worker', /^pg\.query/)
      .map(ancestry)
      .find((chain) => chain.some((s) => s.name === 'RunActivity:reserveOrder'));
    expect(reserving?.map((s) => s.name)).toEqual([
      expect.stringMatching(/^pg\.query/),
      'RunActivity:reserveOrder',
      'StartActivity:reserveOrder',
      'RunWorkflow:orderEmission',
      'StartWorkflow:orderEmission',
      'handler - POST /api/v2/shoes/orders',
      'request',
      'POST /api/v2/shoes/orders',
    ]);
    expect(reserving?.at(-1)?.parentSpanId).toBe(callerSpan);
    // Fastify's hooks are named by their functions, never by a plugin's source text.
    for (const span of named('ismet-api', /^(onRequest|preValidation|preHandler|onSend|onResponse|handler) - /))
      expect(span.name.length).toBeLessThan(80);
  } finally {
    await Promise.all([api.stop(10_000), worker.stop(10_000)]);
    await receiver.close();
    await removeSystemWorkflows();
  }
}, 240_000);
