/**
 * Benchmark (not a test): how fast the API answers a client's hot read — `GET /client/v1/account`, the balance —
 * beside the same server answering an unknown route (routing, the error handler and logging, no database): the
 * baseline from the same run. The API runs in a child process of its own, as deployed (JSON logs at info level,
 * to a discarded stdout), so that autocannon, here, does not share its event loop.
 *
 *   npx tsx ops/bench/reads.ts                    # own embedded PostgreSQL, removed at the end
 *   npx tsx ops/bench/reads.ts --seconds 20       # longer phases (10 s by default)
 *   DATABASE_URL=postgres://… npx tsx ops/bench/reads.ts
 *   npx tsx ops/bench/reads.ts --profile DIR      # the API's CPU profile (.cpuprofile) written to DIR
 *
 * Phases: the unknown route, then the account, each at full speed over 20 connections; then the account at a fixed
 * 1,000 requests/s. Goals (issue #20): p99 ≤ 10 ms at 1,000 rps; full speed ≥ 30% of the unknown route's.
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { buildApp } from '../../api/http/app';
import { issueToken } from '../../db/api-tokens';
import { createStoreEdsVerifier } from '../../db/eds-trust';
import { systemClock } from '../../lib/clock';
import { codeKeysFor } from '../../lib/code-keys';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { operatorSignerFor } from '../../lib/operator-signature';
import { createTemporalClient } from '../../lib/temporal';
import { createDb } from '../../db/connection';
import { prepareDatabase } from '../../db/migrate';
import { freePort } from '../services/ports';
import { fundedClient, randomGtin } from './fixtures';
import { describeDurability, printTable, startServer } from './setup';

const SERVE_FLAG = '--serve-api';

/** The child: the API on DATABASE_URL and PORT, as `api/http/server.ts` builds it, without Temporal. */
async function serve(): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.databaseUrl!);
  const app = await buildApp({
    config,
    db,
    // Never reached by these reads: a lazy client that is not connected.
    temporal: createTemporalClient('127.0.0.1:1', config.temporalNamespace),
    clock: systemClock,
    logger: createLogger({ level: 'info', pretty: false, name: 'api' }),
    eds: createStoreEdsVerifier(db),
    codeKeys: codeKeysFor(config),
    operatorSigner: operatorSignerFor({ pem: config.operatorSigningKey, dataDir: config.dataDir }),
  });
  await app.listen({ host: '127.0.0.1', port: config.port });
  // A clean exit, so that --cpu-prof writes its profile.
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.send?.('ready');
}

interface Phase {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(
  name: string,
  url: string,
  options: { headers?: Record<string, string>; seconds: number; rate?: number },
): Promise<Phase> {
  const result = await autocannon({
    url,
    connections: 20,
    duration: options.seconds,
    headers: options.headers,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '10' }, profile: { type: 'string' } },
    strict: false,
  });
  const seconds = Number(values.seconds);
  const server = await startServer('reads');
  console.log(describeDurability(server));
  const db = createDb(server.url);
  let api: ReturnType<typeof fork> | undefined;
  try {
    await prepareDatabase(db);
    const client = await fundedClient(db, 1_000_000_00, [randomGtin()]);
    const { token } = await issueToken(db, { clientId: client.id }, 'bench');
    const port = await freePort();
    api = fork(__filename, [SERVE_FLAG], {
      env: {
        ...process.env,
        DATABASE_URL: server.url,
        PORT: String(port),
        LOG_LEVEL: 'info',
        // The limiter still counts every request; its limits are raised so that it never answers 429 here.
        RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000000',
        RATE_LIMIT_TOKEN_PER_MINUTE: '1000000000',
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [])],
    });
    await new Promise<void>((resolve, reject) => {
      api!.once('message', () => resolve());
      api!.once('exit', (code) => reject(new Error(`the API exited (${code}) before it was ready`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const auth = { authorization: `Bearer ${token}` };
    // Warm up: the JIT, the pool's connections, the prepared plans.
    await load('warm-up', `${base}/client/v1/account`, { headers: auth, seconds: 3 });
    const unknown = await load('unknown route (404, baseline)', `${base}/no-such-route`, { seconds });
    const account = await load('GET /client/v1/account', `${base}/client/v1/account`, { headers: auth, seconds });
    const paced = await load('GET /client/v1/account at 1,000/s', `${base}/client/v1/account`, {
      headers: auth,
      seconds,
      rate: 1000,
    });
    if (account.non2xx || paced.non2xx)
      throw new Error(`the account answered non-2xx: ${account.non2xx + paced.non2xx}`);
    printTable([
      ['phase (20 connections)', 'requests/s', 'p50 ms', 'p99 ms', 'of the unknown route'],
      ...[unknown, account, paced].map((p) => [
        p.name,
        p.rps.toFixed(0),
        String(p.p50),
        String(p.p99),
        `${((p.rps / unknown.rps) * 100).toFixed(1)}%`,
      ]),
    ]);
    console.log(
      `Goals: p99 ≤ 10 ms at 1,000/s — ${paced.p99 <= 10 ? 'met' : 'NOT met'} (${paced.p99} ms, ${paced.rps.toFixed(0)}/s kept); ` +
        `≥ 30% of the unknown route — ${account.rps / unknown.rps >= 0.3 ? 'met' : 'NOT met'} (${((account.rps / unknown.rps) * 100).toFixed(1)}%)`,
    );
    console.log(describeDurability(server));
  } finally {
    if (api && api.exitCode === null) {
      const exited = new Promise((resolve) => api!.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await db.destroy();
    await server.stop();
  }
}

if (process.argv.includes(SERVE_FLAG)) {
  serve().catch((error) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
