/**
 * archiver's ZIP format with its output gathered into chunks of 64 KiB.
 *
 * zip-stream (compress-commons) writes every header field on its own: ~15 writes an entry's local
 * header, and at the very end ~19 an entry's central-directory record, all in one synchronous loop
 * that no reader can keep up with. For 150,000 entries that was 2.85 million tiny Buffers queued at
 * once (an API process at 1.7 GB). Gathered, the same bytes are a few hundred chunks.
 * Registered as an archiver format (its documented extension point): `archiver(GATHERED_ZIP, …)`.
 */
import archiver from 'archiver';
import ZipStream, { type FileDataInput, type ZipStreamOptions } from 'zip-stream';

export const GATHERED_ZIP = 'zip-gathered';

/** Writes smaller than this are gathered; a gathered chunk is written when it reaches it. */
const CHUNK = 64 * 1024;

type WriteCallback = (error?: Error | null) => void;

/** compress-commons' own `write`, which counts `offset` (where each entry starts) and passes the chunk on. */
interface CountingStream {
  offset: number;
}

class GatheringZipStream extends ZipStream {
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  /** What compress-commons' write would have added to `offset` for the gathered chunks. */
  private gatheredCount = 0;

  override write(chunk: unknown, encodingOrCallback?: string | WriteCallback, callback?: WriteCallback): boolean {
    const small = (typeof chunk === 'string' || Buffer.isBuffer(chunk)) && chunk.length < CHUNK;
    if (!small || typeof encodingOrCallback === 'function' || callback) {
      this.writeGathered();
      return super.write(chunk, encodingOrCallback as string, callback);
    }
    // Counted as written now, as compress-commons' own write does: the entries' offsets depend on it.
    const counted = (chunk as Buffer | string).length;
    (this as unknown as CountingStream).offset += counted;
    this.gatheredCount += counted;
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, encodingOrCallback as BufferEncoding | undefined)
        : (chunk as Buffer);
    this.gathered.push(bytes);
    this.gatheredBytes += bytes.length;
    if (this.gatheredBytes >= CHUNK) return this.writeGathered();
    // A writer told `false` waits for 'drain', which only comes after a real write said so.
    return !this.writableNeedDrain;
  }

  override end(...args: unknown[]): this {
    this.writeGathered();
    return (super.end as (...args: unknown[]) => this).apply(this, args);
  }

  private writeGathered(): boolean {
    if (this.gatheredBytes === 0 && this.gatheredCount === 0) return !this.writableNeedDrain;
    const chunk = Buffer.concat(this.gathered, this.gatheredBytes);
    (this as unknown as CountingStream).offset -= this.gatheredCount; // counted already, chunk by chunk
    this.gathered = [];
    this.gatheredBytes = 0;
    this.gatheredCount = 0;
    return super.write(chunk);
  }
}

/** The format module archiver asks for: `append`, `finalize`, and the engine's stream methods. */
class GatheredZip {
  private readonly engine: GatheringZipStream;

  constructor(options: ZipStreamOptions = {}) {
    this.engine = new GatheringZipStream(options);
  }

  append(
    source: Parameters<ZipStream['entry']>[0],
    data: FileDataInput,
    callback: Parameters<ZipStream['entry']>[2],
  ): void {
    this.engine.entry(source, data, callback);
  }

  finalize(): void {
    this.engine.finalize();
  }

  on(event: string, listener: (...args: unknown[]) => void): GatheringZipStream {
    return this.engine.on(event, listener);
  }

  pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    return this.engine.pipe(destination, options);
  }

  unpipe(destination?: Parameters<GatheringZipStream['unpipe']>[0]): GatheringZipStream {
    return this.engine.unpipe(destination);
  }
}

if (!archiver.isRegisteredFormat(GATHERED_ZIP)) archiver.registerFormat(GATHERED_ZIP, GatheredZip);
