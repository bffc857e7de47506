/**
 * Benchmark (not a test): how fast one order of 150,000 codes is emitted the way the system
 * does it (emitCodeRange in chunks of EMISSION_CHUNK, one after another, as the workflow's
 * emitCodes activity), against a raw COPY FROM STDIN of as many codes into the same table.
 *
 *   npx tsx ops/bench/emission.ts                    # own embedded PostgreSQL, removed at the end
 *   DATABASE_URL=postgres://… npx tsx ops/bench/emission.ts   # a scratch database there, dropped at the end
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EMISSION_CHUNK, emitCodeRange } from '../../db/codes';
import { createDb, Db } from '../../db/connection';
import { reserve } from '../../db/ledger';
import { prepareDatabase } from '../../db/migrate';
import { BusinessCalendar } from '../../lib/calendar';
import { buildMarkingCode, CodeKey, generateKey, randomSerials } from '../../lib/codes';
import { fundedClient, line, placeOrder, randomGtin } from '../../test/helpers/orders';
import { freePort } from '../../test/helpers/ports';
import { ensureDatabase, startEmbeddedPostgres } from '../services/embedded-postgres';

const CODES = 150_000;
/** Far more than two orders of CODES cost (2.68 ₸ a code plus VAT). */
const FUNDS_TIYN = 2 * CODES * 1_000;
/** Rows per write to the COPY stream. */
const COPY_BATCH = 5_000;

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** A scratch database in DATABASE_URL's server, or an embedded PostgreSQL of our own. */
async function startServer(): Promise<Server> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const name = `bench_emission_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: given });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    return { url: url.toString(), stop: () => admin(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`) };
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

interface Measured<T> {
  result: T;
  seconds: number;
  peakRssMb: number;
}

/** Wall time of `fn` and the process's peak RSS while it ran (sampled every 100 ms and at the end). */
async function measure<T>(fn: () => Promise<T> | T): Promise<Measured<T>> {
  let peak = process.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 100);
  const started = performance.now();
  try {
    const result = await fn();
    const seconds = (performance.now() - started) / 1000;
    sample();
    return { result, seconds, peakRssMb: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** Registers an order of CODES for `gtin` and reserves its price as the workflow's reserveOrder does. */
async function reservedBuffer(db: Db, client: { id: string; oms_id: string }, gtin: string): Promise<string> {
  const order = await placeOrder(db, client, [line(gtin, CODES)]);
  const priceDate = new BusinessCalendar({ years: {} }).localDate(new Date());
  const booked = await reserve(db, { idempotencyKey: `reserve:${order.orderId}`, clientId: client.id, orderRef: order.orderId, codes: CODES, priceDate });
  await db('orders').where({ id: order.orderId }).update({ status: 'APPROVED', reserved_amount: booked.reservation.amount, approved_at: new Date() });
  return order.products[0].orderProductId;
}

/** The system's emission: chunk after chunk, each an idempotent emitCodeRange. */
async function emitChunked(db: Db, orderProductId: string, key: CodeKey): Promise<number> {
  let emitted = 0;
  for (let from = 0; from < CODES; from += EMISSION_CHUNK) {
    emitted = await emitCodeRange(db, { orderProductId, from, to: Math.min(from + EMISSION_CHUNK, CODES), key });
  }
  return emitted;
}

// COPY text format: backslash, tab, newline and CR must be escaped. CSET 82 and base64 have
// none of them, and GS (0x1D) needs no escaping, but a value is never trusted to be clean.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyText = (value: string | number) => String(value).replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]);
const copyLine = (fields: (string | number)[]) => `${fields.map(copyText).join('\t')}\n`;

/** The baseline: all rows in one COPY FROM STDIN on a raw connection; returns the rows PostgreSQL counted. */
async function copyCodes(url: string, rows: (string | number)[][]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const stream = client.query(copyFrom('COPY marking_codes (order_product_id, seq, client_id, gtin, serial, code, key_id) FROM STDIN'));
    const batches = function* () {
      for (let i = 0; i < rows.length; i += COPY_BATCH) yield rows.slice(i, i + COPY_BATCH).map(copyLine).join('');
    };
    await pipeline(Readable.from(batches()), stream);
    return stream.rowCount;
  } finally {
    await client.end();
  }
}

/** Fails unless the buffer holds exactly CODES rows with CODES distinct serials. */
async function verifyBuffer(db: Db, orderProductId: string, what: string): Promise<void> {
  const [{ rows, serials }] = await db('marking_codes')
    .where({ order_product_id: orderProductId })
    .select(db.raw('COUNT(*)::int AS rows'), db.raw('COUNT(DISTINCT serial)::int AS serials'));
  if (rows !== CODES || serials !== CODES) throw new Error(`${what}: ${rows} rows with ${serials} distinct serials, expected ${CODES}`);
}

async function main() {
  const server = await startServer();
  const db = createDb(server.url, { poolMax: 4 });
  try {
    await prepareDatabase(db);
    const gtins = [randomGtin(), randomGtin()];
    const client = await fundedClient(db, FUNDS_TIYN, gtins);
    const emissionBuffer = await reservedBuffer(db, client, gtins[0]);
    const copyBuffer = await reservedBuffer(db, client, gtins[1]);
    const key = generateKey('BN01');
    console.log(`Set up: client ${client.id}, two reserved orders of ${CODES} codes (GTINs ${gtins.join(', ')}).`);

    const emission = await measure(() => emitChunked(db, emissionBuffer, key));
    if (emission.result !== CODES) throw new Error(`emission reported ${emission.result} codes emitted, expected ${CODES}`);
    await verifyBuffer(db, emissionBuffer, 'emission');

    const build = await measure(() =>
      randomSerials(CODES).map((serial, seq) => [copyBuffer, seq, client.id, gtins[1], serial, buildMarkingCode({ gtin: gtins[1], serial, key }), key.id]),
    );
    const copy = await measure(() => copyCodes(server.url, build.result));
    if (copy.result !== CODES) throw new Error(`COPY loaded ${copy.result} rows, expected ${CODES}`);
    await verifyBuffer(db, copyBuffer, 'COPY');
    // The GS separators came through COPY's text format unchanged.
    const stored = await db('marking_codes').where({ order_product_id: copyBuffer, seq: 0 }).first('code');
    if (stored?.code !== build.result[0][5]) throw new Error('COPY stored a code different from the one sent');

    const perSecond = (m: Measured<unknown>) => CODES / m.seconds;
    const table = [
      ['phase', 'codes', 'seconds', 'codes/s', 'peak RSS MB'],
      ...(
        [
          ['emission (chunked, idempotent)', emission],
          ['raw COPY (COPY only)', copy],
          ['  building COPY rows in memory', build],
        ] as const
      ).map(([name, m]) => [name, String(CODES), m.seconds.toFixed(2), Math.round(perSecond(m)).toLocaleString('en'), m.peakRssMb.toFixed(0)]),
    ];
    const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
    console.log('');
    for (const row of table) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    const ratio = perSecond(emission) / perSecond(copy);
    const withBuild = (copy.seconds + build.seconds) / emission.seconds;
    console.log(`\nemission / COPY throughput: ${ratio.toFixed(2)} (COPY ${(1 / ratio).toFixed(1)}× faster); counting row building too: ${withBuild.toFixed(2)}`);
    console.log(`(chunks of ${EMISSION_CHUNK}; peak RSS is the whole process's, sampled every 100 ms: memory held from an earlier phase counts in later ones)`);
  } finally {
    await db.destroy();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
