import { randomInt, randomUUID } from 'node:crypto';
import { deposit } from '../../db/ledger';
import { priceOfCodes } from '../../lib/money';
import { eventually, useTestApi } from '../helpers/api';
import { registerClient } from '../helpers/clients';
import { clientToken, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { expectSpecConformance, loadSpec, SpecExchange } from '../helpers/oms-spec';
import { randomGtin } from '../helpers/orders';
import { registerAcceptedProduct } from '../helpers/products';

// An integrator's client generated at test time from the Kazakhstan order station's published
// Swagger 2.0 (shared/oms/kz-oms-api-v2.swagger.json) by swagger-client, talking to this server
// over HTTP. Every exchange is also checked against the spec.

// swagger-client ships no type declarations: what this test uses of it.
interface GeneratedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}
interface GeneratedResponse {
  url: string;
  status: number;
  body: any;
  text?: string;
}
type Interceptors = {
  requestInterceptor?: (r: GeneratedRequest) => GeneratedRequest;
  responseInterceptor?: (r: GeneratedResponse) => GeneratedResponse;
};
type GeneratedOperation = (parameters: Record<string, unknown>, options?: Interceptors) => Promise<GeneratedResponse>;
interface GeneratedClient {
  apis: Record<string, Record<string, GeneratedOperation>>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- it ships no type declarations; what this test uses is typed above
const SwaggerClient = require('swagger-client') as (options: { spec: object }) => Promise<GeneratedClient>;

const ctx = useTestApi();
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
const GS = '\u001d';

let shoes: Record<string, GeneratedOperation>;
beforeAll(async () => {
  // The spec names the stage host without schemes; the integrator points it at this server.
  const server = new URL(ctx.api.url);
  const client = await SwaggerClient({
    spec: { ...loadSpec(), host: server.host, schemes: [server.protocol.replace(':', '')] },
  });
  shoes = client.apis['API.v2.SHOES'];
  expect(shoes).toBeDefined();
});

interface Answer {
  status: number;
  body: any;
}

/** Calls an operation of the generated client; its request and answer must conform to the spec. */
async function call(operationId: string, parameters: Record<string, unknown>): Promise<Answer> {
  const operation = shoes[operationId];
  if (!operation)
    throw new Error(`the generated client has no ${operationId} (it has ${Object.keys(shoes).join(', ')})`);
  const exchange: Partial<SpecExchange> = {};
  const requestInterceptor = (request: GeneratedRequest) => {
    Object.assign(exchange, {
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      body: request.body,
    });
    return request;
  };
  const responseInterceptor = (response: GeneratedResponse) => {
    Object.assign(exchange, {
      status: response.status,
      response: response.body !== undefined ? response.body : response.text,
    });
    return response;
  };
  let answer: Answer | undefined;
  let failure: unknown;
  try {
    const response = await operation(parameters, { requestInterceptor, responseInterceptor });
    answer = { status: response.status, body: response.body };
  } catch (error) {
    failure = error;
  }
  if (exchange.status === undefined)
    throw failure ?? new Error(`${operationId}: the generated client's interceptors saw no answer`);
  expectSpecConformance(exchange as SpecExchange);
  if (failure !== undefined) throw failure;
  return answer!;
}

/** swagger-client throws on a non-2xx answer: the error's status and body. */
async function refusal(operationId: string, parameters: Record<string, unknown>): Promise<Answer> {
  let answer: Answer;
  try {
    answer = await call(operationId, parameters);
  } catch (error) {
    const e = error as { status?: number; response?: { body: unknown } };
    if (e.status === undefined || !e.response) throw error;
    return { status: e.status, body: e.response.body };
  }
  throw new Error(`${operationId} answered ${answer.status} ${JSON.stringify(answer.body)}; a refusal was expected`);
}

/** A RestResult refusal with `status`; its messages mention each of `mentions`. */
function expectRestResult(answer: Answer, status: number, ...mentions: string[]) {
  expect({ status: answer.status, success: answer.body?.success }).toEqual({ status, success: false });
  const messages: string[] = [
    ...(answer.body.globalErrors ?? []),
    ...(answer.body.fieldErrors ?? []).map(
      (f: { fieldName?: string; fieldError?: string }) => `${f.fieldName ?? ''}: ${f.fieldError ?? ''}`,
    ),
  ];
  expect(messages.length).toBeGreaterThan(0);
  for (const mention of mentions) expect(messages.join('\n')).toContain(mention);
}

interface Integrator {
  id: string;
  omsId: string;
  token: string;
  binIin: string;
  products: { gtin: string; name: string }[];
}

/** A client set up by staff, funded, with `products` footwear products in its catalogue. */
async function integrator(fundsTiyn: number, products = 1): Promise<Integrator> {
  const { db } = ctx.database;
  const admin = await insertStaff(db, ['admin']);
  const binIin = randomBinIin();
  const created = await registerClient(ctx.api, db, admin.token, {
    binIin,
    name: 'ТОО «Обувь»',
    email: `oms-${Date.now()}-${Math.random()}@example.kz`,
    requisites: REQUISITES,
  });
  expect(created.status).toBe(201);
  const token = await clientToken(db, created.body.id);
  if (fundsTiyn)
    await deposit(db, {
      idempotencyKey: `fund-${created.body.id}`,
      clientId: created.body.id,
      amountTiyn: fundsTiyn,
      paymentId: `fund-${created.body.id}`,
    });
  const registered: Integrator['products'] = [];
  for (let i = 0; i < products; i++) {
    const gtin = randomGtin();
    const name = `Кроссовки женские ${i + 1}`;
    // The client's right to the GTIN accepted under its GS1 company prefix (issue #16).
    const answer = await registerAcceptedProduct(ctx.api, {
      staffToken: admin.token,
      clientId: created.body.id,
      clientToken: token,
      gtin,
      sentGtin: gtin.slice(1),
      name,
      attributes: { size: '38', color: 'белый' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.gtin).toBe(gtin);
    registered.push({ gtin, name });
  }
  return { id: created.body.id, omsId: created.body.omsId, token, binIin, products: registered };
}

/** The personal account (api/schemas/account.ts), tiyn. */
async function account(client: Integrator): Promise<{ available: number; reserved: number; totalCharged: number }> {
  const answer = await ctx.api.request('GET', '/client/v1/account', { token: client.token });
  expect(answer.status).toBe(200);
  return { available: answer.body.available, reserved: answer.body.reserved, totalCharged: answer.body.totalCharged };
}

/** The order exactly as a Kazakhstan client sends it (no cisType). */
const kzOrder = (lines: { gtin: string; quantity: number }[]) => ({
  contactPerson: 'Ахметова А.Б.',
  releaseMethodType: 'CONTRACT_PRODUCTION',
  createMethodType: 'SELF_MADE',
  country: 'KZ',
  productionOrderId: randomUUID(),
  products: lines.map(({ gtin, quantity }) => ({
    gtin,
    quantity,
    serialNumberType: 'OPERATOR',
    templateId: 1,
    stickerId: '1',
  })),
});

async function createOrder(client: Integrator, lines: { gtin: string; quantity: number }[]): Promise<string> {
  const created = await call('createOrderUsingPOST5', {
    omsId: client.omsId,
    clientToken: client.token,
    orderDtoShoes: kzOrder(lines),
  });
  expect(created.status).toBe(200);
  expect(created.body).toMatchObject({
    omsId: client.omsId,
    orderId: expect.any(String),
    expectedCompleteTimestamp: expect.any(Number),
  });
  return created.body.orderId;
}

const bufferStatus = async (client: Integrator, orderId: string, gtin: string) =>
  (await call('getBufferStatusUsingGET5', { omsId: client.omsId, clientToken: client.token, orderId, gtin })).body;

/** Polls the buffer until it is ACTIVE (while PENDING its counters may be -1). */
async function activeBuffer(client: Integrator, orderId: string, gtin: string) {
  return eventually(async () => {
    const buffer = await bufferStatus(client, orderId, gtin);
    if (!['PENDING', 'ACTIVE'].includes(buffer.bufferStatus))
      throw new Error(`buffer ${orderId}/${gtin} is ${buffer.bufferStatus}: ${JSON.stringify(buffer)}`);
    return buffer.bufferStatus === 'ACTIVE' && buffer;
  }, 60_000);
}

const codes = async (client: Integrator, orderId: string, gtin: string, quantity: number, lastBlockId: string) =>
  (
    await call('getCodesUsingGET5', {
      omsId: client.omsId,
      clientToken: client.token,
      orderId,
      gtin,
      quantity,
      lastBlockId,
    })
  ).body as { omsId: string; blockId: string; codes: string[] };

const orderStatus = async (client: Integrator, orderId: string) =>
  (await call('getOrdersUsingGET5', { omsId: client.omsId, clientToken: client.token })).body.orderInfos.find(
    (o: { orderId: string }) => o.orderId === orderId,
  )?.orderStatus;

/** 01 GTIN 21 serial(13) GS 91 key(4) GS 92 verification(44). */
function expectFootwearCode(code: string, gtin: string) {
  expect(code).toHaveLength(85);
  expect(code.split(GS)).toHaveLength(3);
  expect(code.startsWith(`01${gtin}21`)).toBe(true);
}
const serialOf = (code: string) => code.slice(18, 31);

describe('an integrator’s client generated from the published spec', () => {
  test('the whole flow: order, buffer, every code in blocks by lastBlockId, blocks, retry, charged once; a second order closed early', async () => {
    const client = await integrator(100_000_00, 2);
    const [first, second] = client.products.map((p) => p.gtin);
    const before = await account(client);

    const orderId = await createOrder(client, [{ gtin: first, quantity: 25 }]);
    const active = await activeBuffer(client, orderId, first);
    expect(active).toMatchObject({
      omsId: client.omsId,
      orderId,
      gtin: first,
      totalCodes: 25,
      leftInBuffer: 25,
      totalPassed: 0,
    });

    // Every code, 10 at a time, each request naming the block before it.
    const blocks: { blockId: string; codes: string[]; after: string }[] = [];
    let lastBlockId = '0';
    while (blocks.length < 5) {
      const block = await codes(client, orderId, first, 10, lastBlockId);
      expect(block.omsId).toBe(client.omsId);
      blocks.push({ blockId: block.blockId, codes: block.codes, after: lastBlockId });
      lastBlockId = block.blockId;
      if (block.codes.length < 10) break;
      if (blocks.length === 2) {
        // Answers lost: asking again with an earlier lastBlockId gives the block it gave the first time, free.
        const charged = await account(client);
        for (const earlier of [blocks[1], blocks[0]]) {
          const again = await codes(client, orderId, first, 10, earlier.after);
          expect({ blockId: again.blockId, codes: again.codes }).toEqual({
            blockId: earlier.blockId,
            codes: earlier.codes,
          });
        }
        expect(await account(client)).toEqual(charged);
        expect(await bufferStatus(client, orderId, first)).toMatchObject({
          bufferStatus: 'ACTIVE',
          leftInBuffer: 5,
          totalPassed: 20,
        });
      }
    }
    expect(blocks.map((b) => b.codes.length)).toEqual([10, 10, 5]);
    expect(new Set(blocks.map((b) => b.blockId)).size).toBe(3);
    expect(await bufferStatus(client, orderId, first)).toMatchObject({
      bufferStatus: 'EXHAUSTED',
      leftInBuffer: 0,
      totalPassed: 25,
      totalCodes: 25,
    });

    const all = blocks.flatMap((b) => b.codes);
    expect(new Set(all).size).toBe(25);
    for (const code of all) expectFootwearCode(code, first);

    const listed = (
      await call('getBlocksUsingGET5', { omsId: client.omsId, clientToken: client.token, orderId, gtin: first })
    ).body;
    expect(listed).toMatchObject({ omsId: client.omsId, gtin: first });
    expect(listed.blocks).toHaveLength(3);
    expect(
      Object.fromEntries(listed.blocks.map((b: { blockId: string; quantity: number }) => [b.blockId, b.quantity])),
    ).toEqual(Object.fromEntries(blocks.map((b) => [b.blockId, b.codes.length])));

    // The order closes once its only buffer is exhausted: nothing stays reserved, each code charged once.
    await eventually(async () => (await orderStatus(client, orderId)) === 'CLOSED', 30_000);
    await eventually(async () => (await account(client)).reserved === 0, 30_000);
    const afterFirst = await account(client);
    expect(before.available - afterFirst.available).toBe(priceOfCodes(25, PRICE).total);

    // The retry of a block gives its codes again, free; so does the last block's lastBlockId asked
    // again (its answer lost) although the order has closed since.
    const retried = (
      await call('getRetryCodesUsingGET5', {
        omsId: client.omsId,
        clientToken: client.token,
        orderId,
        gtin: first,
        blockId: blocks[0].blockId,
      })
    ).body;
    expect(retried).toMatchObject({ omsId: client.omsId, codes: blocks[0].codes });
    const lastAgain = await codes(client, orderId, first, 10, blocks[2].after);
    expect({ blockId: lastAgain.blockId, codes: lastAgain.codes }).toEqual({
      blockId: blocks[2].blockId,
      codes: blocks[2].codes,
    });
    expect(await account(client)).toEqual(afterFirst);

    // A second order on the other GTIN: one block taken, then the buffer closed by the query alone.
    const secondId = await createOrder(client, [{ gtin: second, quantity: 30 }]);
    await activeBuffer(client, secondId, second);
    const taken = await codes(client, secondId, second, 10, '0');
    expect(taken.codes).toHaveLength(10);
    for (const code of taken.codes) expectFootwearCode(code, second);
    const closed = await call('closeBufferUsingPOST5', {
      omsId: client.omsId,
      clientToken: client.token,
      orderId: secondId,
      gtin: second,
      lastBlockId: taken.blockId,
    });
    expect(closed).toEqual({ status: 200, body: { omsId: client.omsId } });
    expect(
      await eventually(async () => {
        const buffer = await bufferStatus(client, secondId, second);
        return buffer.bufferStatus === 'CLOSED' && buffer;
      }, 30_000),
    ).toMatchObject({ totalCodes: 30, totalPassed: 10 });
    // The 20 codes never taken are not paid for: their reservation is released.
    await eventually(async () => (await account(client)).reserved === 0, 30_000);
    expect(afterFirst.available - (await account(client)).available).toBe(priceOfCodes(10, PRICE).total);
  });

  test('refusals come as RestResult: unknown GTIN, unknown order, wrong omsId; version needs no token', async () => {
    const client = await integrator(10_000_00, 1);
    const gtin = client.products[0].gtin;
    const unknownGtin = randomGtin();

    const unknownProduct = await refusal('createOrderUsingPOST5', {
      omsId: client.omsId,
      clientToken: client.token,
      orderDtoShoes: kzOrder([{ gtin: unknownGtin, quantity: 1 }]),
    });
    expectRestResult(unknownProduct, 400, 'gtin');

    const unknownOrder = randomUUID();
    expectRestResult(
      await refusal('getBufferStatusUsingGET5', {
        omsId: client.omsId,
        clientToken: client.token,
        orderId: unknownOrder,
        gtin,
      }),
      404,
    );

    const other = await integrator(0, 0);
    expectRestResult(await refusal('getOrdersUsingGET5', { omsId: other.omsId, clientToken: client.token }), 400);
    expectRestResult(
      await refusal('createOrderUsingPOST5', {
        omsId: randomUUID(),
        clientToken: client.token,
        orderDtoShoes: kzOrder([{ gtin, quantity: 1 }]),
      }),
      400,
    );
    expect(await ctx.database.db('orders').where({ client_id: client.id })).toHaveLength(0);

    const version = await call('versionUsingGET5', {});
    expect(version.status).toBe(200);
    expect(version.body).toEqual({ apiVersion: expect.any(String), omsVersion: expect.any(String) });
  });

  test('footwear codes aggregated into a box: report, its status, the unit; codes not downloaded refused; receipts', async () => {
    const client = await integrator(10_000_00, 1);
    const { gtin, name } = client.products[0];
    const orderId = await createOrder(client, [{ gtin, quantity: 7 }]);
    await activeBuffer(client, orderId, gtin);
    const sntins = (await codes(client, orderId, gtin, 6, '0')).codes;
    expect(sntins).toHaveLength(6);

    const box = `00${String(randomInt(10 ** 9)).padStart(9, '0')}${String(Date.now() % 10 ** 9).padStart(9, '0')}`; // an SSCC
    const unit = (unitSerialNumber: string, codes: string[]) => ({
      unitSerialNumber,
      aggregationUnitCapacity: 10,
      aggregatedItemsCount: codes.length,
      aggregationType: 'AGGREGATION',
      sntins: codes,
    });
    const report = (units: ReturnType<typeof unit>[]) => ({
      omsId: client.omsId,
      clientToken: client.token,
      aggregationReportDto: { participantId: client.binIin, aggregationUnits: units },
    });

    const sent = await call('sendAggregationReportUsingPOST4', report([unit(box, sntins)]));
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ omsId: client.omsId, reportId: expect.any(String) });
    const { reportId } = sent.body;

    const status = await eventually(async () => {
      const info = (await call('getReportInfoUsingGET5', { omsId: client.omsId, clientToken: client.token, reportId }))
        .body;
      expect(info).toMatchObject({ omsId: client.omsId, reportId });
      return !['PENDING', 'CHECK'].includes(info.reportStatus) && info;
    }, 30_000);
    expect(status.reportStatus).toBe('SENT');

    const aggregated = (
      await call('getAggregationInfoUsingGET4', {
        omsId: client.omsId,
        clientToken: client.token,
        unitSerialNumber: box,
      })
    ).body;
    expect(aggregated).toMatchObject({
      omsId: client.omsId,
      aggregationUnit: {
        unitSerialNumber: box,
        aggregatedItemsCount: 6,
        aggregationUnitCapacity: 10,
        aggregationType: 'AGGREGATION',
      },
      productsInfo: [{ gtin, name }],
    });
    expect([...aggregated.aggregationUnit.sntins].sort()).toEqual([...sntins].sort());

    // The 7th code was emitted but never downloaded (not paid); a forged code belongs to nobody.
    const notDownloaded = await ctx.database.db('marking_codes').where({ gtin, status: 'EMITTED' }).first('code');
    expect(notDownloaded?.code).toEqual(expect.any(String));
    const forged = `01${gtin}21${'3'}${'ZZZZZZ000000'}${sntins[0].slice(31)}`;
    for (const bad of [notDownloaded.code as string, forged]) {
      const refused = await refusal('sendAggregationReportUsingPOST4', report([unit(`box-${randomUUID()}`, [bad])]));
      expectRestResult(refused, 400, serialOf(bad));
    }

    const receipts = (
      await eventually(async () => {
        const answer = await call('getReceiptsUsingGET5', {
          omsId: client.omsId,
          clientToken: client.token,
          docId: orderId,
        });
        return answer.body.receipts?.length > 0 && answer;
      }, 30_000)
    ).body;
    expect(receipts.receipts).toEqual(
      expect.arrayContaining([{ content: expect.stringContaining(orderId), signature: expect.any(String) }]),
    );
    for (const receipt of receipts.receipts)
      expect(receipt).toEqual({ content: expect.any(String), signature: expect.stringMatching(/\S/) });
  });

  test('the production line software uploads its logs', async () => {
    const client = await integrator(0, 0);
    const log = new File(
      [`${new Date().toISOString()} line 1: printer ready\n${new Date().toISOString()} line 1: 6 labels printed\n`],
      'line-1.log',
      { type: 'text/plain' },
    );
    const uploaded = await call('uploadLogsUsingPOST5', { omsId: client.omsId, clientToken: client.token, log });
    expect(uploaded).toEqual({ status: 200, body: { omsId: client.omsId } });
  });
});
