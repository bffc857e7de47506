/**
 * Benchmark (not a test): how fast 1,000,000 delivered codes leave as CSV the way the API
 * streams them (by COPY, db/codes-copy.ts, block after block) and the way it did before (codesCsv
 * over blockCodes), against a raw COPY … TO STDOUT of the same codes; and how fast DataMatrix PNGs are drawn by one render thread, by the
 * whole render pool and in the main thread.
 *
 *   npx tsx ops/bench/download.ts                    # own embedded PostgreSQL, removed at the end
 *   DATABASE_URL=postgres://… npx tsx ops/bench/download.ts   # a scratch database there, dropped at the end
 *   npx tsx ops/bench/download.ts --fast             # embedded, fsync/synchronous_commit/full_page_writes off (or BENCH_PG_FAST=1)
 *   npx tsx ops/bench/download.ts --datamatrix [--codes 2000] [--labels 20000]   # DataMatrix only, no database (datamatrix.ts)
 *
 * PostgreSQL runs with its durable defaults; the output names the durability read back from the server.
 *
 * The two streaming phases each run in a child process of their own (this file again, with
 * PHASE_FLAG), so their peak RSS is theirs, not what setting up a million codes left behind.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import os from 'node:os';
import type { Readable } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { codesCsvByCopy } from '../../db/codes-copy';
import { createCopyPool } from '../../db/copy-pool';
import { EMISSION_CHUNK } from '../../db/codes';
import { createDb } from '../../db/connection';
import { blockCodes, deliverBlock } from '../../db/downloads';
import { prepareDatabase } from '../../db/migrate';
import { generateKey } from '../../lib/codes';
import { codesCsv, createRenderPool, dataMatrixPng, RenderPool } from '../../lib/files';
import { renderedBatches } from '../../lib/files/render-pool';
import { dataMatrixBench } from './datamatrix';
import { fundedClient, line, randomGtin } from './fixtures';
import {
  describeDurability,
  emitChunked,
  markOrderReady,
  Measured,
  measure,
  phaseRow,
  printTable,
  reservedOrder,
  startServer,
} from './setup';

/** One order of 7 GTINs: six full buffers (the order station's limit per GTIN) and one of 100,000. */
const BUFFERS = [150_000, 150_000, 150_000, 150_000, 150_000, 150_000, 100_000];
const CODES = BUFFERS.reduce((sum, n) => sum + n, 0);
/** Far more than CODES cost (2.68 ₸ a code plus VAT). */
const FUNDS_TIYN = CODES * 1_000;
/** Symbols drawn in each rendering phase. */
const RENDER_CODES = 5_000;
/** Codes per render batch and batches in flight, as lib/files/zip.ts drives the pool. */
const RENDER_BATCH = 256;
const RENDER_AHEAD = 2;
const RSS_SAMPLE_MS = 50;
const PHASE_FLAG = '--streaming-phase';

/** Where streamed bytes end: hashed and counted, nothing kept, nothing on disk. */
class Sink {
  private readonly hash = createHash('sha256');
  bytes = 0;
  lines = 0;

  async drain(stream: Readable): Promise<void> {
    for await (const chunk of stream) {
      const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.hash.update(bytes);
      this.bytes += bytes.length;
      for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) this.lines++;
    }
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

type StreamKind = 'csv' | 'copy' | 'csv-copy';
interface PhaseRequest {
  kind: StreamKind;
  url: string;
  blockIds: string[];
}
interface PhaseResult extends Omit<Measured<unknown>, 'result'> {
  lines: number;
  bytes: number;
  sha256: string;
}

/** The API's way: each block's CSV (GS kept raw) streamed from the database in pages, block after block. */
async function streamCsv(url: string, blockIds: string[], sink: Sink): Promise<void> {
  const db = createDb(url, { poolMax: 2 });
  try {
    for (const blockId of blockIds) await sink.drain(codesCsv(blockCodes(db, blockId), { gs: 'raw' }));
  } finally {
    await db.destroy();
  }
}

/** The baseline: every block's codes in one COPY … TO STDOUT on a raw connection (text format, one code a line). */
async function streamCopy(url: string, blockIds: string[], sink: Sink): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = pg.escapeLiteral(`{${blockIds.join(',')}}`);
    await sink.drain(
      client.query(
        copyTo(
          `COPY (SELECT code FROM marking_codes WHERE block_id = ANY(${ids}::uuid[]) ORDER BY block_id, seq) TO STDOUT`,
        ),
      ),
    );
  } finally {
    await client.end();
  }
}

/** The API's way now: each block's CSV made by COPY (db/codes-copy.ts), block after block, from the downloads' pool. */
async function streamCsvByCopy(url: string, blockIds: string[], sink: Sink): Promise<void> {
  const db = createDb(url, { poolMax: 1 });
  const pool = createCopyPool(db, { streams: 1, waitMs: 5_000 });
  try {
    for (const blockId of blockIds) await sink.drain(codesCsvByCopy(await pool.acquire(), blockId, { gs: 'raw' }));
  } finally {
    await pool.close();
    await db.destroy();
  }
}

/** In the child process: runs the requested streaming phase and sends its numbers back. */
async function streamingPhase(): Promise<void> {
  const request = await new Promise<PhaseRequest>((resolve) =>
    process.once('message', (message) => resolve(message as PhaseRequest)),
  );
  const sink = new Sink();
  const stream = { csv: streamCsv, copy: streamCopy, 'csv-copy': streamCsvByCopy }[request.kind];
  const { seconds, startRssMb, peakRssMb } = await measure(
    () => stream(request.url, request.blockIds, sink),
    RSS_SAMPLE_MS,
  );
  const result: PhaseResult = {
    seconds,
    startRssMb,
    peakRssMb,
    lines: sink.lines,
    bytes: sink.bytes,
    sha256: sink.digest(),
  };
  await new Promise<void>((resolve, reject) =>
    process.send!(result, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Runs one streaming phase in a fresh process (this file with PHASE_FLAG); fails unless it reports. */
function inOwnProcess(request: PhaseRequest): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [PHASE_FLAG]);
    let result: PhaseResult | undefined;
    child.once('message', (message) => (result = message as PhaseResult));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 && result
        ? resolve(result)
        : reject(new Error(`the ${request.kind} phase's process exited with ${code}`)),
    );
    child.send(request);
  });
}

/** The first `n` items of `source`. */
async function take<T>(source: AsyncIterable<T>, n: number): Promise<T[]> {
  const items: T[] = [];
  if (n <= 0) return items;
  for await (const item of source) {
    items.push(item);
    if (items.length === n) break;
  }
  return items;
}

async function* each<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** SHA-256 over the PNGs in order, so the three ways of drawing can be compared. */
const pngsDigest = (pngs: Buffer[]) => pngs.reduce((hash, png) => hash.update(png), createHash('sha256')).digest('hex');

/** Draws `codes` with `pool` as codesZip does (batches of RENDER_BATCH, RENDER_AHEAD in flight); returns the PNGs. */
async function renderWithPool(pool: RenderPool, codes: string[]): Promise<Buffer[]> {
  const pngs: Buffer[] = [];
  for await (const { rendered: images } of renderedBatches(each(codes), (batch) => pool.png(batch), {
    size: RENDER_BATCH,
    ahead: RENDER_AHEAD,
  }))
    pngs.push(...images);
  return pngs;
}

/** Draws `codes` one after another in this thread. */
async function renderInMainThread(codes: string[]): Promise<Buffer[]> {
  const pngs: Buffer[] = [];
  for (const code of codes) pngs.push(await dataMatrixPng(code));
  return pngs;
}

/** A pool of `threads` (default all cores), warmed up with one untimed batch, then timed on `codes`. */
async function poolPhase(codes: string[], threads?: number): Promise<Measured<Buffer[]> & { threads: number }> {
  const pool = createRenderPool(threads === undefined ? {} : { threads });
  try {
    await pool.png(codes.slice(0, RENDER_BATCH)); // threads started, the encoder loaded
    return { ...(await measure(() => renderWithPool(pool, codes), RSS_SAMPLE_MS)), threads: pool.threads };
  } finally {
    await pool.close();
  }
}

async function bench() {
  const server = await startServer('download');
  console.log(describeDurability(server));
  const db = createDb(server.url, { poolMax: 4 });
  try {
    await prepareDatabase(db);
    const gtins = BUFFERS.map(() => randomGtin());
    const client = await fundedClient(db, FUNDS_TIYN, gtins);
    const order = await reservedOrder(
      db,
      client,
      gtins.map((gtin, i) => line(gtin, BUFFERS[i])),
    );
    const key = generateKey('BN01');
    const emission = await measure(async () => {
      for (const p of order.products) {
        const emitted = await emitChunked(db, p.orderProductId, p.quantity, key);
        if (emitted !== p.quantity)
          throw new Error(`buffer ${p.orderProductId}: ${emitted} codes emitted, expected ${p.quantity}`);
      }
    });
    await markOrderReady(db, order.orderId);
    const delivery = await measure(async () => {
      const blocks = [];
      for (const [n, p] of order.products.entries()) {
        const block = await deliverBlock(db, {
          orderId: order.orderId,
          gtin: p.gtin,
          quantity: p.quantity,
          requestRef: `key:bench-${n + 1}`,
          channel: 'cabinet',
          applyBy: null,
          at: new Date(),
        });
        if (block.quantity !== p.quantity || block.replayed)
          throw new Error(
            `block ${block.blockId}: ${block.quantity} codes (replayed: ${block.replayed}), expected ${p.quantity} new`,
          );
        blocks.push(block.blockId);
      }
      return blocks;
    });
    const blockIds = delivery.result;
    console.log(
      `Set up: client ${client.id}, one order of ${BUFFERS.length} GTINs, ${CODES.toLocaleString('en')} codes emitted with emitCodeRange ` +
        `(chunks of ${EMISSION_CHUNK}) in ${emission.seconds.toFixed(1)} s, delivered as ${blockIds.length} blocks with deliverBlock in ${delivery.seconds.toFixed(1)} s.`,
    );

    const csv = await inOwnProcess({ kind: 'csv', url: server.url, blockIds });
    const copy = await inOwnProcess({ kind: 'copy', url: server.url, blockIds });
    const csvCopy = await inOwnProcess({ kind: 'csv-copy', url: server.url, blockIds });
    if (csvCopy.sha256 !== csv.sha256) throw new Error('the CSV made by COPY differs from codesCsv');
    for (const [name, phase] of [
      ['CSV', csv],
      ['COPY', copy],
      ['CSV by COPY', csvCopy],
    ] as const) {
      if (phase.lines !== CODES) throw new Error(`${name} streamed ${phase.lines} lines, expected ${CODES}`);
    }

    const codes = await take(
      (async function* () {
        for (const blockId of blockIds) yield* blockCodes(db, blockId);
      })(),
      RENDER_CODES,
    );
    await renderInMainThread(codes.slice(0, RENDER_BATCH)); // warm-up, as the pools get
    const mainThread = await measure(() => renderInMainThread(codes), RSS_SAMPLE_MS);
    const oneThread = await poolPhase(codes, 1);
    const allCores = await poolPhase(codes);
    const digest = pngsDigest(mainThread.result);
    for (const [name, phase] of [
      ['main thread', mainThread],
      ['1 thread', oneThread],
      ['all cores', allCores],
    ] as const) {
      if (phase.result.length !== RENDER_CODES || pngsDigest(phase.result) !== digest)
        throw new Error(`${name}: the PNGs differ from the main thread's`);
    }

    printTable([
      ['phase', 'codes', 'seconds', 'codes/s', 'out MB', 'RSS at start MB', 'peak RSS MB'],
      phaseRow('CSV by JS (codesCsv over blockCodes, before)', CODES, csv, csv.bytes),
      phaseRow('raw COPY TO STDOUT', CODES, copy, copy.bytes),
      phaseRow('CSV by COPY (the route now, same bytes)', CODES, csvCopy, csvCopy.bytes),
      phaseRow('DataMatrix PNG, main thread', RENDER_CODES, mainThread),
      phaseRow('DataMatrix PNG, pool of 1 thread', RENDER_CODES, oneThread),
      phaseRow(`DataMatrix PNG, pool of ${allCores.threads} threads`, RENDER_CODES, allCores),
    ]);
    const ratio = (phase: PhaseResult) => (copy.seconds / phase.seconds).toFixed(2); // codes/s over COPY's codes/s
    console.log(
      `\nthroughput over raw COPY's: CSV by COPY ${ratio(csvCopy)} (goal ≥ 0.8), CSV by JS ${ratio(csv)}; ` +
        `peak RSS CSV by COPY ${csvCopy.peakRssMb.toFixed(0)} MB, by JS ${csv.peakRssMb.toFixed(0)} MB, COPY ${copy.peakRssMb.toFixed(0)} MB (goal ≤ 150 MB)`,
    );
    console.log(
      `render pool speed-up, ${allCores.threads} threads over 1: ${(oneThread.seconds / allCores.seconds).toFixed(2)}× ` +
        `(os.availableParallelism() = ${os.availableParallelism()}); 1-thread pool over the main thread's one symbol at a time: ${(mainThread.seconds / oneThread.seconds).toFixed(2)}×`,
    );
    console.log(
      `(each streaming phase ran in a fresh child process into a hashing sink, RSS sampled every ${RSS_SAMPLE_MS} ms; the rendering phases ran in this ` +
        `process after set-up, pools warmed with one untimed batch of ${RENDER_BATCH}, batches of ${RENDER_BATCH} with ${RENDER_AHEAD} more in flight; ` +
        `1-minute load average at the end ${os.loadavg()[0].toFixed(2)}, this run's own threads included)`,
    );
    console.log(describeDurability(server));
  } finally {
    await db.destroy();
    await server.stop();
  }
}

const main = process.argv.includes(PHASE_FLAG)
  ? streamingPhase
  : process.argv.includes('--datamatrix')
    ? dataMatrixBench
    : bench;
main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
