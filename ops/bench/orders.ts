/**
 * Benchmark (not a test): a client's order through the order station's API — `POST /api/v2/shoes/orders`, one code —
 * answered, then emitted (READY) by its workflow, on the Temporal dev server with one API and one worker process,
 * as `npm start` runs them. Baseline from the same run: one order at a time, half a second apart.
 *
 *   npx tsx ops/bench/orders.ts                   # own embedded PostgreSQL (durable), removed at the end
 *   npx tsx ops/bench/orders.ts --fast --seconds 20
 *   npx tsx ops/bench/orders.ts --profile DIR     # the API's and the worker's CPU profiles (.cpuprofile) in DIR
 *
 * Phases: alone (20 orders, 0.5 s apart); paced (50 orders/s); full speed (20 connections). For each: the answer's
 * p50/p99, orders/s answered, the time until every order of the phase is READY, the orders' workflow task backlog
 * (count and age, sampled every 250 ms), and the CPU seconds per order of the API, the worker, Temporal and
 * PostgreSQL (from /proc). Goals (issue #20): p50 ≤ 40 ms, p99 ≤ 120 ms at 50/s; ≥ 150 orders/s with the
 * backlog's age ≤ 2 s.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken } from '../../db/api-tokens';
import { generateKey } from '../../lib/codes';
import { taskQueueOf } from '../../lib/task-queues';
import { WORKER_TUNING_VARIABLES } from '../../lib/worker-tuning';
import { freePort } from '../services/ports';
import { answers200, appProcess } from '../topology/app-process';
import { BenchClient, fundedClient, randomGtin } from './fixtures';
import {
  benchAppEnv,
  cpuMeter,
  cpuMs,
  postgresCpuMs,
  postmasterPid,
  taskQueueBacklog,
  withAppStack,
} from './processes';
import { printTable } from './setup';

const NAMESPACE = 'default';
const TASK_QUEUE = 'bench-orders';

interface PhaseResult {
  name: string;
  orders: number;
  answeredPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  readyAfterS: number;
  backlogMax: number;
  backlogAgeMaxS: number;
  cpuMsPerOrder: Record<string, number>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      rate: { type: 'string', default: '50' },
      clients: { type: 'string', default: '60' },
      profile: { type: 'string' },
    },
    strict: false,
  });
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  await withAppStack('orders', async ({ dir, server, db, processes, startTemporal }) => {
    // The station holds at most 100 orders per client waiting or with codes to download: the load is spread over
    // many clients, as over many integrators.
    const clients: (BenchClient & { token: string })[] = [];
    for (let i = 0; i < Number(values.clients); i++) {
      const client = await fundedClient(db, 1_000_000_00, [randomGtin()]);
      const { token } = await issueToken(db, { clientId: client.id }, 'bench', { scopes: ['station'] });
      clients.push({ ...client, token });
    }
    const postmaster = await postmasterPid(db);

    const { server: temporalServer, connection } = await startTemporal(NAMESPACE);
    const apiPort = await freePort();
    const knobs = WORKER_TUNING_VARIABLES.filter((name) => process.env[name]).map((n) => `${n}=${process.env[n]}`);
    console.log(`Worker knobs: ${knobs.join(' ') || 'the defaults'}`);
    const env = benchAppEnv({
      databaseUrl: server.url,
      temporalAddress: temporalServer.address,
      namespace: NAMESPACE,
      taskQueue: TASK_QUEUE,
      codeKey: generateKey('ID01'),
      dataDir: path.join(dir, 'app-data'),
      extra: { RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000000', RATE_LIMIT_TOKEN_PER_MINUTE: '1000000000' },
    });
    const nodeOptions = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(String(values.profile))}`] : [];
    const api = appProcess({
      name: 'api',
      entry: 'api/http/server.ts',
      env: { ...env, HOST: '127.0.0.1', PORT: String(apiPort), SUPPORT_SMTP_PORT: String(await freePort()) },
      logFile: path.join(dir, 'api.log'),
      nodeOptions,
      ready: () => answers200(`http://127.0.0.1:${apiPort}/health`),
    });
    const worker = appProcess({
      name: 'worker',
      entry: 'workflows/worker.ts',
      env,
      logFile: path.join(dir, 'worker.log'),
      nodeOptions,
      ready: (output) => output.includes('worker polling'),
    });
    processes.push(api, worker);
    await Promise.all([api.start(), worker.start()]);

    const cpuOf: Record<string, () => number> = {
      api: () => cpuMs(api.pid!),
      worker: () => cpuMs(worker.pid!),
      temporal: () => cpuMs(temporalServer.process.pid!),
      postgres: () => postgresCpuMs(postmaster),
    };
    const cpuNow = cpuMeter(cpuOf);

    const ordersQueue = taskQueueOf(TASK_QUEUE, 'orders');
    const backlog = () => taskQueueBacklog(connection, NAMESPACE, ordersQueue);

    const base = `http://127.0.0.1:${apiPort}`;
    const target = (i: number) => {
      const client = clients[i % clients.length];
      return {
        path: `/api/v2/shoes/orders?omsId=${client.oms_id}`,
        headers: {
          'content-type': 'application/json',
          clientToken: client.token,
          'idempotency-key': `bench-${i}-${randomUUID()}`,
        },
        body: JSON.stringify({
          contactPerson: 'Нагрузочный тест',
          releaseMethodType: 'PRODUCTION',
          createMethodType: 'SELF_MADE',
          products: [{ gtin: client.gtins[0], quantity: 1, serialNumberType: 'OPERATOR', templateId: 1 }],
        }),
      };
    };
    let sent = 0;
    let firstRefusal: string | undefined;
    const request = {
      method: 'POST' as const,
      setupRequest: (req: any) => ({ ...req, ...target(sent++) }),
      onResponse: (status: number, body: string) => {
        if (status >= 300 && !firstRefusal) firstRefusal = `${status} ${body}`;
      },
    };

    const readyCount = async () => Number((await db('orders').where({ status: 'READY' }).count({ n: '*' }))[0].n);

    const phase = async (
      name: string,
      run: () => Promise<{ orders: number; rps: number; p50: number; p99: number; errors: number }>,
    ): Promise<PhaseResult> => {
      const before = await readyCount();
      const cpuBefore = cpuNow();
      const started = Date.now();
      let backlogMax = 0;
      let backlogAgeMaxS = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const b = await backlog().catch(() => ({ count: 0, ageS: 0 }));
          backlogMax = Math.max(backlogMax, b.count);
          backlogAgeMaxS = Math.max(backlogAgeMaxS, b.ageS);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      const result = await run();
      const ok = result.orders - result.errors;
      const deadline = Date.now() + 600_000;
      while ((await readyCount()) < before + ok) {
        if (Date.now() > deadline) throw new Error(`${name}: not every order READY in 10 minutes`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const readyAfterS = (Date.now() - started) / 1000;
      sampling = false;
      await sampler;
      const cpuAfter = cpuNow();
      return {
        name,
        orders: result.orders,
        answeredPerSecond: result.rps,
        p50: result.p50,
        p99: result.p99,
        errors: result.errors,
        readyAfterS,
        backlogMax,
        backlogAgeMaxS,
        cpuMsPerOrder: Object.fromEntries(
          Object.keys(cpuAfter).map((k) => [k, (cpuAfter[k] - cpuBefore[k]) / Math.max(ok, 1)]),
        ),
      };
    };

    const cannon = async (options: { connections: number; rate?: number }) => {
      const result = await autocannon({
        url: base,
        connections: options.connections,
        duration: seconds,
        requests: [request],
        ...(options.rate ? { overallRate: options.rate } : {}),
      });
      return {
        orders: result.requests.total,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.non2xx + result.errors,
      };
    };

    // Warm-up: the JIT, the pools, the worker's workflow bundle and sticky cache; every order READY before the next.
    await phase('warm-up', () => cannon({ connections: 2, rate: 20 }));
    const results: PhaseResult[] = [];
    results.push(
      await phase('alone (0.5 s apart)', async () => {
        const latencies: number[] = [];
        let errors = 0;
        for (let i = 0; i < 20; i++) {
          const { path: at, ...init } = target(sent++);
          const t0 = performance.now();
          const answer = await fetch(`${base}${at}`, { method: 'POST', ...init });
          const text = await answer.text();
          latencies.push(performance.now() - t0);
          if (!answer.ok) {
            errors++;
            firstRefusal ??= `${answer.status} ${text}`;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
        latencies.sort((a, b) => a - b);
        return { orders: 20, rps: 2, p50: Math.round(latencies[9]), p99: Math.round(latencies[19]), errors };
      }),
    );
    results.push(await phase(`paced (${rate}/s, 20 connections)`, () => cannon({ connections: 20, rate })));
    results.push(await phase('full speed (20 connections)', () => cannon({ connections: 20 })));

    const cpuKeys = Object.keys(results[0].cpuMsPerOrder);
    printTable([
      [
        'phase',
        'orders',
        'answered/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'all READY after s',
        'backlog max',
        'backlog age max s',
        ...cpuKeys.map((k) => `CPU ms/order ${k}`),
      ],
      ...results.map((r) => [
        r.name,
        String(r.orders),
        r.answeredPerSecond.toFixed(0),
        String(r.p50),
        String(r.p99),
        String(r.errors),
        r.readyAfterS.toFixed(1),
        String(r.backlogMax),
        r.backlogAgeMaxS.toFixed(2),
        ...cpuKeys.map((k) => r.cpuMsPerOrder[k].toFixed(1)),
      ]),
    ]);
    const [, paced, full] = results;
    const fullRate = (full.orders - full.errors) / full.readyAfterS;
    console.log(
      `Goals: at ${rate}/s p50 ≤ 40 ms, p99 ≤ 120 ms — ${paced.p50 <= 40 && paced.p99 <= 120 ? 'met' : 'NOT met'} ` +
        `(${paced.p50} / ${paced.p99} ms); ≥ 150 orders/s READY with the backlog's age ≤ 2 s — ` +
        `${fullRate >= 150 && full.backlogAgeMaxS <= 2 ? 'met' : 'NOT met'} (${fullRate.toFixed(0)} READY/s, ` +
        `answered ${full.answeredPerSecond.toFixed(0)}/s, backlog age ≤ ${full.backlogAgeMaxS.toFixed(2)} s)`,
    );
    if (results.some((r) => r.errors)) throw new Error(`some orders were refused, the first: ${firstRefusal}`);
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
