import iconv from 'iconv-lite';
import { lockDocumentCounter } from '../../db/invoices';
import { formatTenge, priceOfCodes } from '../../lib/money';
import { OPERATOR } from '../../lib/operator';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertStaff, randomBinIin } from '../helpers/fixtures';
import { extractPdf, squash } from '../helpers/pdf-text';

// The personal account through the API, on real PostgreSQL, the Temporal dev server and SMTP.
const ctx = useTestApi();
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Almaty' });

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
let alpha: TestClient;
let beta: TestClient;

async function createClient(name: string, login: string): Promise<TestClient> {
  const binIin = randomBinIin();
  const email = `${login}-${binIin}@example.kz`;
  const created = await ctx.api.request('POST', '/staff/v1/clients', { token: admin.token, body: { binIin, name: `ТОО «${name}»`, email } });
  expect(created.status).toBe(201);
  const account = await ctx.database.db('personal_accounts').where({ client_id: created.body.id }).first();
  return { id: created.body.id, binIin, email, accountNumber: account.number, token: await clientToken(ctx.database.db, created.body.id) };
}

const balanceOf = async (client: TestClient) => (await ctx.api.request('GET', '/client/v1/account', { token: client.token })).body;
const record = (body: Record<string, unknown>) => ctx.api.request('POST', '/staff/v1/payments', { token: accountant.token, body });
const mailsTo = (email: string) => ctx.smtp.messages.filter((m) => (m.to as { text: string }).text.includes(email));

beforeAll(async () => {
  const { db } = ctx.database;
  accountant = await insertStaff(db, ['accountant']);
  admin = await insertStaff(db, ['admin']);
  support = await insertStaff(db, ['support']);
  alpha = await createClient('Альфа', 'alpha');
  beta = await createClient('Бета', 'beta');
});

describe('top-ups recorded by an accountant (3.4, 6.2)', () => {
  test('a payment naming the personal account is credited once, and the client is told by e-mail', async () => {
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
    expect(first.body).toMatchObject({ status: 'credited', payment: { clientId: alpha.id, matchRule: 'account_number', amountTiyn: 50_000_00, receivedOn: '2026-11-23' } });
    const mail = await ctx.smtp.waitFor((m) => m.subject?.includes(alpha.accountNumber) ?? false);
    expect(mail.to).toMatchObject({ text: alpha.email });
    expect(squash(mail.text!)).toContain(squash(`зачислено ${formatTenge(50_000_00)} тенге по платёжному документу № 101 от 20.11.2026`));
    expect(squash(mail.text!)).toContain('23.11.2026');

    const again = await record(payment);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', payment: { id: first.body.payment.id } });
    expect(await balanceOf(alpha)).toMatchObject({ available: 50_000_00, reserved: 0, totalPaidIn: 50_000_00, accountNumber: alpha.accountNumber });
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo(alpha.email)).toHaveLength(1);
  });

  test('a payment that names no account waits in the queue; the accountant assigns one and returns another', async () => {
    const unmatched = await record({ documentNumber: '7', documentDate: '2026-11-24', amountTiyn: 12_345, payerName: 'ИП Неизвестный', purpose: 'Оплата за услуги' });
    expect(unmatched.body).toMatchObject({ status: 'unassigned', payment: { clientId: null, unmatchedReason: expect.stringContaining('names no personal account') } });
    const stray = await record({ documentNumber: '8', documentDate: '2026-11-24', amountTiyn: 999, payerName: 'ИП Другой', purpose: 'ошибочный платёж' });

    const queue = await ctx.api.request('GET', '/staff/v1/payments', { token: support.token });
    expect(queue.body.payments.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([unmatched.body.payment.id, stray.body.payment.id]));

    expectApiError(await ctx.api.request('POST', `/staff/v1/payments/${unmatched.body.payment.id}/assign`, { token: support.token, body: { clientId: beta.id } }), 403, 'FORBIDDEN');
    const assigned = await ctx.api.request('POST', `/staff/v1/payments/${unmatched.body.payment.id}/assign`, { token: accountant.token, body: { clientId: beta.id } });
    expect(assigned.body).toMatchObject({ status: 'credited', clientId: beta.id, matchRule: 'manual' });
    await ctx.smtp.waitFor((m) => m.subject?.includes(beta.accountNumber) ?? false);
    expectApiError(await ctx.api.request('POST', `/staff/v1/payments/${unmatched.body.payment.id}/assign`, { token: accountant.token, body: { clientId: alpha.id } }), 409, 'PAYMENT_NOT_UNASSIGNED');

    const returned = await ctx.api.request('POST', `/staff/v1/payments/${stray.body.payment.id}/return`, { token: accountant.token, body: { reason: 'Плательщик не является клиентом' } });
    expect(returned.body).toMatchObject({ status: 'returned', returnReason: 'Плательщик не является клиентом' });
    expect((await balanceOf(beta)).available).toBe(12_345);
  });

  test('bad input is refused with the field named, and records nothing', async () => {
    const before = await ctx.database.db('bank_payments').count('* as n');
    const badBin = await record({ documentNumber: '9', documentDate: '2026-11-24', amountTiyn: 100, payerName: 'X', payerBinIin: '123456789012', purpose: 'x' });
    expectApiError(badBin, 400, 'VALIDATION_FAILED');
    expect(badBin.body.details[0].path).toBe('/payerBinIin');
    expectApiError(await record({ documentNumber: '9', documentDate: '2026-11-24', amountTiyn: 0, payerName: 'X', purpose: 'x' }), 400, 'VALIDATION_FAILED');
    expectApiError(await record({ documentNumber: '9', documentDate: '24.11.2026', amountTiyn: 10, payerName: 'X', purpose: 'x' }), 400, 'VALIDATION_FAILED');
    expect(await ctx.database.db('bank_payments').count('* as n')).toEqual(before);
  });
});

function statement1c(rows: { number: string; date: string; amount: string; payer: string; payerBin: string; purpose: string; incoming?: boolean }[]) {
  const lines = ['1CClientBankExchange', 'ВерсияФормата=1.03', 'Кодировка=Windows', 'Отправитель=Halyk Business', `РасчСчет=${OPERATOR.iik}`];
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
    ctx.api.request('POST', `/staff/v1/bank-statements${query}`, { token: accountant.token, body, headers: { 'content-type': 'application/octet-stream' } });

  test('1C exchange files in Windows-1251 and UTF-8: matched by account number, BIN in the purpose or payer BIN; re-import credits nothing twice', async () => {
    const text = statement1c([
      { number: '501', date: '25.11.2026', amount: '1000.50', payer: 'ТОО «Альфа»', payerBin: randomBinIin(), purpose: `Аванс, л/с ${alpha.accountNumber}` },
      { number: '502', date: '25.11.2026', amount: '200', payer: 'ТОО «Посредник»', payerBin: randomBinIin(), purpose: `За ТОО «Бета» БИН ${beta.binIin} аванс` },
      { number: '503', date: '25.11.2026', amount: '300,25', payer: 'ТОО «Бета»', payerBin: beta.binIin, purpose: 'Предоплата за коды маркировки' },
      { number: '504', date: '25.11.2026', amount: '77', payer: 'Кто-то', payerBin: randomBinIin(), purpose: 'Непонятный платёж' },
      { number: '505', date: '25.11.2026', amount: '55', payer: 'АО «Казахтелеком»', payerBin: OPERATOR.binIin, purpose: 'Исходящий платёж', incoming: false },
    ]);
    const before = { alpha: (await balanceOf(alpha)).available, beta: (await balanceOf(beta)).available };
    const cp1251 = await importFile(iconv.encode(text, 'win1251'), '?fileName=halyk-1251.txt');
    expect(cp1251.status).toBe(201);
    expect(cp1251.body).toMatchObject({ format: '1c', encoding: 'windows-1251', documents: 5, credited: 3, unassigned: 1, duplicates: 0, skipped: 1, problems: [] });
    expect(cp1251.body.payments.map((p: { clientId: string | null }) => p.clientId)).toEqual([alpha.id, beta.id, beta.id, null]);
    expect((await balanceOf(alpha)).available).toBe(before.alpha + 1000_50);
    expect((await balanceOf(beta)).available).toBe(before.beta + 200_00 + 300_25);
    const rules = await ctx.database.db('bank_payments').whereIn('id', cp1251.body.payments.map((p: { paymentId: string }) => p.paymentId)).orderBy('document_number').pluck('match_rule');
    expect(rules).toEqual(['account_number', 'bin_in_purpose', 'payer_bin', null]);

    // The same statement again, now as UTF-8: the same bank documents, credited once.
    const utf8 = await importFile(Buffer.from(text.replace('Кодировка=Windows', 'Кодировка=UTF-8'), 'utf8'));
    expect(utf8.body).toMatchObject({ encoding: 'utf-8', documents: 5, credited: 0, unassigned: 0, duplicates: 4, skipped: 1 });
    expect((await balanceOf(alpha)).available).toBe(before.alpha + 1000_50);
    expect((await ctx.api.request('GET', '/staff/v1/ledger/check', { token: accountant.token })).body).toMatchObject({ ok: true, problems: [] });
  });

  test('CSV statements; an unreadable file is a 422 that records nothing', async () => {
    const csv = ['Номер;Дата;Сумма;Плательщик;БИН плательщика;Назначение платежа', `601;26.11.2026;10.00;ТОО «Альфа»;${alpha.binIin};=HYPERLINK("http://x") аванс`].join('\n');
    const imported = await importFile(Buffer.from(csv, 'utf8'));
    expect(imported.body).toMatchObject({ format: 'csv', credited: 1, payments: [{ clientId: alpha.id, amountTiyn: 1000 }] });
    const junk = await importFile(Buffer.from('not a statement at all', 'utf8'));
    expectApiError(junk, 422, 'STATEMENT_UNREADABLE');
    const empty = await ctx.api.request('POST', '/staff/v1/bank-statements', { token: accountant.token, body: '', headers: { 'content-type': 'application/octet-stream' } });
    expect(empty.status).toBeGreaterThanOrEqual(400);
  });
});

describe('the cabinet: balances, statement, CSV (6.10)', () => {
  test('the statement pages through the operations and exports them as CSV, formula-safe', async () => {
    const all = await ctx.api.request('GET', '/client/v1/account/statement?limit=500', { token: alpha.token });
    expect(all.body.lines.map((l: { kind: string }) => l.kind)).toEqual(['deposit', 'deposit', 'deposit']);
    const page = await ctx.api.request('GET', '/client/v1/account/statement?limit=2', { token: alpha.token });
    const next = await ctx.api.request('GET', `/client/v1/account/statement?limit=2&before=${page.body.next}`, { token: alpha.token });
    expect([...page.body.lines, ...next.body.lines]).toEqual(all.body.lines);
    expect(next.body.next).toBeNull();
    const empty = await ctx.api.request('GET', '/client/v1/account/statement?from=2020-01-01&to=2020-12-31', { token: alpha.token });
    expect(empty.body.lines).toEqual([]);

    const csv = await ctx.api.request('GET', `/client/v1/account/statement.csv?from=${today()}&to=${today()}`, { token: alpha.token });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = (csv.body as string).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(rows[0]).toMatch(/^Дата и время;Операция;/);
    expect(rows).toHaveLength(4);
    expect(rows.join('\n')).toContain(';50000.00;');
    const balance = await balanceOf(alpha);
    expect(balance).toMatchObject({ available: 50_000_00 + 1000_50 + 1000, totalPaidIn: 50_000_00 + 1000_50 + 1000, price: { pricePerCodeTiyn: 268, vatRateBp: 1600, grossPerCodeTiyn: 311 } });
    expect(priceOfCodes(balance.codesAffordable, { pricePerCodeTiyn: 268, vatRateBp: 1600 }).total).toBeLessThanOrEqual(balance.available);
    expect(priceOfCodes(balance.codesAffordable + 1, { pricePerCodeTiyn: 268, vatRateBp: 1600 }).total).toBeGreaterThan(balance.available);
  });

  test('the imported payment purpose with a formula is kept as text but never a formula in CSV', async () => {
    const csv = await ctx.api.request('GET', '/client/v1/account/statement.csv', { token: alpha.token });
    expect(csv.body).not.toMatch(/;=HYPERLINK/);
  });

  test('clients see only their own account; staff routes refuse client tokens', async () => {
    expectApiError(await ctx.api.request('GET', `/staff/v1/clients/${beta.id}/account`, { token: alpha.token }), 403, 'FORBIDDEN');
    expectApiError(await ctx.api.request('GET', '/client/v1/account'), 401, 'UNAUTHENTICATED');
    expect((await ctx.api.request('GET', `/staff/v1/clients/${beta.id}/account`, { token: support.token })).body.clientId).toBe(beta.id);
  });
});

describe('corrections and compensations by staff', () => {
  test('idempotent by key; a correction below zero is refused and changes nothing', async () => {
    const body = { amountTiyn: -500, reason: 'Ошибочно зачисленная сумма' };
    const headers = { 'idempotency-key': 'correction-0001' };
    const first = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, { token: accountant.token, body, headers });
    expect(first.status).toBe(201);
    const second = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, { token: accountant.token, body, headers });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, replayed: true });
    expectApiError(await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, { token: accountant.token, body: { ...body, amountTiyn: -499 }, headers }), 409, 'IDEMPOTENCY_CONFLICT');
    const available = (await balanceOf(beta)).available;
    const tooMuch = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, { token: accountant.token, body: { amountTiyn: -(available + 1), reason: 'слишком много' }, headers: { 'idempotency-key': 'correction-0002' } });
    expectApiError(tooMuch, 409, 'INSUFFICIENT_FUNDS');
    expect((await balanceOf(beta)).available).toBe(available);
    expectApiError(await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/corrections`, { token: accountant.token, body }), 400, 'VALIDATION_FAILED');

    const comp = await ctx.api.request('POST', `/staff/v1/clients/${beta.id}/compensations`, {
      token: accountant.token,
      body: { amountTiyn: 311, clause: '7.2', reference: { type: 'defect_act', id: 'ДА-1' }, reason: 'Код не предоставлен' },
      headers: { 'idempotency-key': 'compensation-0001' },
    });
    expect(comp.status).toBe(201);
    expect((await balanceOf(beta)).totalCompensated).toBe(311);
  });
});

describe('invoices for payment (Прил. 2 п.6)', () => {
  test('for N codes and for an amount: numbered without gaps, PDF with the details, idempotent', async () => {
    const year = today().slice(0, 4);
    const byCodes = await ctx.api.request('POST', '/client/v1/invoices', { token: alpha.token, body: { codes: 1000 }, headers: { 'idempotency-key': 'invoice-codes-1' } });
    expect(byCodes.status).toBe(201);
    expect(byCodes.body).toMatchObject({ number: `${year}-000001`, codes: 1000, netTiyn: 268_000, vatTiyn: 42_880, totalTiyn: 310_880, vatRateBp: 1600 });
    const replay = await ctx.api.request('POST', '/client/v1/invoices', { token: alpha.token, body: { codes: 1000 }, headers: { 'idempotency-key': 'invoice-codes-1' } });
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(byCodes.body.id);
    expectApiError(await ctx.api.request('POST', '/client/v1/invoices', { token: alpha.token, body: { codes: 1001 }, headers: { 'idempotency-key': 'invoice-codes-1' } }), 409, 'IDEMPOTENCY_CONFLICT');
    expectApiError(await ctx.api.request('POST', '/client/v1/invoices', { token: alpha.token, body: { codes: 1, amountTiyn: 100 } }), 400, 'VALIDATION_FAILED');
    expectApiError(await ctx.api.request('POST', '/client/v1/invoices', { token: alpha.token, body: {} }), 400, 'VALIDATION_FAILED');

    const byAmount = await ctx.api.request('POST', '/client/v1/invoices', { token: beta.token, body: { amountTiyn: 116_000_00 } });
    expect(byAmount.body).toMatchObject({ number: `${year}-000002`, codes: null, netTiyn: 100_000_00, vatTiyn: 16_000_00, totalTiyn: 116_000_00 });

    const pdf = await fetch(ctx.api.url + byCodes.body.pdfUrl, { headers: { authorization: `Bearer ${alpha.token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const { text } = extractPdf(Buffer.from(await pdf.arrayBuffer()));
    for (const expected of [
      `Счёт на оплату № ${year}-000001`,
      OPERATOR.name,
      OPERATOR.binIin,
      OPERATOR.iik,
      alpha.binIin,
      'ТОО «Альфа»',
      alpha.accountNumber,
      formatTenge(268_000),
      `НДС 16%: ${formatTenge(42_880)}`,
      `Всего к оплате: ${formatTenge(310_880)}`,
    ]) {
      expect(text).toContain(squash(expected));
    }
    expect((await fetch(ctx.api.url + byCodes.body.pdfUrl, { headers: { authorization: `Bearer ${beta.token}` } })).status).toBe(404);
    expect((await ctx.api.request('GET', '/client/v1/invoices', { token: alpha.token })).body.invoices).toHaveLength(1);
  });

  test('numbers stay gapless under concurrent requests and when an issue fails', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => ctx.api.request('POST', '/client/v1/invoices', { token: beta.token, body: { codes: 10 } })));
    const seqs = results.map((r) => Number(r.body.number.split('-')[1])).sort((a, b) => a - b);
    expect(seqs).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    // A document that fails after taking its number gives the number back.
    const year = Number(today().slice(0, 4));
    await expect(
      ctx.database.db.transaction(async (trx) => {
        const counter = await lockDocumentCounter(trx, 'invoice', year);
        expect(await counter.take()).toBe(11);
        throw new Error('rendering failed');
      }),
    ).rejects.toThrow('rendering failed');
    const next = await ctx.api.request('POST', '/client/v1/invoices', { token: beta.token, body: { codes: 10 } });
    expect(next.body.number).toBe(`${year}-000011`);
  });
});

describe('tariffs and VAT rates (6.1)', () => {
  test('a change announced less than 20 working days ahead is refused; a valid one notifies every active client', async () => {
    const soon = await ctx.api.request('POST', '/staff/v1/tariffs', { token: accountant.token, body: { pricePerCodeTiyn: 300, effectiveFrom: today(), basis: 'Приказ о предельных тарифах' } });
    expectApiError(soon, 422, 'TARIFF_NOTICE_TOO_SHORT');
    const earliest = soon.body.details.earliestEffectiveFrom as string;
    expect(earliest > today()).toBe(true);
    const dayBefore = new Date(Date.parse(`${earliest}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expectApiError(await ctx.api.request('POST', '/staff/v1/tariffs', { token: accountant.token, body: { pricePerCodeTiyn: 300, effectiveFrom: dayBefore, basis: 'Приказ о предельных тарифах' } }), 422, 'TARIFF_NOTICE_TOO_SHORT');
    expect(await ctx.database.db('tariffs').count('* as n')).toEqual([{ n: 1 }]);

    const announced = await ctx.api.request('POST', '/staff/v1/tariffs', { token: accountant.token, body: { pricePerCodeTiyn: 300, effectiveFrom: earliest, basis: 'Приказ о предельных тарифах № 1' } });
    expect(announced.status).toBe(202);
    expect(announced.body).toMatchObject({ pricePerCodeTiyn: 300, effectiveFrom: earliest, upcoming: true, inForce: false });
    for (const client of [alpha, beta]) {
      const mail = await ctx.smtp.waitFor((m) => (m.to as { text: string }).text.includes(client.email) && (m.subject?.includes('Изменение размера платы') ?? false));
      expect(squash(mail.text!)).toContain(squash(`составит ${formatTenge(300)} тенге без учёта НДС (ранее ${formatTenge(268)} тенге)`));
    }
    const notices = await eventually(async () => {
      const list = (await ctx.api.request('GET', '/client/v1/notices', { token: alpha.token })).body.notices;
      return list.find((n: { subject: string; status: string }) => n.subject.includes('Изменение размера платы') && n.status === 'sent');
    });
    expect(notices).toBeTruthy();
    const list = await ctx.api.request('GET', '/staff/v1/tariffs', { token: support.token });
    expect(list.body.tariffs.map((t: { pricePerCodeTiyn: number; inForce: boolean }) => [t.pricePerCodeTiyn, t.inForce])).toEqual([
      [268, true],
      [300, false],
    ]);
    expectApiError(await ctx.api.request('POST', '/staff/v1/tariffs', { token: accountant.token, body: { pricePerCodeTiyn: 301, effectiveFrom: earliest, basis: 'Повторный приказ' } }), 409, 'TARIFF_EXISTS');
    expectApiError(await ctx.api.request('POST', '/staff/v1/tariffs', { token: support.token, body: { pricePerCodeTiyn: 301, effectiveFrom: '2030-01-01', basis: 'Повторный приказ' } }), 403, 'FORBIDDEN');
  });

  test('VAT rates are dated records with their sources; the public price follows the date', async () => {
    const rates = await ctx.api.request('GET', '/staff/v1/vat-rates', { token: accountant.token });
    expect(rates.body.vatRates.map((r: { rateBp: number; effectiveFrom: string }) => [r.rateBp, r.effectiveFrom])).toEqual([
      [1200, '2018-01-01'],
      [1600, '2026-01-01'],
    ]);
    expect((await ctx.api.request('GET', '/v1/prices?date=2025-12-31')).body).toMatchObject({ pricePerCodeTiyn: 268, vatRateBp: 1200, grossPerCodeTiyn: 300 });
    expect((await ctx.api.request('GET', '/v1/prices?date=2026-01-01')).body).toMatchObject({ pricePerCodeTiyn: 268, vatRateBp: 1600, grossPerCodeTiyn: 311 });
    expectApiError(await ctx.api.request('GET', '/v1/prices?date=2017-06-01'), 404, 'NO_PRICE');
    const added = await ctx.api.request('POST', '/staff/v1/vat-rates', { token: admin.token, body: { rateBp: 1800, effectiveFrom: '2031-01-01', source: 'Гипотетический закон для теста' } });
    expect(added.status).toBe(201);
    expect((await ctx.api.request('GET', '/v1/prices?date=2031-02-01')).body).toMatchObject({ vatRateBp: 1800 });
    expectApiError(await ctx.api.request('POST', '/staff/v1/vat-rates', { token: admin.token, body: { rateBp: 1700, effectiveFrom: '2031-01-01', source: 'Дубликат даты' } }), 409, 'VAT_RATE_EXISTS');
  });
});
