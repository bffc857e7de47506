import { createActActivities } from '../../activities/acts';
import { buildApp } from '../../api/http/app';
import { ensure } from '../../api/intake/system-workflows';
import { createEdsVerifier } from '../../lib/eds';
import { createLogger } from '../../lib/logger';
import { compensationCredit, correction, deposit, refundPayout } from '../../db/ledger';
import { systemClock } from '../../lib/clock';
import { MONTHLY_ACTS_SCHEDULE_ID } from '../../workflows/monthly-acts';
import { eventually, expectApiError, TEST_CODE_KEYS, TEST_OPERATOR_SIGNER, useTestApi } from '../helpers/api';
import { clientToken, insertStaff } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { chargeClient, clientWithServices } from '../helpers/orders';
import { extractPdf, squash } from '../helpers/pdf-text';
import { signCms } from '../helpers/pki';
import { formatTenge } from '../../lib/money';
import { localDateIn } from '../../lib/calendar';

// Monthly acts through the API on the Temporal dev server: the Schedule, the fan-out, the
// client's signature and refusal, the accountant's decision; and a year of activity in which
// the acts, the reconciliation act and the ledger agree to the tiyn.
let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });
// The operator's month of the services the tests book now: acts bill by the Almaty month, which
// turns five hours before UTC's.
const month = localDateIn('Asia/Almaty', new Date()).slice(0, 7);

test('the Schedule issues acts on the 1st at 00:30 in the operator’s zone; a run fans out to the clients with services only', async () => {
  await ensure(ctx.api.temporal, { taskQueue: ctx.api.taskQueue, zone: 'Asia/Almaty' });
  await ensure(ctx.api.temporal, { taskQueue: ctx.api.taskQueue, zone: 'Asia/Almaty' }); // idempotent
  // The Schedule is the dev server's, shared by every test file of the run: it goes as soon as it is
  // checked, so a run that crosses the 1st at 00:30 Almaty never fans acts out into another file's database.
  const handle = ctx.api.temporal.client.schedule.getHandle(MONTHLY_ACTS_SCHEDULE_ID);
  const schedule = await handle.describe();
  await handle.delete();
  expect(schedule.spec.timezone).toBe('Asia/Almaty');
  expect(schedule.spec.calendars?.[0]).toMatchObject({
    dayOfMonth: [{ start: 1, end: 1, step: 1 }],
    hour: [{ start: 0, end: 0, step: 1 }],
    minute: [{ start: 30, end: 30, step: 1 }],
  });
  expect(schedule.action).toMatchObject({
    type: 'startWorkflow',
    workflowType: 'monthlyActs',
    taskQueue: ctx.api.taskQueue,
  });

  const served = await Promise.all([
    clientWithServices(ctx.database.db, 4, TEST_CODE_KEYS.current),
    clientWithServices(ctx.database.db, 9, TEST_CODE_KEYS.current),
  ]);
  const accountant = await insertStaff(ctx.database.db, ['accountant']);
  // 6.5: acts cover a finished month — not the month still running, nor a month that does not exist.
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/acts/run', { token: accountant.token, body: { month } }),
    409,
    'MONTH_NOT_FINISHED',
  );
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/acts/run', { token: accountant.token, body: { month: '2026-13' } }),
    400,
    'VALIDATION_FAILED',
  );
  expect(
    await ctx.database
      .db('acts')
      .where({ period_from: `${month}-01` })
      .whereIn(
        'client_id',
        served.map((x) => x.client.id),
      ),
  ).toEqual([]);
  // On the 1st of the next month at 00:30 (Almaty) the month is over: the API as it is then runs it.
  const nextMonth = await apiAt(firstOfNextMonth(month));
  const runAt = (body: object) =>
    nextMonth.inject({
      method: 'POST',
      url: '/staff/v1/acts/run',
      headers: { authorization: `Bearer ${accountant.token}` },
      payload: body,
    });
  const run = { status: (await runAt({ month })).statusCode };
  expect(run.status).toBe(202);
  const acts = await eventually(async () => {
    const rows = await ctx.database.db('acts').where({ period_from: `${month}-01` });
    return rows.length >= 2 && rows;
  }, 60_000);
  for (const { client } of served) expect(acts.find((a) => a.client_id === client.id)).toBeDefined();
  const workflows = await ctx.api.temporal.client.workflow.getHandle(`monthly-acts-${month}`).result();
  expect(workflows.started).toBe(acts.length);
  // The run has finished: a second one is refused, not reported as running.
  const again = await runAt({ month });
  expect({ status: again.statusCode, code: again.json().code }).toEqual({ status: 409, code: 'ACTS_ALREADY_ISSUED' });
  await nextMonth.close();
});

/** 00:30 (Asia/Almaty, UTC+5) on the 1st of the month after `yyyyMm`. */
function firstOfNextMonth(yyyyMm: string): Date {
  const [y, m] = yyyyMm.split('-').map(Number);
  return new Date(`${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}-01T00:30:00+05:00`);
}

/** The same API with its clock pinned at `at`, on the test's database, Temporal client and task queue. */
function apiAt(at: Date) {
  return buildApp({
    config: {
      bodyLimit: 1_048_576,
      temporalTaskQueue: ctx.api.taskQueue,
      publicUrl: 'http://127.0.0.1',
      operatorTimeZone: 'Asia/Almaty',
    },
    db: ctx.database.db,
    temporal: ctx.api.temporal,
    clock: { now: () => new Date(at) },
    logger: createLogger({ level: 'silent' }),
    eds: createEdsVerifier({ trustedCertificates: [] }),
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
}

test('the client reads, refuses; the accountant sees it first and confirms; another client signs with EDS', async () => {
  const accountant = await insertStaff(ctx.database.db, ['accountant']);
  const [a, b] = await Promise.all([
    clientWithServices(ctx.database.db, 5, TEST_CODE_KEYS.current),
    clientWithServices(ctx.database.db, 6, TEST_CODE_KEYS.current),
  ]);
  for (const { client } of [a, b]) {
    await ctx.api.temporal.client.workflow.start('monthlyAct', {
      workflowId: `act-${client.id}-${month}`,
      taskQueue: ctx.api.taskQueue,
      args: [{ clientId: client.id, month }],
    });
  }
  const tokenA = await clientToken(ctx.database.db, a.client.id);
  const tokenB = await clientToken(ctx.database.db, b.client.id);
  const actOf = async (token: string) =>
    eventually(async () => (await ctx.api.request('GET', '/client/v1/acts', { token })).body.acts[0], 30_000);
  const actA = await actOf(tokenA);
  expect(actA).toMatchObject({ status: 'issued', codes: 5, overdue: false, timeLeftMs: expect.any(Number) });
  const pdf = await fetch(ctx.api.url + actA.files.pdf, { headers: { authorization: `Bearer ${tokenA}` } });
  const text = extractPdf(Buffer.from(await pdf.arrayBuffer())).text;
  expect(text).toContain(actA.number);
  expect(text).toContain(squash(formatTenge(actA.totalTiyn)));
  const signature = (await ctx.api.request('GET', `/client/v1/acts/${actA.id}/operator-signature`, { token: tokenA }))
    .body;
  expect(signature).toMatchObject({
    keyId: TEST_OPERATOR_SIGNER.keyId,
    publicKeyPem: TEST_OPERATOR_SIGNER.publicKeyPem,
  });

  expectApiError(
    await ctx.api.request('POST', `/client/v1/acts/${actA.id}/refuse`, { token: tokenA, body: { reason: 'short' } }),
    400,
    'VALIDATION_FAILED',
  );
  const refused = await ctx.api.request('POST', `/client/v1/acts/${actA.id}/refuse`, {
    token: tokenA,
    body: { reason: 'Количество кодов не совпадает с нашими данными' },
  });
  expect(refused.body).toMatchObject({
    status: 'disputed',
    refusalReason: 'Количество кодов не совпадает с нашими данными',
    files: { detailedReport: expect.any(String) },
  });
  expectApiError(
    await ctx.api.request('POST', `/client/v1/acts/${actA.id}/refuse`, {
      token: tokenA,
      body: { reason: 'Количество кодов не совпадает' },
    }),
    409,
    'ACT_NOT_OPEN',
  );

  const actB = await actOf(tokenB);
  const actBPdf = Buffer.from(
    await (await fetch(ctx.api.url + actB.files.pdf, { headers: { authorization: `Bearer ${tokenB}` } })).arrayBuffer(),
  );
  const wrongSigner = Buffer.from(await signCms(await pki.signerFor(a.client.bin_iin), actBPdf)).toString('base64');
  const refusedSignature = await ctx.api.request('POST', `/client/v1/acts/${actB.id}/sign`, {
    token: tokenB,
    body: { signature: wrongSigner },
  });
  expectApiError(refusedSignature, 422, 'BAD_SIGNATURE');
  // Why, in Russian too, as the cabinet shows it.
  expect(refusedSignature.body.details.problems).toContainEqual(
    expect.objectContaining({
      code: 'SIGNER_MISMATCH',
      messageRu: expect.stringContaining('БИН/ИИН в сертификате не совпадает'),
    }),
  );
  const good = Buffer.from(await signCms(await pki.signerFor(b.client.bin_iin), actBPdf)).toString('base64');
  expect(
    (await ctx.api.request('POST', `/client/v1/acts/${actB.id}/sign`, { token: tokenB, body: { signature: good } }))
      .body.status,
  ).toBe('signed');

  const listed = (await ctx.api.request('GET', `/staff/v1/acts?month=${month}`, { token: accountant.token })).body.acts;
  expect(listed[0]).toMatchObject({ id: actA.id, status: 'disputed' });
  const confirmed = await ctx.api.request('POST', `/staff/v1/acts/${actA.id}/confirm`, {
    token: accountant.token,
    body: { reason: 'Проверено по журналу скачиваний' },
  });
  expect(confirmed.body.status).toBe('confirmed');
  const detail = (await ctx.api.request('GET', `/staff/v1/acts/${actA.id}`, { token: accountant.token })).body;
  expect(detail.history.map((e: { kind: string }) => e.kind)).toEqual(['issued', 'refused', 'confirmed']);
  const csv = await ctx.api.request('GET', `/staff/v1/acts.csv?month=${month}`, { token: accountant.token });
  expect(csv.body).toContain(actA.number);
  expect(csv.body).toContain('подтверждён после спора');
});

test('a year of activity: the acts of the months, the reconciliation act and the ledger agree to the tiyn', async () => {
  const { db } = ctx.database;
  const staff = await insertStaff(db, ['accountant']);
  const { client } = await clientWithServices(db, 1, TEST_CODE_KEYS.current);
  const year = new Date().getUTCFullYear() - 1;
  // Every movement of the client so far goes to January of last year; then one month after another.
  const backdate = async (after: number, to: Date) => {
    await db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE ledger_transactions DISABLE TRIGGER ledger_transactions_immutable');
      await trx('ledger_transactions')
        .where({ client_id: client.id })
        .where('id', '>', after)
        .update({ created_at: to });
      await trx.raw('ALTER TABLE ledger_transactions ENABLE TRIGGER ledger_transactions_immutable');
    });
  };
  const lastId = async () => Number((await db('ledger_transactions').max('id as id'))[0].id);
  await backdate(0, new Date(`${year}-01-10T06:00:00Z`));
  for (let m = 2; m <= 12; m++) {
    const before = await lastId();
    const at = new Date(`${year}-${String(m).padStart(2, '0')}-15T06:00:00Z`);
    await deposit(db, {
      idempotencyKey: `y-dep-${m}`,
      clientId: client.id,
      amountTiyn: 10_000_00 + m,
      paymentId: `y-pay-${m}`,
    });
    await chargeClient(db, client, m * 3, TEST_CODE_KEYS.current);
    if (m % 4 === 0)
      await correction(db, {
        idempotencyKey: `y-cor-${m}`,
        clientId: client.id,
        amountTiyn: -(m * 11),
        reason: 'корректировка',
        createdBy: staff.id,
      });
    if (m % 5 === 0)
      await compensationCredit(db, {
        idempotencyKey: `y-comp-${m}`,
        clientId: client.id,
        amountTiyn: m * 100,
        clause: '7.3',
        reference: { type: 'claim', id: `c${m}` },
        memo: 'компенсация',
      });
    if (m === 11)
      await refundPayout(db, {
        idempotencyKey: `y-ref-${m}`,
        clientId: client.id,
        amountTiyn: 5000,
        bankFeeTiyn: 300,
        refundRef: 'r11',
      });
    await backdate(before, at);
  }
  // Acts of each month of the year, as the workflow issues them.
  const activities = createActActivities({
    db,
    mailer: { send: async () => ({ messageId: '' }), close: () => undefined },
    clock: systemClock,
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
  let actsTotal = 0;
  for (let m = 1; m <= 12; m++) {
    const issued = await activities.issueMonthlyAct(
      client.id,
      `${year}-${String(m).padStart(2, '0')}`,
      new Date().toISOString(),
    );
    actsTotal += issued?.total ?? 0;
  }
  const reconciliation = await ctx.api.request('POST', '/client/v1/reconciliation-acts', {
    token: await clientToken(db, client.id),
    body: { from: `${year}-01-01`, to: `${year}-12-31` },
  });
  expect(reconciliation.status).toBe(201);
  const r = reconciliation.body;
  expect(r.servicesTiyn).toBe(actsTotal);
  expect(r.openingTiyn).toBe(0);
  expect(r.openingTiyn + r.paymentsTiyn - r.servicesTiyn + r.correctionsTiyn - r.refundsTiyn).toBe(r.closingTiyn);
  const balance = (await ctx.api.request('GET', '/client/v1/account', { token: await clientToken(db, client.id) }))
    .body;
  expect(r.closingTiyn).toBe(balance.available + balance.reserved);
  expect(r.paymentsTiyn).toBe(balance.totalPaidIn);
  expect(r.refundsTiyn).toBe(5000);
  const quarter = await ctx.api.request('POST', '/client/v1/reconciliation-acts', {
    token: await clientToken(db, client.id),
    body: { quarter: `${year}-Q2` },
  });
  expect(quarter.body).toMatchObject({ periodFrom: `${year}-04-01`, periodTo: `${year}-06-30` });
  const pdf = await fetch(ctx.api.url + r.pdf, {
    headers: { authorization: `Bearer ${await clientToken(db, client.id)}` },
  });
  expect(extractPdf(Buffer.from(await pdf.arrayBuffer())).text).toContain(squash(formatTenge(r.closingTiyn)));
});

test('6.5: the act’s VAT is the rate on each line’s net, rounded once; the difference from the VAT charged per download is booked, and the detailed report (6.9) is there on request', async () => {
  const { db } = ctx.database;
  // Five orders of one code each: 2,68 ₸ net, VAT 0,4288 → 0,43 charged at each download (2,15);
  // on the act's line 13,40 × 16% = 2,144 → 2,14: one tiyn goes back to the client.
  const { client } = await clientWithServices(db, 1, TEST_CODE_KEYS.current);
  for (let i = 0; i < 4; i++) await chargeClient(db, client, 1, TEST_CODE_KEYS.current);
  const charged = await db('ledger_entries as e')
    .join('ledger_accounts as a', 'a.id', 'e.account_id')
    .join('ledger_transactions as t', 't.id', 'e.transaction_id')
    .where({ 't.client_id': client.id, 't.kind': 'capture', 'a.kind': 'vat_payable' })
    .sum('e.amount as vat');
  expect(Number(charged[0].vat)).toBe(215);
  const before = (await ctx.api.request('GET', '/client/v1/account', { token: await clientToken(db, client.id) })).body;

  const activities = createActActivities({
    db,
    mailer: { send: async () => ({ messageId: '' }), close: () => undefined },
    clock: systemClock,
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
  const issued = (await activities.issueMonthlyAct(client.id, month, new Date().toISOString()))!;
  const act = await db('acts').where({ id: issued.actId }).first();
  expect(act).toMatchObject({ codes: 5, net: 1340, vat: 214, total: 1554 });
  expect(act.lines).toEqual([expect.objectContaining({ codes: 5, net: 1340, vat: 214, vatRateBp: 1600 })]);
  const rounding = await db('ledger_transactions').where({ client_id: client.id, kind: 'vat_rounding' });
  expect(rounding).toHaveLength(1);
  expect(rounding[0]).toMatchObject({ reference_type: 'act', reference_id: issued.actId });
  const after = (await ctx.api.request('GET', '/client/v1/account', { token: await clientToken(db, client.id) })).body;
  expect(after.available - before.available).toBe(1);
  expect(after.totalCharged).toBe(act.total);
  // Issued again (a retry): the same act, nothing booked twice.
  await activities.issueMonthlyAct(client.id, month, new Date().toISOString());
  expect(await db('ledger_transactions').where({ client_id: client.id, kind: 'vat_rounding' })).toHaveLength(1);

  // 6.9: the client asks for the detailed report without disputing anything.
  const token = await clientToken(db, client.id);
  const summary = (await ctx.api.request('GET', '/client/v1/acts', { token })).body.acts[0];
  const report = await fetch(ctx.api.url + summary.files.detailedReport, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(report.status).toBe(200);
  const text = extractPdf(Buffer.from(await report.arrayBuffer())).text;
  expect(text).toContain(client.gtins[0]);
  expect(text).toContain(squash('16%'));
  expect(text).toContain(squash(formatTenge(1554)));
});

test('6.5: every service lands in an act — charges that reach a month after its act go into a supplementary act, once', async () => {
  const { db } = ctx.database;
  const activities = createActActivities({
    db,
    mailer: { send: async () => ({ messageId: '' }), close: () => undefined },
    clock: systemClock,
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
  const { client } = await clientWithServices(db, 2, TEST_CODE_KEYS.current);
  const first = (await activities.issueMonthlyAct(client.id, month, new Date().toISOString()))!;
  expect(await db('acts').where({ id: first.actId }).first()).toMatchObject({ codes: 2 });
  // A charge committed after the act was issued, in the same month.
  await chargeClient(db, client, 3, TEST_CODE_KEYS.current);
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  expect(await activities.unactedMonthsBefore(next)).toContainEqual({ clientId: client.id, month });
  // The month's act is there: issued again it is the same act, still 2 codes.
  expect((await activities.issueMonthlyAct(client.id, month, new Date().toISOString()))!.actId).toBe(first.actId);

  const supplement = (await activities.issueSupplementaryAct(client.id, month, new Date().toISOString(), 'run-1'))!;
  const row = await db('acts').where({ id: supplement.actId }).first();
  expect(row).toMatchObject({ codes: 3, revision: 2, supplements_act_id: first.actId, replaces_act_id: null });
  expect(squash(extractPdf(row.pdf).text)).toContain(
    squash(`Дополнительный акт выполненных работ (оказанных услуг) № ${row.number}`),
  );
  expect(squash(extractPdf(row.pdf).text)).toContain(squash(`к акту № ${first.number}`));
  // Once: the same run again returns it; another run finds nothing left.
  expect((await activities.issueSupplementaryAct(client.id, month, new Date().toISOString(), 'run-1'))!.actId).toBe(
    supplement.actId,
  );
  expect(await activities.issueSupplementaryAct(client.id, month, new Date().toISOString(), 'run-2')).toBeNull();
  expect(await activities.unactedMonthsBefore(next)).not.toContainEqual({ clientId: client.id, month });
  // The acts together bill exactly what the ledger charged.
  const acts = await db('acts').where({ client_id: client.id, period_from: `${month}-01` });
  const charged = (await ctx.api.request('GET', '/client/v1/account', { token: await clientToken(db, client.id) })).body
    .totalCharged;
  expect(acts.reduce((sum, a) => sum + Number(a.total), 0)).toBe(charged);
});
