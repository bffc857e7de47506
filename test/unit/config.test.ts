import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../lib/config';
import { WORKER_TUNING_VARIABLES, workerTuningOptions } from '../../lib/worker-tuning';

const load = (env: NodeJS.ProcessEnv) => loadConfig(env, '/srv/app');

test('defaults run everything embedded on the documented ports', () => {
  const config = load({});
  expect(config).toMatchObject({
    port: 3000,
    temporalDevPort: 7233,
    temporalUiPort: 8233,
    embeddedPostgresPort: 54329,
    temporalNamespace: 'default',
    operatorTimeZone: 'Asia/Almaty',
    dataDir: path.resolve('/srv/app', '.data'),
    publicUrl: 'http://127.0.0.1:3000',
  });
  expect(config.databaseUrl).toBeUndefined();
  expect(config.temporalAddress).toBeUndefined();
  expect(config.smtpUrl).toBeUndefined();
});

test('external services are taken from the environment', () => {
  const config = load({
    DATABASE_URL: 'postgres://u:p@db:5432/ismet',
    TEMPORAL_ADDRESS: 'temporal:7233',
    TEMPORAL_NAMESPACE: 'ismet',
    SMTP_URL: 'smtp://mailpit:1025',
    HOST: '0.0.0.0',
    PORT: '8080',
  });
  expect(config).toMatchObject({
    databaseUrl: 'postgres://u:p@db:5432/ismet',
    temporalAddress: 'temporal:7233',
    temporalNamespace: 'ismet',
    smtpUrl: 'smtp://mailpit:1025',
    publicUrl: 'http://localhost:8080',
  });
});

test.each([
  ['PORT', 'abc'],
  ['PORT', '70000'],
  ['DATABASE_URL', 'mysql://x/y'],
  ['TEMPORAL_ADDRESS', 'temporal'],
  ['SMTP_URL', 'http://mail'],
  ['OPERATOR_TIME_ZONE', 'Mars/Olympus'],
  ['LOG_LEVEL', 'loud'],
  ['BODY_LIMIT', '12'],
  ['PUBLIC_URL', 'not a url'],
  ['OIDC_ISSUER', 'http://sso.example.kz/realms/ismet'],
  ['OIDC_ISSUER', 'not a url'],
  ['STAFF_SESSION_MINUTES', '2'],
  ['STAFF_SESSION_MINUTES', '100000'],
  ['NCALAYER_URL', 'ws://ncalayer.example.kz:13579'],
  ['NCALAYER_URL', 'https://127.0.0.1:13579'],
  ['CLIENT_SESSION_MINUTES', '1'],
  ['DOWNLOAD_STREAMS', '0'],
  ['WORKER_WORKFLOW_SLOTS', '0'],
  ['WORKER_STICKY_CACHE', '-1'],
  ['WORKER_WORKFLOW_POLLERS', '1'],
  ['WORKER_WORKFLOW_POLLERS', '2.5'],
])('a bad %s (%s) is refused with a message naming it', (name, value) => {
  let error: unknown;
  try {
    load({ [name]: value });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).message).toContain(`${name}: invalid value ${JSON.stringify(value)}`);
  expect(Object.keys((error as ConfigError).problems)).toEqual([name]);
});

test('several bad variables are all named at once', () => {
  expect(() => load({ PORT: 'x', TEMPORAL_UI_PORT: 'y' })).toThrow(/PORT: .*\n.*TEMPORAL_UI_PORT/s);
});

test('a refused secret is never printed, nor the password of a refused URL', () => {
  const secrets = {
    CODE_KEYS: 'TOPSECRETVALUE-0123456789',
    OPERATOR_SIGNING_KEY: 'PRIVATEKEYMATERIAL',
    DATABASE_URL: 'mysql://owner:Pa55word-xyz@db/ismet',
  };
  let error: unknown;
  try {
    load(secrets);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  expect(Object.keys((error as ConfigError).problems).sort()).toEqual([
    'CODE_KEYS',
    'DATABASE_URL',
    'OPERATOR_SIGNING_KEY',
  ]);
  expect(message).toContain('CODE_KEYS: invalid value (secret, 25 characters, not shown)');
  expect(message).toContain('mysql://owner:***@db/ismet');
  for (const secret of ['TOPSECRETVALUE-0123456789', 'PRIVATEKEYMATERIAL', 'Pa55word-xyz'])
    expect(message).not.toContain(secret);
});

test('the support mailbox named by SUPPORT_MAIL_ADDRESS, none by default (support@ MAIL_FROM’s domain is used then)', () => {
  expect(load({}).supportMailAddress).toBeUndefined();
  expect(load({ SUPPORT_MAIL_ADDRESS: '' }).supportMailAddress).toBeUndefined();
  expect(load({ SUPPORT_MAIL_ADDRESS: 'help@ismet.kz' }).supportMailAddress).toBe('help@ismet.kz');
  expect(() => load({ SUPPORT_MAIL_ADDRESS: 'ИС МПТ поддержка' })).toThrow(/SUPPORT_MAIL_ADDRESS/);
});

test("a worker's knobs: none set by default, each given one passed to the Temporal SDK as its option", () => {
  expect(workerTuningOptions(load({}))).toEqual({});
  const tuned = load({ WORKER_WORKFLOW_SLOTS: '40', WORKER_STICKY_CACHE: '0', WORKER_WORKFLOW_POLLERS: '4' });
  expect(workerTuningOptions(tuned)).toEqual({
    maxConcurrentWorkflowTaskExecutions: 40,
    maxCachedWorkflows: 0,
    workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 },
  });
  expect(load({ DOWNLOAD_STREAMS: '2' }).downloadStreams).toBe(2);
  expect(CONFIG_VARIABLES).toEqual(expect.arrayContaining([...WORKER_TUNING_VARIABLES]));
});
