import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eventually, useTestApi } from '../helpers/api';
import { clientWithBlocks, streamingDownloads } from '../helpers/downloads';

// A download the client walks away from (the socket closed mid-stream) leaves nothing behind:
// no temporary folder or file of the ZIP, no open file handle, no database connection in use.
// The API runs in this process, so /proc/self/fd counts its handles.
const ctx = useTestApi();

/** Far more than the socket buffers hold: ~105 bytes a code as CSV, so ~6 MB, and minutes of rendering for the ZIP. */
const CODES = 60_000;

let token: string;
let bigBlock: string;
let smallBlock: string;

beforeAll(async () => {
  ({
    token,
    blocks: [smallBlock, bigBlock],
  } = await clientWithBlocks(ctx.database.db, [40, CODES]));
}, 600_000);

const FILES = {
  csv: 'codes.csv',
  json: 'codes.json',
  zip: 'datamatrix.zip',
  pdf: 'labels.pdf',
} as const;
/** The format a finished file is recorded under in code_files. */
const RECORDED = { csv: 'csv-raw', json: 'json', zip: 'zip-png', pdf: 'pdf' } as const;
type Kind = keyof typeof FILES;

const fileUrl = (blockId: string, kind: Kind) => `${ctx.api.url}/client/v1/downloads/${blockId}/${FILES[kind]}`;

const openFds = () => readdirSync('/proc/self/fd').length;
/** What this process's open handles point at (a handle may close while it is read). */
const fdTargets = () =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
/** Temporary folders of ZIPs made by this process (lib/files/zip.ts names them codes-zip-<pid>-…). */
const ownZipDirs = () => readdirSync(os.tmpdir()).filter((name) => name.startsWith(`codes-zip-${process.pid}-`));
/** The handles in `after` beyond those in `before`, by what they point at. */
function added(before: string[], after: string[]): string[] {
  const left = [...before];
  return after.filter((target) => {
    const i = left.indexOf(target);
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}
const pool = () => ctx.database.db.client.pool as { numUsed(): number; numPendingAcquires(): number };

/** The whole file, read to its end. */
async function fetchWhole(blockId: string, kind: Kind): Promise<number> {
  const response = await fetch(fileUrl(blockId, kind), { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.arrayBuffer()).byteLength;
}

/**
 * Starts the download, reads its first bytes, waits until `ready` says the server is well into
 * it, then destroys the socket without reading on. Returns the bytes received.
 */
function abortMidStream(blockId: string, kind: Kind, ready: () => boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(fileUrl(blockId, kind), { headers: { authorization: `Bearer ${token}` }, agent: false });
    request.on('error', () => undefined); // the socket is destroyed on purpose
    request.on('response', (response) => {
      if (response.statusCode !== 200) return reject(new Error(`status ${response.statusCode}`));
      let received = 0;
      response.once('data', (chunk: Buffer) => {
        received += chunk.length;
        response.pause();
        eventually(async () => ready(), 60_000).then(
          () => {
            request.destroy();
            resolve(received);
          },
          (error) => {
            request.destroy();
            reject(error);
          },
        );
      });
    });
  });
}

test.each<Kind>(['csv', 'json', 'zip', 'pdf'])(
  '%s: a download aborted mid-stream frees its temporary files, handles and database connection',
  async (kind) => {
    // The same kind of file once whole first: connections, render threads and lazily loaded
    // modules are then in place, and what the aborted download leaves is all that can differ.
    expect(await fetchWhole(smallBlock, kind)).toBeGreaterThan(0);
    // The whole ZIP's folder goes just after its last byte: gone before counting.
    await eventually(async () => ownZipDirs().length === 0, 10_000);
    await eventually(
      async () =>
        pool().numUsed() === 0 && pool().numPendingAcquires() === 0 && (await streamingDownloads(ctx.api.url)) === 0,
      10_000,
    );
    const fdsBefore = openFds();
    const targetsBefore = fdTargets();
    const zipDirsBefore = ownZipDirs().length;

    // While the ZIP is being made its manifest is open in a temporary folder: which one is seen here.
    const zipManifest = () => fdTargets().find((target) => /\/codes-zip-[^/]+\/codes\.csv$/.test(target));
    let zipDir: string | undefined;
    const received = await abortMidStream(bigBlock, kind, () => {
      if (kind !== 'zip') return true;
      zipDir = zipManifest() && path.dirname(zipManifest()!);
      return zipDir !== undefined;
    });
    expect(received).toBeGreaterThan(0);

    const settled = async () =>
      pool().numUsed() === 0 && pool().numPendingAcquires() === 0 && (await streamingDownloads(ctx.api.url)) === 0;
    await eventually(settled, 30_000).catch(() => undefined);
    if (zipDir) await eventually(async () => !existsSync(zipDir!), 30_000).catch(() => undefined);
    await eventually(async () => ownZipDirs().length <= zipDirsBefore && !zipManifest(), 30_000).catch(() => undefined);
    // Idle database connections made meanwhile are closed by the pool within its idle timeout (30 s).
    await eventually(async () => openFds() <= fdsBefore, 45_000).catch(() => undefined);
    expect({
      zipDirLeft: zipDir !== undefined && existsSync(zipDir),
      zipDirs: ownZipDirs().length,
      zipManifestOpen: zipManifest() !== undefined,
      // What the added handles point at (sockets, files, event fds), should a run leave any.
      fdsAdded: openFds() > fdsBefore ? added(targetsBefore, fdTargets()) : [],
      pool: {
        used: pool().numUsed(),
        pending: pool().numPendingAcquires(),
        copying: await streamingDownloads(ctx.api.url),
      },
    }).toEqual({
      zipDirLeft: false,
      zipDirs: zipDirsBefore,
      zipManifestOpen: false,
      fdsAdded: [],
      pool: { used: 0, pending: 0, copying: 0 },
    });

    // It was aborted indeed: a file that went out whole is recorded, this one is not.
    const recorded = await ctx.database.db('code_files').where({ block_id: bigBlock }).pluck('format');
    expect(recorded).not.toContain(RECORDED[kind]);
  },
  180_000,
);
