import { readCalendar } from '../../db/calendar-store';
import { clientBalance } from '../../db/ledger';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { parseMarkingCode } from '../../lib/codes';
import { chargeForDelivery, priceOfCodes } from '../../lib/money';
import { eventually, useTestApi } from '../helpers/api';
import { expectStationError } from '../helpers/station';
import { clientToken, insertStaff } from '../helpers/fixtures';
import { fundedClient } from '../helpers/orders';

// Downloads through the order station (СУЗ GET /codes): charged once, codes APPLIED (3.2, 6.4).
const ctx = useTestApi();
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };

async function readyOrder(quantity: number) {
  const client = await fundedClient(ctx.database.db, 10_000_000_00);
  const token = await clientToken(ctx.database.db, client.id);
  const headers = { clientToken: token };
  const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
    headers,
    body: {
      contactPerson: 'Тест',
      releaseMethodType: 'IMPORT',
      createMethodType: 'SELF_MADE',
      products: [{ gtin: client.gtins[0], quantity, serialNumberType: 'OPERATOR', templateId: 1 }],
    },
  });
  const orderId = created.body.orderId as string;
  await eventually(
    async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'READY',
    60_000,
  );
  const get = (query: string) =>
    ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${client.gtins[0]}&${query}`,
      { headers },
    );
  return { client, token, headers, orderId, gtin: client.gtins[0], get };
}

const statuses = async (orderId: string) =>
  Object.fromEntries(
    (
      await ctx.database
        .db('marking_codes as c')
        .join('order_products as p', 'p.id', 'c.order_product_id')
        .where('p.order_id', orderId)
        .groupBy('c.status')
        .select('c.status', ctx.database.db.raw('COUNT(*)::int AS n'))
    ).map((r) => [r.status, r.n]),
  );

test('blocks are charged once each, codes become APPLIED, the last block closes the order, and the charges sum to the reservation', async () => {
  const { client, get, orderId, gtin, headers } = await readyOrder(7);
  const first = await get('quantity=3&lastBlockId=0');
  expect(first.status).toBe(200);
  expect(first.body.codes).toHaveLength(3);
  for (const code of first.body.codes) expect(parseMarkingCode(code)).toMatchObject({ gtin, code });
  expect(first.body.codes[0]).toContain('\u001d');
  expect(await statuses(orderId)).toEqual({ APPLIED: 3, EMITTED: 4 });
  expect((await clientBalance(ctx.database.db, client.id)).totalCharged).toBe(chargeForDelivery(PRICE, 0, 3).total);

  // The same request again (a lost answer): the same codes, nothing charged.
  const again = await get('quantity=3&lastBlockId=0');
  expect(again.body).toEqual(first.body);
  const retry = await ctx.api.request(
    'GET',
    `/api/v2/shoes/codes/retry?omsId=${client.oms_id}&orderId=${orderId}&gtin=${gtin}&blockId=${first.body.blockId}`,
    { headers },
  );
  expect(retry.body).toEqual(first.body);
  expect((await clientBalance(ctx.database.db, client.id)).totalCharged).toBe(chargeForDelivery(PRICE, 0, 3).total);

  const rest = await get(`quantity=100&lastBlockId=${first.body.blockId}`);
  expect(rest.body.codes).toHaveLength(4);
  expect(new Set([...first.body.codes, ...rest.body.codes]).size).toBe(7);
  expectStationError(await get(`quantity=1&lastBlockId=${rest.body.blockId}`), 400, 'BUFFER_EXHAUSTED');
  // An earlier lastBlockId again: the block that followed it, free (upper-case ids are read as lower-case).
  expect((await get(`quantity=100&lastBlockId=${first.body.blockId.toUpperCase()}`)).body).toEqual(rest.body);
  expectStationError(await get('quantity=1&lastBlockId=11111111-1111-1111-1111-111111111111'), 404, 'NOT_FOUND');

  await eventually(async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'CLOSED');
  expect(await statuses(orderId)).toEqual({ APPLIED: 7 });
  expect(await clientBalance(ctx.database.db, client.id)).toMatchObject({
    reserved: 0,
    totalCharged: priceOfCodes(7, PRICE).total,
  });
  const blocks = await ctx.api.request(
    'GET',
    `/api/v2/shoes/codes/blocks?omsId=${client.oms_id}&orderId=${orderId}&gtin=${gtin}`,
    { headers },
  );
  expect(blocks.body.blocks.map((b: { blockId: string; quantity: number }) => [b.blockId, b.quantity])).toEqual([
    [first.body.blockId, 3],
    [rest.body.blockId, 4],
  ]);
  // Each download started its 30-working-day application period (4.1.6).
  const block = await ctx.database.db('code_blocks').where({ id: first.body.blockId }).first();
  expect(block.apply_by).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await ctx.api.temporal.client.workflow.getHandle(`apply-${first.body.blockId}`).describe();
});

test('4.1.6 with 3.9: the 30 working days to apply the codes run from their receipt — access, when the order became READY — not from the download', async () => {
  const { get, orderId } = await readyOrder(2);
  const db = ctx.database.db;
  // The client has had access for 12 days before it downloads.
  const readyAt = new Date(Date.now() - 12 * 86_400_000);
  await db('orders').where({ id: orderId }).update({ ready_at: readyAt });
  const block = await get('quantity=2&lastBlockId=0');
  expect(block.status).toBe(200);
  const calendar = new BusinessCalendar(await readCalendar(db), { ...DEFAULT_SETTINGS, zone: 'Asia/Almaty' });
  const expected = calendar.localDate(new Date(calendar.addWorkingDays(readyAt, 30).getTime() - 1));
  expect((await db('code_blocks').where({ id: block.body.blockId }).first()).apply_by).toBe(expected);
  // The block's own deadline workflow counts from the same moment.
  const followed = await eventually(
    async () =>
      (await ctx.api.temporal.client.workflow
        .getHandle(`apply-${block.body.blockId}`)
        .describe()
        .catch(() => undefined)) ?? false,
  );
  expect(followed.status.name).toBe('RUNNING');
  const history = await ctx.api.temporal.client.workflow.getHandle(`apply-${block.body.blockId}`).fetchHistory();
  const input = JSON.parse(
    Buffer.from(history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0].data!).toString(),
  );
  expect(new Date(input.receivedAt).getTime()).toBe(readyAt.getTime());
});

test('concurrency: N parallel downloads of the same block → one charge, identical answers', async () => {
  const { client, get, orderId } = await readyOrder(50);
  const answers = await Promise.all(Array.from({ length: 12 }, () => get('quantity=20&lastBlockId=0')));
  expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
  for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
  expect(
    await ctx.database
      .db('code_blocks')
      .whereIn('order_product_id', ctx.database.db('order_products').where({ order_id: orderId }).select('id')),
  ).toHaveLength(1);
  expect((await clientBalance(ctx.database.db, client.id)).totalCharged).toBe(chargeForDelivery(PRICE, 0, 20).total);
  expect(await statuses(orderId)).toEqual({ APPLIED: 20, EMITTED: 30 });
  const accountant = await insertStaff(ctx.database.db, ['accountant']);
  expect((await ctx.api.request('GET', '/staff/v1/ledger/check', { token: accountant.token })).body.ok).toBe(true);
});

test("another client's order or block is not found; a wrong omsId is refused", async () => {
  const { client, orderId, gtin, get } = await readyOrder(2);
  const first = await get('quantity=1');
  const stranger = await fundedClient(ctx.database.db, 0);
  const strangerToken = await clientToken(ctx.database.db, stranger.id);
  const headers = { clientToken: strangerToken };
  expectStationError(
    await ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${stranger.oms_id}&orderId=${orderId}&gtin=${gtin}&quantity=1`,
      { headers },
    ),
    404,
    'NOT_FOUND',
  );
  expectStationError(
    await ctx.api.request(
      'GET',
      `/api/v2/shoes/codes/retry?omsId=${stranger.oms_id}&orderId=${orderId}&gtin=${gtin}&blockId=${first.body.blockId}`,
      { headers },
    ),
    404,
    'NOT_FOUND',
  );
  expectStationError(
    await ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${gtin}&quantity=1`,
      { headers },
    ),
    400,
    'OMS_ID_MISMATCH',
  );
});

test('a download asked for while the codes are still being emitted is refused with the buffer’s state, and works once the order is READY', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 10_000_000_00);
  const headers = { clientToken: await clientToken(db, client.id) };
  // The emission's inserts wait behind this lock: the order stays APPROVED while it is held.
  const held = await db.transaction();
  let orderId: string;
  try {
    await held.raw('LOCK TABLE marking_codes IN SHARE MODE');
    const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
      headers,
      body: {
        contactPerson: 'Тест',
        releaseMethodType: 'IMPORT',
        createMethodType: 'SELF_MADE',
        products: [{ gtin: client.gtins[0], quantity: 5, serialNumberType: 'OPERATOR', templateId: 1 }],
      },
    });
    orderId = created.body.orderId;
    await eventually(async () => (await db('orders').where({ id: orderId }).first()).status === 'APPROVED', 5_000);
    const early = await ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${client.gtins[0]}&quantity=2&lastBlockId=0`,
      { headers },
    );
    expectStationError(early, 400, 'BUFFER_NOT_ACTIVE');
    expect(early.body.globalErrors[0]).toContain('order APPROVED');
  } finally {
    await held.rollback();
  }
  expect((await clientBalance(db, client.id)).totalCharged).toBe(0);
  await eventually(async () => (await db('orders').where({ id: orderId }).first()).status === 'READY', 60_000);
  // READY in the database is enough, even before the order's workflow has heard of it.
  const block = await ctx.api.request(
    'GET',
    `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${client.gtins[0]}&quantity=2&lastBlockId=0`,
    { headers },
  );
  expect({ status: block.status, codes: block.body.codes?.length }).toEqual({ status: 200, codes: 2 });
});
