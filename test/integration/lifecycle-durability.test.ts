import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DateTime } from 'luxon';
import { deposit } from '../../db/ledger';
import { addDaysToDate, DEFAULT_SETTINGS, localDateIn } from '../../lib/calendar';
import { startTemporalDevServer, TemporalDevServerHandle } from '../../ops/services/temporal-dev-server';
import {
  clientLifecycle,
  clientStateQuery,
  clientWorkflowId,
  detailsChangedSignal,
} from '../../workflows/client-lifecycle';
import { eventually } from '../helpers/eventually';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { fundedClient } from '../helpers/orders';
import { freePort } from '../helpers/ports';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { kill, startWorkerProcess } from '../helpers/worker-process';

// A client's lifecycle runs for years: on a dev server of its own that suggests continue-as-new
// after a few dozen events, it keeps every signal across a killed worker and across new runs,
// each with a short history.
const HISTORY_LIMIT = 60;
const TASK_QUEUE = 'lifecycle-durability';
const sameDayNextYear = (date: string) => DateTime.fromISO(date).plus({ years: 1 }).toISODate()!;

let server: TemporalDevServerHandle;
let connection: Connection;
let temporal: Client;
let database: TestDatabase;
let smtp: SmtpReceiver;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  [server, database, smtp] = await Promise.all([
    freePort().then((port) =>
      startTemporalDevServer({ port, dynamicConfig: [`limit.historyCount.suggestContinueAsNew=${HISTORY_LIMIT}`] }),
    ),
    createTestDatabase(),
    startSmtpReceiver(),
  ]);
  connection = await Connection.connect({ address: server.address });
  temporal = new Client({ connection });
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map(kill));
  await connection?.close();
  await Promise.all([server?.stop(), database?.drop(), smtp?.close()]);
});

const startWorker = () => {
  const worker = startWorkerProcess({
    databaseUrl: database.url,
    taskQueue: TASK_QUEUE,
    smtpUrl: smtp.url,
    temporalAddress: server.address,
  });
  workers.push(worker);
  return worker;
};

test('the lifecycle keeps every event across a killed worker and continues as new when its history grows', async () => {
  const db = database.db;
  const client = await fundedClient(db, 0);
  // Joined two weeks ago; an advance paid today and not used: the year it may be used in (3.7) runs on.
  const today = localDateIn(DEFAULT_SETTINGS.zone, new Date());
  const [joinedOn, effectiveFrom] = [addDaysToDate(today, -14), addDaysToDate(today, -13)];
  await db('clients').where({ id: client.id }).update({ joined_on: joinedOn, effective_from: effectiveFrom });
  const [payment] = await db('bank_payments')
    .insert({
      source_key: randomUUID(),
      source: 'manual',
      document_number: '3',
      document_date: today,
      received_on: today,
      amount: 5_000_00,
      payer_name: client.name,
      purpose: 'Аванс',
      status: 'credited',
      client_id: client.id,
    })
    .returning('*');
  await deposit(db, {
    idempotencyKey: `pay-${payment.id}`,
    clientId: client.id,
    amountTiyn: 5_000_00,
    paymentId: payment.id,
  });
  const handle = await temporal.workflow.start(clientLifecycle, {
    taskQueue: TASK_QUEUE,
    workflowId: clientWorkflowId(client.id),
    args: [{ clientId: client.id, effectiveFrom }],
  });
  const firstRunId = handle.firstExecutionRunId;
  const changeDetails = async (from: number, to: number) => {
    for (let i = from; i < to; i++)
      await handle.signal(detailsChangedSignal, {
        at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
        fields: [`field-${i}`],
      });
  };

  const first = startWorker();
  const active = await eventually(async () => {
    const s = await handle.query(clientStateQuery);
    return s.status === 'active' && s.oneYearDueAt ? s : undefined;
  }, 90_000);
  expect(active.unusedAdvanceSince).toBe(today);
  // The same day next year, or the working day after it when that one is not (Civil Code art. 173).
  expect(
    active.oneYearDueAt! >= sameDayNextYear(today) && active.oneYearDueAt! <= addDaysToDate(sameDayNextYear(today), 10),
  ).toBe(true);
  await changeDetails(0, 5);
  await eventually(async () => (await handle.query(clientStateQuery)).detailChanges === 5, 30_000);

  // The worker dies with the workflow in its cache; the signals sent meanwhile wait in the history.
  await kill(first);
  await changeDetails(5, 10);
  startWorker();
  await eventually(async () => (await handle.query(clientStateQuery)).detailChanges === 10, 90_000);

  // Enough events to pass the history limit more than once.
  await changeDetails(10, 3 * HISTORY_LIMIT);
  const state = await eventually(async () => {
    const s = await handle.query(clientStateQuery);
    return s.detailChanges === 3 * HISTORY_LIMIT && s.run >= 3 ? s : undefined;
  }, 90_000);
  expect(state).toMatchObject({
    status: 'active',
    oneYearDueAt: active.oneYearDueAt,
    unusedAdvanceSince: active.unusedAdvanceSince,
    lastDetailChangeAt: new Date(Date.UTC(2026, 10, 1, 0, 3 * HISTORY_LIMIT - 1)).toISOString(),
  });

  const firstRun = await temporal.workflow.getHandle(handle.workflowId, firstRunId).describe();
  expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');
  const current = await temporal.workflow.getHandle(handle.workflowId).describe();
  expect(current.status.name).toBe('RUNNING');
  expect(current.runId).not.toBe(firstRunId);
  expect(current.historyLength).toBeLessThan(2 * HISTORY_LIMIT);
  expect(current.searchAttributes).toMatchObject({ ClientId: [client.id], BusinessStatus: ['active'] });
}, 300_000);
