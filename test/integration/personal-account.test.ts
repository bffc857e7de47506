import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { lockDocumentCounter } from '../../db/document-counters';
import { localDateIn } from '../../lib/calendar';
import { formatMoney } from '../../lib/format-ru';
import { formatTenge, priceOfCodes, splitTotal } from '../../lib/money';
import { OPERATOR } from '../../lib/operator';
import { eventually, expectApiError, TEST_CODE_KEYS, useTestApi } from '../helpers/api';
import { chargeClient, fundedClient } from '../helpers/orders';
import { registerClient } from '../helpers/clients';
import { clientToken, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { noticesSettled } from '../helpers/notices';
import { extractPdf, squash } from '../helpers/pdf-text';
import { isTo } from '../helpers/smtp';

// The personal account through the API, on real PostgreSQL, the Temporal dev server and SMTP.
// Each test makes the clients whose balances, statements and invoices it counts: none depends on
// another having run before it.
const ctx = useTestApi();
const today = () => localDateIn('Asia/Almaty', new Date());

interface TestClient {
  id: string;
  binIin: string;
  email: string;
  accountNumber: string;
  token: string;
}

let accountant: { token: string };
let admin: { token: string };
let support: { token: string };

async function createClient(name: string, login: string): Promise<TestClient> {
  const binIin = randomBinIin();
  const email = `${login}-${binIin}@example.kz`;
  const created = await registerClient(ctx.api, ctx.database.db, admin.token, {
    binIin,
    name: `ТОО «${name}»`,
    email,
    requisites: { ...REQUISITES, companyName: `ТОО «${name}»` },
  });
  expect(created.status).toBe(201);
  const account = await ctx.database.db('personal_accounts').where({ client_id: created.body.id }).first();
  return {
    id: created.body.id,
    binIin,
    email,
    accountNumber: account.number,
    token: await clientToken(ctx.database.db, created.body.id),
  };
}

const balanceOf = async (client: TestClient) =>
  (await ctx.api.request('GET', '/client/v1/account', { token: client.token })).body;
const record = (body: Record<string, unknown>) =>
  ctx.api.request('POST', '/staff/v1/payments', { token: accountant.token, body });
const mailsTo = (email: string) => ctx.smtp.messages.filter((m) => isTo(m, email));
/** A top-up naming the client's personal account, credited at once. */
const topUp = async (client: TestClient, documentNumber: string, amountTiyn: number) => {
  const recorded = await record({
    documentNumber,
    documentDate: '2026-11-25',
    amountTiyn,
    payerName: 'ТОО «Плательщик»',
    payerBinIin: client.binIin,
    purpose: `Аванс, л/с ${client.accountNumber}`,
  });
  expect({ status: recorded.status, outcome: recorded.body.status }).toEqual({ status: 201, outcome: 'credited' });
  return recorded.body.payment;
};
/** The invoice numbers taken so far, by year: numbering is per year and shared by every client. */
const invoiceCounters = async () =>
  new Map<number, number>(
    (await ctx.database.db('document_counters').where({ kind: 'invoice' })).map((c: { year: number; last: number }) => [
      c.year,
      c.last,
    ]),
  );
const seqOf = (number: string) => ({ year: Number(number.slice(0, 4)), seq: Number(number.slice(5)) });
const invoiceNumber = (year: number, seq: number) => `${year}-${String(seq).padStart(6, '0')}`;
/** The number of the invoice issued on `issuedOn` right after `last`, of numbers `taken` before: numbering restarts each year. */
const following = (taken: Map<number, number>, last: { year: number; seq: number }, issuedOn: string) => {
  const year = Number(issuedOn.slice(0, 4));
  return invoiceNumber(year, year === last.year ? last.seq + 1 : (taken.get(year) ?? 0) + 1);
};

beforeAll(async () => {
  const { db } = ctx.database;
  accountant = await insertStaff(db, ['accountant']);
  admin = await insertStaff(db, ['admin']);
  support = await insertStaff(db, ['support']);
});

describe('top-ups recorded by an accountant (3.4, 6.2)', () => {
  test('a payment naming the personal account is credited once, and the client is told by e-mail once', async () => {
    const alpha = await createClient('Альфа', 'alpha');
    const payment = {
      documentNumber: '101',
      documentDate: '2026-11-20',
      receivedOn: '2026-11-23',
      amountTiyn: 50_000_00,
      payerName: 'ТОО «Альфа»',
      payerBinIin: alpha.binIin,
      payerIik: 'KZ456018861000033571',
      purpose: `Пополнение лицевого счёта ${alpha.accountNumber} по договору`,
    };
    const first = await record(payment);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'credited',
      payment: { clientId: alpha.id, matchRule: 'account_number', amountTiyn: 50_000_00, receivedOn: '2026-11-23' },
    });
    const mail = await ctx.smtp.waitFor(
      (m) => isTo(m, alpha.email) && (m.subject?.includes(alpha.accountNumber) ?? false),
    );
    expect(squash(mail.text!)).toContain(
      squash(`зачислено ${formatMoney(50_000_00)} по платёжному документу № 101 от 20.11.2026`),
    );
    expect(squash(mail.text!)).toContain('23.11.2026');

    const again = await record(payment);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', payment: { id: first.body.payment.id } });
    expect(await balanceOf(alpha)).toMatchObject({
      available: 50_000_00,
      reserved: 0,
      totalPaidIn: 50_000_00,
      accountNumber: alpha.accountNumber,
    });
    // Told once: the duplicate recorded no notice (it would have, in its request), and the one notice has been
    // delivered — after which every e-mail of it, a retry's second copy included, is in the receiver's list.
    const notices = await noticesSettled(ctx.database.db, alpha.id);
    expect(notices.map((n) => [n.topic, n.status, n.attempts])).toEqual([
      [`payment:${first.body.payment.id}`, 'sent', 1],
    ]);
    expect(mailsTo(alpha.email).map((m) => m.messageId)).toEqual([notices[0].message_id]);
  });

  test('a payment that names no account waits in the queue; the accountant assigns one and returns another', async () => {
    const [alpha, beta] = [await createClient('Альфа', 'alpha'), await createClient('Бета', 'beta')];
    const unmatched = await record({
      documentNumber: '7',
      documentDate: '2026-11-24',
      amountTiyn: 12_345,
      payerName: 'ИП Неизвестный',
      purpose: 'Оплата за услуги',
    });
    expect(unmatched.body).toMatchObject({
      status: 'unassigned',
      payment: { clientId: null, unmatchedReason: expect.stringContaining('names no personal account') },
    });
    const stray = await record({
      documentNumber: '8',
      documentDate: '2026-11-24',
      amountTiyn: 999,
      payerName: 'ИП Другой',
      purpose: 'ошибочный платёж',
    });

    const queue = await ctx.api.request('GET', '/staff/v1/payments', { token: support.token });
    expect(queue.body.payments.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining([unmatched.body.payment.id, stray.body.payment.id]),
    );

    expectApiError(
      await ctx.api.request('POST', `/staff/v1/payments/${unmatched.body.payment.id}/assign`, {
        token: support.token,
        body: { clientId: beta.id },
      }),
      403,
      'FORBIDDEN',
    );
    const assigned = await ctx.api.request('POST', `/staff/v1/payments/${unmatched.body.payment.id}/assign`, {
      token: accountant.token,
      body: { clientId: beta.id },
    });
    expect(assigned.body).toMatchObject({ status: 'credited', clientId: beta.id, matchRule: 'manual' });
    await ctx.smtp.waitFor((m) => isTo(m, beta.email) && (m.subject?.includes(beta.accountNumber) ?? false));
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/payments/${unmatched.body.payment.id}/assign`, {
        token: accountant.token,
        body: { clientId: alpha.id },
      }),
      409,
      'PAYMENT_NOT_UNASSIGNED',
    );

    const returned = await ctx.api.request('POST', `/staff/v1/payments/${stray.body.payment.id}/return`, {
      token: accountant.token,
      body: { reason: 'Плательщик не является клиентом' },
    });
    expect(returned.body).toMatchObject({ status: 'returned', returnReason: 'Плательщик не является клиентом' });
    expect((await balanceOf(beta)).available).toBe(12_345);
  });

  test('bad input is refused with the field named, and records nothing', async () => {
    const before = await ctx.database.db('bank_payments').count('* as n');
    const badBin = await record({
      documentNumber: '9',
      documentDate: '2026-11-24',
      amountTiyn: 100,
      payerName: 'X',
      payerBinIin: '123456789012',
      purpose: 'x',
    });
    expectApiError(badBin, 400, 'VALIDATION_FAILED');
    expect(badBin.body.details[0].path).toBe('/payerBinIin');
    expectApiError(
      await record({ documentNumber: '9', documentDate: '2026-11-24', amountTiyn: 0, payerName: 'X', purpose: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    expectApiError(
      await record({ documentNumber: '9', documentDate: '24.11.2026', amountTiyn: 10, payerName: 'X', purpose: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await ctx.database.db('bank_payments').count('* as n')).toEqual(before);
  });
});

function statement1c(
  rows: {
    number: string;
    date: string;
    amount: string;
    payer: string;
    payerBin: string;
    purpose: string;
    incoming?: boolean;
  }[],
) {
  const lines = [
    '1CClientBankExchange',
    'ВерсияФормата=1.03',
    'Кодировка=Windows',
    'Отправитель=Halyk Business',
    `РасчСчет=${OPERATOR.iik}`,
  ];
  for (const r of rows) {
    const [ours, theirs] = [OPERATOR.iik, 'KZ926018861000012345'];
    lines.push(
      'СекцияДокумент=Платежное поручение',
      `НомерДокумента=${r.number}`,
      `ДатаДокумента=${r.date}`,
      `ДатаОперации=${r.date}`,
      `Сумма=${r.amount}`,
      `ПлательщикНаименование=${r.payer}`,
      `ПлательщикБИН_ИИН=${r.payerBin}`,
      `ПлательщикИИК=${r.incoming === false ? ours : theirs}`,
      `ПолучательНаименование=АО «Казахтелеком»`,
      `ПолучательИИК=${r.incoming === false ? theirs : ours}`,
      `НазначениеПлатежа=${r.purpose}`,
      'КодНазначенияПлатежа=859',
      'КонецДокумента',
    );
  }
  lines.push('КонецФайла');
  return lines.join('\r\n') + '\r\n';
}

describe('bank statements imported through the API', () => {
  const importFile = (body: Buffer, query = '') =>
    ctx.api.request('POST', `/staff/v1/bank-statements${query}`, {
      token: accountant.token,
      body,
      headers: { 'content-type': 'application/octet-stream' },
    });

  test('1C exchange files in Windows-1251 and UTF-8: matched by account number, BIN in the purpose or payer BIN; re-import credits nothing twice', async () => {
    const [alpha, beta] = [await createClient('Альфа', 'alpha'), await createClient('Бета', 'beta')];
    const text = statement1c([
      {
        number: '501',
        date: '25.11.2026',
        amount: '1000.50',
        payer: 'ТОО «Альфа»',
        payerBin: randomBinIin(),
        purpose: `Аванс, л/с ${alpha.accountNumber}`,
      },
      {
        number: '502',
        date: '25.11.2026',
        amount: '200',
        payer: 'ТОО «Посредник»',
        payerBin: randomBinIin(),
        purpose: `За ТОО «Бета» БИН ${beta.binIin} аванс`,
      },
      {
        number: '503',
        date: '25.11.2026',
        amount: '300,25',
        payer: 'ТОО «Бета»',
        payerBin: beta.binIin,
        purpose: 'Предоплата за коды маркировки',
      },
      {
        number: '504',
        date: '25.11.2026',
        amount: '77',
        payer: 'Кто-то',
        payerBin: randomBinIin(),
        purpose: 'Непонятный платёж',
      },
      {
        number: '505',
        date: '25.11.2026',
        amount: '55',
        payer: 'АО «Казахтелеком»',
        payerBin: OPERATOR.binIin,
        purpose: 'Исходящий платёж',
        incoming: false,
      },
    ]);
    const cp1251 = await importFile(iconv.encode(text, 'win1251'), '?fileName=halyk-1251.txt');
    expect(cp1251.status).toBe(201);
    expect(cp1251.body).toMatchObject({
      format: '1c',
      encoding: 'windows-1251',
      documents: 5,
      credited: 3,
      unassigned: 1,
      duplicates: 0,
      skipped: 1,
      problems: [],
    });
    expect(cp1251.body.payments.map((p: { clientId: string | null }) => p.clientId)).toEqual([
      alpha.id,
      beta.id,
      beta.id,
      null,
    ]);
    expect((await balanceOf(alpha)).available).toBe(1000_50);
    expect((await balanceOf(beta)).available).toBe(200_00 + 300_25);
    const rules = await ctx.database
      .db('bank_payments')
      .whereIn(
        'id',
        cp1251.body.payments.map((p: { paymentId: string }) => p.paymentId),
      )
      .orderBy('document_number')
      .pluck('match_rule');
    expect(rules).toEqual(['account_number', 'bin_in_purpose', 'payer_bin', null]);

    // The same statement again, now as UTF-8: the same bank documents, credited once.
    const utf8 = await importFile(Buffer.from(text.replace('Кодировка=Windows', 'Кодировка=UTF-8'), 'utf8'));
    expect(utf8.body).toMatchObject({
      encoding: 'utf-8',
      documents: 5,
      credited: 0,
      unassigned: 0,
      duplicates: 4,
      skipped: 1,
    });
    expect((await balanceOf(alpha)).available).toBe(1000_50);
    expect((await balanceOf(beta)).available).toBe(200_00 + 300_25);
    expect((await ctx.api.request('GET', '/staff/v1/ledger/check', { token: accountant.token })).body).toMatchObject({
      ok: true,
      problems: [],
    });
  });

  test('CSV statements; an unreadable or empty file is a 422 that records nothing; no file at all is a 415', async () => {
    const alpha = await createClient('Альфа', 'alpha');
    const csv = [
      'Номер;Дата;Сумма;Плательщик;БИН плательщика;Назначение платежа',
      `601;26.11.2026;10.00;ТОО «Альфа»;${alpha.binIin};аванс`,
    ].join('\n');
    const imported = await importFile(Buffer.from(csv, 'utf8'));
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      format: 'csv',
      credited: 1,
      payments: [{ clientId: alpha.id, amountTiyn: 1000 }],
    });

    const recorded = async () => ({
      imports: await ctx.database.db('bank_statement_imports').count('* as n'),
      payments: await ctx.database.db('bank_payments').count('* as n'),
    });
    const before = await recorded();
    const junk = await importFile(Buffer.from('not a statement at all', 'utf8'));
    expectApiError(junk, 422, 'STATEMENT_UNREADABLE');
    // An empty file in a statement's media type is a file that cannot be read, as one of blanks is.
    for (const body of [Buffer.alloc(0), Buffer.from(' \r\n', 'utf8')]) {
      const empty = await importFile(body);
      expectApiError(empty, 422, 'STATEMENT_UNREADABLE');
      expect(empty.body.message).toContain('empty');
    }
    // No file at all: no body, no media type.
    expectApiError(
      await ctx.api.request('POST', '/staff/v1/bank-statements', { token: accountant.token }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(await recorded()).toEqual(before);
  });
});

describe('the cabinet: balances, statement, CSV (6.10)', () => {
  test('the statement pages through the operations and exports them as CSV', async () => {
    const gamma = await createClient('Гамма', 'gamma');
    for (const [number, amount] of [
      ['201', 50_000_00],
      ['202', 1000_50],
      ['203', 1000],
    ] as const)
      await topUp(gamma, number, amount);
    const all = await ctx.api.request('GET', '/client/v1/account/statement?limit=500', { token: gamma.token });
    expect(all.body.lines.map((l: { kind: string; availableChange: number }) => [l.kind, l.availableChange])).toEqual([
      ['deposit', 1000],
      ['deposit', 1000_50],
      ['deposit', 50_000_00],
    ]);
    // Each payment's line carries its bank document: number and date.
    expect(all.body.lines.map((l: { payment: unknown }) => l.payment)).toEqual([
      { documentNumber: '203', documentDate: '2026-11-25' },
      { documentNumber: '202', documentDate: '2026-11-25' },
      { documentNumber: '201', documentDate: '2026-11-25' },
    ]);
    const page = await ctx.api.request('GET', '/client/v1/account/statement?limit=2', { token: gamma.token });
    const next = await ctx.api.request('GET', `/client/v1/account/statement?limit=2&before=${page.body.next}`, {
      token: gamma.token,
    });
    expect([...page.body.lines, ...next.body.lines]).toEqual(all.body.lines);
    expect(next.body.next).toBeNull();
    const empty = await ctx.api.request('GET', '/client/v1/account/statement?from=2020-01-01&to=2020-12-31', {
      token: gamma.token,
    });
    expect(empty.body.lines).toEqual([]);

    // The period of the days the operations were booked on, in the operator's zone: whatever the hour the test runs at.
    const days = all.body.lines.map((l: { at: string }) => localDateIn('Asia/Almaty', l.at)).sort();
    const csv = await ctx.api.request(
      'GET',
      `/client/v1/account/statement.csv?from=${days[0]}&to=${days[days.length - 1]}`,
      { token: gamma.token },
    );
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    // For a Russian Excel: a UTF-8 BOM, CRLF line ends, `;` between fields, a Russian header.
    const bytes = Buffer.from(
      await (
        await fetch(`${ctx.api.url}/client/v1/account/statement.csv?from=${days[0]}&to=${days[days.length - 1]}`, {
          headers: { authorization: `Bearer ${gamma.token}` },
        })
      ).arrayBuffer(),
    );
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = bytes.toString('utf8');
    expect(body.replace(/^\ufeff/, '')).toBe((csv.body as string).replace(/^\ufeff/, ''));
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toBe(
      'Дата;Время;Операция;Основание;№ платёжного документа;Дата платёжного документа;Пункт договора;' +
        '"Доступно: изменение, тенге";"Резерв: изменение, тенге";"Доступно после, тенге";"Резерв после, тенге";Комментарий',
    );
    const [header, ...records] = parse(body.replace(/^\ufeff/, ''), {
      delimiter: ';',
      record_delimiter: '\r\n',
    }) as string[][];
    const column = (name: string) => records.map((r) => r[header.indexOf(name)]);
    // Dates «dd.MM.yyyy» of the operator's zone, times «HH:mm»; no ISO date anywhere.
    expect(column('Дата')).toEqual(
      all.body.lines.map((l: { at: string }) => localDateIn('Asia/Almaty', l.at).split('-').reverse().join('.')),
    );
    expect(column('Время').every((t) => /^\d{2}:\d{2}$/.test(t))).toBe(true);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // The bank document of each payment in its own columns.
    expect(column('№ платёжного документа')).toEqual(['203', '202', '201']);
    expect(column('Дата платёжного документа')).toEqual(['25.11.2026', '25.11.2026', '25.11.2026']);
    // Tenge with a decimal comma, no grouping: a number to Excel.
    expect(column('Доступно: изменение, тенге')).toEqual(['10,00', '1000,50', '50000,00']);
    expect(column('Доступно после, тенге')).toEqual(['51010,50', '51000,50', '50000,00']);
    expect(column('Операция')).toEqual([
      'Пополнение лицевого счёта',
      'Пополнение лицевого счёта',
      'Пополнение лицевого счёта',
    ]);
    expect(column('Пункт договора')).toEqual(['п. 6.2', 'п. 6.2', 'п. 6.2']);
    const balance = await balanceOf(gamma);
    // Priced as the public price of the day is.
    const { pricePerCodeTiyn, vatRateBp, grossPerCodeTiyn } = (
      await ctx.api.request('GET', `/v1/prices?date=${today()}`)
    ).body;
    expect(balance).toMatchObject({
      available: 50_000_00 + 1000_50 + 1000,
      totalPaidIn: 50_000_00 + 1000_50 + 1000,
      price: { pricePerCodeTiyn, vatRateBp, grossPerCodeTiyn },
    });
    expect(priceOfCodes(balance.codesAffordable, { pricePerCodeTiyn, vatRateBp }).total).toBeLessThanOrEqual(
      balance.available,
    );
    expect(priceOfCodes(balance.codesAffordable + 1, { pricePerCodeTiyn, vatRateBp }).total).toBeGreaterThan(
      balance.available,
    );
  });

  test('text that looks like a formula — an imported payment purpose, a staff reason — is kept as written but is never a formula in the CSV', async () => {
    const delta = await createClient('Дельта', 'delta');
    const purpose = '=HYPERLINK("http://x") аванс';
    const imported = await ctx.api.request('POST', '/staff/v1/bank-statements', {
      token: accountant.token,
      body: Buffer.from(
        [
          'Номер;Дата;Сумма;Плательщик;БИН плательщика;Назначение платежа',
          `701;26.11.2026;10.00;ТОО «Дельта»;${delta.binIin};${purpose}`,
        ].join('\n'),
        'utf8',
      ),
      headers: { 'content-type': 'text/csv' },
    });
    expect(imported.body).toMatchObject({ credited: 1, payments: [{ clientId: delta.id }] });
    expect(
      await ctx.database.db('bank_payments').where({ id: imported.body.payments[0].paymentId }).first('purpose'),
    ).toEqual({ purpose });
    const reason = '=1+2 сторно ошибочного зачисления';
    const corrected = await ctx.api.request('POST', `/staff/v1/clients/${delta.id}/corrections`, {
      token: accountant.token,
      body: { amountTiyn: -100, reason },
      headers: { 'idempotency-key': 'formula-correction' },
    });
    expect(corrected.status).toBe(201);

    const csv = await ctx.api.request('GET', '/client/v1/account/statement.csv', { token: delta.token });
    const [header, ...rows] = parse((csv.body as string).replace(/^\ufeff/, ''), { delimiter: ';' }) as string[][];
    const memo = header.indexOf('Комментарий');
    expect(rows.map((r) => r[memo])).toEqual([`'${reason}`, '']);
    expect(rows.flat().filter((cell) => /^[=+@\t\r]/.test(cell))).toEqual([]);
  });

  test('clients see only their own account; staff routes refuse client tokens', async () => {
    const [alpha, beta] = [await createClient('Альфа', 'alpha'), await createClient('Бета', 'beta')];
    expectApiError(
      await ctx.api.request('GET', `/staff/v1/clients/${beta.id}/account`, { token: alpha.token }),
      403,
      'FORBIDDEN',
    );
    expectApiError(await ctx.api.request('GET', '/client/v1/account'), 401, 'UNAUTHENTICATED');
    expect(
      (await ctx.api.request('GET', `/staff/v1/clients/${beta.id}/account`, { token: support.token })).body.clientId,
    ).toBe(beta.id);
  });
});

describe('corrections and compensations by staff', () => {
  test('idempotent by key; a correction below zero is refused and changes nothing', async () => {
    const beta = await createClient('Бета', 'beta');
    await topUp(beta, '301', 1000_00);
    const body = { amountTiyn: -500, reason: 'Ошибочно зачисленная сумма' };
    const headers = { 'idempotency-key': 'correction-0001' };
    const first = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, {
      token: accountant.token,
      body,
      headers,
    });
    expect(first.status).toBe(201);
    const second = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, {
      token: accountant.token,
      body,
      headers,
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, replayed: true });
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, {
        token: accountant.token,
        body: { ...body, amountTiyn: -499 },
        headers,
      }),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    const available = (await balanceOf(beta)).available;
    const tooMuch = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, {
      token: accountant.token,
      body: { amountTiyn: -(available + 1), reason: 'слишком много' },
      headers: { 'idempotency-key': 'correction-0002' },
    });
    expectApiError(tooMuch, 409, 'INSUFFICIENT_FUNDS');
    expect((await balanceOf(beta)).available).toBe(available);
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, { token: accountant.token, body }),
      400,
      'VALIDATION_FAILED',
    );

    const at = new Date('2026-11-02T04:00:00Z');
    const [ticket] = await ctx.database
      .db('tickets')
      .insert({
        number: `SD-PA-${beta.binIin}`,
        client_id: beta.id,
        contact_email: beta.email,
        channel: 'email',
        subject: 'Просрочка',
        received_at: at,
        line_arrived_at: at,
        reaction_breached_at: at,
      })
      .returning('id');
    const comp = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/compensations`, {
      token: accountant.token,
      body: {
        amountTiyn: 311,
        clause: '7.3',
        reference: { type: 'ticket', id: ticket.id },
        reason: 'Код не предоставлен',
      },
      headers: { 'idempotency-key': 'compensation-0001' },
    });
    expect(comp.status).toBe(201);
    expect((await balanceOf(beta)).totalCompensated).toBe(311);
  });
});

describe('invoices for payment (Прил. 2 п.6)', () => {
  test('for N codes and for an amount: numbered without gaps, PDF with the details, idempotent', async () => {
    const [alpha, beta] = [await createClient('Альфа', 'alpha'), await createClient('Бета', 'beta')];
    const taken = await invoiceCounters();
    const byCodes = await ctx.api.request('POST', '/client/v1/invoices', {
      token: alpha.token,
      body: { codes: 1000 },
      headers: { 'idempotency-key': 'invoice-codes-1' },
    });
    expect(byCodes.status).toBe(201);
    // Numbered in the year it is issued, next after the numbers taken before; priced at the price of its day.
    const price = (await ctx.api.request('GET', `/v1/prices?date=${byCodes.body.issuedOn}`)).body;
    const forCodes = priceOfCodes(1000, price);
    expect(byCodes.body).toMatchObject({
      number: following(taken, { year: 0, seq: 0 }, byCodes.body.issuedOn),
      codes: 1000,
      netTiyn: forCodes.net,
      vatTiyn: forCodes.vat,
      totalTiyn: forCodes.total,
      vatRateBp: price.vatRateBp,
    });
    const replay = await ctx.api.request('POST', '/client/v1/invoices', {
      token: alpha.token,
      body: { codes: 1000 },
      headers: { 'idempotency-key': 'invoice-codes-1' },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(byCodes.body.id);
    expectApiError(
      await ctx.api.request('POST', '/client/v1/invoices', {
        token: alpha.token,
        body: { codes: 1001 },
        headers: { 'idempotency-key': 'invoice-codes-1' },
      }),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expectApiError(
      await ctx.api.request('POST', '/client/v1/invoices', { token: alpha.token, body: { codes: 1, amountTiyn: 100 } }),
      400,
      'VALIDATION_FAILED',
    );
    expectApiError(
      await ctx.api.request('POST', '/client/v1/invoices', { token: alpha.token, body: {} }),
      400,
      'VALIDATION_FAILED',
    );

    const byAmount = await ctx.api.request('POST', '/client/v1/invoices', {
      token: beta.token,
      body: { amountTiyn: 116_000_00 },
    });
    expect(byAmount.status).toBe(201);
    const forAmount = splitTotal(
      116_000_00,
      (await ctx.api.request('GET', `/v1/prices?date=${byAmount.body.issuedOn}`)).body.vatRateBp,
    );
    expect(byAmount.body).toMatchObject({
      number: following(taken, seqOf(byCodes.body.number), byAmount.body.issuedOn),
      codes: null,
      netTiyn: forAmount.net,
      vatTiyn: forAmount.vat,
      totalTiyn: 116_000_00,
    });

    const pdf = await fetch(ctx.api.url + byCodes.body.pdfUrl, { headers: { authorization: `Bearer ${alpha.token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const { text } = extractPdf(Buffer.from(await pdf.arrayBuffer()));
    for (const expected of [
      `Счёт на оплату № ${byCodes.body.number}`,
      OPERATOR.name,
      OPERATOR.binIin,
      OPERATOR.iik,
      alpha.binIin,
      'ТОО «Альфа»',
      alpha.accountNumber,
      formatTenge(forCodes.net),
      `НДС ${price.vatRateBp / 100}%: ${formatTenge(forCodes.vat)}`,
      `Всего к оплате: ${formatTenge(forCodes.total)}`,
    ]) {
      expect(text).toContain(squash(expected));
    }
    expect(
      (await fetch(ctx.api.url + byCodes.body.pdfUrl, { headers: { authorization: `Bearer ${beta.token}` } })).status,
    ).toBe(404);
    expect((await ctx.api.request('GET', '/client/v1/invoices', { token: alpha.token })).body.invoices).toHaveLength(1);
  });

  test('numbers stay gapless under concurrent requests and when an issue fails', async () => {
    const beta = await createClient('Бета', 'beta');
    const taken = await invoiceCounters();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        ctx.api.request('POST', '/client/v1/invoices', { token: beta.token, body: { codes: 10 } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    // Each year's numbers (one year, unless the requests straddle the operator's New Year) follow those taken before, without a gap.
    const byYear = new Map<number, number[]>();
    for (const { year, seq } of results.map((r) => seqOf(r.body.number)))
      byYear.set(year, [...(byYear.get(year) ?? []), seq]);
    for (const [year, seqs] of byYear)
      expect(seqs.sort((a, b) => a - b)).toEqual(
        Array.from({ length: seqs.length }, (_, i) => (taken.get(year) ?? 0) + 1 + i),
      );
    const year = Math.max(...byYear.keys());
    const last = { year, seq: Math.max(...byYear.get(year)!) };
    // A document that fails after taking its number gives the number back.
    await expect(
      ctx.database.db.transaction(async (trx) => {
        const counter = await lockDocumentCounter(trx, 'invoice', year);
        expect(await counter.take()).toBe(last.seq + 1);
        throw new Error('rendering failed');
      }),
    ).rejects.toThrow('rendering failed');
    const next = await ctx.api.request('POST', '/client/v1/invoices', { token: beta.token, body: { codes: 10 } });
    expect(next.status).toBe(201);
    expect(next.body.number).toBe(following(taken, last, next.body.issuedOn));
  });
});

describe('tariffs and VAT rates (6.1)', () => {
  test('a change announced less than 20 working days ahead is refused; a valid one notifies every active client', async () => {
    const [alpha, beta] = [await createClient('Альфа', 'alpha'), await createClient('Бета', 'beta')];
    const tariffsBefore = await ctx.database.db('tariffs').count('* as n');
    const soon = await ctx.api.request('POST', '/staff/v1/tariffs', {
      token: accountant.token,
      body: { pricePerCodeTiyn: 300, effectiveFrom: today(), basis: 'Приказ о предельных тарифах' },
    });
    expectApiError(soon, 422, 'TARIFF_NOTICE_TOO_SHORT');
    const earliest = soon.body.details.earliestEffectiveFrom as string;
    expect(earliest > today()).toBe(true);
    const dayBefore = new Date(Date.parse(`${earliest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expectApiError(
      await ctx.api.request('POST', '/staff/v1/tariffs', {
        token: accountant.token,
        body: { pricePerCodeTiyn: 300, effectiveFrom: dayBefore, basis: 'Приказ о предельных тарифах' },
      }),
      422,
      'TARIFF_NOTICE_TOO_SHORT',
    );
    expect(await ctx.database.db('tariffs').count('* as n')).toEqual(tariffsBefore);

    const announced = await ctx.api.request('POST', '/staff/v1/tariffs', {
      token: accountant.token,
      body: { pricePerCodeTiyn: 300, effectiveFrom: earliest, basis: 'Приказ о предельных тарифах № 1' },
    });
    expect(announced.status).toBe(202);
    expect(announced.body).toMatchObject({
      pricePerCodeTiyn: 300,
      effectiveFrom: earliest,
      upcoming: true,
      inForce: false,
    });
    for (const client of [alpha, beta]) {
      const mail = await ctx.smtp.waitFor(
        (m) => isTo(m, client.email) && (m.subject?.includes('Изменение размера платы') ?? false),
      );
      expect(squash(mail.text!)).toContain(
        squash(`составит ${formatMoney(300)} без учёта НДС (ранее ${formatMoney(268)})`),
      );
    }
    const notices = await eventually(async () => {
      const list = (await ctx.api.request('GET', '/client/v1/notices', { token: alpha.token })).body.notices;
      return list.find(
        (n: { subject: string; status: string }) =>
          n.subject.includes('Изменение размера платы') && n.status === 'sent',
      );
    });
    expect(notices).toBeTruthy();
    const list = await ctx.api.request('GET', '/staff/v1/tariffs', { token: support.token });
    expect(
      list.body.tariffs.map((t: { pricePerCodeTiyn: number; inForce: boolean }) => [t.pricePerCodeTiyn, t.inForce]),
    ).toEqual([
      [268, true],
      [300, false],
    ]);
    expectApiError(
      await ctx.api.request('POST', '/staff/v1/tariffs', {
        token: accountant.token,
        body: { pricePerCodeTiyn: 301, effectiveFrom: earliest, basis: 'Повторный приказ' },
      }),
      409,
      'TARIFF_EXISTS',
    );
    expectApiError(
      await ctx.api.request('POST', '/staff/v1/tariffs', {
        token: support.token,
        body: {
          pricePerCodeTiyn: 301,
          effectiveFrom: `${new Date().getUTCFullYear() + 2}-01-01`,
          basis: 'Повторный приказ',
        },
      }),
      403,
      'FORBIDDEN',
    );
  });

  test('VAT rates are dated records with their sources; the public price follows the date', async () => {
    const rates = await ctx.api.request('GET', '/staff/v1/vat-rates', { token: accountant.token });
    expect(
      rates.body.vatRates.map((r: { rateBp: number; effectiveFrom: string }) => [r.rateBp, r.effectiveFrom]),
    ).toEqual([
      [1200, '2018-01-01'],
      [1600, '2026-01-01'],
    ]);
    expect((await ctx.api.request('GET', '/v1/prices?date=2025-12-31')).body).toMatchObject({
      pricePerCodeTiyn: 268,
      vatRateBp: 1200,
      grossPerCodeTiyn: 300,
    });
    expect((await ctx.api.request('GET', '/v1/prices?date=2026-01-01')).body).toMatchObject({
      pricePerCodeTiyn: 268,
      vatRateBp: 1600,
      grossPerCodeTiyn: 311,
    });
    expectApiError(await ctx.api.request('GET', '/v1/prices?date=2017-06-01'), 404, 'NO_PRICE');
    // A rate of a law for a year ahead (always in the future, whatever day the test runs).
    const ahead = new Date().getUTCFullYear() + 2;
    const added = await ctx.api.request('POST', '/staff/v1/vat-rates', {
      token: admin.token,
      body: { rateBp: 1800, effectiveFrom: `${ahead}-01-01`, source: 'Гипотетический закон для теста' },
    });
    expect(added.status).toBe(201);
    expect((await ctx.api.request('GET', `/v1/prices?date=${ahead}-02-01`)).body).toMatchObject({ vatRateBp: 1800 });
    expectApiError(
      await ctx.api.request('POST', '/staff/v1/vat-rates', {
        token: admin.token,
        body: { rateBp: 1700, effectiveFrom: `${ahead}-01-01`, source: 'Дубликат даты' },
      }),
      409,
      'VAT_RATE_EXISTS',
    );
  });

  test('a VAT rate cannot rewrite the past: not before the last day charged or documented, and only a whole percent up to 30', async () => {
    const client = await fundedClient(ctx.database.db, 1_000_00);
    await chargeClient(ctx.database.db, client, 2, TEST_CODE_KEYS.current);
    const today = localDateIn('Asia/Almaty', new Date());
    const add = (rateBp: number, effectiveFrom: string) =>
      ctx.api.request('POST', '/staff/v1/vat-rates', {
        token: admin.token,
        body: { rateBp, effectiveFrom, source: 'Проверка границ ставки НДС' },
      });
    for (const from of ['2021-01-01', today]) {
      const refused = await add(1200, from);
      expectApiError(refused, 422, 'VAT_RATE_REWRITES_PAST');
      expect(refused.body.details.earliestDate > today).toBe(true);
    }
    const ahead = `${new Date().getUTCFullYear() + 3}-01-01`;
    expectApiError(await add(6, ahead), 400, 'VALIDATION_FAILED');
    expectApiError(await add(573, ahead), 400, 'VALIDATION_FAILED');
    expectApiError(await add(3100, ahead), 400, 'VALIDATION_FAILED');
    // Nothing was recorded: the rates stay those of the Tax Code.
    expect(
      await ctx.database
        .db('vat_rates')
        .where('effective_from', '<=', today)
        .orderBy('effective_from')
        .pluck('rate_bp'),
    ).toEqual([1200, 1600]);
  });
});
