/**
 * The DataMatrix phases of ops/bench/download.ts on generated codes (no database): bwip-js, which
 * drew the symbols before issue #20, side by side with the matrix from @zxing/library's ECC200
 * parts (lib/files/datamatrix.ts), then the labels PDF and the PNG ZIP end to end on every core.
 *
 *   npx tsx ops/bench/download.ts --datamatrix [--codes 2000] [--labels 20000]
 */
import { once } from 'node:events';
import os from 'node:os';
import { Readable } from 'node:stream';
import archiver from 'archiver';
import bwipjs from 'bwip-js';
import { buildMarkingCode, generateKey, GS, randomSerials } from '../../lib/codes';
import { codesZip, createRenderPool, dataMatrixModules, dataMatrixPng, labelsPdf } from '../../lib/files';
import { GATHERED_ZIP } from '../../lib/files/zip-format';
import { measure, phaseRow, printTable, type Measured } from './setup';

const GTINS = ['04630726321637', '04635785586010', '04600000000008'];
const RSS_SAMPLE_MS = 50;

/** What lib/files/datamatrix.ts gave bwip-js before: FNC1 first and for every GS, a literal caret doubled. */
function bwipOptions(code: string) {
  const text = '^FNC1' + code.replaceAll('^', '^^').replaceAll(GS, '^FNC1');
  return { bcid: 'datamatrix', text, parsefnc: true, padding: 2, backgroundcolor: 'FFFFFF' };
}

function codesOf(count: number): string[] {
  const key = generateKey('BN01');
  return randomSerials(count).map((serial, i) => buildMarkingCode({ gtin: GTINS[i % GTINS.length], serial, key }));
}

async function* each<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** Reads `stream` to its end; its length in bytes. */
async function drained(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

/**
 * `count` stored PNG entries (the same 256 symbols over and over) through archiver's `format`, appended
 * as codesZip appends them: as streams, about a batch ahead of what is archived. The archive alone.
 */
async function archived(format: string, pngs: Buffer[], count: number): Promise<number> {
  const archive = archiver.create(format, { zlib: { level: 6 } });
  let done = 0;
  archive.on('entry', () => done++);
  const bytes = drained(archive);
  for (let i = 0; i < count; i++) {
    archive.append(Readable.from([pngs[i % pngs.length]]), {
      name: `${String(i + 1).padStart(6, '0')}.png`,
      store: true,
    });
    while (i + 1 - done > 256) await once(archive, 'entry');
  }
  await archive.finalize();
  return bytes;
}

const valueOf = (flag: string, fallback: number): number => {
  const at = process.argv.indexOf(flag);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${flag} takes a whole number ≥ 1`);
  return value;
};

export async function dataMatrixBench(): Promise<void> {
  const perCore = valueOf('--codes', 2_000);
  const labels = valueOf('--labels', 20_000);
  const codes = codesOf(Math.max(perCore, labels));
  const few = codes.slice(0, perCore);
  const rows: Array<[string, number, Omit<Measured<unknown>, 'result'>, number?]> = [];
  const phase = async (name: string, count: number, fn: () => Promise<number | void> | number | void) => {
    const m = await measure(fn, RSS_SAMPLE_MS);
    rows.push([name, count, m, typeof m.result === 'number' ? m.result : undefined]);
  };

  // Warm-up: modules loaded, functions compiled.
  for (const code of codes.slice(0, 50)) {
    bwipjs.raw(bwipOptions(code));
    await bwipjs.toBuffer(bwipOptions(code));
    await dataMatrixPng(code);
  }
  await phase('bwip-js, matrix only (bwipjs.raw), main thread', perCore, () => {
    for (const code of few) bwipjs.raw(bwipOptions(code));
  });
  await phase('bwip-js, PNG (toBuffer), main thread', perCore, async () => {
    for (const code of few) await bwipjs.toBuffer(bwipOptions(code));
  });
  await phase('zxing ECC200, matrix only (dataMatrixModules), main thread', labels, () => {
    for (const code of codes.slice(0, labels)) dataMatrixModules(code);
  });
  await phase('zxing ECC200, PNG (dataMatrixPng), main thread', labels, async () => {
    for (const code of codes.slice(0, labels)) await dataMatrixPng(code);
  });

  const pool = createRenderPool();
  try {
    await pool.png(codes.slice(0, 256)); // threads started, modules loaded
    await drained(labelsPdf(each(codes.slice(0, 80)), { pool }));
    await phase(`labels PDF, vector symbols, pool of ${pool.threads}`, labels, () =>
      drained(labelsPdf(each(codes.slice(0, labels)), { pool })),
    );
    await phase(`ZIP of PNG, pool of ${pool.threads}`, labels, () =>
      drained(codesZip(each(codes.slice(0, labels)), { format: 'png', pool })),
    );
    // The archive alone, on symbols made once: archiver's own zip format last, as its end-of-archive
    // peak (the central directory written field by field) stays in this process's RSS.
    const pngs = await pool.png(codes.slice(0, 256));
    await phase(`the archive alone: ${GATHERED_ZIP} (lib/files/zip-format.ts)`, labels, () =>
      archived(GATHERED_ZIP, pngs, labels),
    );
    await phase(`the archive alone: archiver's zip`, labels, () => archived('zip', pngs, labels));
  } finally {
    await pool.close();
  }

  printTable([
    ['phase', 'codes', 'seconds', 'codes/s', 'out MB', 'RSS at start MB', 'peak RSS MB'],
    ...rows.map(([name, count, m, bytes]) => phaseRow(name, count, m, bytes)),
  ]);
  console.log(
    `\n(${os.availableParallelism()} cores; 1-minute load average at the end ${os.loadavg()[0].toFixed(2)}, this run's own threads included)`,
  );
}
