import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { localDateIn } from '../../lib/calendar';
import { clientBalance } from '../../db/ledger';
import { generateKey } from '../../lib/codes';
import { systemClock } from '../../lib/clock';
import { createMailer } from '../../lib/mailer';
import { amountsForNet, priceOfCodes } from '../../lib/money';
import { signerFromKey } from '../../lib/operator-signature';
import {
  actStateQuery,
  monthlyAct,
  MonthlyActState,
  refuseActUpdate,
  resolveActUpdate,
  signActUpdate,
} from '../../workflows/monthly-act';
import { workflowBundle } from '../../workflows/worker';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertStaff } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { clientWithServices } from '../helpers/orders';
import { signCms } from '../helpers/pki';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { eventually } from '../helpers/eventually';
import { createTimeSkippingEnv, skipTo } from '../helpers/time-skipping';
import { stepsTaken, updatesAccepted } from '../helpers/workflow-history';
import { generateKeyPairSync } from 'node:crypto';

// The monthly act (6.5, 6.8) on the time-skipping server with the real 2026-2027 calendar:
// auto-acceptance exactly at the end of the 5th working day across holidays, signature, and
// refusal → corrected act → signature.
const key = generateKey('MA01');
const operatorSigner = signerFromKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
// The operator's month of the services clientWithServices books now (acts bill by the Almaty month).
const month = localDateIn('Asia/Almaty', new Date()).slice(0, 7);

let database: TestDatabase;
let smtp: SmtpReceiver;
let pki: TestPki;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
const TASK_QUEUE = 'monthly-act-tests';

/** Holds the act between its commit in the database and the workflow's hearing of it. */
let issueGate: Promise<void> | undefined;
const withIssueGate = (activities: ReturnType<typeof createActivities>) => ({
  ...activities,
  issueMonthlyAct: async (...args: Parameters<typeof activities.issueMonthlyAct>) => {
    const act = await activities.issueMonthlyAct(...args);
    await issueGate;
    return act;
  },
});

beforeAll(async () => {
  [database, smtp, pki] = await Promise.all([createTestDatabase(), startSmtpReceiver(), createTestPki()]);
});
afterAll(async () => {
  await Promise.all([database?.drop(), smtp?.close()]);
});
// A server of its own for each test: once a workflow completes right after starting a child
// (here: the last notice), the Java test server stops skipping time for what follows. A dated
// scenario starts its server's clock a minute before its first instant; the others at the
// process's own time, which the services they are billed for (now, in the database) share.
let env: TestWorkflowEnvironment | undefined;
async function serve(startAt?: string) {
  env = await createTimeSkippingEnv({ startAt });
  const mailer = createMailer({ smtpUrl: smtp.url, from: 'ИС МПТ <noreply@ismet.local>', outboxDir: '/nonexistent' });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle: await workflowBundle(),
    activities: withIssueGate(
      createActivities({
        db: database.db,
        mailer,
        clock: systemClock,
        codeKeys: { current: key, byId: new Map([[key.id, key]]) },
        eds: pki.verifier,
        operatorSigner,
      }),
    ),
  });
  running = worker.run();
  return env;
}
afterEach(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  [env, worker, running] = [undefined, undefined, undefined];
});

const start = (clientId: string) =>
  env!.client.workflow.start(monthlyAct, {
    taskQueue: TASK_QUEUE,
    workflowId: `act-${clientId}-${month}`,
    args: [{ clientId, month }],
  });
const now = async () => new Date(await env!.currentTimeMs());
const until = (check: () => Promise<boolean>) => eventually(check, 30_000);
async function issued(handle: Awaited<ReturnType<typeof start>>, revision = 1): Promise<MonthlyActState> {
  let state!: MonthlyActState;
  await until(async () => {
    state = await handle.query(actStateQuery);
    return state.status === 'issued' && state.act?.revision === revision;
  });
  return state;
}

/** Sleeps the server's clock to a local instant (it only moves forward). */
const sleepUntil = (instant: string) => skipTo(env!, instant);

describe('no answer: accepted exactly at the end of the 5th working day (6.8)', () => {
  test.each([
    // Issued Monday 14 December 2026: 16 December (Independence Day) does not count → Tuesday 22 December, 24:00.
    ['2026-12-14T10:00:00+05:00', '2026-12-23T00:00:00+05:00'],
    // Issued on 1 January 2027 at 00:30 (the Schedule): 1, 2 January, 4 January (moved), 7 January do not count → Tuesday 12 January, 24:00.
    ['2027-01-01T00:30:00+05:00', '2027-01-13T00:00:00+05:00'],
  ])(
    'issued %s → due %s',
    async (issueAt, due) => {
      const { client } = await clientWithServices(database.db, 7, key);
      await serve(new Date(Date.parse(issueAt) - 60_000).toISOString());
      await sleepUntil(issueAt);
      const handle = await start(client.id);
      const state = await issued(handle);
      expect(state.act!.dueAt).toBe(new Date(due).toISOString());
      const row = await database.db('acts').where({ id: state.act!.actId }).first();
      expect({ due: new Date(row.due_at).toISOString(), codes: row.codes, total: row.total }).toEqual({
        due: new Date(due).toISOString(),
        codes: 7,
        total: priceOfCodes(7, PRICE).total,
      });
      expect(operatorSigner.verify(row.pdf, row.operator_signature)).toBe(true);

      // A minute before the deadline it still awaits the client, reminded a working day before.
      await sleepUntil(new Date(Date.parse(due) - 60_000).toISOString());
      expect((await handle.query(actStateQuery)).status).toBe('issued');
      await until(async () => !!(await database.db('acts').where({ id: state.act!.actId }).first()).reminded_at);
      const result = await handle.result();
      expect(result.status).toBe('auto_accepted');
      const accepted = await database.db('acts').where({ id: state.act!.actId }).first();
      expect(accepted.status).toBe('auto_accepted');
      expect(new Date(accepted.accepted_at).getTime()).toBeGreaterThanOrEqual(Date.parse(due));
      expect(new Date(accepted.accepted_at).getTime()).toBeLessThan(Date.parse(due) + 60_000);
      await smtp.waitFor((m) => m.subject === `Акт № ${state.act!.number} считается подписанным`);
      // Patch act-local-steps: issuing and accepting are activities; the notices and the calendar of the two waits
      // (kept for an hour, so loaded again for the deadline a working day after the reminder) run in the workflow task.
      expect(await stepsTaken(handle)).toEqual({
        activities: ['issueMonthlyAct', 'acceptAct'],
        local: ['actNotice', 'loadCalendar', 'actNotice', 'loadCalendar', 'actNotice'],
      });
    },
    120_000,
  );
});

test('signed with the client’s EDS over the act’s PDF; a signature of another BIN is refused', async () => {
  const { client } = await clientWithServices(database.db, 3, key);
  await serve();
  const handle = await start(client.id);
  const state = await issued(handle);
  const row = await database.db('acts').where({ id: state.act!.actId }).first();
  const stranger = await pki.signerFor('990340001234');
  const bad = Buffer.from(await signCms(stranger, row.pdf, { signingTime: await now() })).toString('base64');
  await expect(handle.executeUpdate(signActUpdate, { args: [{ signature: bad }] })).rejects.toMatchObject({
    cause: { cause: { type: 'BAD_SIGNATURE', message: expect.stringMatching(/EDS signature is not accepted/) } },
  });
  const signer = await pki.signerFor(client.bin_iin);
  const signature = Buffer.from(await signCms(signer, row.pdf, { signingTime: await now() })).toString('base64');
  const signed = await handle.executeUpdate(signActUpdate, { args: [{ signature }] });
  expect(signed.status).toBe('signed');
  expect((await handle.result()).status).toBe('signed');
  expect(await database.db('acts').where({ id: row.id }).first()).toMatchObject({
    status: 'signed',
    client_signature: signature,
  });
  await expect(handle.executeUpdate(refuseActUpdate, { args: [{ reason: 'too late now' }] })).rejects.toThrow();
}, 120_000);

test('signed the moment the act is in the database, before the workflow has heard of it: the signature waits for it and is recorded once', async () => {
  const { client } = await clientWithServices(database.db, 2, key);
  await serve();
  let open!: () => void;
  issueGate = new Promise((resolve) => (open = resolve));
  try {
    const handle = await start(client.id);
    await until(async () => Boolean(await database.db('acts').where({ client_id: client.id }).first()));
    expect((await handle.query(actStateQuery)).act).toBeUndefined();
    const row = await database.db('acts').where({ client_id: client.id }).first();
    const signature = Buffer.from(
      await signCms(await pki.signerFor(client.bin_iin), row.pdf, { signingTime: await now() }),
    ).toString('base64');
    const signing = handle.executeUpdate(signActUpdate, { args: [{ signature }] });
    // The workflow has taken the signature (its Update accepted) and waits for the act to reach it.
    await until(async () => (await updatesAccepted(handle)) === 1);
    // A second answer while the first is being recorded is refused, not recorded twice.
    await expect(
      handle.executeUpdate(refuseActUpdate, { args: [{ reason: 'Не согласны с объёмом' }] }),
    ).rejects.toThrow();
    open();
    expect(await signing).toMatchObject({ status: 'signed', act: { actId: row.id } });
    expect((await handle.result()).status).toBe('signed');
    expect(await database.db('acts').where({ id: row.id }).first()).toMatchObject({
      status: 'signed',
      client_signature: signature,
    });
  } finally {
    issueGate = undefined;
  }
}, 120_000);

test('refused with reasons → detailed report → corrected act with the difference credited back → signed', async () => {
  const { client } = await clientWithServices(database.db, 10, key);
  await serve();
  const accountant = await insertStaff(database.db, ['accountant']);
  const handle = await start(client.id);
  const first = await issued(handle);
  await expect(handle.executeUpdate(refuseActUpdate, { args: [{ reason: ' ' }] })).rejects.toMatchObject({
    cause: { message: expect.stringMatching(/reasons/) },
  });
  const disputed = await handle.executeUpdate(refuseActUpdate, { args: [{ reason: '3 кода не были получены' }] });
  expect(disputed.status).toBe('disputed');
  const original = await database.db('acts').where({ id: first.act!.actId }).first();
  expect(original).toMatchObject({ status: 'disputed', refusal_reason: '3 кода не были получены' });
  expect(original.detailed_report_pdf.subarray(0, 5).toString()).toBe('%PDF-');

  const before = await clientBalance(database.db, client.id);
  await handle.executeUpdate(resolveActUpdate, {
    args: [{ action: 'correct', staffId: accountant.id, reason: 'Признано: 3 кода не получены', acceptedCodes: [7] }],
  });
  const second = await issued(handle, 2);
  const corrected = await database.db('acts').where({ id: second.act!.actId }).first();
  const accepted = amountsForNet(7 * 268, 1600);
  expect(corrected).toMatchObject({
    revision: 2,
    replaces_act_id: original.id,
    codes: 7,
    net: accepted.net,
    vat: accepted.vat,
    status: 'issued',
  });
  expect((await database.db('acts').where({ id: original.id }).first()).status).toBe('superseded');
  const refunded = original.total - corrected.total;
  expect((await clientBalance(database.db, client.id)).available).toBe(before.available + refunded);

  const signature = Buffer.from(
    await signCms(await pki.signerFor(client.bin_iin), corrected.pdf, { signingTime: await now() }),
  ).toString('base64');
  await handle.executeUpdate(signActUpdate, { args: [{ signature }] });
  expect(await handle.result()).toMatchObject({ status: 'signed', revisions: 2 });
  const history = await database
    .db('act_events')
    .whereIn('act_id', [original.id, corrected.id])
    .orderBy('id')
    .pluck('kind');
  expect(history).toEqual(['issued', 'refused', 'corrected', 'issued', 'signed']);
}, 120_000);
