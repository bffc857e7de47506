import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApp, App } from '../../api/http/app';
import type { Db } from '../../db/connection';
import { Clock, systemClock } from '../../lib/clock';
import { generateKey } from '../../lib/codes';
import { createEdsVerifier, EdsVerifier } from '../../lib/eds';
import { createLogger } from '../../lib/logger';
import { createMailer } from '../../lib/mailer';
import { signerFromKey } from '../../lib/operator-signature';
import { createTemporalClient } from '../../lib/temporal';
import { startWorker, RunningWorker } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from './db';
import { expectSpecConformance } from './oms-spec';
import { startSmtpReceiver, SmtpReceiver } from './smtp';
import { freePort } from './ports';

/** The verification keys the test workers sign codes with. */
export const TEST_CODE_KEYS = (() => {
  const current = generateKey('TK01');
  return { current, byId: new Map([[current.id, current]]) };
})();

/** The operator key the test workers sign acts with. */
export const TEST_OPERATOR_SIGNER = signerFromKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

export interface TestApi {
  url: string;
  /** The task queue the API starts workflows on and the worker polls. */
  taskQueue: string;
  app: App;
  temporal: ReturnType<typeof createTemporalClient>;
  worker: RunningWorker;
  /**
   * Exchanges with the order station (`/api/v2/shoes/*`) are checked against its published spec;
   * `offSpec` skips the request checks (a malformed request on purpose), never the answer's.
   */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; offSpec?: boolean },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** The real API listening on a free port, with a real worker, on the test run's Temporal dev server. */
export async function startTestApi(options: {
  db: Db;
  smtpUrl?: string;
  temporalAddress?: string;
  bodyLimit?: number;
  /** Trusts nothing unless given (tests make their own CA). */
  eds?: EdsVerifier;
  /** "Now" of the API and the worker's activities; the system clock unless a test pins one. */
  clock?: Clock;
  /** Listen on this port (then the public URL is http://127.0.0.1:<port>); a free one otherwise. */
  port?: number;
  /** Staff sign in through this OpenID Connect provider (test/helpers/oidc-provider.ts); needs `port`. */
  oidc?: { issuer: string; clientId: string; clientSecret?: string; sessionMinutes?: number };
  /** The cabinet's pages speak to NCALayer here (test/helpers/ncalayer.ts's stand-in). */
  ncaLayerUrl?: string;
  /** Life of a client person's cabinet session, minutes. */
  clientSessionMinutes?: number;
  /** Keep API tokens' owners this many seconds (api/http/token-cache.ts); off unless given. */
  authCacheSeconds?: number;
  /** Codes CSV/JSON files streamed at once (db/copy-pool.ts); the app's default unless given. */
  downloadStreams?: number;
}): Promise<TestApi> {
  const clock = options.clock ?? systemClock;
  const address = options.temporalAddress ?? process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is not set: run tests through jest');
  const taskQueue = `test-${Math.random().toString(36).slice(2)}`;
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const temporal = createTemporalClient(address, 'default');
  const eds = options.eds ?? createEdsVerifier({ trustedCertificates: [] });
  const app = await buildApp({
    config: {
      bodyLimit: options.bodyLimit ?? 1048576,
      temporalTaskQueue: taskQueue,
      publicUrl: options.port ? `http://127.0.0.1:${options.port}` : 'http://127.0.0.1',
      operatorTimeZone: 'Asia/Almaty',
      ...(options.oidc
        ? {
            oidcIssuer: options.oidc.issuer,
            oidcClientId: options.oidc.clientId,
            oidcClientSecret: options.oidc.clientSecret,
            staffSessionMinutes: options.oidc.sessionMinutes,
          }
        : {}),
      ...(options.ncaLayerUrl ? { ncaLayerUrl: options.ncaLayerUrl } : {}),
      ...(options.clientSessionMinutes ? { clientSessionMinutes: options.clientSessionMinutes } : {}),
      ...(options.authCacheSeconds ? { authCacheSeconds: options.authCacheSeconds } : {}),
      ...(options.downloadStreams ? { downloadStreams: options.downloadStreams } : {}),
    },
    db: options.db,
    temporal,
    clock,
    logger,
    eds,
    codeKeys: TEST_CODE_KEYS,
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const mailer = createMailer({
    smtpUrl: options.smtpUrl,
    from: 'ИС МПТ <noreply@ismet.local>',
    outboxDir: '/tmp/ismet-test-outbox',
  });
  const worker = startWorker({
    address,
    namespace: 'default',
    taskQueue,
    deps: {
      db: options.db,
      mailer,
      clock,
      eds,
      publicUrl: url,
      codeKeys: TEST_CODE_KEYS,
      operatorSigner: TEST_OPERATOR_SIGNER,
    },
    logger,
    retryDelayMs: 500,
  });
  return {
    url,
    taskQueue,
    app,
    temporal,
    worker,
    async request(method, path, { token, body, headers = {}, offSpec = false } = {}) {
      const sentHeaders: Record<string, string> = {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      };
      const response = await fetch(url + path, {
        method,
        headers: sentHeaders,
        body:
          body === undefined
            ? undefined
            : typeof body === 'string' || body instanceof Uint8Array
              ? body
              : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      if (path.startsWith('/api/v2/shoes/')) {
        expectSpecConformance(
          { method, url: path, headers: sentHeaders, body, status: response.status, response: parsed },
          { request: !offSpec },
        );
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async stop() {
      await worker.stop();
      mailer.close();
      await app.close();
      await temporal.connection.close();
    },
  };
}

export { eventually } from './eventually';

/** The one error shape, with the expected status and code. */
export function expectApiError(response: { status: number; body: any }, status: number, code: string) {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.body.message).toMatch(/\S/);
}

/**
 * A test file's own database, SMTP receiver and API with a worker, set up once for the file. `browserSessions`:
 * the API listens on a port fixed before it starts, so that its public URL is the pages' origin (sessions'
 * requests are checked against it); `ncaLayerUrl`: the cabinet's pages speak to this NCALayer (asked after `eds`).
 */
export function useTestApi(
  options: {
    bodyLimit?: number;
    eds?: () => Promise<EdsVerifier>;
    clock?: Clock;
    browserSessions?: boolean;
    ncaLayerUrl?: () => string | Promise<string>;
    clientSessionMinutes?: number;
    authCacheSeconds?: number;
    downloadStreams?: number;
  } = {},
) {
  const context = {} as { database: TestDatabase; smtp: SmtpReceiver; api: TestApi };
  beforeAll(async () => {
    context.database = await createTestDatabase();
    context.smtp = await startSmtpReceiver();
    const eds = await options.eds?.();
    context.api = await startTestApi({
      db: context.database.db,
      smtpUrl: context.smtp.url,
      bodyLimit: options.bodyLimit,
      eds,
      clock: options.clock,
      ...(options.browserSessions ? { port: await freePort() } : {}),
      ...(options.ncaLayerUrl ? { ncaLayerUrl: await options.ncaLayerUrl() } : {}),
      ...(options.clientSessionMinutes ? { clientSessionMinutes: options.clientSessionMinutes } : {}),
      authCacheSeconds: options.authCacheSeconds,
      downloadStreams: options.downloadStreams,
    });
  });
  afterAll(async () => {
    await context.api?.stop();
    await context.smtp?.close();
    await context.database?.drop();
  });
  return context;
}
