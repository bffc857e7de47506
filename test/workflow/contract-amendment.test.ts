import { Client } from '@temporalio/client';
import type { AddressObject } from 'mailparser';
import { buildApp, App } from '../../api/http/app';
import { publishContractVersion } from '../../api/intake/contract-versions';
import { readCalendar } from '../../db/calendar-store';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { systemClock } from '../../lib/clock';
import { createEdsVerifier } from '../../lib/eds';
import { createLogger } from '../../lib/logger';
import { BusinessStatus, DeadlineAt } from '../../lib/search-attributes';
import { createTemporalClient } from '../../lib/temporal';
import { amendmentStateQuery, amendmentWorkflowId, contractAmendment } from '../../workflows/contract-amendment';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { TEST_OPERATOR_SIGNER } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { workerPerTest } from '../helpers/time-skipping';

// An amendment of the contract (4.3.5, 10.3.2) on the time-skipping server with the real
// calendar of 2026-2027, published as the API publishes it: every client with a contract is
// told in the cabinet and by e-mail, the version waits announced through the December and
// January holidays, and at the start of its day it comes into force — in the database, in the
// workflow's state and search attributes, and in the contract each client's cabinet shows.
const TASK_QUEUE = 'contract-amendment-tests';
const ZONE = 'Asia/Almaty';
let database: TestDatabase;
let smtp: SmtpReceiver;
let app: App;

const server = workerPerTest(TASK_QUEUE, () => ({ db: database.db, smtpUrl: smtp.url }));
const { sleepUntil } = server;
const until = <T>(check: () => Promise<T | undefined | false | null>) => eventually(check, 30_000);
const iso = (local: string) => new Date(local).toISOString();
const ru = (date: string) => date.split('-').reverse().join('.');

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
  // The API only reads PostgreSQL for the cabinet's contract view; its (lazy) Temporal client is never dialled.
  app = await buildApp({
    config: {
      bodyLimit: 1_048_576,
      temporalTaskQueue: TASK_QUEUE,
      publicUrl: 'http://127.0.0.1',
      operatorTimeZone: ZONE,
    },
    db: database.db,
    temporal: createTemporalClient('127.0.0.1:1', 'default'),
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    eds: createEdsVerifier({ trustedCertificates: [] }),
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
});
afterAll(async () => {
  await app?.close();
  await Promise.all([database?.drop(), smtp?.close()]);
});

/** The contract as a client's cabinet shows it (GET /client/v1/contract). */
async function cabinetContract(token: string) {
  const response = await app.inject({
    method: 'GET',
    url: '/client/v1/contract',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.statusCode).toBe(200);
  const body = response.json();
  return {
    inForce: body.inForce.version as string,
    upcoming: (body.upcoming as { version: string }[]).map((v) => v.version),
  };
}

/** The versions and statuses anyone reads (GET /v1/contract-versions), newest first. */
async function publicVersions() {
  const response = await app.inject({ method: 'GET', url: '/v1/contract-versions' });
  expect(response.statusCode).toBe(200);
  return (response.json().versions as { version: string; status: string }[]).map((v) => [v.version, v.status]);
}

test('published 10 December 2026, a version comes into force on 14 January 2027 (20 working days past 16 December and the New Year holidays); a later one on its own date', async () => {
  const db = database.db;
  const admin = await insertStaff(db, ['admin']);
  const [a, b] = [await insertClient(db), await insertClient(db)];
  const suspended = await insertClient(db);
  await db('clients').where({ id: suspended.id }).update({ status: 'suspended' });
  const ended = await insertClient(db);
  await db('clients')
    .where({ id: ended.id })
    .update({ status: 'terminated', contract_ended_at: '2026-11-30T12:00:00+05:00', contract_end_reason: 'тест' });
  const withContract = [a, b, suspended];
  const tokenA = await clientToken(db, a.id);

  // From 11 December: 16 December, 1 January, 4 January (for the 2nd, a Saturday) and 7 January
  // are off; the 20th working day is Wednesday 13 January, so the new text applies from Thursday
  // the 14th (10.3.2).
  const publishedAt = '2026-12-10T10:00:00+05:00';
  const calendar = new BusinessCalendar(await readCalendar(db), { ...DEFAULT_SETTINGS, zone: ZONE });
  expect(calendar.localDate(calendar.addWorkingDays(new Date(publishedAt), 20))).toBe('2027-01-14');

  await sleepUntil(publishedAt);
  const deps = {
    db,
    temporal: { client: server.env.client, connection: server.env.connection },
    config: {
      bodyLimit: 1_048_576,
      temporalTaskQueue: TASK_QUEUE,
      publicUrl: 'http://127.0.0.1',
      operatorTimeZone: ZONE,
    },
    clock: { now: () => new Date(publishedAt) },
  };
  const first = await publishContractVersion(deps, {
    version: '2027-01',
    title: 'Изменение порядка возврата аванса',
    summary: 'Возврат аванса производится в течение 10 рабочих дней.',
    documentUrl: 'https://ismet.kz/contract/2027-01',
    reason: 'services',
    recordedBy: admin.id,
  });
  const second = await publishContractVersion(deps, {
    version: '2027-02',
    title: 'Изменение реквизитов оператора',
    summary: 'Изменены банковские реквизиты Единого оператора.',
    reason: 'law',
    effectiveFrom: '2027-02-01',
    recordedBy: admin.id,
  });
  expect(new Date(first.effective_at).toISOString()).toBe(iso('2027-01-14T00:00:00+05:00'));
  expect(new Date(second.effective_at).toISOString()).toBe(iso('2027-02-01T00:00:00+05:00'));
  // Handles of a plain client: the test environment's unlocks time skipping while it awaits a
  // result, and the server would then run on to the next version's date before the check.
  const plain = new Client({ connection: server.env.connection, namespace: server.env.namespace ?? 'default' });
  const firstHandle = plain.workflow.getHandle(amendmentWorkflowId(first.id));
  const secondHandle = plain.workflow.getHandle(amendmentWorkflowId(second.id));
  expect((await firstHandle.describe()).type).toBe(contractAmendment.name);

  // Every client with a contract is told of each version, once, in the cabinet and by e-mail; the ended contract is not.
  for (const [version, handle, effectiveOn] of [
    [first, firstHandle, '2027-01-14'],
    [second, secondHandle, '2027-02-01'],
  ] as const) {
    const state = await until(async () => {
      const s = await handle.query(amendmentStateQuery);
      return s.status === 'announced' && s;
    });
    expect(state).toEqual({ versionId: version.id, status: 'announced', clients: 3, sent: 3, failed: 0 });
    const notices = await db('notices').where({ topic: `amendment:${version.id}` });
    expect(notices.map((n) => n.client_id).sort()).toEqual(withContract.map((c) => c.id).sort());
    expect(
      notices.every(
        (n) =>
          n.status === 'sent' &&
          n.attempts === 1 &&
          n.subject === `Изменения в Договор вступают в силу ${ru(effectiveOn)}`,
      ),
    ).toBe(true);
    for (const client of withContract) {
      const mails = smtp.messages.filter(
        (m) =>
          (m.to as AddressObject).text === client.email &&
          m.subject === `Изменения в Договор вступают в силу ${ru(effectiveOn)}`,
      );
      expect(mails).toHaveLength(1);
      expect(mails[0].text).toContain(`редакция ${version.version} «${version.title}»`);
    }
    expect(smtp.messages.filter((m) => (m.to as AddressObject).text === ended.email)).toEqual([]);
    expect(await db('contract_versions').where({ id: version.id }).first('status', 'clients_notified')).toEqual({
      status: 'announced',
      clients_notified: 3,
    });
    // The Web UI shows it waiting for its date (set once the calendar is loaded, just after the notices).
    const attributes = await until(async () => {
      const a = (await handle.describe()).typedSearchAttributes;
      return a.get(DeadlineAt) && a;
    });
    expect(attributes.get(BusinessStatus)).toBe('amendment_announced');
    expect(attributes.get(DeadlineAt)?.toISOString()).toBe(iso(`${effectiveOn}T00:00:00+05:00`));
  }
  expect(smtp.messages.find((m) => m.text?.includes('https://ismet.kz/contract/2027-01'))).toBeDefined();
  expect(await cabinetContract(tokenA)).toEqual({ inForce: '2021', upcoming: ['2027-01', '2027-02'] });

  // The last minute of the 20th working day: still announced.
  await sleepUntil('2027-01-13T23:59:00+05:00');
  expect((await firstHandle.query(amendmentStateQuery)).status).toBe('announced');
  expect((await db('contract_versions').where({ id: first.id }).first('status')).status).toBe('announced');
  expect(await cabinetContract(tokenA)).toEqual({ inForce: '2021', upcoming: ['2027-01', '2027-02'] });

  // At the start of the 14th it comes into force; the later version still waits for its date.
  await sleepUntil('2027-01-14T00:01:00+05:00');
  expect(await firstHandle.result()).toEqual({
    versionId: first.id,
    status: 'in_force',
    clients: 3,
    sent: 3,
    failed: 0,
  });
  expect((await db('contract_versions').where({ id: first.id }).first('status')).status).toBe('in_force');
  const inForce = await firstHandle.describe();
  expect(inForce.status.name).toBe('COMPLETED');
  expect(inForce.typedSearchAttributes.get(BusinessStatus)).toBe('amendment_in_force');
  expect(inForce.typedSearchAttributes.get(DeadlineAt)).toBeUndefined();
  expect((await secondHandle.query(amendmentStateQuery)).status).toBe('announced');
  for (const client of [a, b, suspended])
    expect(await cabinetContract(await clientToken(db, client.id))).toEqual({
      inForce: '2027-01',
      upcoming: ['2027-02'],
    });
  expect(await publicVersions()).toEqual([
    ['2027-02', 'announced'],
    ['2027-01', 'in_force'],
    ['2021', 'in_force'],
  ]);
  // Coming into force tells no one again: one e-mail per client and version.
  expect(smtp.messages.filter((m) => m.subject?.startsWith('Изменения в Договор'))).toHaveLength(6);

  await sleepUntil('2027-01-31T23:59:00+05:00');
  expect((await secondHandle.query(amendmentStateQuery)).status).toBe('announced');
  await sleepUntil('2027-02-01T00:01:00+05:00');
  expect((await secondHandle.result()).status).toBe('in_force');
  expect(
    await db('contract_versions').whereIn('id', [first.id, second.id]).orderBy('effective_at').pluck('status'),
  ).toEqual(['in_force', 'in_force']);
  expect(await cabinetContract(tokenA)).toEqual({ inForce: '2027-02', upcoming: [] });
  expect(smtp.messages.filter((m) => m.subject?.startsWith('Изменения в Договор'))).toHaveLength(6);
}, 180_000);
