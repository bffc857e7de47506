import { createHash, randomBytes } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { readCalendar } from '../../db/calendar-store';
import { clientBalance } from '../../db/ledger';
import { registerTicket } from '../../db/tickets';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { claimWorkflowId } from '../../workflows/claim';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { noticesSettled } from '../helpers/notices';
import { fundedClient, line, placeOrder } from '../helpers/orders';
import { isTo } from '../helpers/smtp';
import { createTestPki, TestPki } from '../helpers/joining';
import { signCms } from '../helpers/pki';

// Claims (9.2-9.4) and compensations (7.2, 7.3) through the API on the Temporal dev server,
// PostgreSQL and a real SMTP receiver: a claim without proof of the signer's authority is not
// considered; one with it is answered within 15 working days; a signed defect act is credited to
// the personal account and may not be refused; a demand for late-service damage rests on the
// client's recorded missed deadlines and is paid to the bank or refused. The signer's authority is
// proven by the client's EDS over the claim (9.4): see claim-authority.test.ts for the rule itself.
let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });

const calendar = async () =>
  new BusinessCalendar(await readCalendar(ctx.database.db), { ...DEFAULT_SETTINGS, zone: 'Asia/Almaty' });
const nthWorkingDayAfter = (c: BusinessCalendar, date: string, n: number) => {
  let day = date;
  for (let counted = 0; counted < n;) {
    day = addDaysToDate(day, 1);
    if (c.isWorkingDay(day)) counted++;
  }
  return day;
};
const ru = (date: string) => date.split('-').reverse().join('.');
const mailTo = (address: string, subject: (s: string) => boolean) =>
  ctx.smtp.waitFor(
    (m: ParsedMail) => (m.to as AddressObject | undefined)?.text === address && subject(m.subject ?? ''),
  );
const doc = (kind: string, filename: string, content: Buffer, contentType = 'application/pdf') => ({
  kind,
  filename,
  contentType,
  contentBase64: content.toString('base64'),
});
const claimBody = (documents: unknown[], extra: Record<string, unknown> = {}) => ({
  subject: 'Просрочка эмиссии кодов',
  demands: 'Коды по Заявке выданы через 9 часов вместо 4; требуем возместить простой линии.',
  signerName: 'Директор Иванов И.И.',
  documents,
  ...extra,
});
/** The claim signed with the client's own EDS (its BIN) over the document the API gives to sign (9.4). */
const signedBody = async (token: string, binIin: string, body: Record<string, unknown>) => {
  const { body: document } = await ctx.api.request('POST', '/client/v1/claims/document', { token, body });
  return {
    ...body,
    signature: Buffer.from(
      await signCms(await pki.signerFor(binIin), Buffer.from(document.documentBase64, 'base64')),
    ).toString('base64'),
  };
};
/** A download as bytes: the test client's helper reads bodies as text. */
const download = async (path: string, token: string) => {
  const response = await fetch(ctx.api.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
};

test('a claim without proof of the signer’s authority is not considered (9.4): recorded, the client told, nothing to answer', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  const token = await clientToken(db, client.id);
  const accountant = await insertStaff(db, ['accountant']);
  const presented = await ctx.api.request('POST', '/client/v1/claims', {
    token,
    body: claimBody([doc('basis', 'Заявка.pdf', Buffer.from('%PDF-1.4 заявка'))]),
  });
  expect(presented.status).toBe(201);
  expect(presented.body).toMatchObject({
    clientId: client.id,
    channel: 'api',
    status: 'not_considered',
    dueAt: null,
    answer: null,
    overdue: false,
    signerName: 'Директор Иванов И.И.',
    authority: { basis: null, notConsideredReason: 'NOT_SIGNED' },
  });
  expect(presented.body.documents).toEqual([
    {
      id: expect.any(Number),
      kind: 'basis',
      filename: 'Заявка.pdf',
      contentType: 'application/pdf',
      sha256: createHash('sha256').update('%PDF-1.4 заявка').digest('hex'),
    },
  ]);
  const number = presented.body.number;
  const mail = await mailTo(client.email, (s) => s === `Претензия № ${number} не подлежит рассмотрению`);
  expect(mail.text).toContain('п. 9.4');
  expect(mail.text).toContain(
    `от ${ru(new BusinessCalendar(await readCalendar(db), { ...DEFAULT_SETTINGS, zone: 'Asia/Almaty' }).localDate(presented.body.receivedAt))}`,
  );
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/claims/${presented.body.id}/answer`, {
      token: accountant.token,
      body: { decision: 'refused', answer: 'Претензия не подписана уполномоченным лицом' },
    }),
    409,
    'CLAIM_NOT_UNDER_REVIEW',
  );
  expect((await ctx.api.request('GET', `/client/v1/claims/${presented.body.id}`, { token })).body).toMatchObject({
    status: 'not_considered',
    answer: null,
  });
  // Even after the workflow ends the claim stays as recorded.
  expect(await db('claims').where({ id: presented.body.id }).first('status', 'due_at')).toEqual({
    status: 'not_considered',
    due_at: null,
  });
});

test('a claim signed with the client’s EDS is under review with a deadline of 15 working days (9.3); staff read its documents; a valid answer is e-mailed once', async () => {
  const db = ctx.database.db;
  const c = await calendar();
  const client = await insertClient(db);
  const other = await insertClient(db);
  const token = await clientToken(db, client.id);
  const accountant = await insertStaff(db, ['accountant']);
  const authority = randomBytes(64 * 1024);
  const presented = await ctx.api.request('POST', '/client/v1/claims', {
    token,
    body: await signedBody(
      token,
      client.bin_iin,
      claimBody(
        [
          doc('authority', 'Доверенность № 5.pdf', authority),
          doc('damage', 'расчёт.csv', Buffer.from('простой;часов\nлиния 1;5\n'), 'text/csv'),
        ],
        { amountClaimedTiyn: 500_00 },
      ),
    ),
  });
  expect(presented.status).toBe(201);
  expect(presented.body).toMatchObject({
    status: 'under_review',
    amountClaimedTiyn: 500_00,
    amountAwardedTiyn: null,
    authority: { basis: 'client_eds' },
  });
  expect(presented.body.documents.map((d: { kind: string; filename: string }) => [d.kind, d.filename])).toEqual([
    ['authority', 'Доверенность № 5.pdf'],
    ['damage', 'расчёт.csv'],
  ]);
  const { id, number } = presented.body;

  // 15 working days from the day after the receipt: due at the end (24:00) of the 15th.
  const receivedOn = c.localDate(presented.body.receivedAt);
  const lastDay = nthWorkingDayAfter(c, receivedOn, 15);
  const dueAt = await eventually(
    async () => (await ctx.api.request('GET', `/client/v1/claims/${id}`, { token })).body.dueAt,
  );
  expect(dueAt).toBe(new Date(`${addDaysToDate(lastDay, 1)}T00:00:00+05:00`).toISOString());
  const ack = await mailTo(client.email, (s) => s === `Претензия № ${number} принята к рассмотрению`);
  expect(ack.text).toContain(`от ${ru(receivedOn)}`);
  expect(ack.text).toContain(`не позднее ${ru(lastDay)}`);

  const desk = (await ctx.api.request('GET', '/staff/v1/claims?status=under_review', { token: accountant.token })).body
    .claims;
  expect(desk.find((x: { id: string }) => x.id === id)).toMatchObject({
    clientName: client.name,
    dueAt,
    status: 'under_review',
  });
  expect(
    (await ctx.api.request('GET', `/staff/v1/claims?clientId=${other.id}`, { token: accountant.token })).body.claims,
  ).toEqual([]);
  const file = await download(`/staff/v1/claims/${id}/documents/${presented.body.documents[0].id}`, accountant.token);
  expect(file.status).toBe(200);
  expect(file.headers.get('content-type')).toBe('application/pdf');
  expect(file.headers.get('content-disposition')).toContain(
    `filename*=UTF-8''${encodeURIComponent('Доверенность № 5.pdf')}`,
  );
  expect(file.bytes.equals(authority)).toBe(true);
  expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(presented.body.documents[0].sha256);
  expect((await download(`/staff/v1/claims/${id}/documents/${presented.body.documents[0].id}`, token)).status).toBe(
    403,
  );
  expectApiError(
    await ctx.api.request('GET', `/staff/v1/claims/${id}/documents/999999`, { token: accountant.token }),
    404,
    'NOT_FOUND',
  );
  // Another client sees nothing of it.
  expectApiError(
    await ctx.api.request('GET', `/client/v1/claims/${id}`, { token: await clientToken(db, other.id) }),
    404,
    'NOT_FOUND',
  );

  const answer = (body: Record<string, unknown>) =>
    ctx.api.request('POST', `/staff/v1/claims/${id}/answer`, { token: accountant.token, body });
  const tooMuch = await answer({
    decision: 'partially_satisfied',
    answer: 'Простой подтверждён частично',
    amountAwardedTiyn: 500_01,
  });
  expectApiError(tooMuch, 400, 'AMOUNT_EXCEEDS_CLAIM');
  expect(tooMuch.body.message).toContain('50000');
  expectApiError(
    await answer({ decision: 'refused', answer: 'Сроки не нарушены, см. журнал', amountAwardedTiyn: 100_00 }),
    400,
    'AMOUNT_WITH_REFUSAL',
  );
  expect(await db('claims').where({ id }).first('status', 'answer')).toEqual({ status: 'under_review', answer: null });

  const answered = await answer({
    decision: 'partially_satisfied',
    answer: 'Простой подтверждён на 3 часа из 5.',
    amountAwardedTiyn: 300_00,
  });
  expect(answered.status).toBe(200);
  expect(answered.body).toMatchObject({
    status: 'partially_satisfied',
    answer: 'Простой подтверждён на 3 часа из 5.',
    amountAwardedTiyn: 300_00,
    overdue: false,
  });
  expect(Date.now() - Date.parse(answered.body.answeredAt)).toBeLessThan(60_000);
  expect(await db('claims').where({ id }).first('answered_by')).toEqual({ answered_by: accountant.id });
  const reply = await mailTo(client.email, (s) => s.startsWith(`Ответ на претензию № ${number}`));
  expect(reply.subject).toBe(`Ответ на претензию № ${number}: удовлетворена частично`);
  expect(reply.text).toContain('Простой подтверждён на 3 часа из 5.');
  expect(reply.text).toContain('300,00');
  expectApiError(
    await answer({ decision: 'satisfied', answer: 'Удовлетворяем полностью' }),
    409,
    'CLAIM_NOT_UNDER_REVIEW',
  );
  expect((await ctx.api.request('GET', `/client/v1/claims/${id}`, { token })).body).toMatchObject({
    status: 'partially_satisfied',
    amountAwardedTiyn: 300_00,
  });
  // One answer only, e-mailed once: the claim's workflow is over (nothing can answer it again) and every notice
  // recorded for the client has been delivered — so every e-mail of theirs is in the receiver's list by now.
  expect(await ctx.api.temporal.client.workflow.getHandle(claimWorkflowId(id)).result()).toMatchObject({
    status: 'partially_satisfied',
  });
  const answers = (await noticesSettled(db, client.id)).filter((n) =>
    n.subject.startsWith(`Ответ на претензию № ${number}`),
  );
  expect(answers.map((n) => [n.status, n.attempts])).toEqual([['sent', 1]]);
  expect(
    ctx.smtp.messages
      .filter((m) => isTo(m, client.email) && m.subject?.startsWith(`Ответ на претензию № ${number}`))
      .map((m) => m.messageId),
  ).toEqual([answers[0].message_id]);
});

test('9.2-9.4: after the contract has ended its client still presents and follows claims about the time it ran — and does nothing else', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  const token = await clientToken(db, client.id);
  const endedAt = new Date(Date.now() - 3 * 86_400_000);
  await db('clients')
    .where({ id: client.id })
    .update({ status: 'terminated', contract_ended_at: endedAt, contract_end_reason: 'соглашение Сторон' });
  const endedOn = (await calendar()).localDate(endedAt);
  const body = (extra: Record<string, unknown>) =>
    claimBody([doc('authority', 'Доверенность.pdf', Buffer.from('%PDF доверенность'))], extra);

  expectApiError(
    await ctx.api.request('POST', '/client/v1/claims', {
      token,
      body: await signedBody(token, client.bin_iin, body({})),
    }),
    400,
    'CONCERNS_DATE_REQUIRED',
  );
  expectApiError(
    await ctx.api.request('POST', '/client/v1/claims', {
      token,
      body: await signedBody(token, client.bin_iin, body({ concernsDate: addDaysToDate(endedOn, 1) })),
    }),
    409,
    'CLAIM_AFTER_CONTRACT',
  );
  const presented = await ctx.api.request('POST', '/client/v1/claims', {
    token,
    body: await signedBody(token, client.bin_iin, body({ concernsDate: addDaysToDate(endedOn, -10) })),
  });
  expect(presented.status).toBe(201);
  expect(presented.body).toMatchObject({ status: 'under_review', concernsDate: addDaysToDate(endedOn, -10) });
  expect((await ctx.api.request('GET', `/client/v1/claims/${presented.body.id}`, { token })).body.id).toBe(
    presented.body.id,
  );
  expect(
    (await ctx.api.request('GET', '/client/v1/claims', { token })).body.claims.map((c: { id: string }) => c.id),
  ).toEqual([presented.body.id]);
  // The token does nothing else now.
  expectApiError(await ctx.api.request('GET', '/client/v1/account', { token }), 403, 'CONTRACT_ENDED');
  expectApiError(await ctx.api.request('POST', '/client/v1/refunds', { token, body: {} }), 403, 'CONTRACT_ENDED');
  // Staff record one received by post the same way: the originals proving authority examined by them (9.4).
  const accountant = await insertStaff(db, ['accountant']);
  const posted = await ctx.api.request('POST', '/staff/v1/claims', {
    token: accountant.token,
    body: {
      ...body({ concernsDate: endedOn }),
      clientId: client.id,
      channel: 'post',
      receivedAt: new Date().toISOString(),
    },
  });
  expect(posted.status).toBe(201);
});

test('staff register a claim received by post: its deadline runs from the receipt; a receipt in the future, a damaged or empty document are refused', async () => {
  const db = ctx.database.db;
  const c = await calendar();
  const client = await insertClient(db);
  const accountant = await insertStaff(db, ['accountant']);
  const register = (
    extra: Record<string, unknown>,
    documents: unknown[] = [doc('authority', 'Устав.pdf', Buffer.from('устав'))],
  ) =>
    ctx.api.request('POST', '/staff/v1/claims', {
      token: accountant.token,
      body: { ...claimBody(documents), clientId: client.id, channel: 'post', ...extra },
    });
  const receivedAt = new Date(Date.now() - 3 * 86_400_000).toISOString();

  expectApiError(
    await register({ receivedAt: new Date(Date.now() + 86_400_000).toISOString() }),
    400,
    'RECEIVED_IN_FUTURE',
  );
  expectApiError(
    await register({ receivedAt }, [
      { kind: 'authority', filename: 'a.pdf', contentType: 'application/pdf', contentBase64: 'not base64!' },
    ]),
    400,
    'INVALID_BASE64',
  );
  expectApiError(
    await register({ receivedAt }, [
      { kind: 'authority', filename: 'a.pdf', contentType: 'application/pdf', contentBase64: '    ' },
    ]),
    400,
    'EMPTY_DOCUMENT',
  );
  expectApiError(await register({ receivedAt, clientId: '00000000-0000-4000-8000-000000000000' }), 404, 'NOT_FOUND');
  expect(await db('claims').where({ client_id: client.id })).toHaveLength(0);

  const registered = await register({ receivedAt });
  expect(registered.status).toBe(201);
  expect(registered.body).toMatchObject({
    channel: 'post',
    status: 'under_review',
    receivedAt,
    clientName: client.name,
    authority: { basis: 'paper_originals' },
  });
  expect(await db('claims').where({ id: registered.body.id }).first('recorded_by')).toEqual({
    recorded_by: accountant.id,
  });
  const lastDay = nthWorkingDayAfter(c, c.localDate(receivedAt), 15);
  const due = await eventually(
    async () => (await db('claims').where({ id: registered.body.id }).first('due_at')).due_at,
  );
  expect(new Date(due).toISOString()).toBe(new Date(`${addDaysToDate(lastDay, 1)}T00:00:00+05:00`).toISOString());
});

test('a signed defect act (7.2) is credited to the personal account in the amount it states and may not be refused', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 1_000_00);
  const stranger = await insertClient(db);
  const accountant = await insertStaff(db, ['accountant']);
  const { body: strangersClaim } = await ctx.api.request('POST', '/client/v1/claims', {
    token: await clientToken(db, stranger.id),
    body: claimBody([]),
  });
  const act = {
    clientId: client.id,
    basis: 'defect_act',
    description: 'Дефектный акт № 12: коды не выданы 14.11',
    amountTiyn: 250_00,
    eventAt: new Date(Date.now() - 3_600_000).toISOString(),
  };
  const open = (extra: Record<string, unknown>) =>
    ctx.api.request('POST', '/staff/v1/compensations', { token: accountant.token, body: { ...act, ...extra } });

  expectApiError(await open({ payTo: 'bank' }), 400, 'PAY_TO_ACCOUNT');
  expectApiError(
    await open({ payTo: 'account', eventAt: new Date(Date.now() + 86_400_000).toISOString() }),
    400,
    'EVENT_IN_FUTURE',
  );
  expectApiError(await open({ payTo: 'account', claimId: strangersClaim.id }), 400, 'CLAIM_NOT_FOUND');
  expect(await db('compensations').where({ client_id: client.id })).toHaveLength(0);

  const opened = await open({ payTo: 'account' });
  expect(opened.status).toBe(201);
  expect(opened.body).toMatchObject({
    clientId: client.id,
    clientName: client.name,
    basis: 'defect_act',
    payTo: 'account',
    status: 'pending',
    amountClaimedTiyn: 250_00,
    amountPaidTiyn: null,
    breaches: [],
  });
  const id = opened.body.id;
  const decide = (path: string, body: Record<string, unknown>) =>
    ctx.api.request('POST', `/staff/v1/compensations/${id}/${path}`, { token: accountant.token, body });

  expectApiError(await decide('refuse', { reason: 'Акт оспаривается' }), 409, 'REFUSAL_NOT_ALLOWED');
  expectApiError(await decide('pay', { amountTiyn: 200_00 }), 409, 'AMOUNT_FIXED_BY_ACT');
  expectApiError(await decide('pay', { amountTiyn: 250_01 }), 400, 'AMOUNT_EXCEEDS_CLAIM');
  expect((await clientBalance(db, client.id)).available).toBe(1_000_00);

  const paid = await decide('pay', { amountTiyn: 250_00 });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({ status: 'paid', amountPaidTiyn: 250_00 });
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 1_250_00, totalCompensated: 250_00 });
  const tx = await db('ledger_transactions')
    .where({ reference_type: 'compensation', reference_id: id })
    .first('kind', 'client_id', 'clause');
  expect(tx).toEqual({ kind: 'compensation', client_id: client.id, clause: '7.2' });
  const mail = await mailTo(client.email, (s) => s.startsWith('Компенсация'));
  expect(mail.subject).toBe('Компенсация 250,00\u00a0₸');
  expect(mail.text).toContain('п. 7.2');
  expect(mail.text).toContain('зачислена на ваш лицевой счёт');
  expectApiError(await decide('pay', { amountTiyn: 250_00 }), 409, 'COMPENSATION_DECIDED');
  expectApiError(await decide('refuse', { reason: 'Поздно' }), 409, 'COMPENSATION_DECIDED');
  expect((await clientBalance(db, client.id)).available).toBe(1_250_00);
});

test('a demand for late-service damage (7.3) rests on the client’s own missed deadlines; paid to the bank, the balance stays; refused, the breach is settled', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 1_000_00);
  await db('clients')
    .where({ id: client.id })
    .update({ details: { iik: 'KZ86125KZT5004100100' } });
  const token = await clientToken(db, client.id);
  const accountant = await insertStaff(db, ['accountant']);
  const other = await fundedClient(db, 0);
  const breachOf = async (owner: typeof client) => {
    const order = await placeOrder(db, owner, [line(owner.gtins[0], 10)], new Date(Date.now() - 10 * 3_600_000));
    const [row] = await db('order_breaches')
      .insert({
        order_id: order.orderId,
        client_id: owner.id,
        deadline_at: new Date(Date.now() - 6 * 3_600_000),
        codes_ready_at: new Date(Date.now() - 3_600_000),
      })
      .returning('*');
    return row;
  };
  const [first, second, foreign] = [await breachOf(client), await breachOf(client), await breachOf(other)];
  const { ticket } = await db.transaction((trx) =>
    registerTicket(trx, {
      clientId: client.id,
      contactEmail: client.email,
      channel: 'api',
      subject: 'Не работает эмиссия',
      body: '…',
      receivedAt: new Date(Date.now() - 2 * 86_400_000),
      author: 'client',
      priority: 'high',
    }),
  );
  await db('tickets')
    .where({ id: ticket.id })
    .update({ resolution_breached_at: new Date(Date.now() - 86_400_000) });
  const demand = (breaches: unknown[], extra: Record<string, unknown> = {}) =>
    ctx.api.request('POST', '/client/v1/compensation-demands', {
      token,
      body: {
        breaches,
        amountTiyn: 400_00,
        description: 'Простой линии из-за просрочки выдачи кодов',
        payTo: 'bank',
        ...extra,
      },
    });

  const eligible = (await ctx.api.request('GET', '/client/v1/compensation-eligibility', { token })).body;
  expect(eligible.orderBreaches.map((b: { id: string }) => b.id).sort()).toEqual([first.id, second.id].sort());
  expect(eligible.orderBreaches.find((b: { id: string }) => b.id === first.id)).toMatchObject({
    orderId: first.order_id,
    deadlineAt: new Date(first.deadline_at).toISOString(),
  });
  expect(eligible.tickets).toEqual([
    { id: ticket.id, number: ticket.number, subject: 'Не работает эмиссия', missed: ['resolution'] },
  ]);

  expectApiError(await demand([]), 400, 'VALIDATION_FAILED');
  // A demand received on paper and recorded by staff names its breaches as well.
  const paper = {
    clientId: client.id,
    basis: 'late_service',
    description: 'Требование о возмещении простоя',
    amountTiyn: 100_00,
    eventAt: new Date().toISOString(),
    payTo: 'bank',
  };
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/compensations', { token: accountant.token, body: paper }),
    400,
    'NO_BREACH',
  );
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/compensations', {
      token: accountant.token,
      body: { ...paper, breaches: [] },
    }),
    400,
    'NO_BREACH',
  );
  expectApiError(await demand([{ type: 'order_breach', id: foreign.id }]), 400, 'NOT_A_BREACH');
  expectApiError(await demand([{ type: 'order_breach', id: 'not-a-uuid' }]), 400, 'NOT_A_BREACH');
  expectApiError(await demand([{ type: 'ticket', id: 'SD-2026-999999' }]), 400, 'NOT_A_BREACH');
  expectApiError(
    await demand([
      { type: 'order_breach', id: first.id },
      { type: 'order_breach', id: foreign.id },
    ]),
    400,
    'NOT_A_BREACH',
  );
  expect(await db('order_breaches').where({ id: first.id }).first('compensation_status')).toEqual({
    compensation_status: 'eligible',
  });

  const made = await demand([
    { type: 'order_breach', id: first.id },
    { type: 'ticket', id: ticket.number },
  ]);
  expect(made.status).toBe(201);
  expect(made.body).toMatchObject({
    basis: 'late_service',
    status: 'pending',
    payTo: 'bank',
    amountClaimedTiyn: 400_00,
    breaches: [
      { type: 'order_breach', id: first.id },
      { type: 'ticket', id: ticket.number },
    ],
  });
  expect(await db('order_breaches').where({ id: first.id }).first('compensation_status')).toEqual({
    compensation_status: 'claimed',
  });
  const after = (await ctx.api.request('GET', '/client/v1/compensation-eligibility', { token })).body;
  expect(after.orderBreaches.map((b: { id: string }) => b.id)).toEqual([second.id]);
  // Each missed deadline backs one demand: the ticket, named by its number before, by its id now, too.
  expect(after.tickets).toEqual([]);
  expectApiError(await demand([{ type: 'order_breach', id: first.id }]), 400, 'NOT_A_BREACH');
  expectApiError(await demand([{ type: 'ticket', id: ticket.id }]), 400, 'NOT_A_BREACH');
  expectApiError(await demand([{ type: 'ticket', id: ticket.number }]), 400, 'NOT_A_BREACH');

  const decide = (id: string, path: string, body: Record<string, unknown>) =>
    ctx.api.request('POST', `/staff/v1/compensations/${id}/${path}`, { token: accountant.token, body });
  expectApiError(await decide(made.body.id, 'pay', { amountTiyn: 400_01 }), 400, 'AMOUNT_EXCEEDS_CLAIM');
  // The actual damage established may be less than demanded (7.3).
  const paid = await decide(made.body.id, 'pay', { amountTiyn: 150_00 });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({ status: 'paid', amountPaidTiyn: 150_00 });
  const tx = await db('ledger_transactions')
    .where({ reference_type: 'compensation', reference_id: made.body.id })
    .first('kind', 'client_id', 'clause');
  expect(tx).toEqual({ kind: 'compensation_payout', client_id: client.id, clause: '7.3' });
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 1_000_00, totalCompensated: 0 });
  expect(await db('order_breaches').where({ id: first.id }).first('compensation_status')).toEqual({
    compensation_status: 'paid',
  });
  const mail = await mailTo(client.email, (s) => s === 'Компенсация 150,00\u00a0₸');
  expect(mail.text).toContain('перечисляется на ваш банковский счёт KZ86125KZT5004100100');
  expect(mail.text).toContain('п. 7.3');

  const refusedDemand = await demand([{ type: 'order_breach', id: second.id }], {
    payTo: 'account',
    amountTiyn: 90_00,
  });
  expect(refusedDemand.status).toBe(201);
  const refused = await decide(refusedDemand.body.id, 'refuse', {
    reason: 'Просрочка вызвана сбоем на стороне клиента',
  });
  expect(refused.status).toBe(200);
  expect(refused.body).toMatchObject({
    status: 'refused',
    decisionReason: 'Просрочка вызвана сбоем на стороне клиента',
    amountPaidTiyn: null,
  });
  expect(await db('order_breaches').where({ id: second.id }).first('compensation_status')).toEqual({
    compensation_status: 'refused',
  });
  const refusal = await mailTo(client.email, (s) => s === 'Ответ на требование о возмещении ущерба');
  expect(refusal.text).toContain('Просрочка вызвана сбоем на стороне клиента');
  expectApiError(await decide(refusedDemand.body.id, 'pay', { amountTiyn: 90_00 }), 409, 'COMPENSATION_DECIDED');
  expect((await clientBalance(db, client.id)).available).toBe(1_000_00);

  const mine = (await ctx.api.request('GET', '/client/v1/compensations', { token })).body.compensations;
  expect(mine.map((x: { id: string; status: string }) => [x.id, x.status]).sort()).toEqual(
    [
      [made.body.id, 'paid'],
      [refusedDemand.body.id, 'refused'],
    ].sort(),
  );
  const desk = (
    await ctx.api.request('GET', `/staff/v1/compensations?clientId=${client.id}&status=paid`, {
      token: accountant.token,
    })
  ).body.compensations;
  expect(desk.map((x: { id: string }) => x.id)).toEqual([made.body.id]);
  expect((await ctx.api.request('GET', '/client/v1/compensation-eligibility', { token })).body.orderBreaches).toEqual(
    [],
  );
});

test('two demands at once on the same missed deadline: one is taken, the other refused', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 0);
  const token = await clientToken(db, client.id);
  const order = await placeOrder(db, client, [line(client.gtins[0], 1)], new Date(Date.now() - 10 * 3_600_000));
  const [breach] = await db('order_breaches')
    .insert({ order_id: order.orderId, client_id: client.id, deadline_at: new Date(Date.now() - 6 * 3_600_000) })
    .returning('*');
  const body = {
    breaches: [{ type: 'order_breach', id: breach.id }],
    amountTiyn: 100_00,
    description: 'Простой линии из-за просрочки',
    payTo: 'account',
  };
  const answers = await Promise.all(
    [1, 2, 3].map(() => ctx.api.request('POST', '/client/v1/compensation-demands', { token, body })),
  );
  expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400]);
  expect(answers.filter((a) => a.status === 400).map((a) => a.body.code)).toEqual(['NOT_A_BREACH', 'NOT_A_BREACH']);
  expect(await db('compensations').where({ client_id: client.id })).toHaveLength(1);
});

test('roles: only accountants and admins handle refunds, claims and compensations; clients reach none of the staff routes', async () => {
  const db = ctx.database.db;
  const support = await insertStaff(db, ['support']);
  const moderator = await insertStaff(db, ['moderator']);
  const admin = await insertStaff(db, ['admin']);
  const client = await insertClient(db);
  const token = await clientToken(db, client.id);
  for (const path of ['/staff/v1/refunds', '/staff/v1/claims', '/staff/v1/compensations']) {
    expectApiError(await ctx.api.request('GET', path, { token: support.token }), 403, 'FORBIDDEN');
    expectApiError(await ctx.api.request('GET', path, { token: moderator.token }), 403, 'FORBIDDEN');
    expectApiError(await ctx.api.request('GET', path, { token }), 403, 'FORBIDDEN');
    expectApiError(await ctx.api.request('GET', path), 401, 'UNAUTHENTICATED');
    expect((await ctx.api.request('GET', path, { token: admin.token })).status).toBe(200);
  }
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/compensations', {
      token: support.token,
      body: {
        clientId: client.id,
        basis: 'defect_act',
        description: 'Дефектный акт № 1',
        amountTiyn: 100,
        eventAt: new Date().toISOString(),
        payTo: 'account',
      },
    }),
    403,
    'FORBIDDEN',
  );
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/refunds/00000000-0000-4000-8000-000000000000/pay', {
      token: support.token,
      body: { bankFeeTiyn: 0 },
    }),
    403,
    'FORBIDDEN',
  );
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/claims/00000000-0000-4000-8000-000000000000/answer', {
      token: support.token,
      body: { decision: 'refused', answer: 'Нет оснований для удовлетворения' },
    }),
    403,
    'FORBIDDEN',
  );
  expectApiError(
    await ctx.api.request('POST', '/client/v1/claims', { token: support.token, body: claimBody([]) }),
    403,
    'FORBIDDEN',
  );
});
