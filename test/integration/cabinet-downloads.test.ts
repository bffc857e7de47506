import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { clientBalance } from '../../db/ledger';
import { GS, humanReadable } from '../../lib/codes';
import { chargeForDelivery } from '../../lib/money';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { decodeImages, decodePdfPages } from '../helpers/barcodes';
import { clientToken } from '../helpers/fixtures';
import { fundedClient } from '../helpers/orders';
import { extractPdf } from '../helpers/pdf-text';

// Downloads from the cabinet: a block charged once, then its files for free — and every
// DataMatrix in the ZIP and the PDF decodes to exactly the codes in the CSV.
const ctx = useTestApi();
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };

let client: Awaited<ReturnType<typeof fundedClient>>;
let token: string;
let orderId: string;

beforeAll(async () => {
  client = await fundedClient(ctx.database.db, 1_000_000_00);
  token = await clientToken(ctx.database.db, client.id);
  const serials = Array.from({ length: 30 }, (_, i) => `3(<%'"&;,=+${String(i).padStart(2, '0')}`);
  const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
    headers: { clientToken: token },
    body: {
      contactPerson: 'Тест',
      releaseMethodType: 'PRODUCTION',
      createMethodType: 'SELF_MADE',
      products: [
        {
          gtin: client.gtins[0],
          quantity: 30,
          serialNumberType: 'SELF_MADE',
          serialNumbers: serials,
          templateId: 1,
          cisType: 'UNIT',
        },
      ],
    },
  });
  expect(created.status).toBe(200);
  orderId = created.body.orderId;
  await eventually(
    async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'READY',
    60_000,
  );
});

const file = async (path: string) => {
  const response = await fetch(ctx.api.url + path, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
};

test('a download is charged once; its CSV, JSON, ZIP and PDF are free and hold exactly its codes', async () => {
  const headers = { 'idempotency-key': 'cabinet-download-1' };
  const first = await ctx.api.request('POST', `/client/v1/orders/${orderId}/downloads`, {
    token,
    headers,
    body: { gtin: client.gtins[0], quantity: 24 },
  });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({
    quantity: 24,
    amountTiyn: chargeForDelivery(PRICE, 0, 24).total,
    applyBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
  });
  const again = await ctx.api.request('POST', `/client/v1/orders/${orderId}/downloads`, {
    token,
    headers,
    body: { gtin: client.gtins[0], quantity: 24 },
  });
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ blockId: first.body.blockId, amountTiyn: 0 });
  expect((await clientBalance(ctx.database.db, client.id)).totalCharged).toBe(chargeForDelivery(PRICE, 0, 24).total);

  const csv = (text: Buffer, options: { columns?: boolean } = {}) =>
    parse(text.toString('utf8'), { delimiter: ',', ...options }) as string[][];
  const raw = csv((await file(first.body.files.csv)).body).map(([code]) => code);
  expect(raw).toHaveLength(24);
  expect(raw.every((code) => code.includes(GS))).toBe(true);
  const escapedFile = (await file(`${first.body.files.csv}?gs=escape`)).body;
  expect(escapedFile.toString('utf8')).not.toContain(GS);
  expect(csv(escapedFile).map(([code]) => code)).toEqual(raw.map((code) => code.replaceAll(GS, '\\u001d')));
  const humanFile = (await file(`${first.body.files.csv}?gs=human&header=true`)).body;
  // RFC 4180: a field with a quote is quoted, its quotes doubled.
  expect(humanFile.toString('utf8')).toContain('""');
  expect(csv(humanFile)).toEqual([['code'], ...raw.map((code) => [humanReadable(code)])]);
  const json = JSON.parse((await file(first.body.files.json)).body.toString('utf8'));
  expect(json).toEqual({ blockId: first.body.blockId, codes: raw });

  const zip = unzipSync(new Uint8Array((await file(first.body.files.zip)).body));
  const images = Object.keys(zip)
    .filter((name) => name.endsWith('.png'))
    .sort();
  expect(images).toHaveLength(24);
  const decoded = decodeImages(images.map((name) => Buffer.from(zip[name])));
  expect(decoded.map((symbols) => symbols.map((s) => s.replace(/^\]d2/, '')))).toEqual(raw.map((code) => [code]));

  const pdf = (await file(`${first.body.files.pdf}?columns=3&rows=5`)).body;
  const pages = decodePdfPages(pdf, 3);
  expect(pages).toHaveLength(2);
  expect(
    pages
      .flat()
      .map((s) => s.replace(/^\]d2/, ''))
      .sort(),
  ).toEqual([...raw].sort());
  expect(extractPdf(pdf).text).toContain(raw[0].slice(2, 16));
  // The sheets' title in Kazakh, then Russian (issue #21).
  expect(extractPdf(pdf).info.Title).toBe(
    `Таңбалау кодтары, ${first.body.blockId} блогы / Коды маркировки, блок ${first.body.blockId}`,
  );
  // Under each code: the product's name from the client's product card for the GTIN (test/helpers/orders.ts names it «Туфли <GTIN>»).
  const productName = (
    await ctx.database.db('products').where({ client_id: client.id, gtin: client.gtins[0] }).first('name')
  ).name;
  expect(productName).toBe(`Туфли ${client.gtins[0]}`);
  expect(extractPdf(pdf).text.split(productName).length - 1).toBe(24);

  expect((await clientBalance(ctx.database.db, client.id)).totalCharged).toBe(chargeForDelivery(PRICE, 0, 24).total);
  const recorded = await ctx.database.db('code_files').where({ block_id: first.body.blockId }).pluck('format');
  expect(recorded).toEqual(expect.arrayContaining(['csv-raw', 'csv-escape', 'csv-human', 'json', 'zip-png', 'pdf']));
  expectApiError(
    await ctx.api.request('GET', `${first.body.files.pdf}?columns=20&rows=40`, { token }),
    400,
    'BAD_LAYOUT',
  );
}, 120_000);

test('the rest of the order in one download empties the buffer and closes the order; downloads are listed', async () => {
  const rest = await ctx.api.request('POST', `/client/v1/orders/${orderId}/downloads`, {
    token,
    body: { gtin: client.gtins[0] },
  });
  expect(rest.body.quantity).toBe(6);
  await eventually(async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'CLOSED');
  expectApiError(
    await ctx.api.request('POST', `/client/v1/orders/${orderId}/downloads`, { token, body: { gtin: client.gtins[0] } }),
    409,
    'BUFFER_EXHAUSTED',
  );
  const list = await ctx.api.request('GET', '/client/v1/downloads', { token });
  expect(list.body.downloads.map((d: { quantity: number }) => d.quantity)).toEqual([6, 24]);
  const stranger = await clientToken(ctx.database.db, (await fundedClient(ctx.database.db, 0)).id);
  expectApiError(await ctx.api.request('GET', rest.body.files.csv, { token: stranger }), 404, 'NOT_FOUND');
});
