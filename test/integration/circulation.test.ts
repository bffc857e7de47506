import { humanReadable } from '../../lib/codes';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken } from '../helpers/fixtures';
import { fundedClient } from '../helpers/orders';

// After download: introduction into circulation (Прил. 2 п.4), code verification, the codes list.
const ctx = useTestApi();

let client: Awaited<ReturnType<typeof fundedClient>>;
let token: string;
let orderId: string;
let paid: string[];
let unpaid: string[];

beforeAll(async () => {
  client = await fundedClient(ctx.database.db, 1_000_000_00);
  token = await clientToken(ctx.database.db, client.id);
  const headers = { clientToken: token };
  const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
    headers,
    body: {
      contactPerson: 'Тест',
      releaseMethodType: 'PRODUCTION',
      createMethodType: 'SELF_MADE',
      products: [{ gtin: client.gtins[0], quantity: 10, serialNumberType: 'OPERATOR', templateId: 1, cisType: 'UNIT' }],
    },
  });
  orderId = created.body.orderId;
  await eventually(
    async () => (await ctx.database.db('orders').where({ id: orderId }).first()).status === 'READY',
    60_000,
  );
  paid = (
    await ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${client.gtins[0]}&quantity=6`,
      { headers },
    )
  ).body.codes;
  unpaid = (await ctx.database
    .db('marking_codes')
    .where({ client_id: client.id, status: 'EMITTED' })
    .orderBy('seq')
    .pluck('code')) as string[];
});

const introduce = (codes: string[], headers: Record<string, string> = {}) =>
  ctx.api.request('POST', '/client/v1/circulation/introductions', { token, body: { codes }, headers });

test('only paid (APPLIED) codes enter circulation; each code gets its answer; any input form works; idempotent', async () => {
  const forms = [
    paid[0],
    paid[1].replaceAll('\u001d', '\\u001d'),
    paid[2].replaceAll('\u001d', '<GS>'),
    `]d2${paid[3]}`,
    humanReadable(paid[4]),
    `\ufeff${paid[5].slice(0, 31)}\u200b`,
  ];
  const answer = await introduce([...forms, unpaid[0], '0104006381333931213XXXXXXXXXXXX', 'garbage', paid[0]], {
    'idempotency-key': 'intro-0001',
  });
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ introduced: 6, alreadyIntroduced: 0, refused: 4 });
  expect(answer.body.results.slice(0, 6).map((r: { outcome: string }) => r.outcome)).toEqual(
    Array(6).fill('INTRODUCED'),
  );
  expect(answer.body.results.slice(6).map((r: { reason: string }) => r.reason)).toEqual([
    expect.stringContaining('«эмитирован», not paid'),
    'unknown code',
    'not a footwear marking code',
    'the code appears twice in the request',
  ]);
  expect(
    await ctx.database
      .db('marking_codes')
      .where({ client_id: client.id })
      .groupBy('status')
      .select('status', ctx.database.db.raw('COUNT(*)::int AS n'))
      .orderBy('status'),
  ).toEqual([
    { status: 'EMITTED', n: 4 },
    { status: 'INTRODUCED', n: 6 },
  ]);
  const replay = await introduce([...forms, unpaid[0], '0104006381333931213XXXXXXXXXXXX', 'garbage', paid[0]], {
    'idempotency-key': 'intro-0001',
  });
  expect(replay.body).toEqual(answer.body);
  expectApiError(await introduce([paid[0]], { 'idempotency-key': 'intro-0001' }), 409, 'IDEMPOTENCY_CONFLICT');
  const again = await introduce([paid[0]]);
  expect(again.body.results[0]).toMatchObject({ outcome: 'ALREADY_INTRODUCED' });

  const tampered = paid[0].slice(0, -3) + (paid[0].endsWith('AAA') ? 'BBB' : 'AAA');
  expect((await introduce([tampered])).body.results[0]).toMatchObject({
    outcome: 'REFUSED',
    reason: 'the verification code does not match',
  });
  expectApiError(
    await ctx.api.request('POST', '/client/v1/circulation/introductions', {
      token,
      body: { codes: [paid[0]], introducedOn: '2999-01-01' },
    }),
    400,
    'VALIDATION_FAILED',
  );
});

test("another client's codes are unknown to it", async () => {
  const stranger = await fundedClient(ctx.database.db, 0);
  const strangerToken = await clientToken(ctx.database.db, stranger.id);
  const answer = await ctx.api.request('POST', '/client/v1/circulation/introductions', {
    token: strangerToken,
    body: { codes: [unpaid[1]] },
  });
  expect(answer.body.results[0]).toMatchObject({ outcome: 'REFUSED', reason: 'unknown code' });
});

test('verification: anyone learns valid/invalid and the status; the owner also sees the details', async () => {
  const anonymous = await ctx.api.request('POST', '/v1/codes/verify', { body: { code: paid[0] } });
  expect(anonymous.body).toEqual({ valid: true, status: 'INTRODUCED' });
  const owner = await ctx.api.request('POST', '/v1/codes/verify', {
    token,
    body: { code: paid[0].replaceAll('\u001d', '\\u001d') },
  });
  expect(owner.body).toMatchObject({
    valid: true,
    status: 'INTRODUCED',
    owner: { gtin: client.gtins[0], orderId, applyBy: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
  });
  const tampered = paid[0].slice(0, -2) + (paid[0].endsWith('AB') ? 'CD' : 'AB');
  expect((await ctx.api.request('POST', '/v1/codes/verify', { body: { code: tampered } })).body).toMatchObject({
    valid: false,
    status: 'INTRODUCED',
  });
  expect((await ctx.api.request('POST', '/v1/codes/verify', { body: { code: unpaid[2].slice(0, 31) } })).body).toEqual({
    valid: null,
    status: 'EMITTED',
  });
  expectApiError(
    await ctx.api.request('POST', '/v1/codes/verify', { body: { code: 'hello' } }),
    400,
    'NOT_A_MARKING_CODE',
  );
  expectApiError(
    await ctx.api.request('POST', '/v1/codes/verify', { token: 'wrong', body: { code: paid[0] } }),
    401,
    'UNAUTHENTICATED',
  );
});

test('the cabinet lists codes with their status, and overdue ones past the application deadline (4.1.6)', async () => {
  const all = await ctx.api.request('GET', '/client/v1/codes?limit=4', { token });
  expect(all.body.codes).toHaveLength(4);
  const next = await ctx.api.request('GET', `/client/v1/codes?afterId=${all.body.next}`, { token });
  expect(all.body.codes.length + next.body.codes.length).toBe(10);
  expect((await ctx.api.request('GET', '/client/v1/codes?status=EMITTED', { token })).body.codes).toHaveLength(4);
  expect((await ctx.api.request('GET', '/client/v1/codes?overdue=true', { token })).body.codes).toHaveLength(0);
  // Pretend the application period is over for the block and one of its codes is not in circulation.
  await ctx.database
    .db('marking_codes')
    .where({ client_id: client.id, status: 'INTRODUCED' })
    .whereRaw('code = ?', [paid[5]])
    .update({ status: 'APPLIED', introduced_at: null, introduction_id: null });
  await ctx.database.db('code_blocks').where({ client_id: client.id }).update({ apply_by: '2020-01-01' });
  const overdue = await ctx.api.request('GET', '/client/v1/codes?overdue=true', { token });
  expect(overdue.body.codes).toEqual([
    expect.objectContaining({ ki: paid[5].slice(0, 31), status: 'APPLIED', overdue: true, applyBy: '2020-01-01' }),
  ]);
});
