import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { createDb, Db } from '../../db/connection';
import { migrateLatest } from '../../db/migrate';
import { createTemporalClient, ensureSearchAttributes } from '../../lib/temporal';
import { startTemporalDevServer, TemporalDevServerHandle } from '../../ops/services/temporal-dev-server';
import { eventually, startTestApi, TestApi } from '../helpers/api';
import { insertClient, insertStaff } from '../helpers/fixtures';
import { freePort } from '../helpers/ports';
import { PostgresProcess, startPostgresProcess } from '../helpers/postgres-process';
import { isTo, startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';

// Services of its own, since this test stops and restarts them: PostgreSQL and the Temporal dev
// server are external processes that come back on the same port, so they get theirs up front.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ismet-resilience-'));
fs.chmodSync(dir, 0o755); // the server runs as the `postgres` user when tests run as root
let postgres: PostgresProcess;
let temporal: TemporalDevServerHandle;
let temporalPort: number;
let db: Db;
let smtp: SmtpReceiver;
let api: TestApi;

const startTemporal = () => startTemporalDevServer({ port: temporalPort, dbFile: path.join(dir, 'temporal.db') });

beforeAll(async () => {
  postgres = await startPostgresProcess({ dir: path.join(dir, 'pg'), port: await freePort(), database: 'ismet' });
  db = createDb(postgres.url);
  await migrateLatest(db);
  temporalPort = await freePort();
  temporal = await startTemporal();
  const admin = createTemporalClient(temporal.address, 'default');
  await ensureSearchAttributes(admin.connection, 'default');
  await admin.connection.close();
  smtp = await startSmtpReceiver();
  api = await startTestApi({ db, smtpUrl: smtp.url, temporalAddress: temporal.address });
});

afterAll(async () => {
  await api?.stop();
  await smtp?.close();
  await db?.destroy();
  await temporal?.stop();
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const health = () => api.request('GET', '/health');

test('PostgreSQL stopped: /health answers 503 naming it, the API keeps running, and recovers when it is back', async () => {
  expect((await health()).status).toBe(200);
  await postgres.stop();

  const down = await health();
  expect(down.status).toBe(503);
  expect(down.body).toMatchObject({
    code: 'DEPENDENCY_UNAVAILABLE',
    message: 'Unavailable: postgres',
    details: { failed: ['postgres'] },
  });
  expect(down.body.details.checks.temporal.status).toBe('ok');
  expect((await api.request('GET', '/ready')).status).toBe(200);
  const request = await api.request('GET', '/staff/v1/me', { token: 'ismet_staff_x' });
  expect({ status: request.status, code: request.body.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });

  await postgres.start();
  await eventually(async () => (await health()).status === 200);
});

test('Temporal stopped: /health answers 503 naming it; after a restart the API and the worker carry on', async () => {
  await temporal.stop();
  const down = await health();
  expect(down.status).toBe(503);
  expect(down.body.details.failed).toEqual(['temporal']);
  expect(down.body.message).toBe('Unavailable: temporal');
  const client = await insertClient(db);
  const staff = await insertStaff(db, ['support']);
  const refused = await api.request('POST', `/staff/v1/clients/${client.id}/notices`, {
    token: staff.token,
    body: { subject: 'Во время сбоя', body: 'Temporal недоступен.' },
  });
  expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  expect(await db('notices').where({ client_id: client.id })).toEqual([]);

  temporal = await startTemporal();
  await eventually(async () => (await health()).status === 200, 60_000);

  const created = await api.request('POST', `/staff/v1/clients/${client.id}/notices`, {
    token: staff.token,
    body: { subject: 'После перезапуска', body: 'Сервис восстановлен.' },
  });
  expect(created.status).toBe(202);
  await smtp.waitFor((m) => isTo(m, client.email) && m.subject === 'После перезапуска', 60_000);
});
