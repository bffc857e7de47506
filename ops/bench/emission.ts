/**
 * Benchmark (not a test): how fast one order of 150,000 codes is emitted the way the system
 * does it (emitCodeRange in chunks of EMISSION_CHUNK, one after another, as the workflow's
 * emitCodes activity), against a raw COPY FROM STDIN of as many codes into the same table.
 *
 *   npx tsx ops/bench/emission.ts                    # own embedded PostgreSQL, removed at the end
 *   DATABASE_URL=postgres://… npx tsx ops/bench/emission.ts   # a scratch database there, dropped at the end
 *   npx tsx ops/bench/emission.ts --fast             # embedded, fsync/synchronous_commit/full_page_writes off (or BENCH_PG_FAST=1)
 *
 * PostgreSQL runs with its durable defaults; the output names the durability read back from the server.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField, EMISSION_CHUNK } from '../../db/codes';
import { createDb, Db } from '../../db/connection';
import { prepareDatabase } from '../../db/migrate';
import { buildMarkingCode, generateKey, randomSerials } from '../../lib/codes';
import { fundedClient, line, randomGtin } from './fixtures';
import { describeDurability, emitChunked, Measured, measure, printTable, reservedOrder, startServer } from './setup';

const CODES = 150_000;
/** Far more than two orders of CODES cost (2.68 ₸ a code plus VAT). */
const FUNDS_TIYN = 2 * CODES * 1_000;
/** Rows per write to the COPY stream. */
const COPY_BATCH = 5_000;

/** A reserved order of CODES codes for `gtin`; returns its buffer (order product). */
async function reservedBuffer(db: Db, client: { id: string; oms_id: string }, gtin: string): Promise<string> {
  const order = await reservedOrder(db, client, [line(gtin, CODES)]);
  return order.products[0].orderProductId;
}

const copyLine = (fields: (string | number)[]) => `${fields.map((field) => copyField(String(field))).join('\t')}\n`;

/** The baseline: all rows in one COPY FROM STDIN on a raw connection; returns the rows PostgreSQL counted. */
async function copyCodes(url: string, rows: (string | number)[][]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const stream = client.query(
      copyFrom('COPY marking_codes (order_product_id, seq, client_id, gtin, serial, code, key_id) FROM STDIN'),
    );
    const batches = function* () {
      for (let i = 0; i < rows.length; i += COPY_BATCH)
        yield rows
          .slice(i, i + COPY_BATCH)
          .map(copyLine)
          .join('');
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
  if (rows !== CODES || serials !== CODES)
    throw new Error(`${what}: ${rows} rows with ${serials} distinct serials, expected ${CODES}`);
}

async function main() {
  const server = await startServer('emission');
  console.log(describeDurability(server));
  const db = createDb(server.url, { poolMax: 4 });
  try {
    await prepareDatabase(db);
    const gtins = [randomGtin(), randomGtin()];
    const client = await fundedClient(db, FUNDS_TIYN, gtins);
    const emissionBuffer = await reservedBuffer(db, client, gtins[0]);
    const copyBuffer = await reservedBuffer(db, client, gtins[1]);
    const key = generateKey('BN01');
    console.log(`Set up: client ${client.id}, two reserved orders of ${CODES} codes (GTINs ${gtins.join(', ')}).`);

    const emission = await measure(() => emitChunked(db, emissionBuffer, CODES, key));
    if (emission.result !== CODES)
      throw new Error(`emission reported ${emission.result} codes emitted, expected ${CODES}`);
    await verifyBuffer(db, emissionBuffer, 'emission');

    const build = await measure(() =>
      randomSerials(CODES).map((serial, seq) => [
        copyBuffer,
        seq,
        client.id,
        gtins[1],
        serial,
        buildMarkingCode({ gtin: gtins[1], serial, key }),
        key.id,
      ]),
    );
    const copy = await measure(() => copyCodes(server.url, build.result));
    if (copy.result !== CODES) throw new Error(`COPY loaded ${copy.result} rows, expected ${CODES}`);
    await verifyBuffer(db, copyBuffer, 'COPY');
    // The GS separators came through COPY's text format unchanged.
    const stored = await db('marking_codes').where({ order_product_id: copyBuffer, seq: 0 }).first('code');
    if (stored?.code !== build.result[0][5]) throw new Error('COPY stored a code different from the one sent');

    const perSecond = (m: Measured<unknown>) => CODES / m.seconds;
    printTable([
      ['phase', 'codes', 'seconds', 'codes/s', 'peak RSS MB'],
      ...(
        [
          ['emission (chunked, idempotent)', emission],
          ['raw COPY (COPY only)', copy],
          ['  building COPY rows in memory', build],
        ] as const
      ).map(([name, m]) => [
        name,
        String(CODES),
        m.seconds.toFixed(2),
        Math.round(perSecond(m)).toLocaleString('en'),
        m.peakRssMb.toFixed(0),
      ]),
    ]);
    const ratio = perSecond(emission) / perSecond(copy);
    const withBuild = (copy.seconds + build.seconds) / emission.seconds;
    console.log(
      `\nemission / COPY throughput: ${ratio.toFixed(2)} (COPY ${(1 / ratio).toFixed(1)}× faster); counting row building too: ${withBuild.toFixed(2)}`,
    );
    console.log(
      `(chunks of ${EMISSION_CHUNK}; peak RSS is the whole process's, sampled every 100 ms: memory held from an earlier phase counts in later ones)`,
    );
    console.log(describeDurability(server));
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
