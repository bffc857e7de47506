import { createHash, generateKeyPairSync } from 'node:crypto';
import { type ActRenderers, createActActivities } from '../../activities/acts';
import { issueInvoice, type InvoiceRenderer } from '../../activities/invoices';
import { finishReconciliationAct, numberReconciliationAct } from '../../activities/reconciliation';
import { ApiError } from '../../api/http/errors';
import { actFile } from '../../api/views/acts';
import { clientInvoicePdf } from '../../api/views/invoices';
import { clientReconciliationAct } from '../../api/views/reconciliation';
import { readCalendar } from '../../db/calendar-store';
import type { Db } from '../../db/connection';
import { disputeAct } from '../../db/acts';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { renderActPdf } from '../../lib/documents/act-pdf';
import { signerFromKey } from '../../lib/operator-signature';
import { TEST_CODE_KEYS } from '../helpers/api';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertStaff, REQUISITES } from '../helpers/fixtures';
import { chargeClient, fundedClient } from '../helpers/orders';
import { extractPdf, squash } from '../helpers/pdf-text';
import { gated } from '../helpers/gated';

// Issue #19 for the monthly acts (6.5): the `act` and `vat-invoice` counter rows — each one per year,
// shared by every client — are held only while an act takes its numbers and its row is committed;
// the act's PDF and its VAT invoice's are rendered and signed after that, outside the locks, and
// stored once. Renders are held open by a gate and awaited by their start, never by a sleep. Dates
// are pinned: services of October 2026, acts issued on Monday 2 November 2026, 09:00 Almaty.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const MONTH = '2026-10';
const SERVICES_AT = new Date('2026-10-15T06:00:00Z');
const ISSUED_AT = '2026-11-02T09:00:00+05:00';
const YEAR = 2026;
const operatorSigner = signerFromKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

const sha256 = (pdf: Buffer) => createHash('sha256').update(pdf).digest('hex');
const seqOf = (number: string) => Number(number.slice(-6));

/** The act activities of the worker, with the renderers given (the real ones by default). */
const activities = (render: Partial<ActRenderers> = {}) =>
  createActActivities(
    {
      db: database.db,
      mailer: { send: async () => ({ messageId: '' }), close: () => undefined },
      clock: { now: () => new Date(ISSUED_AT) },
      operatorSigner,
    },
    { render },
  );

/** Every ledger transaction of the client, dated `at` (the ledger is immutable, but for tests). */
async function backdate(db: Db, clientId: string, at: Date) {
  await db.transaction(async (trx) => {
    await trx.raw('ALTER TABLE ledger_transactions DISABLE TRIGGER ledger_transactions_immutable');
    await trx('ledger_transactions').where({ client_id: clientId }).update({ created_at: at });
    await trx.raw('ALTER TABLE ledger_transactions ENABLE TRIGGER ledger_transactions_immutable');
  });
}

/** A client with requisites, paid in and charged in October 2026 for `codes` codes in each of `orders` orders. */
async function servedClient(codes = 3, orders = 1) {
  const client = await fundedClient(database.db, 100_000_00);
  await database.db('clients').where({ id: client.id }).update({ details: REQUISITES });
  for (let i = 0; i < orders; i++) await chargeClient(database.db, client, codes, TEST_CODE_KEYS.current, SERVICES_AT);
  await backdate(database.db, client.id, SERVICES_AT);
  return client;
}

const crashing = async (): Promise<Buffer> => {
  throw new Error('the worker died while rendering');
};

/** Locks the counter row at once or fails (NOWAIT): what a blocked issuer would wait for. */
const counterFree = (kind: string) =>
  database.db.transaction(async (trx) => {
    const { rows } = await trx.raw(`SELECT last FROM document_counters WHERE kind = ? AND year = ? FOR UPDATE NOWAIT`, [
      kind,
      YEAR,
    ]);
    return (rows[0]?.last ?? 0) as number;
  });

/** The act's documents are there, whole, and signed by the operator with the same key. */
function expectFinished(act: Record<string, any>) {
  expect(act.pdf).toBeInstanceOf(Buffer);
  expect(act.pdf_sha256).toBe(sha256(act.pdf));
  expect(act.operator_key_id).toBe(operatorSigner.keyId);
  expect(operatorSigner.verify(act.pdf, act.operator_signature)).toBe(true);
  expect(operatorSigner.verify(act.vat_invoice_pdf, act.vat_invoice_signature)).toBe(true);
  expect(squash(extractPdf(act.pdf).text)).toContain(act.number);
  expect(squash(extractPdf(act.vat_invoice_pdf).text)).toContain(act.vat_invoice_number);
}

const actRow = (id: string) => database.db('acts').where({ id }).first();

describe('monthly acts (6.5)', () => {
  test("while an act renders, the counters are free and another client's act takes the next numbers; a retry meanwhile finishes it, stored once", async () => {
    const [alpha, beta] = [await servedClient(), await servedClient()];
    const slow = gated(renderActPdf);
    const first = activities({ act: slow.render }).issueMonthlyAct(alpha.id, MONTH, ISSUED_AT);
    await slow.rendering;

    // Numbered and committed before the render, with its lines, charges and history, without documents.
    const numbered = await database.db('acts').where({ client_id: alpha.id }).first();
    expect(numbered).toMatchObject({
      status: 'issued',
      period_from: `${MONTH}-01`,
      issued_on: '2026-11-02',
      codes: 3,
      pdf: null,
      pdf_sha256: null,
      vat_invoice_pdf: null,
      operator_signature: null,
      vat_invoice_signature: null,
    });
    expect(numbered.number).toMatch(/^АВР-2026-\d{6}$/);
    expect(numbered.vat_invoice_number).toMatch(/^СФ-2026-\d{6}$/);
    expect(await database.db('act_services').where({ act_id: numbered.id })).not.toHaveLength(0);
    expect(await counterFree('act')).toBe(seqOf(numbered.number));
    expect(await counterFree('vat-invoice')).toBe(seqOf(numbered.vat_invoice_number));

    const other = (await activities().issueMonthlyAct(beta.id, MONTH, ISSUED_AT))!;
    const otherRow = await actRow(other.actId);
    expect(seqOf(otherRow.number)).toBe(seqOf(numbered.number) + 1);
    expect(seqOf(otherRow.vat_invoice_number)).toBe(seqOf(numbered.vat_invoice_number) + 1);
    expectFinished(otherRow);

    // The activity retried meanwhile (its first attempt timed out): the same act, finished by the retry.
    const retry = (await activities().issueMonthlyAct(alpha.id, MONTH, ISSUED_AT))!;
    expect(retry).toEqual({
      actId: numbered.id,
      number: numbered.number,
      revision: 1,
      issuedAt: new Date(ISSUED_AT).toISOString(),
      dueAt: new Date(numbered.due_at).toISOString(),
      total: numbered.total,
    });
    const storedByRetry = await actRow(numbered.id);
    expectFinished(storedByRetry);

    slow.release();
    expect(await first).toEqual(retry);
    // The documents stored first stay.
    const after = await actRow(numbered.id);
    expect(after.pdf_sha256).toBe(storedByRetry.pdf_sha256);
    expect(after.operator_signature).toBe(storedByRetry.operator_signature);
    expect(await database.db('acts').where({ client_id: alpha.id })).toHaveLength(1);
    expect(await database.db('act_events').where({ act_id: numbered.id })).toHaveLength(1);
  });

  test('an act numbered before a crash is finished by the retry with the same numbers — stored once by retries at once — nothing booked twice', async () => {
    // Five orders of a code each: VAT charged per download (5 × 0,43 ₸) differs from the act's (13,40 ₸ × 16%).
    const alpha = await servedClient(1, 5);
    await expect(activities({ vatInvoice: crashing }).issueMonthlyAct(alpha.id, MONTH, ISSUED_AT)).rejects.toThrow(
      'died',
    );
    const numbered = await database.db('acts').where({ client_id: alpha.id }).first();
    expect(numbered).toMatchObject({ pdf: null, vat_invoice_pdf: null }); // the numbers are kept: no gap
    const covered = await database.db('act_services').where({ act_id: numbered.id });
    const rounding = await database.db('ledger_transactions').where({ client_id: alpha.id, kind: 'vat_rounding' });
    expect(rounding).toMatchObject([{ reference_type: 'act', reference_id: numbered.id }]); // booked with the numbers

    // Retries at once (a timed-out attempt still running beside the next): each renders, the first stored stays.
    const stores: string[] = [];
    const renderAndCount = async (document: Parameters<typeof renderActPdf>[0]) => {
      const pdf = await renderActPdf(document);
      stores.push(sha256(pdf));
      return pdf;
    };
    const retries = await Promise.all(
      [1, 2, 3].map(() => activities({ act: renderAndCount }).issueMonthlyAct(alpha.id, MONTH, ISSUED_AT)),
    );
    for (const retry of retries) expect(retry).toMatchObject({ actId: numbered.id, number: numbered.number });
    const act = await actRow(numbered.id);
    expect(stores).toContain(act.pdf_sha256);
    expect(act.vat_invoice_number).toBe(numbered.vat_invoice_number);
    expectFinished(act);
    expect(await database.db('act_services').where({ act_id: numbered.id })).toEqual(covered);
    expect(await database.db('ledger_transactions').where({ client_id: alpha.id, kind: 'vat_rounding' })).toHaveLength(
      1,
    );
    expect(await database.db('acts').where({ client_id: alpha.id })).toHaveLength(1);
  });

  test('a corrected act numbered before a crash is finished by the retry, «взамен» the act it replaces', async () => {
    const alpha = await servedClient(4);
    const original = (await activities().issueMonthlyAct(alpha.id, MONTH, ISSUED_AT))!;
    await disputeAct(database.db, {
      actId: original.actId,
      reason: 'Не все коды получены',
      detailedReportPdf: Buffer.from('%PDF-'),
      at: '2026-11-03T10:00:00+05:00',
    });
    const accountant = await insertStaff(database.db, ['accountant']);
    const correct = (render: Partial<ActRenderers>) =>
      activities(render).correctAct(
        original.actId,
        [2],
        accountant.id,
        'Два кода не получены',
        '2026-11-05T10:00:00+05:00',
      );
    await expect(correct({ act: crashing })).rejects.toThrow('died');
    const numbered = await database.db('acts').where({ replaces_act_id: original.actId }).first();
    expect(numbered).toMatchObject({ revision: 2, codes: 2, pdf: null });
    expect(await actRow(original.actId)).toMatchObject({ status: 'superseded' });

    const corrected = await correct({});
    expect(corrected).toMatchObject({ actId: numbered.id, number: numbered.number, revision: 2 });
    const act = await actRow(numbered.id);
    expectFinished(act);
    expect(squash(extractPdf(act.pdf).text)).toContain(original.number);
  });

  test('N acts of N clients at once get N consecutive numbers of each kind, every one finished', async () => {
    const N = 6;
    const clients: { id: string }[] = [];
    for (let i = 0; i < N; i++) clients.push(await servedClient(1 + i));
    const [acts, vats] = [await counterFree('act'), await counterFree('vat-invoice')];
    const issued = await Promise.all(clients.map((c) => activities().issueMonthlyAct(c.id, MONTH, ISSUED_AT)));
    const rows = await database.db('acts').whereIn(
      'id',
      issued.map((a) => a!.actId),
    );
    expect(rows).toHaveLength(N);
    const consecutive = (from: number) => Array.from({ length: N }, (_, i) => from + 1 + i);
    expect(rows.map((r) => seqOf(r.number)).sort((a, b) => a - b)).toEqual(consecutive(acts));
    expect(rows.map((r) => seqOf(r.vat_invoice_number)).sort((a, b) => a - b)).toEqual(consecutive(vats));
    for (const row of rows) expectFinished(row);
    expect([await counterFree('act'), await counterFree('vat-invoice')]).toEqual([acts + N, vats + N]);
  });
});

describe('reading a document numbered but not rendered yet', () => {
  test('an invoice: its PDF is rendered and stored by the read', async () => {
    const alpha = await fundedClient(database.db, 0);
    await database.db('clients').where({ id: alpha.id }).update({ details: REQUISITES });
    const crash: InvoiceRenderer = async () => {
      throw new Error('the worker died while rendering');
    };
    const request = { clientId: alpha.id, request: { codes: 10 }, idempotencyKey: 'read', issuedOn: '2026-12-04' };
    await expect(issueInvoice(database.db, request, crash)).rejects.toThrow('died');
    const numbered = await database.db('invoices').where({ client_id: alpha.id }).first();
    expect(numbered.pdf).toBeNull();

    const read = await clientInvoicePdf(database.db, alpha.id, numbered.id);
    expect(read.number).toBe(numbered.number);
    expect(read.pdf).toBeInstanceOf(Buffer);
    expect(squash(extractPdf(read.pdf).text)).toContain(numbered.number);
    const stored = await database.db('invoices').where({ id: numbered.id }).first();
    expect(stored.pdf_sha256).toBe(sha256(read.pdf));
    // Read again: the stored one.
    expect((await clientInvoicePdf(database.db, alpha.id, numbered.id)).pdf_sha256).toBe(stored.pdf_sha256);
  });

  test('an act: its documents are rendered, signed and stored by the read; without the signer, 409 PDF_NOT_READY', async () => {
    const alpha = await servedClient(2);
    await expect(activities({ act: crashing }).issueMonthlyAct(alpha.id, MONTH, ISSUED_AT)).rejects.toThrow('died');
    const numbered = await database.db('acts').where({ client_id: alpha.id }).first();
    const reader = {
      db: database.db,
      clock: { now: () => new Date(ISSUED_AT) },
      config: { operatorTimeZone: 'Asia/Almaty' },
    } as Parameters<typeof actFile>[0];
    // As the staff route reads it: the act's few columns and the file's.
    const partial = { id: numbered.id, client_id: alpha.id, number: numbered.number, vat_invoice_pdf: null };

    const refused = await actFile(reader, partial, 'vat_invoice_pdf').catch((e) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ statusCode: 409, code: 'PDF_NOT_READY' });

    const vatInvoice = await actFile({ ...reader, operatorSigner }, partial, 'vat_invoice_pdf');
    expect(vatInvoice).toBeInstanceOf(Buffer);
    const act = await actRow(numbered.id);
    expectFinished(act);
    expect(sha256(vatInvoice)).toBe(sha256(act.vat_invoice_pdf));
    // The activity's retry finds it finished: the same act, its documents kept.
    expect(await activities().issueMonthlyAct(alpha.id, MONTH, ISSUED_AT)).toMatchObject({ actId: numbered.id });
    expect((await actRow(numbered.id)).pdf_sha256).toBe(act.pdf_sha256);
  });

  test('a reconciliation act: 409 PDF_NOT_READY until its PDF is stored', async () => {
    const alpha = await fundedClient(database.db, 0);
    const issuer = {
      signer: operatorSigner,
      calendar: new BusinessCalendar(await readCalendar(database.db), DEFAULT_SETTINGS),
    };
    const period = { clientId: alpha.id, from: '2026-07-01', to: '2026-09-30', issuedAt: new Date(ISSUED_AT) };
    const { act: numbered } = await numberReconciliationAct(database.db, issuer, period);

    const refused = await clientReconciliationAct(database.db, alpha.id, numbered.id, ['number', 'pdf']).catch(
      (e) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ statusCode: 409, code: 'PDF_NOT_READY' });
    // Its summary reads as ever.
    expect(await clientReconciliationAct(database.db, alpha.id, numbered.id)).toMatchObject({
      number: numbered.number,
    });

    await finishReconciliationAct(database.db, issuer, numbered);
    const read = await clientReconciliationAct(database.db, alpha.id, numbered.id, ['number', 'pdf']);
    expect(read.pdf).toBeInstanceOf(Buffer);
  });
});
