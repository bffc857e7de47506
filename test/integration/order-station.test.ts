import { deposit } from '../../db/ledger';
import { priceOfCodes } from '../../lib/money';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { expectStationError } from '../helpers/station';
import { registerClient } from '../helpers/clients';
import { clientToken, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { randomGtin } from '../helpers/orders';
import { registerAcceptedProduct } from '../helpers/products';

// The order station (СУЗ) API over HTTP, with the emission workflow on the Temporal dev server.
const ctx = useTestApi();
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };

interface StationClient {
  id: string;
  omsId: string;
  token: string;
  gtins: string[];
}

async function stationClient(fundsTiyn: number, products = 2): Promise<StationClient> {
  const { db } = ctx.database;
  const admin = await insertStaff(db, ['admin']);
  const created = await registerClient(ctx.api, db, admin.token, {
    binIin: randomBinIin(),
    name: 'ТОО «Обувь»',
    email: `shoes-${Date.now()}-${Math.random()}@example.kz`,
    requisites: REQUISITES,
  });
  const token = await clientToken(db, created.body.id);
  if (fundsTiyn)
    await deposit(db, {
      idempotencyKey: `fund-${created.body.id}`,
      clientId: created.body.id,
      amountTiyn: fundsTiyn,
      paymentId: `fund-${created.body.id}`,
    });
  const gtins: string[] = [];
  for (let i = 0; i < products; i++) {
    const gtin = randomGtin();
    // The client's right to the GTIN is accepted under its GS1 company prefix (issue #16).
    const registered = await registerAcceptedProduct(ctx.api, {
      staffToken: admin.token,
      clientId: created.body.id,
      clientToken: token,
      gtin,
      sentGtin: gtin.slice(1),
      name: `Ботинки мужские ${i}`,
      attributes: { size: '42', color: 'чёрный' },
    });
    expect(registered.status).toBe(201);
    expect(registered.body.gtin).toBe(gtin);
    gtins.push(gtin);
  }
  return { id: created.body.id, omsId: created.body.omsId, token, gtins };
}

const order = (client: StationClient, products: Record<string, unknown>[], headers: Record<string, string> = {}) =>
  ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.omsId}`, {
    headers: { clientToken: client.token, ...headers },
    body: { contactPerson: 'Иванов И.И.', releaseMethodType: 'PRODUCTION', createMethodType: 'SELF_MADE', products },
  });
// A line as a Kazakhstan client sends it (OrderProductShoesKZ: no cisType, stickerId a string).
const product = (gtin: string, quantity: number, extra: Record<string, unknown> = {}) => ({
  gtin,
  quantity,
  serialNumberType: 'OPERATOR',
  templateId: 1,
  ...extra,
});
const orders = async (client: StationClient) =>
  (
    await ctx.api.request('GET', `/api/v2/shoes/orders?omsId=${client.omsId}`, {
      headers: { clientToken: client.token },
    })
  ).body;
const orderInfo = async (client: StationClient, orderId: string) =>
  (await orders(client)).orderInfos.find((o: { orderId: string }) => o.orderId === orderId);

describe('the product catalogue', () => {
  test('GTIN check digits are verified; a product is registered once; it can be deactivated', async () => {
    const client = await stationClient(0, 1);
    const bad = await ctx.api.request('POST', '/client/v1/products', {
      token: client.token,
      body: { gtin: '4006381333932', name: 'x' },
    });
    expectApiError(bad, 400, 'VALIDATION_FAILED');
    expectApiError(
      await ctx.api.request('POST', '/client/v1/products', {
        token: client.token,
        body: { gtin: client.gtins[0], name: 'again' },
      }),
      409,
      'PRODUCT_EXISTS',
    );
    const off = await ctx.api.request('PATCH', `/client/v1/products/${client.gtins[0]}`, {
      token: client.token,
      body: { active: false },
    });
    expect(off.body).toMatchObject({ gtin: client.gtins[0], active: false, attributes: { size: '42' } });
    const refused = await order(client, [product(client.gtins[0], 1)]);
    expectStationError(refused, 400, 'INVALID_ORDER_LINES');
    expect(refused.body.fieldErrors).toEqual([
      { fieldName: 'products[0].gtin', fieldError: 'the product is deactivated in the catalogue' },
    ]);
  });
});

describe('orders (СУЗ 4.5.1) and their emission', () => {
  test('an order is emitted within the deadline: READY, buffers ACTIVE with every code available, money reserved', async () => {
    const client = await stationClient(100_000_00);
    const created = await order(client, [product(client.gtins[0], 12_000), product(client.gtins[1], 5)]);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      omsId: client.omsId,
      orderId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      expectedCompleteTimestamp: expect.any(Number),
    });
    const { orderId } = created.body;

    const info = await eventually(async () => {
      const o = await orderInfo(client, orderId);
      return o?.orderStatus === 'READY' && o;
    }, 60_000);
    expect(info).toMatchObject({ totalCodes: 12_005, emittedCodes: 12_005, deadlineMissed: false });
    expect(new Date(info.emissionDeadline).getTime() - info.createdTimestamp).toBe(4 * 3_600_000);
    const buffer = await ctx.api.request(
      'GET',
      `/api/v2/shoes/buffer/status?omsId=${client.omsId}&orderId=${orderId}&gtin=${client.gtins[0]}`,
      { headers: { clientToken: client.token } },
    );
    expect(buffer.body).toMatchObject({
      bufferStatus: 'ACTIVE',
      totalCodes: 12_000,
      availableCodes: 12_000,
      leftInBuffer: 12_000,
      totalPassed: 0,
      unavailableCodes: 0,
      expiredDate: expect.any(Number),
    });
    const account = await ctx.api.request('GET', '/client/v1/account', { token: client.token });
    expect(account.body.reserved).toBe(priceOfCodes(12_005, PRICE).total);
    await ctx.smtp.waitFor((m) => m.subject === `Коды маркировки по заказу ${orderId} готовы`);

    const closed = await ctx.api.request(
      'POST',
      `/api/v2/shoes/buffer/close?omsId=${client.omsId}&orderId=${orderId}`,
      { headers: { clientToken: client.token }, body: {} },
    );
    expect(closed.status).toBe(200);
    await eventually(async () => (await orderInfo(client, orderId)).orderStatus === 'CLOSED');
    expect((await ctx.api.request('GET', '/client/v1/account', { token: client.token })).body).toMatchObject({
      reserved: 0,
      available: 100_000_00,
    });
    expectStationError(
      await ctx.api.request('POST', `/api/v2/shoes/buffer/close?omsId=${client.omsId}&orderId=${orderId}`, {
        headers: { clientToken: client.token },
      }),
      400,
      'BUFFER_NOT_CLOSABLE',
    );
  });

  test('a big order shows the codes emitted so far while it is being emitted', async () => {
    const client = await stationClient(200_000_00, 1);
    const { orderId } = (await order(client, [product(client.gtins[0], 60_000)])).body;
    const seen = new Set<number>();
    await eventually(async () => {
      const o = await orderInfo(client, orderId);
      seen.add(o.emittedCodes);
      return o.orderStatus === 'READY';
    }, 90_000);
    expect(Math.max(...seen)).toBe(60_000);
    expect([...seen].some((n) => n > 0 && n < 60_000)).toBe(true);
  });

  test('race: two orders competing for one balance — exactly the affordable one is reserved, the other declined', async () => {
    const client = await stationClient(priceOfCodes(1000, PRICE).total + 10, 2);
    const [first, second] = await Promise.all([
      order(client, [product(client.gtins[0], 1000)]),
      order(client, [product(client.gtins[1], 1000)]),
    ]);
    const ids = [first.body.orderId, second.body.orderId];
    const statuses = await eventually(async () => {
      const infos = await Promise.all(ids.map((id) => orderInfo(client, id)));
      return infos.every((o) => ['READY', 'DECLINED'].includes(o.orderStatus)) && infos.map((o) => o.orderStatus);
    }, 60_000);
    expect([...statuses].sort()).toEqual(['DECLINED', 'READY']);
    const declined = (await orders(client)).orderInfos.find(
      (o: { orderStatus: string }) => o.orderStatus === 'DECLINED',
    );
    expect(declined).toMatchObject({
      declineReason: 'insufficient funds',
      buffers: [{ bufferStatus: 'REJECTED', availableCodes: -1 }],
    });
    expect((await ctx.api.request('GET', '/client/v1/account', { token: client.token })).body).toMatchObject({
      available: 10,
      reserved: priceOfCodes(1000, PRICE).total,
    });
    expect(
      (
        await ctx.api.request('GET', '/staff/v1/ledger/check', {
          token: (await insertStaff(ctx.database.db, ['accountant'])).token,
        })
      ).body.ok,
    ).toBe(true);
  });

  test('SELF_MADE serials are taken as sent; a serial is never issued twice for a GTIN', async () => {
    const client = await stationClient(10_000_00, 1);
    const serials = ["3ab(c<D%e'fg1", "3ab(c<D%e'fg2", "3ab(c<D%e'fg3"];
    const { orderId } = (
      await order(client, [product(client.gtins[0], 3, { serialNumberType: 'SELF_MADE', serialNumbers: serials })])
    ).body;
    await eventually(async () => (await orderInfo(client, orderId))?.orderStatus === 'READY');
    const codes = await ctx.database
      .db('marking_codes')
      .where({ gtin: client.gtins[0] })
      .orderBy('seq')
      .pluck('serial');
    expect(codes).toEqual(serials);
    const again = await order(client, [
      product(client.gtins[0], 1, { serialNumberType: 'SELF_MADE', serialNumbers: [serials[1]] }),
    ]);
    expectStationError(again, 400, 'INVALID_ORDER_LINES');
    expect(again.body.fieldErrors[0]).toEqual({
      fieldName: 'products[0].serialNumbers',
      fieldError: expect.stringContaining(`serial ${serials[1]} was already used`),
    });
  });

  test('idempotency key: a retried create returns the same order', async () => {
    const client = await stationClient(10_000_00, 1);
    const key = { 'idempotency-key': `order-${client.id}` };
    const a = await order(client, [product(client.gtins[0], 2)], key);
    const b = await order(client, [product(client.gtins[0], 2)], key);
    expect(b.body.orderId).toBe(a.body.orderId);
    expectStationError(await order(client, [product(client.gtins[0], 3)], key), 400, 'IDEMPOTENCY_CONFLICT');
  });
});

describe('the Kazakhstan body and limits (OrderDtoShoesKZ)', () => {
  test('country, CONTRACT_PRODUCTION, a string or numeric stickerId and no cisType are accepted and kept; buffers report pools and expiry', async () => {
    const client = await stationClient(10_000_00, 2);
    const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.omsId.toUpperCase()}`, {
      headers: { clientToken: client.token },
      body: {
        contactPerson: 'Иванов Пётр Сидорович',
        releaseMethodType: 'CONTRACT_PRODUCTION',
        createMethodType: 'CM',
        country: 'KZ',
        serviceProviderId: 'provider-1',
        productionOrderId: '63b5d1cd-919b-4cef-b117-2ce59059bc33',
        products: [
          {
            gtin: client.gtins[0],
            quantity: 3,
            serialNumberType: 'OPERATOR',
            templateId: 1,
            stickerId: '7',
            exporterTaxpayerId: '123456789012',
          },
          { gtin: client.gtins[1], quantity: 2, serialNumberType: 'OPERATOR', templateId: 1, stickerId: 8 },
        ],
      },
      offSpec: true, // stickerId 8 is a number, as in the spec's own example
    });
    expect(created.status).toBe(200);
    const { orderId } = created.body;
    const { db } = ctx.database;
    expect(
      await db('orders').where({ id: orderId }).first('country', 'service_provider_id', 'release_method_type'),
    ).toEqual({ country: 'KZ', service_provider_id: 'provider-1', release_method_type: 'CONTRACT_PRODUCTION' });
    expect(
      await db('order_products')
        .where({ order_id: orderId })
        .orderBy('sticker_id')
        .select('sticker_id', 'exporter_taxpayer_id', 'cis_type'),
    ).toEqual([
      { sticker_id: '7', exporter_taxpayer_id: '123456789012', cis_type: 'UNIT' },
      { sticker_id: '8', exporter_taxpayer_id: null, cis_type: 'UNIT' },
    ]);
    // The codes' lifetime (30 days, expiredDate) is set just after the order turns READY: 0 until then.
    const info = await eventually(async () => {
      const o = await orderInfo(client, orderId);
      return o?.orderStatus === 'READY' && o.buffers[0].expiredDate > 0 && o;
    }, 60_000);
    const buffer = info.buffers.find((b: { gtin: string }) => b.gtin === client.gtins[0]);
    expect(buffer).toMatchObject({
      bufferStatus: 'ACTIVE',
      availableCodes: 3,
      expiredDate: expect.any(Number),
      poolsExhausted: false,
    });
    expect(buffer.expiredDate).toBeGreaterThan(info.createdTimestamp);
    expect(buffer.poolInfos).toEqual([
      {
        registrarId: expect.any(String),
        isRegistrarReady: true,
        registrarErrorCount: 0,
        lastRegistrarErrorTimestamp: 0,
        quantity: 3,
        leftInRegistrar: 0,
        status: 'READY',
      },
    ]);
  });

  test('a line of 150,000 SELF_MADE serials is accepted and emitted exactly as sent', async () => {
    const client = await stationClient(500_000_00_00, 1);
    const serials = Array.from({ length: 150_000 }, (_, i) => `3"${String(i).padStart(11, '0')}`);
    const created = await order(client, [
      product(client.gtins[0], serials.length, { serialNumberType: 'SELF_MADE', serialNumbers: serials }),
    ]);
    expect(created.status).toBe(200);
    await eventually(async () => (await orderInfo(client, created.body.orderId))?.orderStatus === 'READY', 180_000);
    const { db } = ctx.database;
    const [{ n, first, last }] = (
      await db.raw(
        'SELECT COUNT(*)::int AS n, MIN(serial) AS first, MAX(serial) AS last FROM marking_codes WHERE gtin = ?',
        [client.gtins[0]],
      )
    ).rows;
    expect({ n, first, last }).toEqual({ n: 150_000, first: serials[0], last: serials[149_999] });
    // The same serials again: each is refused as used, in one query whatever their number.
    const again = await order(client, [
      product(client.gtins[0], serials.length, { serialNumberType: 'SELF_MADE', serialNumbers: serials }),
    ]);
    expectStationError(again, 400, 'INVALID_ORDER_LINES');
    expect(again.body.fieldErrors).toHaveLength(20);
  }, 240_000);
});

describe('logs of the client’s software', () => {
  test('a log uploaded to the station is kept as sent, and support reads it', async () => {
    const client = await stationClient(0, 0);
    const form = new FormData();
    const text = 'АСУТП 2026-12-03 12:00:00 ERROR printer offline\n';
    form.append('log', new Blob([text], { type: 'text/plain' }), 'line-3.log');
    const uploaded = await fetch(`${ctx.api.url}/api/v2/shoes/logs/upload?omsId=${client.omsId}`, {
      method: 'POST',
      headers: { clientToken: client.token },
      body: form,
    });
    expect({ status: uploaded.status, body: await uploaded.json() }).toEqual({
      status: 200,
      body: { omsId: client.omsId },
    });
    const noFile = await fetch(`${ctx.api.url}/api/v2/shoes/logs/upload?omsId=${client.omsId}`, {
      method: 'POST',
      headers: { clientToken: client.token, 'content-type': 'application/json' },
      body: '{}',
    });
    expectStationError({ status: noFile.status, body: await noFile.json() }, 400, 'LOG_FILE_REQUIRED');

    const support = await insertStaff(ctx.database.db, ['support']);
    const list = await ctx.api.request('GET', `/staff/v1/clients/${client.id}/station-logs`, { token: support.token });
    expect(list.body.logs).toEqual([
      expect.objectContaining({ fileName: 'line-3.log', contentType: 'text/plain', size: Buffer.byteLength(text) }),
    ]);
    const file = await fetch(`${ctx.api.url}/staff/v1/clients/${client.id}/station-logs/${list.body.logs[0].id}`, {
      headers: { authorization: `Bearer ${support.token}` },
    });
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(await file.text()).toBe(text);
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/clients/${client.id}/station-logs`, {
        token: (await insertStaff(ctx.database.db, ['accountant'])).token,
      }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('refusals, each with a clear reason and nothing registered', () => {
  test('per-line problems, too many GTINs, wrong omsId, REMAINS, client not active, contract not yet in effect', async () => {
    const client = await stationClient(10_000_00, 2);
    const unknownGtin = randomGtin();
    const lines = await order(client, [
      product('04006381333932', 1),
      product(unknownGtin, 1),
      product(client.gtins[0], 1, { templateId: 2 }),
      product(client.gtins[1], 2, { serialNumberType: 'SELF_MADE', serialNumbers: ['3short', '3short'] }),
    ]);
    expectStationError(lines, 400, 'INVALID_ORDER_LINES');
    const problems = lines.body.fieldErrors.map((d: { fieldName: string }) => d.fieldName);
    expect(problems).toEqual([
      'products[0].gtin',
      'products[1].gtin',
      'products[2].templateId',
      'products[3].serialNumbers[0]',
      'products[3].serialNumbers[1]',
      'products[3].serialNumbers[1]',
    ]);

    const eleven = Array.from({ length: 11 }, () => product(client.gtins[0], 1));
    expectStationError(await order(client, eleven), 400, 'TOO_MANY_PRODUCTS');
    // The spec's own limits (quantity 1..150000) are checked by its schema.
    const outOfRange = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.omsId}`, {
      headers: { clientToken: client.token },
      body: {
        contactPerson: 'x',
        releaseMethodType: 'PRODUCTION',
        createMethodType: 'SELF_MADE',
        products: [product(client.gtins[0], 0), product(client.gtins[1], 150_001)],
      },
      offSpec: true,
    });
    expectStationError(outOfRange, 400, 'VALIDATION_FAILED');
    expect(outOfRange.body.fieldErrors.map((f: { fieldName: string }) => f.fieldName)).toEqual([
      'body.products[0].quantity',
      'body.products[1].quantity',
    ]);
    const remains = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.omsId}`, {
      headers: { clientToken: client.token },
      body: {
        contactPerson: 'x',
        releaseMethodType: 'REMAINS',
        createMethodType: 'SELF_MADE',
        products: [product(client.gtins[0], 1)],
      },
    });
    expectStationError(remains, 400, 'VALIDATION_FAILED');
    const other = await stationClient(0, 0);
    expectStationError(
      await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${other.omsId}`, {
        headers: { clientToken: client.token },
        body: {
          contactPerson: 'x',
          releaseMethodType: 'PRODUCTION',
          createMethodType: 'SELF_MADE',
          products: [product(client.gtins[0], 1)],
        },
      }),
      400,
      'OMS_ID_MISMATCH',
    );

    const { db } = ctx.database;
    await db('clients').where({ id: client.id }).update({ effective_from: '2099-01-01' });
    expectStationError(await order(client, [product(client.gtins[0], 1)]), 400, 'CONTRACT_NOT_IN_EFFECT');
    // A suspended client's token reads its cabinet only: the order station refuses it before the order.
    await db('clients').where({ id: client.id }).update({ effective_from: null, status: 'suspended' });
    expectStationError(await order(client, [product(client.gtins[0], 1)]), 400, 'CLIENT_SUSPENDED');
    expect(await db('orders').where({ client_id: client.id })).toHaveLength(0);
  });

  test('at most 100 queued and 100 active orders per client', async () => {
    const client = await stationClient(10_000_00, 1);
    const { db } = ctx.database;
    const base = {
      client_id: client.id,
      oms_id: client.omsId,
      contact_person: 'x',
      release_method_type: 'PRODUCTION',
      create_method_type: 'SELF_MADE',
      total_codes: 1,
      emission_deadline_at: new Date(),
    };
    await db('orders').insert(Array.from({ length: 100 }, () => ({ ...base, status: 'PENDING' })));
    expectStationError(await order(client, [product(client.gtins[0], 1)]), 400, 'TOO_MANY_QUEUED_ORDERS');
    await db('orders').where({ client_id: client.id }).update({ status: 'READY' });
    expectStationError(await order(client, [product(client.gtins[0], 1)]), 400, 'TOO_MANY_ACTIVE_ORDERS');
  });

  test('ping and version; a client token is required', async () => {
    const client = await stationClient(0, 0);
    expect(
      (
        await ctx.api.request('GET', `/api/v2/shoes/ping?omsId=${client.omsId}`, {
          headers: { clientToken: client.token },
        })
      ).body,
    ).toEqual({ omsId: client.omsId });
    expect((await ctx.api.request('GET', '/api/v2/shoes/version')).body).toEqual({
      apiVersion: expect.stringMatching(/^2\./),
      omsVersion: expect.any(String),
    });
    expectStationError(
      await ctx.api.request('GET', `/api/v2/shoes/ping?omsId=${client.omsId}`),
      401,
      'UNAUTHENTICATED',
    );
    // Footwear has no utilisation report in the Kazakhstan spec (codes are applied and paid at download, 6.4).
    const utilisation = await fetch(`${ctx.api.url}/api/v2/shoes/utilisation?omsId=${client.omsId}`, {
      method: 'POST',
      headers: { clientToken: client.token },
    });
    expectStationError({ status: utilisation.status, body: await utilisation.json() }, 404, 'ROUTE_NOT_FOUND');
  });
});
