import { createHash, createPublicKey, verify } from 'node:crypto';
import { createActActivities } from '../../activities/acts';
import { registerTicket } from '../../db/tickets';
import { hashToken } from '../../lib/api-tokens';
import { localDateIn } from '../../lib/calendar';
import { systemClock } from '../../lib/clock';
import { eventually, expectApiError, TEST_CODE_KEYS, TEST_OPERATOR_SIGNER, useTestApi } from '../helpers/api';
import { signedClaimBody } from '../helpers/claims';
import { registerClient } from '../helpers/clients';
import { clientToken, insertClient, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { signedInstructionBody } from '../helpers/signed';
import { clientWithServices, fundedClient, line, placeOrder, randomGtin } from '../helpers/orders';
import { gs1PrefixOf, registerAcceptedProduct } from '../helpers/products';

// The success paths of the read routes (and the one token route) no other file calls: each over
// HTTP on real PostgreSQL and the Temporal dev server, with what the answer must contain, and
// that a client or a staff member sees only what is theirs to see.
let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });
const ZONE = 'Asia/Almaty';
const NONEXISTENT = '00000000-0000-4000-8000-000000000000';

let admin: { id: string; token: string };
let accountant: { id: string; token: string };
let support: { id: string; token: string };

beforeAll(async () => {
  const { db } = ctx.database;
  [admin, accountant, support] = await Promise.all([
    insertStaff(db, ['admin']),
    insertStaff(db, ['accountant']),
    insertStaff(db, ['support']),
  ]);
});

/** A client registered by staff through the API (with its personal account), and its token. */
async function registeredClient(name: string) {
  const binIin = randomBinIin();
  const created = await registerClient(ctx.api, ctx.database.db, admin.token, {
    binIin,
    name,
    email: `Reader-${binIin}@Example.kz`,
    requisites: { ...REQUISITES, companyName: name },
  });
  expect(created.status).toBe(201);
  const account = await ctx.database.db('personal_accounts').where({ client_id: created.body.id }).first('number');
  return {
    ...created.body,
    accountNumber: account.number as string,
    token: await clientToken(ctx.database.db, created.body.id),
  };
}

describe('staff: clients', () => {
  test('GET /staff/v1/clients/{id}: the client as registered, to every staff role; an unknown id is 404', async () => {
    const client = await registeredClient('ТОО «Чтение»');
    expect(client).toMatchObject({
      name: 'ТОО «Чтение»',
      email: `reader-${client.binIin}@example.kz`,
      status: 'active',
      omsId: expect.any(String),
    });
    for (const staff of [support, accountant, admin]) {
      const read = await ctx.api.request('GET', `/staff/v1/clients/${client.id}`, { token: staff.token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual({
        id: client.id,
        binIin: client.binIin,
        name: 'ТОО «Чтение»',
        email: client.email,
        status: 'active',
        omsId: client.omsId,
        createdAt: client.createdAt,
      });
    }
    const row = await ctx.database.db('clients').where({ id: client.id }).first();
    expect({ oms_id: row.oms_id, created_at: new Date(row.created_at).toISOString() }).toEqual({
      oms_id: client.omsId,
      created_at: client.createdAt,
    });
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/clients/${NONEXISTENT}`, { token: support.token }),
      404,
      'NOT_FOUND',
    );
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/clients/${client.id}`, { token: client.token }),
      403,
      'FORBIDDEN',
    );
  });

  test('POST /staff/v1/clients/{id}/tokens: the admin is given a secret once; it authenticates as that client; only its hash is stored', async () => {
    const client = await registeredClient('ТОО «Интеграция»');
    const issued = await ctx.api.request('POST', `/staff/v1/clients/${client.id}/tokens`, {
      token: admin.token,
      body: { label: '1С: обмен заказами' },
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^ismet_client_[A-Za-z0-9_-]{43}$/),
      scopes: ['station', 'cabinet'],
      expiresAt: expect.any(String),
    });
    const row = await ctx.database.db('api_tokens').where({ id: issued.body.id }).first();
    expect(row).toMatchObject({
      client_id: client.id,
      staff_user_id: null,
      label: '1С: обмен заказами',
      token_hash: hashToken(issued.body.token),
    });
    expect(JSON.stringify(row)).not.toContain(issued.body.token);

    const me = await ctx.api.request('GET', '/client/v1/me', { token: issued.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: client.id, binIin: client.binIin });
    // A second token is another secret; both work.
    const second = await ctx.api.request('POST', `/staff/v1/clients/${client.id}/tokens`, {
      token: admin.token,
      body: { label: 'склад' },
    });
    expect(second.status).toBe(201);
    expect(second.body.token).not.toBe(issued.body.token);
    expect((await ctx.api.request('GET', '/client/v1/me', { token: second.body.token })).body.id).toBe(client.id);
    expect((await ctx.api.request('GET', '/client/v1/me', { token: issued.body.token })).status).toBe(200);

    expectApiError(
      await ctx.api.request('POST', `/staff/v1/clients/${client.id}/tokens`, {
        token: support.token,
        body: { label: 'x' },
      }),
      403,
      'FORBIDDEN',
    );
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/clients/${NONEXISTENT}/tokens`, {
        token: admin.token,
        body: { label: 'x' },
      }),
      404,
      'NOT_FOUND',
    );
  });
});

describe('staff: money', () => {
  test('GET /staff/v1/payments/{id}: the payment as recorded and credited; GET …/account/statement: its operations newest first, with balances after, in pages', async () => {
    const client = await registeredClient('ТОО «Выписка»');
    const other = await registeredClient('ТОО «Соседи»');
    const documentDate = localDateIn(ZONE, new Date());
    const recorded = await ctx.api.request('POST', '/staff/v1/payments', {
      token: accountant.token,
      body: {
        documentNumber: '4711',
        documentDate,
        amountTiyn: 50_000_00,
        payerName: 'ТОО «Выписка»',
        payerBinIin: client.binIin,
        payerIik: 'KZ456018861000033571',
        payerBik: 'HSBKKZKX',
        knp: '859',
        purpose: `Пополнение лицевого счёта ${client.accountNumber}`,
      },
    });
    expect(recorded.status).toBe(201);
    const paymentId = recorded.body.payment.id;

    const read = await ctx.api.request('GET', `/staff/v1/payments/${paymentId}`, { token: support.token });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(recorded.body.payment);
    expect(read.body).toMatchObject({
      id: paymentId,
      status: 'credited',
      source: 'manual',
      documentNumber: '4711',
      documentDate,
      receivedOn: documentDate,
      amountTiyn: 50_000_00,
      payer: { name: 'ТОО «Выписка»', binIin: client.binIin, iik: 'KZ456018861000033571', bik: 'HSBKKZKX' },
      knp: '859',
      clientId: client.id,
      matchRule: 'account_number',
      unmatchedReason: null,
      ledgerTransactionId: expect.any(Number),
      importId: null,
      returnReason: null,
    });
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/payments/${NONEXISTENT}`, { token: accountant.token }),
      404,
      'NOT_FOUND',
    );
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/payments/${paymentId}`, { token: client.token }),
      403,
      'FORBIDDEN',
    );

    const corrected = await ctx.api.request('POST', `/staff/v1/clients/${client.id}/corrections`, {
      token: accountant.token,
      headers: { 'idempotency-key': `statement-${client.id}` },
      body: { amountTiyn: -1_500_00, reason: 'Ошибочно зачисленная сумма' },
    });
    expect(corrected.status).toBe(201);
    // Another client's movement is not on this statement.
    await ctx.api.request('POST', `/staff/v1/clients/${other.id}/corrections`, {
      token: accountant.token,
      headers: { 'idempotency-key': `statement-${other.id}` },
      body: { amountTiyn: 7_00, reason: 'Чужая корректировка' },
    });

    const statement = await ctx.api.request('GET', `/staff/v1/clients/${client.id}/account/statement`, {
      token: support.token,
    });
    expect(statement.status).toBe(200);
    expect(statement.body.next).toBeNull();
    expect(statement.body.lines).toEqual([
      {
        transactionId: expect.any(Number),
        at: expect.any(String),
        kind: 'correction',
        name: 'Корректировка',
        reference: { type: 'correction', id: `staff:statement-${client.id}` },
        clause: '6.6.4',
        memo: 'Ошибочно зачисленная сумма',
        availableChange: -1_500_00,
        reservedChange: 0,
        availableAfter: 48_500_00,
        reservedAfter: null,
        payment: null,
      },
      {
        transactionId: read.body.ledgerTransactionId,
        at: expect.any(String),
        kind: 'deposit',
        name: 'Пополнение лицевого счёта',
        reference: { type: 'payment', id: paymentId },
        clause: '6.2',
        memo: null,
        availableChange: 50_000_00,
        reservedChange: 0,
        availableAfter: 50_000_00,
        reservedAfter: null,
        // The bank document the payment came with.
        payment: { documentNumber: '4711', documentDate },
      },
    ]);
    expect(statement.body.lines[0].transactionId).toBeGreaterThan(statement.body.lines[1].transactionId);
    expect(Date.parse(statement.body.lines[0].at)).toBeGreaterThanOrEqual(Date.parse(statement.body.lines[1].at));

    // Paging: one line a page, `next` leads to the older one and then ends.
    const first = await ctx.api.request('GET', `/staff/v1/clients/${client.id}/account/statement?limit=1`, {
      token: accountant.token,
    });
    expect(first.body).toEqual({ lines: [statement.body.lines[0]], next: statement.body.lines[0].transactionId });
    const second = await ctx.api.request(
      'GET',
      `/staff/v1/clients/${client.id}/account/statement?limit=1&before=${first.body.next}`,
      { token: accountant.token },
    );
    expect(second.body).toEqual({ lines: [statement.body.lines[1]], next: null });
    // The period is of local dates in the operator's zone: today's holds both, a day long past none.
    const today = localDateIn(ZONE, new Date(Date.parse(statement.body.lines[0].at)));
    const yesterday = localDateIn(ZONE, new Date(Date.parse(statement.body.lines[1].at) - 86_400_000));
    const todays = await ctx.api.request(
      'GET',
      `/staff/v1/clients/${client.id}/account/statement?from=${localDateIn(ZONE, new Date(Date.parse(statement.body.lines[1].at)))}&to=${today}`,
      { token: admin.token },
    );
    expect(todays.body.lines).toEqual(statement.body.lines);
    const before = await ctx.api.request('GET', `/staff/v1/clients/${client.id}/account/statement?to=${yesterday}`, {
      token: admin.token,
    });
    expect(before.body).toEqual({ lines: [], next: null });

    expectApiError(
      await ctx.api.request('GET', `/staff/v1/clients/${NONEXISTENT}/account/statement`, { token: accountant.token }),
      404,
      'NOT_FOUND',
    );
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/clients/${client.id}/account/statement`, { token: client.token }),
      403,
      'FORBIDDEN',
    );
  });

  test('GET /staff/v1/clients/{id}/compensation-eligibility: the client’s unclaimed order breaches and breached tickets, and no one else’s', async () => {
    const db = ctx.database.db;
    const client = await fundedClient(db, 0);
    const other = await fundedClient(db, 0);
    const now = Date.now();
    const breachOf = async (owner: typeof client, hoursAgo: number, ready: boolean) => {
      const order = await placeOrder(db, owner, [line(owner.gtins[0], 10)], new Date(now - (hoursAgo + 4) * 3_600_000));
      const [row] = await db('order_breaches')
        .insert({
          order_id: order.orderId,
          client_id: owner.id,
          deadline_at: new Date(now - hoursAgo * 3_600_000),
          codes_ready_at: ready ? new Date(now - (hoursAgo - 1) * 3_600_000) : null,
        })
        .returning('*');
      return row;
    };
    const older = await breachOf(client, 30, true);
    const newer = await breachOf(client, 6, false);
    const claimed = await breachOf(client, 10, true);
    await db('order_breaches').where({ id: claimed.id }).update({ compensation_status: 'claimed' });
    await breachOf(other, 5, true);
    const ticketOf = async (owner: typeof client, subject: string, daysAgo: number) =>
      (
        await db.transaction((trx) =>
          registerTicket(trx, {
            clientId: owner.id,
            contactEmail: owner.email,
            channel: 'api',
            subject,
            body: '…',
            receivedAt: new Date(now - daysAgo * 86_400_000),
            author: 'client',
            priority: 'high',
          }),
        )
      ).ticket;
    const both = await ticketOf(client, 'Не работает эмиссия', 3);
    const reaction = await ticketOf(client, 'Не открывается кабинет', 2);
    await ticketOf(client, 'Вопрос по тарифу', 1); // answered in time: not eligible
    await db('tickets')
      .where({ id: both.id })
      .update({
        reaction_breached_at: new Date(now - 3 * 86_400_000 + 3_600_000),
        resolution_breached_at: new Date(now - 86_400_000),
      });
    await db('tickets')
      .where({ id: reaction.id })
      .update({ reaction_breached_at: new Date(now - 2 * 86_400_000 + 3_600_000) });
    const foreign = await ticketOf(other, 'Чужая заявка', 2);
    await db('tickets')
      .where({ id: foreign.id })
      .update({ reaction_breached_at: new Date(now - 86_400_000) });

    const eligible = await ctx.api.request('GET', `/staff/v1/clients/${client.id}/compensation-eligibility`, {
      token: accountant.token,
    });
    expect(eligible.status).toBe(200);
    expect(eligible.body).toEqual({
      // Newest deadline first; the claimed breach and the other client's are not there.
      orderBreaches: [
        {
          id: newer.id,
          orderId: newer.order_id,
          deadlineAt: new Date(newer.deadline_at).toISOString(),
          codesReadyAt: null,
        },
        {
          id: older.id,
          orderId: older.order_id,
          deadlineAt: new Date(older.deadline_at).toISOString(),
          codesReadyAt: new Date(older.codes_ready_at).toISOString(),
        },
      ],
      tickets: [
        { id: reaction.id, number: reaction.number, subject: 'Не открывается кабинет', missed: ['reaction'] },
        { id: both.id, number: both.number, subject: 'Не работает эмиссия', missed: ['reaction', 'resolution'] },
      ],
    });
    // The client sees the same list through its own route.
    expect(
      (await ctx.api.request('GET', '/client/v1/compensation-eligibility', { token: await clientToken(db, client.id) }))
        .body,
    ).toEqual(eligible.body);
    expect(
      (await ctx.api.request('GET', `/staff/v1/clients/${client.id}/compensation-eligibility`, { token: admin.token }))
        .body,
    ).toEqual(eligible.body);
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/clients/${client.id}/compensation-eligibility`, { token: support.token }),
      403,
      'FORBIDDEN',
    );
  });
});

describe('client: its own records', () => {
  test('GET /client/v1/tickets and /client/v1/tickets/{id}: the client’s tickets newest first, one with its messages; another client’s is not found', async () => {
    const db = ctx.database.db;
    const client = await insertClient(db);
    const other = await insertClient(db);
    const token = await clientToken(db, client.id);
    const otherToken = await clientToken(db, other.id);
    const open = async (t: string, subject: string, body: string) => {
      const opened = await ctx.api.request('POST', '/client/v1/tickets', { token: t, body: { subject, body } });
      expect(opened.status).toBe(201);
      return opened.body;
    };
    const first = await open(token, 'Не приходят коды', 'Заказ висит в статусе PENDING');
    const second = await open(token, 'Ошибка агрегации', 'Не могу агрегировать коды');
    const foreign = await open(otherToken, 'Чужое обращение', 'Текст');
    await ctx.api.request('POST', `/client/v1/tickets/${first.id}/messages`, {
      token,
      body: { body: 'Номер заказа 123' },
    });

    const listed = await ctx.api.request('GET', '/client/v1/tickets', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.tickets.map((t: { id: string }) => t.id)).toEqual([second.id, first.id]);
    for (const [ticket, subject] of [
      [second, 'Ошибка агрегации'],
      [first, 'Не приходят коды'],
    ] as const) {
      expect(listed.body.tickets.find((t: { id: string }) => t.id === ticket.id)).toMatchObject({
        number: ticket.number,
        clientId: client.id,
        contactEmail: client.email,
        channel: 'api',
        subject,
        line: 1,
        receivedAt: ticket.receivedAt,
      });
    }
    expect(first.number).toMatch(/^SD-\d{4}-\d{6}$/);
    expect(listed.body.tickets.find((t: { id: string }) => t.id === foreign.id)).toBeUndefined();

    const detail = await ctx.api.request('GET', `/client/v1/tickets/${first.id}`, { token });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      ticket: { id: first.id, number: first.number, subject: 'Не приходят коды', clientId: client.id },
      history: [],
      workflowId: `ticket-${first.id}`,
    });
    expect(
      detail.body.messages.map((m: { direction: string; author: string; body: string }) => [
        m.direction,
        m.author,
        m.body,
      ]),
    ).toEqual([
      ['in', 'client', 'Заказ висит в статусе PENDING'],
      ['in', 'client', 'Номер заказа 123'],
    ]);
    expect(detail.body.messages[0].at).toBe(first.receivedAt);
    expect(await db('ticket_messages').where({ ticket_id: first.id }).orderBy('id').pluck('body')).toEqual(
      detail.body.messages.map((m: { body: string }) => m.body),
    );

    expectApiError(await ctx.api.request('GET', `/client/v1/tickets/${foreign.id}`, { token }), 404, 'NOT_FOUND');
    expect(
      (await ctx.api.request('GET', '/client/v1/tickets', { token: otherToken })).body.tickets.map(
        (t: { id: string }) => t.id,
      ),
    ).toEqual([foreign.id]);
  });

  test('GET /client/v1/claims: the client’s claims newest first with their documents and status, as each reads alone', async () => {
    const db = ctx.database.db;
    const client = await insertClient(db);
    const other = await insertClient(db);
    const token = await clientToken(db, client.id);
    const doc = (kind: string, filename: string, text: string) => ({
      kind,
      filename,
      contentType: 'application/pdf',
      contentBase64: Buffer.from(text).toString('base64'),
    });
    // Signed with the company's EDS (9.4) when `binIin` is given; otherwise unsigned.
    const present = async (
      t: string,
      subject: string,
      documents: unknown[],
      amountClaimedTiyn?: number,
      binIin?: string,
    ) => {
      const body = {
        subject,
        demands: 'Возместить ущерб от простоя линии',
        signerName: 'Директор Иванов И.И.',
        documents,
        ...(amountClaimedTiyn ? { amountClaimedTiyn } : {}),
      };
      const presented = await ctx.api.request('POST', '/client/v1/claims', {
        token: t,
        body: binIin ? await signedClaimBody(ctx.api, pki, t, binIin, body) : body,
      });
      expect(presented.status).toBe(201);
      return presented.body;
    };
    const unsigned = await present(token, 'Без полномочий', [doc('basis', 'Заявка.pdf', '%PDF заявка')]);
    const considered = await present(
      token,
      'Просрочка эмиссии',
      [doc('authority', 'Доверенность.pdf', '%PDF доверенность'), doc('damage', 'Расчёт.pdf', '%PDF расчёт')],
      300_00,
      client.bin_iin,
    );
    await present(
      await clientToken(db, other.id),
      'Чужая претензия',
      [doc('authority', 'Доверенность.pdf', '%PDF')],
      undefined,
      other.bin_iin,
    );
    // The claim under review gets its due date from its workflow; then nothing changes for weeks.
    await eventually(async () => (await db('claims').where({ id: considered.id }).first('due_at')).due_at);

    const listed = await ctx.api.request('GET', '/client/v1/claims', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.claims.map((c: { id: string }) => c.id)).toEqual([considered.id, unsigned.id]);
    for (const claim of listed.body.claims)
      expect(claim).toEqual((await ctx.api.request('GET', `/client/v1/claims/${claim.id}`, { token })).body);
    const [review, notConsidered] = listed.body.claims;
    expect(review).toMatchObject({
      clientId: client.id,
      channel: 'api',
      subject: 'Просрочка эмиссии',
      status: 'under_review',
      amountClaimedTiyn: 300_00,
      dueAt: expect.any(String),
      overdue: false,
      answer: null,
      number: considered.number,
    });
    expect(review.documents).toEqual([
      {
        id: expect.any(Number),
        kind: 'authority',
        filename: 'Доверенность.pdf',
        contentType: 'application/pdf',
        sha256: createHash('sha256').update('%PDF доверенность').digest('hex'),
      },
      {
        id: expect.any(Number),
        kind: 'damage',
        filename: 'Расчёт.pdf',
        contentType: 'application/pdf',
        sha256: createHash('sha256').update('%PDF расчёт').digest('hex'),
      },
    ]);
    expect(notConsidered).toMatchObject({
      subject: 'Без полномочий',
      status: 'not_considered',
      dueAt: null,
      amountClaimedTiyn: null,
      documents: [expect.objectContaining({ kind: 'basis', filename: 'Заявка.pdf' })],
    });
  });

  test('GET /client/v1/products: the client’s catalogue by GTIN, as registered and changed, without other clients’ products', async () => {
    const db = ctx.database.db;
    const client = await insertClient(db);
    const other = await insertClient(db);
    const token = await clientToken(db, client.id);
    const [a, b] = [randomGtin(), randomGtin()].sort();
    expect((await ctx.api.request('GET', '/client/v1/products', { token })).body).toEqual({ products: [] });
    // Registered in the reverse of GTIN order; a 13-digit GTIN is stored as GTIN-14.
    // b awaits moderation with its evidence; a is accepted under the client's GS1 company prefix (issue #16).
    const second = await ctx.api.request('POST', '/client/v1/products', {
      token,
      body: {
        gtin: b,
        name: 'Ботинки мужские',
        attributes: { size: '42', color: 'чёрный' },
        evidence: { text: 'Договор дистрибуции № 7' },
      },
    });
    const moderator = await insertStaff(db, ['moderator']);
    const first = await registerAcceptedProduct(ctx.api, {
      staffToken: moderator.token,
      clientId: client.id,
      clientToken: token,
      gtin: a,
      sentGtin: a.slice(1),
      name: 'Туфли женские',
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    await ctx.api.request('POST', '/client/v1/products', {
      token: await clientToken(db, other.id),
      body: { gtin: randomGtin(), name: 'Чужие кеды' },
    });
    expect(
      (await ctx.api.request('PATCH', `/client/v1/products/${b}`, { token, body: { active: false } })).status,
    ).toBe(200);

    const listed = await ctx.api.request('GET', '/client/v1/products', { token });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      products: [
        {
          gtin: a,
          name: 'Туфли женские',
          attributes: {},
          active: true,
          createdAt: first.body.createdAt,
          rights: {
            status: 'accepted',
            basis: 'gs1_prefix',
            gs1Prefix: gs1PrefixOf(a),
            decidedAt: first.body.rights.decidedAt,
            reason: null,
          },
          evidence: null,
        },
        {
          gtin: b,
          name: 'Ботинки мужские',
          attributes: { size: '42', color: 'чёрный' },
          active: false,
          createdAt: second.body.createdAt,
          rights: { status: 'pending', basis: null, gs1Prefix: null, decidedAt: null, reason: null },
          evidence: { text: 'Договор дистрибуции № 7', document: null, submittedAt: second.body.evidence.submittedAt },
        },
      ],
    });
  });

  test('GET /client/v1/profile/history: each change of details with before and after, newest first, and the withdrawal of consent', async () => {
    const db = ctx.database.db;
    const client = await insertClient(db);
    const details = {
      companyName: client.name,
      email: client.email,
      iik: 'KZ86125KZT5004100100',
      bankName: 'АО «Банк»',
      bik: 'HSBKKZKX',
      phone: '+77011234567',
    };
    await db('clients').where({ id: client.id }).update({ details });
    const token = await clientToken(db, client.id);
    expect((await ctx.api.request('GET', '/client/v1/profile/history', { token })).body).toEqual({
      detailChanges: [],
      consentEvents: [],
    });

    const day = () => localDateIn(ZONE, new Date());
    const before = day();
    // Bank details change by the client's EDS-signed document (10.2.2, test/integration/signed-instructions.test.ts).
    const bank = await ctx.api.request('PATCH', '/client/v1/profile', {
      token,
      body: await signedInstructionBody(ctx.api, pki, token, client.bin_iin, 'details', {
        details: { iik: 'kz59 9261 8021 9300 0563', bankName: 'АО «Kaspi Bank»', bik: 'CASPKZKA' },
      }),
    });
    expect(bank.status).toBe(200);
    const phone = await ctx.api.request('PATCH', '/client/v1/profile', {
      token,
      body: { details: { phone: '+7 701 765 43 21' } },
    });
    expect(phone.status).toBe(200);
    const withdrawn = await ctx.api.request('POST', '/client/v1/consent/withdraw', {
      token,
      body: { note: 'Отзываю согласие' },
    });
    expect(withdrawn.status).toBe(200);
    const after = day();

    const history = await ctx.api.request('GET', '/client/v1/profile/history', { token });
    expect(history.status).toBe(200);
    const afterBank = { ...details, iik: 'KZ599261802193000563', bankName: 'АО «Kaspi Bank»', bik: 'CASPKZKA' };
    expect(history.body.detailChanges).toEqual([
      {
        id: expect.any(Number),
        occurredOn: expect.any(String),
        reportedLate: false,
        changedBy: 'client',
        changedAt: expect.any(String),
        before: afterBank,
        after: { ...afterBank, phone: '+77017654321' },
        signed: null,
      },
      {
        id: expect.any(Number),
        occurredOn: expect.any(String),
        reportedLate: false,
        changedBy: 'client',
        changedAt: expect.any(String),
        before: details,
        after: afterBank,
        signed: {
          basis: 'client_eds',
          signer: { commonName: expect.any(String), iin: expect.any(String), bin: client.bin_iin },
          signedAt: expect.any(String),
          powerOfAttorneyId: null,
        },
      },
    ]);
    const [newest, oldest] = history.body.detailChanges;
    expect(newest.id).toBeGreaterThan(oldest.id);
    // Reported without a date: the change happened on the day it was reported (the operator's zone).
    for (const change of [newest, oldest]) {
      expect([before, after]).toContain(change.occurredOn);
      expect(change.occurredOn).toBe(localDateIn(ZONE, new Date(change.changedAt)));
    }
    expect(history.body.consentEvents).toEqual([
      { kind: 'withdrawn', at: withdrawn.body.consent.withdrawnAt, note: 'Отзываю согласие' },
    ]);
    // Staff read the same history.
    expect(
      (await ctx.api.request('GET', `/staff/v1/clients/${client.id}/history`, { token: support.token })).body,
    ).toEqual(history.body);
    // Another client's history is its own (empty).
    expect(
      (
        await ctx.api.request('GET', '/client/v1/profile/history', {
          token: await clientToken(db, (await insertClient(db)).id),
        })
      ).body,
    ).toEqual({ detailChanges: [], consentEvents: [] });
  });
});

describe('public', () => {
  test('GET /v1/operator/keys: without a token, the public key of the signer of the acts, which verifies an issued act’s signature', async () => {
    const db = ctx.database.db;
    const { client } = await clientWithServices(db, 3, TEST_CODE_KEYS.current);
    // The month the services fell in, in the operator's zone.
    const charged = await db('ledger_transactions')
      .where({ client_id: client.id, kind: 'capture' })
      .first('created_at');
    const month = localDateIn(ZONE, new Date(charged.created_at)).slice(0, 7);
    const activities = createActActivities({
      db,
      mailer: { send: async () => ({ messageId: '' }), close: () => undefined },
      clock: systemClock,
      operatorSigner: TEST_OPERATOR_SIGNER,
    });
    const issued = await activities.issueMonthlyAct(client.id, month, new Date().toISOString());
    expect(issued).toMatchObject({ actId: expect.any(String), total: expect.any(Number) });
    const act = await db('acts').where({ id: issued!.actId }).first();

    const keys = await ctx.api.request('GET', '/v1/operator/keys');
    expect(keys.status).toBe(200);
    expect(keys.body.keys).toEqual([
      {
        keyId: TEST_OPERATOR_SIGNER.keyId,
        publicKeyPem: TEST_OPERATOR_SIGNER.publicKeyPem,
        firstUsedAt: expect.any(String),
      },
    ]);
    const [key] = keys.body.keys;
    expect(key.keyId).toBe(act.operator_key_id);
    expect(Math.abs(Date.parse(key.firstUsedAt) - Date.now())).toBeLessThan(5 * 60_000);
    // The published key is an EC P-256 key whose SPKI hash is its id.
    const publicKey = createPublicKey(key.publicKeyPem);
    expect(publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(
      createHash('sha256')
        .update(publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex')
        .slice(0, 16),
    ).toBe(key.keyId);

    // The act's PDF as the client downloads it verifies against the published key; altered, it does not.
    const token = await clientToken(db, client.id);
    const response = await fetch(`${ctx.api.url}/client/v1/acts/${act.id}/pdf`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const pdf = Buffer.from(await response.arrayBuffer());
    const signature = Buffer.from(act.operator_signature, 'base64');
    expect(verify('sha256', pdf, publicKey, signature)).toBe(true);
    const altered = Buffer.from(pdf);
    altered[altered.length >> 1] ^= 0x01;
    expect(verify('sha256', altered, publicKey, signature)).toBe(false);
  });
});
