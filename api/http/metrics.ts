import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CopyPool } from '../../db/copy-pool';
import type { Db } from '../../db/connection';
import { outboxBacklog } from '../../db/outbox';
import type { Clock } from '../../lib/clock';

/** Request durations in seconds: the hot reads answer in milliseconds, a big download in seconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The pool knex keeps (tarn.js): what is in use, idle and waited for. */
interface Pool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

/**
 * The API process's Prometheus metrics (prom-client): every request's duration by route pattern, method and
 * status; the database pool; the download streams; the outbox's backlog (what requests wrote but could not yet tell their workflows);
 * Node's own (event loop lag, heap, GC). A registry per app, so that several apps in one process keep apart.
 */
export function createApiMetrics(deps: { db: Db; clock: Clock; downloads: CopyPool }): Registry {
  const registry = new Registry();
  new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time from a request received to its answer sent, by route pattern, method and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'ismet_db_pool_connections',
    help: 'The API pool’s PostgreSQL connections: used, free, and requests waiting for one (pending)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = (deps.db.client as { pool?: Pool }).pool;
      if (!pool) return;
      this.set({ state: 'used' }, pool.numUsed());
      this.set({ state: 'free' }, pool.numFree());
      this.set({ state: 'pending' }, pool.numPendingAcquires());
    },
  });
  new Gauge({
    name: 'ismet_download_streams',
    help: 'Codes CSV/JSON files streaming now on the downloads’ own connections (streaming) and how many may (limit)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'streaming' }, deps.downloads.streaming);
      this.set({ state: 'limit' }, deps.downloads.limit);
    },
  });
  const backlog = { pending: 0, oldestSeconds: 0 };
  new Gauge({
    name: 'ismet_outbox_pending',
    help: 'Messages to workflows written by requests and not yet delivered (api/intake/outbox.ts)',
    registers: [registry],
    async collect() {
      // PostgreSQL away: the last values stand, and the rest of the metrics are still served.
      const read = await outboxBacklog(deps.db, deps.clock.now()).catch(() => undefined);
      if (read) [backlog.pending, backlog.oldestSeconds] = [read.pending, read.oldestSeconds ?? 0];
      this.set(backlog.pending);
    },
  });
  new Gauge({
    name: 'ismet_outbox_oldest_seconds',
    help: 'Age of the oldest undelivered outbox message (0 when none)',
    registers: [registry],
    collect() {
      this.set(backlog.oldestSeconds);
    },
  });
  return registry;
}

let processMetrics: Registry | undefined;

/**
 * Node's own metrics, once per process: collecting them starts a GC observer and an event-loop monitor that are
 * never stopped, so a registry per app (tests build many) would keep every app's registry alive.
 */
function nodeMetrics(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/** What /metrics serves: the app's metrics with the process's. */
export const exposition = (registry: Registry): Promise<string> => Registry.merge([nodeMetrics(), registry]).metrics();

/** An onResponse hook: every answer's duration under its route's pattern (never the raw URL: ids would explode the series). */
export function requestTimer(registry: Registry): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const requests = registry.getSingleMetric('http_server_request_duration_seconds') as Histogram;
  return async function timeRequest(request, reply) {
    requests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Who may read /metrics: with METRICS_TOKEN, whoever presents it as a bearer token; without, only the machine itself
 * — a loopback peer that no proxy forwarded (a proxy on the same host would pass the public's requests as loopback).
 */
export function metricsReader(token: string | undefined): (request: FastifyRequest) => boolean {
  if (token) {
    const expected = digest(`Bearer ${token}`);
    return (request) => timingSafeEqual(digest(request.headers.authorization ?? ''), expected);
  }
  return (request) =>
    ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(request.socket.remoteAddress ?? '') &&
    !request.headers['x-forwarded-for'] &&
    !request.headers.forwarded;
}
