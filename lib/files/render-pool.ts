/**
 * A pool of worker threads (piscina) encoding and drawing DataMatrix symbols, so a large
 * download does not hold the event loop for seconds and uses every core: encoding is
 * synchronous, ~50 µs a symbol, a PNG another ~120 µs, a symbol's PDF content ~85 µs. The worker is
 * lib/files/render-worker.js (see there why it is plain JavaScript).
 */
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { SymbolBox } from './datamatrix';

export interface RenderPool {
  /**
   * Deflated PDF content drawing the symbols in their boxes (dataMatrixPdfContent): one task, a page's worth, so a
   * labels PDF keeps a page in flight per thread — fewer, larger messages than tasks of TASK_SIZE codes.
   */
  pdfContent(boxes: SymbolBox[]): Promise<Buffer>;
  /** PNG symbols of `codes`, in order (see dataMatrixPng for `scale`). */
  png(codes: string[], scale?: number): Promise<Buffer[]>;
  /** SVG symbols of `codes`, in order. */
  svg(codes: string[]): Promise<string[]>;
  /** Waits for running tasks and stops the threads. */
  close(): Promise<void>;
  /** The number of worker threads. */
  threads: number;
}

/** Codes per task: a batch is split so every thread gets work, while messages stay few. */
const TASK_SIZE = 32;

type CodesTask = { kind: 'png'; codes: string[]; scale?: number } | { kind: 'svg'; codes: string[] };

/** A pool of `threads` workers (default: one per core, os.availableParallelism()). */
export function createRenderPool({ threads = os.availableParallelism() }: { threads?: number } = {}): RenderPool {
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a whole number ≥ 1, got ${threads}`);
  const piscina = new Piscina({
    filename: path.join(__dirname, 'render-worker.js'),
    minThreads: threads,
    maxThreads: threads,
  });

  async function run<T>(task: CodesTask): Promise<T[]> {
    const parts: Promise<T[]>[] = [];
    for (let i = 0; i < task.codes.length; i += TASK_SIZE) {
      parts.push(piscina.run({ ...task, codes: task.codes.slice(i, i + TASK_SIZE) }) as Promise<T[]>);
    }
    return (await Promise.all(parts)).flat();
  }
  // Buffers cross the thread boundary as plain Uint8Arrays; wrap them again without copying.
  const buffers = (arrays: Uint8Array[]) => arrays.map((u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength));

  return {
    threads,
    pdfContent: async (boxes) => buffers([(await piscina.run({ kind: 'pdf', boxes })) as Uint8Array])[0],
    png: async (codes, scale) => buffers(await run<Uint8Array>({ kind: 'png', codes, scale })),
    svg: (codes) => run<string>({ kind: 'svg', codes }),
    close: () => piscina.close(),
  };
}

/** The items of `source` in arrays of `size` (the last one shorter). */
export async function* batches<T>(source: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Reads `codes` in batches of `size` and renders them with `render`, keeping at most `ahead`
 * batches rendering beyond the one the caller is handling: the pool stays busy while memory
 * holds a fixed number of batches. Yields the batches in order.
 */
export async function* renderedBatches<R>(
  codes: AsyncIterable<string>,
  render: (codes: string[]) => Promise<R>,
  { size, ahead = 2 }: { size: number; ahead?: number },
): AsyncGenerator<{ codes: string[]; rendered: R }> {
  const pending: Promise<{ codes: string[]; rendered: R }>[] = [];
  for await (const batch of batches(codes, size)) {
    const rendered = render(batch).then((result) => ({ codes: batch, rendered: result }));
    rendered.catch(() => undefined); // rejected later, when awaited in turn; not "unhandled" meanwhile
    pending.push(rendered);
    if (pending.length > ahead) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}
