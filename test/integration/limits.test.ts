import net from 'node:net';
import { buildApp, type App } from '../../api/http/app';
import { connectionLimiter, startSupportMailListener, type SupportMailListener } from '../../api/http/mail-listener';
import { issueToken } from '../../db/api-tokens';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createTemporalClient } from '../../lib/temporal';
import { TEST_CODE_KEYS, TEST_OPERATOR_SIGNER } from '../helpers/api';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { insertClient, insertStaff } from '../helpers/fixtures';
import { createEdsVerifier } from '../../lib/eds';

// Issue #19: body limits per route (413) and rate limits per address and per token (429), each answered in the
// route's error shape with its machine code, and declared in the OpenAPI document. The app is built with small
// limits so that a test reaches them in a few requests; the clock is pinned (nothing here reads today's date).
const BODY_LIMIT = 2048;
const UPLOAD_LIMIT = 8192;
const PER_ADDRESS = 3;
const PER_TOKEN = 4;

let database: TestDatabase;
let temporal: ReturnType<typeof createTemporalClient>;
let app: App;
let otherStaffToken: string;
let clientTokenValue: string;
let omsId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  temporal = createTemporalClient(process.env.TEST_TEMPORAL_ADDRESS!, 'default');
  app = await buildApp({
    config: {
      bodyLimit: BODY_LIMIT,
      uploadBodyLimit: UPLOAD_LIMIT,
      rateLimitPublicPerMinute: PER_ADDRESS,
      rateLimitTokenPerMinute: PER_TOKEN,
      temporalTaskQueue: 'limits-test',
      publicUrl: 'http://127.0.0.1',
      operatorTimeZone: 'Asia/Almaty',
    },
    db: database.db,
    temporal,
    clock: { now: () => new Date('2026-06-01T06:00:00Z') },
    logger: createLogger({ level: 'silent' }),
    eds: createEdsVerifier({ trustedCertificates: [] }),
    codeKeys: TEST_CODE_KEYS,
    operatorSigner: TEST_OPERATOR_SIGNER,
  });

  otherStaffToken = (await insertStaff(database.db, ['admin', 'accountant'])).token;
  const client = await insertClient(database.db);
  omsId = client.oms_id;
  clientTokenValue = (
    await issueToken(database.db, { clientId: client.id }, 'test', { scopes: ['cabinet', 'station'] })
  ).token;
});

afterAll(async () => {
  await app?.close();
  await temporal?.connection.close();
  await database?.drop();
});

/** Each test from its own address (the limiter counts per address): inject lets a test say which. */
let nextAddress = 10;
const freshAddress = () => `10.0.0.${nextAddress++}`;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('body limits (413 BODY_TOO_LARGE)', () => {
  const claimBody = (bytes: number) => ({
    subject: 'Претензия',
    demands: 'Вернуть деньги за неоказанные услуги',
    signerName: 'Иванов Иван',
    documents: [
      {
        kind: 'basis',
        filename: 'claim.pdf',
        contentType: 'application/pdf',
        contentBase64: Buffer.alloc(Math.floor((bytes * 3) / 4), 1).toString('base64'),
      },
    ],
  });

  test('a claim with its documents may be larger than the default limit, up to the upload limit', async () => {
    const remoteAddress = freshAddress();
    const fits = await app.inject({
      method: 'POST',
      url: '/client/v1/claims/document',
      headers: bearer(clientTokenValue),
      payload: claimBody(BODY_LIMIT * 2),
      remoteAddress,
    });
    expect(fits.statusCode).not.toBe(413);
    expect(fits.statusCode).toBeLessThan(500);
    const tooLarge = await app.inject({
      method: 'POST',
      url: '/client/v1/claims',
      headers: bearer(clientTokenValue),
      payload: claimBody(UPLOAD_LIMIT),
      remoteAddress,
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ code: 'BODY_TOO_LARGE', message: expect.stringMatching(/\S/) });
    const staff = await app.inject({
      method: 'POST',
      url: '/staff/v1/claims',
      headers: bearer(otherStaffToken),
      payload: claimBody(UPLOAD_LIMIT),
      remoteAddress,
    });
    expect(staff.statusCode).toBe(413);
    expect(staff.json().code).toBe('BODY_TOO_LARGE');
    expect(await database.db('claims')).toEqual([]);
  });

  test('a bank statement over the upload limit is a 413; under it, it is read (422: not a statement)', async () => {
    const token = (await insertStaff(database.db, ['accountant'])).token;
    const headers = { ...bearer(token), 'content-type': 'text/plain' };
    const under = await app.inject({
      method: 'POST',
      url: '/staff/v1/bank-statements',
      headers,
      payload: 'x'.repeat(BODY_LIMIT * 2),
    });
    expect(under.statusCode).not.toBe(413);
    expect(under.statusCode).toBeLessThan(500);
    const over = await app.inject({
      method: 'POST',
      url: '/staff/v1/bank-statements',
      headers,
      payload: 'x'.repeat(UPLOAD_LIMIT + 1),
    });
    expect(over.statusCode).toBe(413);
    expect(over.json().code).toBe('BODY_TOO_LARGE');
  });

  test('an order with its own serial numbers over the upload limit: 413 in the order station’s RestResult', async () => {
    const token = (await issueToken(database.db, { clientId: (await insertClient(database.db)).id }, 't')).token;
    const over = await app.inject({
      method: 'POST',
      url: `/api/v2/shoes/orders?omsId=${omsId}`,
      headers: { clientToken: token },
      payload: {
        contactPerson: 'Иванов',
        releaseMethodType: 'PRODUCTION',
        createMethodType: 'SELF_MADE',
        products: [
          {
            gtin: '04870000000018',
            quantity: 1000,
            serialNumberType: 'SELF_MADE',
            serialNumbers: Array.from({ length: 1000 }, (_, i) => `SN${String(i).padStart(11, '0')}`),
            templateId: 1,
          },
        ],
      },
    });
    expect(over.statusCode).toBe(413);
    expect(over.json()).toMatchObject({ success: false, code: 'BODY_TOO_LARGE' });
  });

  test('any other route keeps the default limit', async () => {
    const over = await app.inject({
      method: 'POST',
      url: '/staff/v1/tickets',
      headers: bearer(otherStaffToken),
      payload: { subject: 'Тема', body: 'x'.repeat(BODY_LIMIT) },
      remoteAddress: freshAddress(),
    });
    expect(over.statusCode).toBe(413);
    expect(over.json().code).toBe('BODY_TOO_LARGE');
  });

  test('413 is declared where it can be answered', async () => {
    const docs = (await app.inject({ url: '/docs/json' })).json();
    for (const [path, method] of [
      ['/client/v1/claims', 'post'],
      ['/staff/v1/claims', 'post'],
      ['/staff/v1/bank-statements', 'post'],
      ['/api/v2/shoes/orders', 'post'],
      ['/v1/join-applications', 'post'],
    ])
      expect({ path, codes: Object.keys(docs.paths[path][method].responses) }).toEqual({
        path,
        codes: expect.arrayContaining(['413', '429']),
      });
  });
});

describe('rate limits (429 RATE_LIMITED with Retry-After)', () => {
  test('a public route: per address; another address is not affected', async () => {
    const remoteAddress = freshAddress();
    for (let i = 0; i < PER_ADDRESS; i++)
      expect((await app.inject({ url: '/v1/contract-versions', remoteAddress })).statusCode).toBe(200);
    const refused = await app.inject({ url: '/v1/contract-versions', remoteAddress });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('this address') });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await app.inject({ url: '/v1/contract-versions', remoteAddress: freshAddress() })).statusCode).toBe(200);
  });

  test('the order station’s open /version answers 429 in RestResult', async () => {
    const remoteAddress = freshAddress();
    for (let i = 0; i < PER_ADDRESS; i++)
      expect((await app.inject({ url: '/api/v2/shoes/version', remoteAddress })).statusCode).toBe(200);
    const refused = await app.inject({ url: '/api/v2/shoes/version', remoteAddress });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ success: false, code: 'RATE_LIMITED' });
    expect(refused.headers['retry-after']).toBeDefined();
  });

  test('an authenticated route: per token, whatever the address; another token is not affected', async () => {
    const token = (await insertStaff(database.db, ['support'])).token;
    for (let i = 0; i < PER_TOKEN; i++)
      expect(
        (await app.inject({ url: '/staff/v1/me', headers: bearer(token), remoteAddress: freshAddress() })).statusCode,
      ).toBe(200);
    const refused = await app.inject({ url: '/staff/v1/me', headers: bearer(token), remoteAddress: freshAddress() });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('this token') });
    expect(refused.headers['retry-after']).toBeDefined();
    const other = (await insertStaff(database.db, ['support'])).token;
    expect((await app.inject({ url: '/staff/v1/me', headers: bearer(other) })).statusCode).toBe(200);
  });

  test('behind a trusted proxy, the address counted is the caller’s (X-Forwarded-For), not the proxy’s', async () => {
    const proxied = await buildApp({
      config: {
        bodyLimit: BODY_LIMIT,
        rateLimitPublicPerMinute: 1,
        trustProxy: ['127.0.0.1'],
        temporalTaskQueue: 'limits-test',
        publicUrl: 'http://127.0.0.1',
        operatorTimeZone: 'Asia/Almaty',
      },
      db: database.db,
      temporal,
      clock: { now: () => new Date('2026-06-01T06:00:00Z') },
      logger: createLogger({ level: 'silent' }),
      eds: createEdsVerifier({ trustedCertificates: [] }),
      operatorSigner: TEST_OPERATOR_SIGNER,
    });
    try {
      const from = (address: string) =>
        proxied.inject({
          url: '/v1/contract-versions',
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': address },
        });
      expect((await from('198.51.100.1')).statusCode).toBe(200);
      expect((await from('198.51.100.2')).statusCode).toBe(200);
      expect((await from('198.51.100.1')).statusCode).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  test('health probes are never limited', async () => {
    const remoteAddress = freshAddress();
    for (let i = 0; i < PER_ADDRESS + 3; i++)
      expect((await app.inject({ url: '/ready', remoteAddress })).statusCode).toBe(200);
  });

  test('429 is declared, public and authenticated routes alike', async () => {
    const docs = (await app.inject({ url: '/docs/json', remoteAddress: freshAddress() })).json();
    for (const [path, method] of [
      ['/v1/contract-versions', 'get'],
      ['/v1/cabinet/sign-in/challenge', 'post'],
      ['/staff/v1/me', 'get'],
      ['/api/v2/shoes/version', 'get'],
    ])
      expect({ path, codes: Object.keys(docs.paths[path][method].responses) }).toEqual({
        path,
        codes: expect.arrayContaining(['429']),
      });
  });
});

describe('the support SMTP listener: connections per address', () => {
  test('the limiter counts per address in hour-long windows', () => {
    let now = Date.parse('2026-06-01T06:00:00Z');
    const limiter = connectionLimiter(2, () => now);
    expect(limiter.admit('192.0.2.1')).toEqual({ ok: true });
    expect(limiter.admit('192.0.2.1')).toEqual({ ok: true });
    expect(limiter.admit('192.0.2.1')).toEqual({ ok: false, retryAfterSeconds: 3600 });
    expect(limiter.admit('192.0.2.2')).toEqual({ ok: true });
    now += 3_600_000;
    expect(limiter.admit('192.0.2.1')).toEqual({ ok: true });
  });

  test('over the limit, a connection is greeted with 421', async () => {
    let listener: SupportMailListener | undefined;
    try {
      listener = await startSupportMailListener(
        {
          db: database.db,
          temporal,
          config: {
            bodyLimit: BODY_LIMIT,
            temporalTaskQueue: 'limits-test',
            publicUrl: 'http://127.0.0.1',
            operatorTimeZone: 'Asia/Almaty',
          },
          clock: { now: () => new Date('2026-06-01T06:00:00Z') },
        },
        { host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }), connectionsPerHourPerAddress: 2 },
      );
      const greeting = () =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(listener!.port, '127.0.0.1');
          socket.once('data', (data) => {
            socket.end('QUIT\r\n');
            resolve(data.toString());
          });
          socket.once('error', reject);
        });
      expect(await greeting()).toMatch(/^220/);
      expect(await greeting()).toMatch(/^220/);
      expect(await greeting()).toMatch(/^421 .*Too many connections/);
    } finally {
      await listener?.close();
    }
  });
});

describe('settings', () => {
  test('the limits are settings with generous defaults; a proxy is trusted only when named', () => {
    const defaults = loadConfig({}, '/app');
    expect(defaults).toMatchObject({
      uploadBodyLimit: 50_331_648,
      rateLimitPublicPerMinute: 1200,
      rateLimitTokenPerMinute: 3000,
      supportSmtpConnectionsPerHour: 120,
      trustProxy: false,
    });
    expect(
      loadConfig(
        { RATE_LIMIT_PUBLIC_PER_MINUTE: '60', TRUST_PROXY: '10.0.0.1, 192.168.0.0/16', UPLOAD_BODY_LIMIT: '2097152' },
        '/app',
      ),
    ).toMatchObject({
      rateLimitPublicPerMinute: 60,
      trustProxy: ['10.0.0.1', '192.168.0.0/16'],
      uploadBodyLimit: 2097152,
    });
    expect(loadConfig({ TRUST_PROXY: '1' }, '/app').trustProxy).toBe(1);
    expect(() => loadConfig({ RATE_LIMIT_TOKEN_PER_MINUTE: '0' }, '/app')).toThrow(/RATE_LIMIT_TOKEN_PER_MINUTE/);
    expect(() => loadConfig({ UPLOAD_BODY_LIMIT: '1024' }, '/app')).toThrow(/UPLOAD_BODY_LIMIT/);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' }, '/app')).toThrow(/TRUST_PROXY/);
  });
});
