/**
 * What the benchmarks in ops/bench share: a PostgreSQL of their own (durable unless asked
 * otherwise, and the durability it ran with read back from the server), an order set up with
 * the project's code, timing with peak RSS, and the printed table.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../services/ports';
import { createOrderActivities } from '../../activities/orders';
import { emitCodeRange, EMISSION_CHUNK } from '../../db/codes';
import type { Db } from '../../db/connection';
import type { OrderLine } from '../../db/orders';
import { systemClock } from '../../lib/clock';
import type { CodeKey } from '../../lib/codes';
import type { Mailer } from '../../lib/mailer';
import type { OrderEmissionInput } from '../../workflows/order-emission';
import { ensureDatabase, startEmbeddedPostgres } from '../services/embedded-postgres';
import { placeOrder } from './fixtures';

/** The settings that decide whether a committed transaction survives a crash, as the server reports them (SHOW). */
export interface Durability {
  fsync: string;
  synchronous_commit: string;
  full_page_writes: string;
}

export interface Server {
  url: string;
  /** Where the server is: `embedded (data dir …)` or `DATABASE_URL (host:port)`. */
  where: string;
  durability: Durability;
  stop(): Promise<void>;
}

/**
 * `--fast` on the command line or BENCH_PG_FAST=1: the embedded server runs with fsync,
 * synchronous_commit and full_page_writes off, as the test suite's does. Off by default, so the
 * numbers are those of a server that keeps what it commits.
 */
export function fastRequested(argv = process.argv, env = process.env): boolean {
  return argv.includes('--fast') || ['1', 'true', 'yes', 'on'].includes((env.BENCH_PG_FAST ?? '').toLowerCase());
}

/** The durability settings as the server running `url` has them. */
export async function readDurability(url: string): Promise<Durability> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const show = async (name: keyof Durability) => (await client.query(`SHOW ${name}`)).rows[0][name] as string;
    return {
      fsync: await show('fsync'),
      synchronous_commit: await show('synchronous_commit'),
      full_page_writes: await show('full_page_writes'),
    };
  } finally {
    await client.end();
  }
}

/** statfs(2) magic of tmpfs: a data dir there is in memory, and fsync costs nothing whatever the setting. */
const TMPFS_MAGIC = 0x01021994;

/**
 * A scratch database `bench_<name>_<random>` in DATABASE_URL's server (dropped by stop()), or
 * an embedded PostgreSQL of our own with its data dir in the OS temp folder (removed by stop()),
 * with PostgreSQL's durable defaults unless `fast` (see fastRequested).
 */
export async function startServer(name: string, options: { fast?: boolean } = {}): Promise<Server> {
  const fast = options.fast ?? fastRequested();
  const given = process.env.DATABASE_URL;
  if (given) {
    if (fast)
      throw new Error(
        '--fast / BENCH_PG_FAST applies to the embedded PostgreSQL only: with DATABASE_URL the server runs with its own settings',
      );
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
    const stop = () => admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    try {
      return {
        url: url.toString(),
        where: `DATABASE_URL (${url.host})`,
        durability: await readDurability(url.toString()),
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  }
  const dataDir = path.join(os.tmpdir(), `ismet-bench-pg-${process.pid}`);
  const postgres = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    persistent: false, // stop() removes the data dir
    fast,
  });
  try {
    await ensureDatabase(postgres.serverUrl, 'bench');
    const tmpfs = fs.statfsSync(dataDir).type === TMPFS_MAGIC;
    const where = `embedded (data dir ${dataDir}${tmpfs ? ', on tmpfs: in memory' : ''})`;
    return {
      url: postgres.urlFor('bench'),
      where,
      durability: await readDurability(postgres.urlFor('bench')),
      stop: () => postgres.stop(),
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

/** One line for the output: what the server ran with, and whether that keeps committed data. */
export function describeDurability(server: Pick<Server, 'where' | 'durability'>): string {
  const d = server.durability;
  const durable = d.fsync === 'on' && d.full_page_writes === 'on' && d.synchronous_commit !== 'off';
  const verdict = durable
    ? 'durable: a commit is on disk when it returns'
    : 'NOT durable: commits may be lost or the cluster corrupted on a crash; faster than production';
  return `PostgreSQL ${server.where}: fsync=${d.fsync}, synchronous_commit=${d.synchronous_commit}, full_page_writes=${d.full_page_writes} (${verdict})`;
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
export async function reservedOrder(
  db: Db,
  client: { id: string; oms_id: string },
  lines: OrderLine[],
): Promise<OrderEmissionInput> {
  const order = await placeOrder(db, client, lines);
  const reservation = await orderActivities(db).reserveOrder(order.orderId);
  if (!reservation.ok)
    throw new Error(
      `order ${order.orderId}: ${reservation.availableTiyn} tiyn available, ${reservation.neededTiyn} needed`,
    );
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

/** A phase's row of a table: name, codes, seconds, codes/s, output MB (when given), RSS at start and peak RSS, MB. */
export const phaseRow = (name: string, count: number, m: Omit<Measured<unknown>, 'result'>, bytes?: number) => [
  name,
  count.toLocaleString('en'),
  m.seconds.toFixed(2),
  Math.round(count / m.seconds).toLocaleString('en'),
  bytes === undefined ? '' : (bytes / 2 ** 20).toFixed(1),
  m.startRssMb.toFixed(0),
  m.peakRssMb.toFixed(0),
];

/** Prints rows as a table after a blank line: the first column left-aligned, the others right-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  console.log('');
  for (const row of rows)
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}
