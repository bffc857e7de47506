import http from 'node:http';
import { text as streamText } from 'node:stream/consumers';
import { blockCodes, DeliveredBlock } from '../../db/downloads';
import { GS } from '../../lib/codes';
import { codesCsv } from '../../lib/files';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientWithBlocks, streamingDownloads } from '../helpers/downloads';

// Issue #20: the codes CSV and JSON stream from PostgreSQL's COPY on a small pool of their own (db/codes-copy.ts).
// The bytes are those the JavaScript writers make; one stream per process here, so a second download waits, then is
// told to come back, while every other request still gets the shared pool.
const ctx = useTestApi({ downloadStreams: 1 });

/** Far more than the socket buffers hold (~100 bytes a code): a download not read holds its stream. */
const BIG = 60_000;
const SMALL = 3_000;

let token: string;
let omsId: string;
let bigBlock: string;
let smallBlock: string;
let small: DeliveredBlock;
let big: DeliveredBlock;

beforeAll(async () => {
  ({
    token,
    omsId,
    blocks: [smallBlock, bigBlock],
    delivered: [small, big],
  } = await clientWithBlocks(ctx.database.db, [SMALL, BIG]));
}, 600_000);

const get = (path: string) => ctx.api.request('GET', path, { token });
const file = (blockId: string, name: string) => `/client/v1/downloads/${blockId}/${name}`;

const allCodes = async (blockId: string) => {
  const codes: string[] = [];
  for await (const code of blockCodes(ctx.database.db, blockId)) codes.push(code);
  return codes;
};

test('the CSV (GS raw or escaped, with or without header) and the JSON are the bytes the JavaScript writers make', async () => {
  const codes = await allCodes(smallBlock);
  expect(codes).toHaveLength(SMALL);
  // Random serials draw from CSET 82: some hold the characters a CSV field is quoted for, and JSON's quote.
  for (const ch of ['"', ',', ';', GS]) expect(codes.some((c) => c.includes(ch))).toBe(true);

  for (const [gs, header] of [
    ['raw', false],
    ['raw', true],
    ['escape', false],
    ['escape', true],
  ] as const) {
    const response = await fetch(`${ctx.api.url}${file(smallBlock, 'codes.csv')}?gs=${gs}&header=${header}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    const expected = await streamText(codesCsv(blockCodes(ctx.database.db, smallBlock), { gs, header }));
    expect({ gs, header, same: (await response.text()) === expected }).toEqual({ gs, header, same: true });
  }

  const json = await fetch(`${ctx.api.url}${file(smallBlock, 'codes.json')}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await json.text();
  expect(body).toBe(JSON.stringify({ blockId: smallBlock, codes }).replaceAll(GS, '\\u001d'));
  expect(JSON.parse(body).codes).toEqual(codes);

  // The order station's CodesDto, in the order its schema lists the fields, as Fastify serialised it before.
  const station = await fetch(
    `${ctx.api.url}/api/v2/shoes/codes/retry?omsId=${omsId}&orderId=${small.orderId}&gtin=${small.gtin}&blockId=${smallBlock}`,
    { headers: { clientToken: token } },
  );
  expect([station.status, station.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
  expect(await station.text()).toBe(JSON.stringify({ blockId: smallBlock, codes, omsId }).replaceAll(GS, '\\u001d'));

  // Written for people, the codes still come the JavaScript way.
  const human = await get(`${file(smallBlock, 'codes.csv')}?gs=human`);
  expect(human.status).toBe(200);
  expect(human.body.split('\r\n')).toHaveLength(SMALL + 1);
});

/** Starts a download and reads only its first bytes: the server's stream is then held by back-pressure. */
function heldDownload(
  path: string,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
): Promise<{ release(): Promise<number>; abort(): void }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${ctx.api.url}${path}`, { headers, agent: false });
    request.on('error', reject);
    request.on('response', (response) => {
      if (response.statusCode !== 200) return reject(new Error(`status ${response.statusCode}`));
      let bytes = 0;
      response.once('data', (chunk: Buffer) => {
        bytes += chunk.length;
        response.pause();
        resolve({
          release: () =>
            new Promise((done, failed) => {
              response.on('data', (more: Buffer) => (bytes += more.length));
              response.once('end', () => done(bytes));
              response.once('error', failed);
              response.resume();
            }),
          abort: () => {
            request.removeAllListeners('error');
            request.on('error', () => undefined);
            request.destroy();
          },
        });
      });
    });
  });
}

test('over the cap of streams a download waits, then gets 503 DOWNLOADS_BUSY with Retry-After; other requests are served meanwhile', async () => {
  const held = await heldDownload(file(bigBlock, 'codes.csv'));
  expect(await streamingDownloads(ctx.api.url)).toBe(1);

  const started = Date.now();
  const refused = await get(file(smallBlock, 'codes.json'));
  expectApiError(refused, 503, 'DOWNLOADS_BUSY');
  expect(refused.headers.get('retry-after')).toBe('5');
  expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);

  // The shared pool is not the downloads': the account, a block's details and a PDF's codes are served.
  expect((await get('/client/v1/account')).status).toBe(200);
  expect((await get('/client/v1/downloads')).status).toBe(200);

  // Read to its end, the held download was whole; its stream is free for the next one.
  const bytes = await held.release();
  expect(bytes).toBeGreaterThan(BIG * 85);
  await eventually(async () => (await streamingDownloads(ctx.api.url)) === 0, 10_000);
  const next = await get(file(smallBlock, 'codes.json'));
  expect([next.status, next.body.codes.length]).toEqual([200, SMALL]);
}, 60_000);

test('no code can be stored that COPY would escape or a spreadsheet read as a formula (migration 040)', async () => {
  const row = await ctx.database.db('marking_codes').where({ block_id: smallBlock }).first('id', 'code');
  for (const code of [`=${row.code}`, `${row.code}\\`, `${row.code}\t`, ` ${row.code}`, `${row.code}ä`, ''])
    await expect(ctx.database.db('marking_codes').where({ id: row.id }).update({ code })).rejects.toThrow(
      /marking_codes_copy_safe/,
    );
  expect((await ctx.database.db('marking_codes').where({ id: row.id }).first('code')).code).toBe(row.code);
});

test("the order station's codes stream likewise, and one walked away from frees its stream", async () => {
  const held = await heldDownload(
    `/api/v2/shoes/codes/retry?omsId=${omsId}&orderId=${big.orderId}&gtin=${big.gtin}&blockId=${bigBlock}`,
    { clientToken: token },
  );
  expect(await streamingDownloads(ctx.api.url)).toBe(1);
  held.abort();
  await eventually(async () => (await streamingDownloads(ctx.api.url)) === 0, 10_000);
  // The stream is free again: the next download is served at once.
  expect((await get(file(smallBlock, 'codes.json'))).status).toBe(200);
});
