import { randomGtin } from '../../ops/sample-data';
import { expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';

// Issue #19: what the fuzzer (ops/fuzz/schemathesis.sh) found answered 500 or hung now gets a clear 4xx with a
// machine code and a message, and changes nothing. Every date below is malformed on purpose: nothing depends on
// today's date.
const ctx = useTestApi();
const NONEXISTENT = '00000000-0000-4000-8000-000000000000';

let admin: { id: string; token: string };
let client: { id: string };
let token: string;

beforeAll(async () => {
  const { db } = ctx.database;
  admin = await insertStaff(db, ['admin', 'accountant', 'support']);
  client = await insertClient(db);
  token = await clientToken(db, client.id);
});

/** The per-field detail of a VALIDATION_FAILED answer at this path. */
const detailAt = (body: any, path: string) =>
  (body.details as Array<{ path: string }>).find((d) => d.path === path || d.path.endsWith(path));

test('a month 00 (or year 0000) is refused by the schema: acts, their CSV, the tickets report', async () => {
  for (const path of [
    '/staff/v1/acts?month=0000-00',
    '/staff/v1/acts?month=2026-00',
    '/staff/v1/acts?month=2026-13',
    '/staff/v1/acts?month=0000-01',
    '/staff/v1/acts.csv?month=0000-00',
    '/staff/v1/tickets/report?month=0000-00',
    '/staff/v1/tickets/report?month=0000-01',
  ]) {
    const answer = await ctx.api.request('GET', path, { token: admin.token });
    expect({ path, status: answer.status }).toEqual({ path, status: 400 });
    expectApiError(answer, 400, 'VALIDATION_FAILED');
    expect(detailAt(answer.body, 'month')).toBeDefined();
  }
});

test('a day 00 is refused: PATCH /client/v1/profile with occurredOn 0000-00-00, and nothing is recorded', async () => {
  const before = await ctx.database.db('client_detail_changes').count({ n: '*' }).first();
  for (const occurredOn of ['0000-00-00', '2026-02-30', '2026-00-10', '0000-01-01']) {
    const answer = await ctx.api.request('PATCH', '/client/v1/profile', {
      token,
      body: {
        details: { actualAddress: '0', authorityBasis: 'Устав', bankName: '0' },
        occurredOn,
        signature: '0000000000000000',
      },
    });
    expectApiError(answer, 400, 'VALIDATION_FAILED');
    expect(detailAt(answer.body, '/occurredOn')).toBeDefined();
  }
  expect(await ctx.database.db('client_detail_changes').count({ n: '*' }).first()).toEqual(before);
});

test('a NUL character anywhere in what is sent is a 400 NUL_CHARACTER, once for every route; nothing is recorded', async () => {
  const gtin = randomGtin();
  const created = await ctx.api.request('POST', '/client/v1/products', {
    token,
    body: { gtin, name: 'Кроссовки\u0000' },
  });
  expectApiError(created, 400, 'NUL_CHARACTER');
  expect(created.body.details).toEqual([
    { location: 'body', path: '/name', message: 'must not contain the NUL character' },
  ]);
  expect(await ctx.database.db('products').where({ gtin }).first()).toBeUndefined();

  const renamed = await ctx.api.request('PATCH', `/client/v1/products/${gtin}`, {
    token,
    body: { name: 'a\u0000b', attributes: { 'size\u0000': '42' } },
  });
  expectApiError(renamed, 400, 'NUL_CHARACTER');

  const deep = await ctx.api.request('POST', '/staff/v1/claims/' + NONEXISTENT + '/answer', {
    token: admin.token,
    body: { decision: 'refused', answer: 'Отказано потому что\u0000' },
  });
  expectApiError(deep, 400, 'NUL_CHARACTER');

  const query = await ctx.api.request('GET', '/staff/v1/tickets?status=%00', { token: admin.token });
  expectApiError(query, 400, 'NUL_CHARACTER');
  expect(query.body.details[0].location).toBe('querystring');
});

test('the order station answers a NUL in its RestResult shape, with the machine code', async () => {
  const answer = await ctx.api.request('GET', `/api/v2/shoes/orders?omsId=%00`, { token, offSpec: true });
  expect(answer.status).toBe(400);
  expect(answer.body).toMatchObject({ success: false, code: 'NUL_CHARACTER' });
  expect(answer.body.globalErrors[0]).toMatch(/NUL/);
});

test('integers are bounded in the schema: ?afterId=1e20 and ?before=1e20 are 400, not a bigint overflow', async () => {
  for (const path of [
    '/client/v1/codes?afterId=1e20',
    '/client/v1/people/actions?before=1e20',
    '/client/v1/people/actions?before=1217208561965616309731328',
  ]) {
    const answer = await ctx.api.request('GET', path, { token });
    expect({ path, status: answer.status }).toEqual({ path, status: 400 });
    expectApiError(answer, 400, 'VALIDATION_FAILED');
  }
  // The bound is in the OpenAPI document too.
  const docs = await ctx.api.request('GET', '/docs/json');
  const before = docs.body.paths['/client/v1/people/actions'].get.parameters.find((p: any) => p.name === 'before');
  expect(before.schema.maximum).toBe(Number.MAX_SAFE_INTEGER);
  const occurredOn =
    docs.body.paths['/client/v1/profile'].patch.requestBody.content['application/json'].schema.properties.occurredOn;
  expect(occurredOn.format).toBe('date');
});

test('a claim document’s content type must be a media type a header can carry: both claim routes refuse control characters', async () => {
  const document = {
    kind: 'basis',
    filename: 'claim.pdf',
    contentType: 'application/pdf\r\nX-Injected: 1',
    contentBase64: Buffer.from('%PDF-1.4 claim').toString('base64'),
  };
  const content = {
    subject: 'Претензия',
    demands: 'Вернуть деньги за неоказанные услуги',
    signerName: 'Иванов Иван',
    documents: [document],
  };
  const claims = () => ctx.database.db('claims').where({ client_id: client.id });
  const prepared = await ctx.api.request('POST', '/client/v1/claims/document', { token, body: content });
  expectApiError(prepared, 400, 'VALIDATION_FAILED');
  expect(detailAt(prepared.body, '/contentType')).toBeDefined();
  const presented = await ctx.api.request('POST', '/client/v1/claims', { token, body: content });
  expectApiError(presented, 400, 'VALIDATION_FAILED');
  const recorded = await ctx.api.request('POST', '/staff/v1/claims', {
    token: admin.token,
    body: { ...content, clientId: client.id, channel: 'post', receivedAt: new Date().toISOString() },
  });
  expectApiError(recorded, 400, 'VALIDATION_FAILED');
  for (const contentType of ['text/plain\u0007', 'application/pdf\t', 'нет/типа', 'pdf'])
    expectApiError(
      await ctx.api.request('POST', '/client/v1/claims/document', {
        token,
        body: { ...content, documents: [{ ...document, contentType }] },
      }),
      400,
      'VALIDATION_FAILED',
    );
  expect(await claims()).toEqual([]);
  // A proper one is taken.
  const ok = await ctx.api.request('POST', '/client/v1/claims/document', {
    token,
    body: { ...content, documents: [{ ...document, contentType: 'application/pdf; name="claim.pdf"' }] },
  });
  expect(ok.status).toBe(200);
});

test('status codes a route may answer are declared in the OpenAPI document', async () => {
  const docs = await ctx.api.request('GET', '/docs/json');
  const responses = (path: string, method: string) => Object.keys(docs.body.paths[path][method].responses);
  // A staff token on a client route (403), a bad query (400), the rate limit (429), a body too large (413).
  expect(responses('/client/v1/account/statement.csv', 'get')).toEqual(
    expect.arrayContaining(['200', '400', '401', '403', '429']),
  );
  expect(responses('/staff/v1/tickets', 'post')).toEqual(expect.arrayContaining(['409', '413', '415', '429']));
  expect(responses('/client/v1/invoices/{invoiceId}/pdf', 'get')).toContain('200');
  expect(responses('/staff/sign-in', 'get')).toContain('400');
  expect(responses('/api/v2/shoes/orders', 'post')).toEqual(expect.arrayContaining(['413', '429']));
  const staffOnClient = await ctx.api.request('GET', '/client/v1/account/statement.csv', { token: admin.token });
  expectApiError(staffOnClient, 403, 'FORBIDDEN');
});
