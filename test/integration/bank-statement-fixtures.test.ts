import fs from 'node:fs';
import path from 'node:path';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { registerClient } from '../helpers/clients';
import { insertStaff, REQUISITES } from '../helpers/fixtures';
import { recipientsOf } from '../helpers/smtp';

// The committed bank-statement fixtures (1C in Windows-1251, UTF-8 and DOS code pages; CSV),
// imported end to end through the API into the personal accounts they name.
const ctx = useTestApi();
const FIXTURES = path.resolve(__dirname, '../fixtures/bank-statements');

const CLIENTS = [
  { binIin: '190540001230', name: 'ТОО «Молочный двор»', account: 'LS00000012' },
  { binIin: '210340004561', name: 'ТОО «Степной хлеб»', account: 'LS00000031' },
  { binIin: '151140007895', name: 'ЖШС «Әлем Трейд»', account: 'LS00000007' },
  { binIin: '860512300458', name: 'ИП Сейтқали Нұрлан', account: 'LS00000020' },
  { binIin: '120620005770', name: 'ТОО «Северная обувь»', account: 'LS00000044' },
];

let accountant: { token: string };
const ids = new Map<string, string>();

beforeAll(async () => {
  const { db } = ctx.database;
  accountant = await insertStaff(db, ['accountant']);
  const admin = await insertStaff(db, ['admin']);
  for (const [i, c] of CLIENTS.entries()) {
    const created = await registerClient(ctx.api, db, admin.token, {
      binIin: c.binIin,
      name: c.name,
      email: `client${i}@example.kz`,
      requisites: { ...REQUISITES, companyName: c.name },
    });
    expect(created.status).toBe(201);
    // The fixtures name these account numbers; a fresh database numbers from 1.
    await db('personal_accounts').where({ client_id: created.body.id }).update({ number: c.account });
    ids.set(c.binIin, created.body.id);
  }
});

const importFixture = (file: string) =>
  ctx.api.request('POST', `/staff/v1/bank-statements?fileName=${file}`, {
    token: accountant.token,
    body: fs.readFileSync(path.join(FIXTURES, file)),
    headers: { 'content-type': file.endsWith('.csv') ? 'text/csv' : 'text/plain' },
  });

const available = async (binIin: string) =>
  (
    await ctx.database
      .db('ledger_accounts')
      .where({ client_id: ids.get(binIin), kind: 'client_available' })
      .first()
  )?.balance ?? 0;

test.each([
  [
    'one-c-windows-1251.txt',
    'windows-1251',
    { documents: 3, credited: 2, skipped: 1, problems: 1 },
    [
      ['190540001230', 311_000_00],
      ['210340004561', 53_600_50],
    ],
  ],
  [
    'one-c-utf8.txt',
    'utf-8',
    { documents: 3, credited: 2, skipped: 1, problems: 1 },
    [
      ['151140007895', 1_340_000_00],
      ['860512300458', 26_800_00],
    ],
  ],
  ['one-c-cp866.txt', 'cp866', { documents: 2, credited: 1, skipped: 1, problems: 1 }, [['120620005770', 1243_52]]],
  [
    'payments.csv',
    'utf-8',
    { documents: 5, credited: 4, skipped: 1, problems: 1 },
    [
      ['190540001230', 311_000_00],
      ['210340004561', 2_680_00],
      ['151140007895', 13_400_00],
      ['120620005770', 1243_52],
    ],
  ],
] as const)(
  '%s (%s): incoming payments credited to the accounts they name, each e-mailed once',
  async (file, encoding, counts, credits) => {
    const before = new Map(await Promise.all(CLIENTS.map(async (c) => [c.binIin, await available(c.binIin)] as const)));
    const imported = await importFixture(file);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      encoding,
      documents: counts.documents,
      credited: counts.credited,
      unassigned: 0,
      duplicates: 0,
      skipped: counts.skipped,
    });
    expect(imported.body.problems).toHaveLength(counts.problems);
    const expected = new Map(before);
    for (const [binIin, amount] of credits) expected.set(binIin, expected.get(binIin)! + amount);
    for (const c of CLIENTS) expect([c.binIin, await available(c.binIin)]).toEqual([c.binIin, expected.get(c.binIin)]);
    // A credit's notice is recorded in the request that credits it.
    const paymentNotices = () =>
      ctx.database.db('notices').where('topic', 'like', 'payment:%').orderBy('id').pluck('id');
    const noticed = await paymentNotices();

    const again = await importFixture(file);
    expect(again.body).toMatchObject({ credited: 0, unassigned: 0, duplicates: counts.credited });
    for (const c of CLIENTS) expect(await available(c.binIin)).toBe(expected.get(c.binIin));

    // Each credit's notice, once delivered (recorded as sent only after the SMTP server took it), left exactly one e-mail,
    // to its client; the duplicates of the second import recorded none.
    const creditedIds = imported.body.payments
      .filter((p: { status: string }) => p.status === 'credited')
      .map((p: { paymentId: string }) => p.paymentId);
    const notices = await eventually(async () => {
      const rows = await ctx.database.db('notices').whereIn(
        'topic',
        creditedIds.map((id: string) => `payment:${id}`),
      );
      return rows.length === creditedIds.length && rows.every((n) => n.status === 'sent') && rows;
    }, 60_000);
    for (const notice of notices) {
      expect(ctx.smtp.messages.filter((m) => m.messageId === notice.message_id).map((m) => recipientsOf(m))).toEqual([
        [notice.recipient],
      ]);
    }
    expect(await paymentNotices()).toEqual(noticed);
  },
);

test('the ledger has no drift; a CSV file read as 1C is refused', async () => {
  expect((await ctx.api.request('GET', '/staff/v1/ledger/check', { token: accountant.token })).body).toMatchObject({
    ok: true,
  });
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/bank-statements?format=1c', {
      token: accountant.token,
      body: fs.readFileSync(path.join(FIXTURES, 'payments.csv')),
      headers: { 'content-type': 'text/csv' },
    }),
    422,
    'STATEMENT_UNREADABLE',
  );
});
