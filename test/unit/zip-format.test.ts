import { Readable } from 'node:stream';
import archiver from 'archiver';
import { strFromU8, unzipSync } from 'fflate';
import { GATHERED_ZIP } from '../../lib/files/zip-format';

/** The archive's output chunk by chunk, as a reader receives it. */
async function chunksOf(archive: archiver.Archiver): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  const read = (async () => {
    for await (const chunk of archive) chunks.push(chunk as Buffer);
  })();
  await archive.finalize();
  await read;
  return chunks;
}

describe('the gathered ZIP format', () => {
  test('70,000 entries (ZIP64: over 65,535) read back whole, the output in chunks of 64 KiB, not field by field', async () => {
    const archive = archiver.create(GATHERED_ZIP, { store: true });
    const count = 70_000;
    for (let i = 0; i < count; i++) archive.append(Buffer.from(`entry ${i}\n`), { name: `${i}.txt` });
    const chunks = await chunksOf(archive);

    const zip = Buffer.concat(chunks);
    const files = unzipSync(new Uint8Array(zip));
    expect(Object.keys(files)).toHaveLength(count);
    expect(strFromU8(files['0.txt'])).toBe('entry 0\n');
    expect(strFromU8(files['69999.txt'])).toBe('entry 69999\n');
    // zip-stream alone writes ~34 chunks an entry (each header field), ~2.4 million here.
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(zip.length / (64 * 1024)) + 1);
  });

  test('streamed entries and compressed ones keep their offsets', async () => {
    const archive = archiver.create(GATHERED_ZIP, { zlib: { level: 6 } });
    const big = Buffer.alloc(200_000, 'abc');
    archive.append(Readable.from([Buffer.from('first')]), { name: 'a.txt', store: true });
    archive.append(big, { name: 'big.txt' });
    archive.append(Readable.from([big.subarray(0, 70_000), big.subarray(70_000)]), {
      name: 'big-streamed.txt',
      store: true,
    });
    archive.append('last', { name: 'соңғы-ә.txt' });
    const files = unzipSync(new Uint8Array(Buffer.concat(await chunksOf(archive))));
    expect(Object.keys(files)).toEqual(['a.txt', 'big.txt', 'big-streamed.txt', 'соңғы-ә.txt']);
    expect(strFromU8(files['a.txt'])).toBe('first');
    expect(Buffer.from(files['big.txt']).equals(big)).toBe(true);
    expect(Buffer.from(files['big-streamed.txt']).equals(big)).toBe(true);
    expect(strFromU8(files['соңғы-ә.txt'])).toBe('last');
  });
});
