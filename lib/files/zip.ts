/**
 * A ZIP of DataMatrix images, one per code, for printers' and packagers' own layout tools:
 *   000001_<GTIN>_<serial as hex>.png (or .svg), … and codes.csv (file name → code, in order).
 * The serial goes in as lowercase hex of its ASCII: CSET 82 allows / : < > ? " * which file
 * systems forbid, and case-insensitive file systems would merge serials differing in case.
 */
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once, type EventEmitter } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import archiver from 'archiver';
import { parseMarkingCode } from '../codes/marking-code';
import { codeText } from './csv';
import { csvRecords } from './table-csv';
import { renderedBatches, type RenderPool } from './render-pool';
import { GATHERED_ZIP } from './zip-format';

/** Codes per rendering batch; the archive holds at most a few batches of images at a time. */
const BATCH = 256;

/** The canonical codes (real GS separators); RangeError for anything that is not a footwear code. */
export async function* canonicalCodes(codes: AsyncIterable<string>): AsyncGenerator<string> {
  let index = 0;
  for await (const code of codes) {
    index++;
    const parsed = parseMarkingCode(code);
    if (!parsed) throw new RangeError(`code ${index} is not a footwear marking code`);
    yield parsed.code;
  }
}

/** `000042_04630726321637_332856684e317147656a783c25.png` (serial `3(VhN1qGejx<%`): position from 1, GTIN, serial in hex. */
export function imageFileName(position: number, code: string, format: 'png' | 'svg'): string {
  const parsed = parseMarkingCode(code);
  if (!parsed) throw new RangeError(`code ${position} is not a footwear marking code`);
  return `${String(position).padStart(6, '0')}_${parsed.gtin}_${Buffer.from(parsed.serial, 'latin1').toString('hex')}.${format}`;
}

/** Resolves at the stream's next `event`, or when it closes (finished, failed or abandoned by its reader). */
function nextEvent(stream: EventEmitter, event: string): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off(event, done);
      stream.off('close', done);
      resolve();
    };
    stream.on(event, done);
    stream.on('close', done);
  });
}

async function write(file: WriteStream, text: string): Promise<void> {
  if (!file.write(text)) await once(file, 'drain');
}

/** Resolves when the stream has closed: read to its end, failed, or destroyed by its reader. */
function closed(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || stream.closed) return resolve();
    stream.once('close', () => resolve());
  });
}

/**
 * The ZIP, streamed: codes are read, rendered and archived as fast as the reader takes the bytes.
 * A reader that gives up destroys the stream: then the codes stop being read (the iterable is
 * closed), archiving stops, and the temporary folder and its files are removed.
 */
export function codesZip(
  codes: AsyncIterable<string>,
  { format, pool }: { format: 'png' | 'svg'; pool: RenderPool },
): Readable {
  if (format !== 'png' && format !== 'svg') throw new RangeError(`unknown image format: ${String(format)}`);
  const archive = archiver.create(GATHERED_ZIP, { zlib: { level: 6 } });
  archive.once('close', () => {
    // Given up (or done): archiver's queue takes nothing more; errors it still raises have no reader to reach.
    archive.on('error', () => undefined);
    archive.abort();
  });
  fill(archive, codes, format, pool).catch((err: unknown) =>
    archive.destroy(err instanceof Error ? err : new Error(String(err))),
  );
  return archive;
}

async function fill(
  archive: archiver.Archiver,
  codes: AsyncIterable<string>,
  format: 'png' | 'svg',
  pool: RenderPool,
): Promise<void> {
  // The manifest can only follow the images (each ZIP entry is written whole, in turn), so it
  // collects in a temporary file rather than in memory. The folder (named with the process id,
  // so that one left by a killed process can be told) goes when the archive has closed.
  const dir = await mkdtemp(path.join(os.tmpdir(), `codes-zip-${process.pid}-`));
  let manifest: WriteStream | undefined;
  let reader: ReadStream | undefined;
  try {
    if (archive.destroyed) return;
    const manifestPath = path.join(dir, 'codes.csv');
    manifest = createWriteStream(manifestPath);
    await write(manifest, csvRecords([['file', 'code']], { delimiter: ',' }));

    let appended = 0;
    let archived = 0;
    archive.on('entry', () => archived++);
    const render = (batch: string[]): Promise<Array<Buffer | string>> =>
      format === 'png' ? pool.png(batch) : pool.svg(batch);
    for await (const { codes: batch, rendered: images } of renderedBatches(canonicalCodes(codes), render, {
      size: BATCH,
    })) {
      // Leaving the loop closes the codes' iterable: nothing more is read from the database.
      if (archive.destroyed) return;
      const rows = batch.map((code, i) => {
        const name = imageFileName(++appended, code, format);
        // PNG data is deflated already; storing it saves the time of compressing it again. A stored
        // Buffer would skip back-pressure (zip-stream writes it ignoring write()'s answer, and the
        // entry counts as archived at once), so it goes in as a stream.
        const png = format === 'png';
        archive.append(png ? Readable.from([images[i]]) : images[i], { name, store: png });
        return [name, codeText(code, 'escape')];
      });
      await write(manifest, csvRecords(rows, { delimiter: ',' }));
      // archive.append() queues without limit: wait until all but about one batch is in the
      // output, which only moves as fast as the reader consumes it.
      while (appended - archived > BATCH && !archive.destroyed) await nextEvent(archive, 'entry');
    }
    manifest.end();
    await finished(manifest);
    if (archive.destroyed) return;
    reader = createReadStream(manifestPath);
    archive.append(reader, { name: 'codes.csv' });
    // The promise settles when the reader has taken everything; errors reach it as 'error' events.
    archive.finalize().catch(() => undefined);
    // The manifest is read until the archive closes: read to its end, or given up.
    await closed(archive);
  } finally {
    manifest?.destroy();
    reader?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
