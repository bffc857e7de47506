/**
 * What the benchmarks in ops/bench share: a PostgreSQL of their own, an order set up with the
 * project's code, timing with peak RSS, and the printed table.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createOrderActivities } from '../../activities/orders';
import { emitCodeRange, EMISSION_CHUNK } from '../../db/codes';
import type { Db } from '../../db/connection';
import type { OrderLine } from '../../db/orders';
import { systemClock } from '../../lib/clock';
import type { CodeKey } from '../../lib/codes';
import type { Mailer } from '../../lib/mailer';
import { placeOrder } from '../../test/helpers/orders';
import { freePort } from '../../test/helpers/ports';
import type { OrderEmissionInput } from '../../workflows/order-emission';
import { ensureDatabase, startEmbeddedPostgres } from '../services/embedded-postgres';

export interface Server {
  url: string;
  stop(): Promise<void>;
}

/**
 * A scratch database `bench_<name>_<random>` in DATABASE_URL's server (dropped by stop()), or
 * an embedded PostgreSQL of our own with its data dir in the OS temp folder (removed by stop()).
 */
export async function startServer(name: string): Promise<Server> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const database = `bench_${name}_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: given });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    const url = new URL(given);
    url.pathname = `/${database}`;
    return { url: url.toString(), stop: () => admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`) };
  }
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(os.tmpdir(), `ismet-bench-pg-${process.pid}`),
    port: await freePort(),
    persistent: false, // stop() removes the data dir
    fast: true,
  });
  await ensureDatabase(postgres.serverUrl, 'bench');
  return { url: postgres.urlFor('bench'), stop: () => postgres.stop() };
}

export interface Measured<T> {
  result: T;
  seconds: number;
  /** The process's RSS when `fn` started. */
  startRssMb: number;
  peakRssMb: number;
}

/** Wall time of `fn` and the process's peak RSS while it ran (sampled every `sampleMs` and at the end). */
export async function measure<T>(fn: () => Promise<T> | T, sampleMs = 100): Promise<Measured<T>> {
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, sampleMs);
  const started = performance.now();
  try {
    const result = await fn();
    const seconds = (performance.now() - started) / 1000;
    sample();
    return { result, seconds, startRssMb: startRss / 2 ** 20, peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** The order activities that only touch the database; nothing here sends mail. */
function orderActivities(db: Db) {
  const mailer: Mailer = { send: () => Promise.reject(new Error('benchmarks send no mail')), close: () => undefined };
  return createOrderActivities({ db, clock: systemClock, mailer });
}

/** Registers an order of `lines` and reserves its price with the workflow's reserveOrder activity (status APPROVED). */
export async function reservedOrder(db: Db, client: { id: string; oms_id: string }, lines: OrderLine[]): Promise<OrderEmissionInput> {
  const order = await placeOrder(db, client, lines);
  const reservation = await orderActivities(db).reserveOrder(order.orderId);
  if (!reservation.ok) throw new Error(`order ${order.orderId}: ${reservation.availableTiyn} tiyn available, ${reservation.neededTiyn} needed`);
  return order;
}

/** The workflow's markOrderReady activity: order READY, its buffers ACTIVE, so codes can be downloaded. */
export const markOrderReady = (db: Db, orderId: string) => orderActivities(db).markOrderReady(orderId);

/** The system's emission of a buffer: chunk after chunk, each an idempotent emitCodeRange; returns the emitted count. */
export async function emitChunked(db: Db, orderProductId: string, quantity: number, key: CodeKey): Promise<number> {
  let emitted = 0;
  for (let from = 0; from < quantity; from += EMISSION_CHUNK) {
    emitted = await emitCodeRange(db, { orderProductId, from, to: Math.min(from + EMISSION_CHUNK, quantity), key });
  }
  return emitted;
}

/** Prints rows as a table after a blank line: the first column left-aligned, the others right-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log('');
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}
