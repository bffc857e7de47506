import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { bool, cleanEnv, EnvError, makeValidator, num, port, str, url } from 'envalid';
import { parseKeyRing } from './codes/keys';
import { parseWorkKinds, WORK_KINDS, WorkKind } from './task-queues';

/**
 * Every setting of the back office, read from the environment once at start.
 * `.env.example` lists the same variables; docker-compose.yml sets them for its
 * services (test/unit/compose.test.ts keeps the three in step).
 */
export interface Config {
  /** API listen address and port. */
  host: string;
  port: number;
  /** External base URL shown in e-mails and printed at start. */
  publicUrl: string;
  /** PostgreSQL URL; undefined = start the embedded PostgreSQL. */
  databaseUrl?: string;
  embeddedPostgresPort: number;
  /** Temporal frontend host:port; undefined = start the Temporal CLI dev server. */
  temporalAddress?: string;
  temporalNamespace: string;
  temporalTaskQueue: string;
  /** The kinds of work this worker process takes (lib/task-queues.ts); every kind by default. */
  workerKinds: WorkKind[];
  /**
   * A worker process's knobs, for measuring them (ops/bench/orders.ts passes its environment on; lib/worker-tuning.ts):
   * workflow tasks run at once per kind of work, workflows kept in the sticky cache, workflow-task pollers per kind;
   * undefined = the defaults of workflows/worker.ts and the Temporal SDK.
   */
  workerWorkflowSlots?: number;
  workerStickyCache?: number;
  workerWorkflowPollers?: number;
  /** Ports of the embedded Temporal dev server (only used when it is started). */
  temporalDevPort: number;
  temporalUiPort: number;
  /** Where the embedded services keep their data (git-ignored). */
  dataDir: string;
  /** SMTP server URL; undefined = e-mails are written as .eml files under dataDir/mail. */
  smtpUrl?: string;
  mailFrom: string;
  /** IANA zone of the operator's working hours (Прил. 3). */
  operatorTimeZone: string;
  /**
   * Keys of the marking codes' verification codes (`ID01:<base64 32 bytes>,...`, current first);
   * undefined = a key ring kept in dataDir/code-keys, made on first start.
   */
  codeKeys?: string;
  /** The operator's document signing key (PKCS#8 PEM, EC P-256); undefined = one kept in dataDir. */
  operatorSigningKey?: string;
  /** Folder of trusted CA certificates (PEM) for EDS signatures: the NCA RK roots in production. */
  edsTrustedCaDir: string;
  logLevel: string;
  /** Port of the support address's SMTP listener (Прил. 3 п.1b); 0 = not started. */
  supportSmtpPort: number;
  /** The support mailbox (`Reply-To` of the e-mails about a ticket); undefined = `support@` MAIL_FROM's domain. */
  supportMailAddress?: string;
  /** The inbound relay's authserv-id whose Authentication-Results count; empty = none. */
  supportMailAuthservId?: string;
  /** Messages one sender may have taken per hour before the quarantine. */
  supportMailHourlyLimit: number;
  /** Money moved into an account by hand above this (tiyn) waits for a second person's approval. */
  manualCreditApprovalTiyn: number;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /**
   * Largest body of the routes that carry files or long lists (claims with their documents, bank statements,
   * orders with the client's own serial numbers), bytes.
   */
  uploadBodyLimit: number;
  /** Requests one address may make per minute to the routes open without a token (sign-in, joining, public pages). */
  rateLimitPublicPerMinute: number;
  /** Requests one API token (or one signed-in session) may make per minute. */
  rateLimitTokenPerMinute: number;
  /** SMTP connections one address may open to the support listener per hour. */
  supportSmtpConnectionsPerHour: number;
  /**
   * The proxies in front of the API whose `X-Forwarded-For` tells the caller's address (Fastify's `trustProxy`): the
   * per-address rate limit counts that address. false = none (the address is the TCP peer's), true = any, a hop
   * count, or addresses/CIDRs.
   */
  trustProxy: boolean | number | string[];
  /**
   * Bearer token Prometheus presents to the API's /metrics; undefined = /metrics answers only the machine itself
   * (a loopback caller).
   */
  metricsToken?: string;
  /**
   * Seconds an API token's owner is kept in the API process after it was looked up (0 = looked up on every request).
   * Any revocation, expiry, scope, staff role or client status change clears every process's cache at once (PostgreSQL
   * NOTIFY, db/auth-changes.ts); while that channel is down nothing is cached.
   */
  authCacheSeconds: number;
  /**
   * Codes CSV and JSON files streamed at once per API process, each on a connection of its own (db/copy-pool.ts);
   * one more waits a few seconds, then gets 503 DOWNLOADS_BUSY.
   */
  downloadStreams: number;
  /**
   * host:port where the worker's Prometheus endpoint (/metrics) listens: the Temporal SDK's own metrics (task
   * latencies, slots, sticky cache) and the business counters of workflows and activities; undefined = none.
   */
  workerMetricsAddress?: string;
  /** Print logs as readable lines instead of JSON. */
  prettyLogs: boolean;
  /**
   * Issuer of the OpenID Connect provider staff sign in through (the operator's Keycloak realm, say);
   * undefined = staff consoles sign in with API tokens only. The redirect URI is `publicUrl`/staff/sign-in/callback.
   */
  oidcIssuer?: string;
  /** The back office's client at that provider. */
  oidcClientId: string;
  /** Its secret (client_secret_basic); undefined = a public client (PKCE only). */
  oidcClientSecret?: string;
  /** Life of a staff console session after signing in through the provider, minutes. */
  staffSessionMinutes: number;
  /** Where the cabinet's pages find NCALayer on the user's computer (its WebSocket). */
  ncaLayerUrl: string;
  /** Life of a client person's cabinet session after signing in with EDS, minutes. */
  clientSessionMinutes: number;
}

const workKinds = makeValidator<WorkKind[]>((value) => {
  try {
    return parseWorkKinds(value);
  } catch (error) {
    throw new EnvError((error as Error).message);
  }
});
const hostPort = makeValidator<string>((value) => {
  if (!/^[A-Za-z0-9.\-_\[\]:]+:\d{1,5}$/.test(value)) throw new EnvError('expected host:port');
  return value;
});

const timeZone = makeValidator<string>((value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new EnvError('expected an IANA time zone such as Asia/Almaty');
  }
  return value;
});

/** NCALayer's WebSocket: wss:// (as NCALayer listens), or ws:// on this host only (a stand-in for development or tests). */
const ncaLayerUrl = makeValidator<string>((value) => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EnvError('expected a WebSocket URL, e.g. wss://127.0.0.1:13579');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'wss:' && !(parsed.protocol === 'ws:' && loopback))
    throw new EnvError('expected wss:// (ws:// only for localhost)');
  return value.replace(/\/$/, '');
});

/** An issuer URL: https, or http on this host only (a provider run for development or tests). */
const issuerUrl = makeValidator<string>((value) => {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new EnvError('expected the issuer URL, e.g. https://sso.example.kz/realms/ismet');
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback))
    throw new EnvError('expected an https:// issuer (http:// only for localhost)');
  return value.replace(/\/$/, '');
});

/** TRUST_PROXY: true/false, a hop count, or comma-separated addresses or CIDRs. */
const trustProxy = makeValidator<boolean | number | string[]>((value) => {
  const text = value.trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const list = text.split(',').map((item) => item.trim());
  if (
    list.every((item) => /^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(item) || /^(loopback|linklocal|uniquelocal)$/.test(item))
  )
    return list;
  throw new EnvError('expected true, false, a hop count, or addresses/CIDRs separated by commas');
});

const postgresUrl = makeValidator<string>((value) => {
  if (!/^postgres(ql)?:\/\/.+/.test(value)) throw new EnvError('expected postgres://user:password@host:port/database');
  return value;
});

/** An e-mail address, or empty for none. */
const optionalEmail = makeValidator<string>((value) => {
  if (value !== '' && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value))
    throw new EnvError('expected an e-mail address such as support@ismet.kz');
  return value;
});

const smtpUrl = makeValidator<string>((value) => {
  if (!/^smtps?:\/\/.+/.test(value)) throw new EnvError('expected smtp://[user:password@]host:port or smtps://...');
  return value;
});

const keyRing = makeValidator<string>((value) => {
  try {
    parseKeyRing(value);
  } catch (error) {
    throw new EnvError((error as Error).message);
  }
  return value;
});

const pemKey = makeValidator<string>((value) => {
  try {
    createPrivateKey(value.replace(/\\n/g, '\n'));
  } catch {
    throw new EnvError(
      'expected a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----...; newlines may be written as \\n)',
    );
  }
  return value.replace(/\\n/g, '\n');
});

/** Thrown with one line per bad variable, each naming it. */
export class ConfigError extends Error {
  constructor(public readonly problems: Record<string, string>) {
    super(
      'Invalid configuration:\n' +
        Object.entries(problems)
          .map(([name, problem]) => `  ${name}: ${problem}`)
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Variables whose value is a secret: a start that refuses them never prints them (logs outlive keys). */
const SECRET_VARIABLES = new Set(['CODE_KEYS', 'OPERATOR_SIGNING_KEY', 'OIDC_CLIENT_SECRET']);

/** A refused value as the start prints it: secrets not at all, a URL without its password. */
export function shownValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'undefined';
  if (SECRET_VARIABLES.has(name)) return `(secret, ${value.length} characters, not shown)`;
  try {
    const url = new URL(value);
    if (url.password) {
      url.password = '***';
      return JSON.stringify(url.toString());
    }
  } catch {
    // not a URL: shown as given
  }
  return JSON.stringify(value);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const e = cleanEnv(
    env,
    {
      HOST: str({ default: '127.0.0.1', desc: 'API listen address' }),
      PORT: port({ default: 3000, desc: 'API port' }),
      PUBLIC_URL: url({ default: undefined, desc: 'External base URL of the API' }),
      DATABASE_URL: postgresUrl({ default: undefined, desc: 'PostgreSQL URL; unset = embedded PostgreSQL' }),
      EMBEDDED_PG_PORT: port({ default: 54329, desc: 'Port of the embedded PostgreSQL' }),
      TEMPORAL_ADDRESS: hostPort({ default: undefined, desc: 'Temporal frontend; unset = embedded dev server' }),
      TEMPORAL_NAMESPACE: str({ default: 'default' }),
      TEMPORAL_TASK_QUEUE: str({ default: 'ismet-backoffice' }),
      WORKER_KINDS: workKinds({
        default: [...WORK_KINDS],
        desc: 'Kinds of work a worker process takes: contract (the base queue), orders (<base>-orders)',
      }),
      WORKER_WORKFLOW_SLOTS: num({
        default: undefined,
        desc: 'Workflow tasks a worker runs at once per kind of work; unset = 20',
      }),
      WORKER_STICKY_CACHE: num({
        default: undefined,
        desc: 'Workflows a worker keeps in its sticky cache; unset = the Temporal SDK’s (from the memory)',
      }),
      WORKER_WORKFLOW_POLLERS: num({
        default: undefined,
        desc: 'Workflow-task polls a worker keeps open per kind of work; unset = the Temporal SDK’s',
      }),
      TEMPORAL_DEV_PORT: port({ default: 7233, desc: 'Port of the embedded Temporal dev server' }),
      TEMPORAL_UI_PORT: port({ default: 8233, desc: 'Port of the embedded Temporal Web UI' }),
      DATA_DIR: str({ default: '.data', desc: 'Data folder of the embedded services' }),
      SMTP_URL: smtpUrl({ default: undefined, desc: 'SMTP server; unset = .eml files in DATA_DIR/mail' }),
      MAIL_FROM: str({ default: 'ИС МПТ <noreply@ismet.local>' }),
      OPERATOR_TIME_ZONE: timeZone({ default: 'Asia/Almaty' }),
      CODE_KEYS: keyRing({
        default: undefined,
        desc: 'Verification keys of marking codes: ID01:<base64>,...; unset = DATA_DIR/code-keys',
      }),
      OPERATOR_SIGNING_KEY: pemKey({
        default: undefined,
        desc: 'PKCS#8 PEM private key (EC P-256) that signs acts and invoices; unset = DATA_DIR/operator-signing-key.pem',
      }),
      EDS_TRUSTED_CA_DIR: str({
        default: undefined,
        desc: 'Trusted CA certificates (PEM files) for EDS; default DATA_DIR/trusted-ca',
      }),
      LOG_LEVEL: str({ default: 'info', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] }),
      SUPPORT_SMTP_PORT: num({
        default: 2525,
        desc: 'SMTP listener for e-mails to the support address (tickets); 0 = off',
      }),
      SUPPORT_MAIL_ADDRESS: optionalEmail({
        default: '',
        desc: 'The support mailbox, Reply-To of ticket e-mails; unset = support@ the domain of MAIL_FROM',
      }),
      SUPPORT_MAIL_AUTHSERV_ID: str({
        default: '',
        desc: 'authserv-id of the inbound relay whose Authentication-Results count',
      }),
      SUPPORT_MAIL_HOURLY_LIMIT: num({
        default: 20,
        desc: 'Messages one sender may have taken per hour; more wait in the quarantine',
      }),
      MANUAL_CREDIT_APPROVAL_TIYN: num({
        default: 10_000_000,
        desc: 'Corrections and compensations above this (tiyn) need a second person',
      }),
      BODY_LIMIT: num({ default: 1048576, desc: 'Largest request body in bytes' }),
      UPLOAD_BODY_LIMIT: num({
        default: 50331648,
        desc: 'Largest body in bytes of claims with documents, bank statements and orders with own serial numbers',
      }),
      RATE_LIMIT_PUBLIC_PER_MINUTE: num({
        default: 1200,
        desc: 'Requests per minute from one address to the routes open without a token',
      }),
      RATE_LIMIT_TOKEN_PER_MINUTE: num({
        default: 3000,
        desc: 'Requests per minute with one API token or session',
      }),
      TRUST_PROXY: trustProxy({
        default: false,
        desc: 'Proxies whose X-Forwarded-For names the caller: true, a hop count, or addresses/CIDRs, comma-separated; unset = none',
      }),
      METRICS_TOKEN: str({
        default: '',
        desc: 'Bearer token for the API’s /metrics; unset = /metrics answers loopback callers only',
      }),
      AUTH_CACHE_SECONDS: num({
        default: 10,
        desc: 'Seconds an API token’s owner is kept in the API process; any change to it clears it at once (0 = off)',
      }),
      DOWNLOAD_STREAMS: num({
        default: 4,
        desc: 'Codes CSV/JSON files streamed at once per API process, each on a database connection of its own',
      }),
      WORKER_METRICS_ADDRESS: hostPort({
        default: undefined,
        desc: 'host:port of the worker’s Prometheus endpoint (/metrics); unset = none',
      }),
      SUPPORT_SMTP_CONNECTIONS_PER_HOUR: num({
        default: 120,
        desc: 'SMTP connections per hour from one address to the support listener',
      }),
      PRETTY_LOGS: bool({ default: false }),
      OIDC_ISSUER: issuerUrl({
        default: undefined,
        desc: 'OpenID Connect issuer staff sign in through; unset = API tokens only',
      }),
      OIDC_CLIENT_ID: str({
        default: 'ismet-backoffice',
        desc: 'Client id of the back office at the OpenID Connect provider',
      }),
      OIDC_CLIENT_SECRET: str({ default: undefined, desc: 'Its client secret; unset = a public client (PKCE)' }),
      STAFF_SESSION_MINUTES: num({
        default: 480,
        desc: 'Life of a staff console session signed in through the provider, minutes',
      }),
      NCALAYER_URL: ncaLayerUrl({
        default: 'wss://127.0.0.1:13579',
        desc: "NCALayer's WebSocket on the user's computer, which the cabinet signs through",
      }),
      CLIENT_SESSION_MINUTES: num({
        default: 480,
        desc: "Life of a client person's cabinet session signed in with EDS, minutes",
      }),
    },
    {
      reporter: ({ errors }) => {
        const names = Object.keys(errors);
        if (names.length === 0) return;
        throw new ConfigError(
          Object.fromEntries(
            names.map((name) => {
              const error = (errors as Record<string, Error | undefined>)[name];
              const missing = error?.name === 'EnvMissingError';
              return [
                name,
                missing ? 'is required' : `invalid value ${shownValue(name, env[name])}: ${error?.message}`,
              ];
            }),
          ),
        );
      },
    },
  );
  if (!Number.isInteger(e.SUPPORT_SMTP_PORT) || e.SUPPORT_SMTP_PORT < 0 || e.SUPPORT_SMTP_PORT > 65535) {
    throw new ConfigError({
      SUPPORT_SMTP_PORT: `invalid value ${JSON.stringify(env.SUPPORT_SMTP_PORT)}: expected a port, or 0 for none`,
    });
  }
  if (!Number.isInteger(e.SUPPORT_MAIL_HOURLY_LIMIT) || e.SUPPORT_MAIL_HOURLY_LIMIT < 1) {
    throw new ConfigError({
      SUPPORT_MAIL_HOURLY_LIMIT: `invalid value ${JSON.stringify(env.SUPPORT_MAIL_HOURLY_LIMIT)}: expected a whole number >= 1`,
    });
  }
  if (!Number.isSafeInteger(e.MANUAL_CREDIT_APPROVAL_TIYN) || e.MANUAL_CREDIT_APPROVAL_TIYN < 0) {
    throw new ConfigError({
      MANUAL_CREDIT_APPROVAL_TIYN: `invalid value ${JSON.stringify(env.MANUAL_CREDIT_APPROVAL_TIYN)}: expected a whole number of tiyn >= 0`,
    });
  }
  if (!Number.isInteger(e.BODY_LIMIT) || e.BODY_LIMIT < 1024) {
    throw new ConfigError({
      BODY_LIMIT: `invalid value ${JSON.stringify(env.BODY_LIMIT)}: expected an integer >= 1024`,
    });
  }
  if (!Number.isInteger(e.UPLOAD_BODY_LIMIT) || e.UPLOAD_BODY_LIMIT < e.BODY_LIMIT) {
    throw new ConfigError({
      UPLOAD_BODY_LIMIT: `invalid value ${JSON.stringify(env.UPLOAD_BODY_LIMIT)}: expected an integer >= BODY_LIMIT (${e.BODY_LIMIT})`,
    });
  }
  for (const name of [
    'RATE_LIMIT_PUBLIC_PER_MINUTE',
    'RATE_LIMIT_TOKEN_PER_MINUTE',
    'SUPPORT_SMTP_CONNECTIONS_PER_HOUR',
    'DOWNLOAD_STREAMS',
  ] as const) {
    if (!Number.isInteger(e[name]) || e[name] < 1)
      throw new ConfigError({ [name]: `invalid value ${JSON.stringify(env[name])}: expected a whole number >= 1` });
  }
  // Unset: the defaults. The sticky cache may be 0 (none); the SDK wants 2 workflow-task pollers at least.
  for (const [name, least] of [
    ['WORKER_WORKFLOW_SLOTS', 1],
    ['WORKER_STICKY_CACHE', 0],
    ['WORKER_WORKFLOW_POLLERS', 2],
  ] as const) {
    const value = e[name];
    if (value !== undefined && (!Number.isInteger(value) || value < least))
      throw new ConfigError({
        [name]: `invalid value ${JSON.stringify(env[name])}: expected a whole number >= ${least}`,
      });
  }
  if (!Number.isInteger(e.AUTH_CACHE_SECONDS) || e.AUTH_CACHE_SECONDS < 0 || e.AUTH_CACHE_SECONDS > 300) {
    throw new ConfigError({
      AUTH_CACHE_SECONDS: `invalid value ${JSON.stringify(env.AUTH_CACHE_SECONDS)}: expected whole seconds from 0 to 300`,
    });
  }
  if (!Number.isInteger(e.STAFF_SESSION_MINUTES) || e.STAFF_SESSION_MINUTES < 5 || e.STAFF_SESSION_MINUTES > 24 * 60) {
    throw new ConfigError({
      STAFF_SESSION_MINUTES: `invalid value ${JSON.stringify(env.STAFF_SESSION_MINUTES)}: expected whole minutes from 5 to 1440`,
    });
  }
  if (
    !Number.isInteger(e.CLIENT_SESSION_MINUTES) ||
    e.CLIENT_SESSION_MINUTES < 5 ||
    e.CLIENT_SESSION_MINUTES > 24 * 60
  ) {
    throw new ConfigError({
      CLIENT_SESSION_MINUTES: `invalid value ${JSON.stringify(env.CLIENT_SESSION_MINUTES)}: expected whole minutes from 5 to 1440`,
    });
  }
  const dataDir = path.resolve(cwd, e.DATA_DIR);
  const shownHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://${shownHost}:${e.PORT}`).replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL,
    embeddedPostgresPort: e.EMBEDDED_PG_PORT,
    temporalAddress: e.TEMPORAL_ADDRESS,
    temporalNamespace: e.TEMPORAL_NAMESPACE,
    temporalTaskQueue: e.TEMPORAL_TASK_QUEUE,
    workerKinds: e.WORKER_KINDS,
    workerWorkflowSlots: e.WORKER_WORKFLOW_SLOTS,
    workerStickyCache: e.WORKER_STICKY_CACHE,
    workerWorkflowPollers: e.WORKER_WORKFLOW_POLLERS,
    temporalDevPort: e.TEMPORAL_DEV_PORT,
    temporalUiPort: e.TEMPORAL_UI_PORT,
    dataDir,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    operatorTimeZone: e.OPERATOR_TIME_ZONE,
    codeKeys: e.CODE_KEYS,
    operatorSigningKey: e.OPERATOR_SIGNING_KEY,
    edsTrustedCaDir: e.EDS_TRUSTED_CA_DIR ? path.resolve(cwd, e.EDS_TRUSTED_CA_DIR) : path.join(dataDir, 'trusted-ca'),
    logLevel: e.LOG_LEVEL,
    supportSmtpPort: e.SUPPORT_SMTP_PORT,
    supportMailAddress: e.SUPPORT_MAIL_ADDRESS || undefined,
    supportMailAuthservId: e.SUPPORT_MAIL_AUTHSERV_ID || undefined,
    supportMailHourlyLimit: e.SUPPORT_MAIL_HOURLY_LIMIT,
    manualCreditApprovalTiyn: e.MANUAL_CREDIT_APPROVAL_TIYN,
    bodyLimit: e.BODY_LIMIT,
    uploadBodyLimit: e.UPLOAD_BODY_LIMIT,
    rateLimitPublicPerMinute: e.RATE_LIMIT_PUBLIC_PER_MINUTE,
    rateLimitTokenPerMinute: e.RATE_LIMIT_TOKEN_PER_MINUTE,
    supportSmtpConnectionsPerHour: e.SUPPORT_SMTP_CONNECTIONS_PER_HOUR,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN || undefined,
    authCacheSeconds: e.AUTH_CACHE_SECONDS,
    downloadStreams: e.DOWNLOAD_STREAMS,
    workerMetricsAddress: e.WORKER_METRICS_ADDRESS,
    prettyLogs: e.PRETTY_LOGS,
    oidcIssuer: e.OIDC_ISSUER,
    oidcClientId: e.OIDC_CLIENT_ID,
    oidcClientSecret: e.OIDC_CLIENT_SECRET || undefined,
    staffSessionMinutes: e.STAFF_SESSION_MINUTES,
    ncaLayerUrl: e.NCALAYER_URL,
    clientSessionMinutes: e.CLIENT_SESSION_MINUTES,
  };
}

/** The environment variables `loadConfig` reads, for docs and the compose check. */
export const CONFIG_VARIABLES = [
  'HOST',
  'PORT',
  'PUBLIC_URL',
  'DATABASE_URL',
  'EMBEDDED_PG_PORT',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'WORKER_KINDS',
  'WORKER_WORKFLOW_SLOTS',
  'WORKER_STICKY_CACHE',
  'WORKER_WORKFLOW_POLLERS',
  'TEMPORAL_DEV_PORT',
  'TEMPORAL_UI_PORT',
  'DATA_DIR',
  'SMTP_URL',
  'MAIL_FROM',
  'OPERATOR_TIME_ZONE',
  'CODE_KEYS',
  'OPERATOR_SIGNING_KEY',
  'EDS_TRUSTED_CA_DIR',
  'LOG_LEVEL',
  'SUPPORT_SMTP_PORT',
  'SUPPORT_MAIL_ADDRESS',
  'SUPPORT_MAIL_AUTHSERV_ID',
  'SUPPORT_MAIL_HOURLY_LIMIT',
  'MANUAL_CREDIT_APPROVAL_TIYN',
  'BODY_LIMIT',
  'UPLOAD_BODY_LIMIT',
  'RATE_LIMIT_PUBLIC_PER_MINUTE',
  'RATE_LIMIT_TOKEN_PER_MINUTE',
  'SUPPORT_SMTP_CONNECTIONS_PER_HOUR',
  'TRUST_PROXY',
  'METRICS_TOKEN',
  'AUTH_CACHE_SECONDS',
  'DOWNLOAD_STREAMS',
  'WORKER_METRICS_ADDRESS',
  'PRETTY_LOGS',
  'OIDC_ISSUER',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'STAFF_SESSION_MINUTES',
  'NCALAYER_URL',
  'CLIENT_SESSION_MINUTES',
] as const;
