import { createHash, generateKeyPairSync } from 'node:crypto';
import { issueInvoice, type InvoiceRenderer } from '../../activities/invoices';
import {
  finishReconciliationAct,
  issueReconciliationAct,
  numberReconciliationAct,
} from '../../activities/reconciliation';
import { requestReconciliationAct } from '../../api/intake/reconciliation-acts';
import { readCalendar } from '../../db/calendar-store';
import { registerTicket } from '../../db/tickets';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { renderInvoicePdf } from '../../lib/documents/invoice-pdf';
import { renderReconciliationPdf } from '../../lib/documents/reconciliation-pdf';
import { signerFromKey } from '../../lib/operator-signature';
import { reconciliationActWorkflowId } from '../../workflows/reconciliation-act';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { REQUISITES } from '../helpers/fixtures';
import { fundedClient } from '../helpers/orders';
import { gated } from '../helpers/gated';

// Issue #19: the year's document counter — one row shared by every client — is held only while a
// number is taken and the document's row committed with it; the PDF is rendered after that, outside
// the lock. Renders are held open by a gate and awaited by their start, never by a sleep; the dates
// are pinned (invoices of 04.12.2026, reconciliation acts issued 14.12.2026 for 2026's third quarter).
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const ISSUED_ON = '2026-12-04';
const YEAR = 2026;
const operatorSigner = signerFromKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

async function client() {
  const row = await fundedClient(database.db, 0);
  await database.db('clients').where({ id: row.id }).update({ details: REQUISITES });
  return row;
}

/** Locks the counter row at once or fails (NOWAIT): what a blocked reader or issuer would wait for. */
const counterFree = (kind: string) =>
  database.db.transaction(async (trx) => {
    const { rows } = await trx.raw(`SELECT last FROM document_counters WHERE kind = ? AND year = ? FOR UPDATE NOWAIT`, [
      kind,
      YEAR,
    ]);
    return rows[0].last as number;
  });

const sha256 = (pdf: Buffer) => createHash('sha256').update(pdf).digest('hex');

describe('invoices for payment (Прил. 2 п.6)', () => {
  const invoice = (clientId: string, idempotencyKey: string, render: InvoiceRenderer = renderInvoicePdf) =>
    issueInvoice(database.db, { clientId, request: { codes: 10 }, idempotencyKey, issuedOn: ISSUED_ON }, render);

  test('while one invoice renders, the counter is free: another client is numbered next, the same key gets the same invoice', async () => {
    const [alpha, beta] = [await client(), await client()];
    const slow = gated(renderInvoicePdf);
    const first = invoice(alpha.id, 'slow', slow.render);
    await slow.rendering;

    // Numbered and committed before the render, without its PDF; the counter row is not held.
    const numbered = await database.db('invoices').where({ client_id: alpha.id }).first();
    expect(numbered).toMatchObject({ pdf: null, pdf_sha256: null, issued_on: ISSUED_ON, year: YEAR });
    expect(await counterFree('invoice')).toBe(numbered.seq);
    const other = await invoice(beta.id, 'other');
    expect(other).toMatchObject({ replayed: false, invoice: { seq: numbered.seq + 1 } });
    expect(other.invoice.pdf_sha256).toBe(sha256(other.invoice.pdf));
    // A retry of the slow request meanwhile answers the same invoice, with a PDF.
    const retry = await invoice(alpha.id, 'slow');
    expect(retry).toMatchObject({ replayed: true, invoice: { id: numbered.id, number: numbered.number } });
    expect(retry.invoice.pdf).toBeInstanceOf(Buffer);

    slow.release();
    const done = await first;
    expect(done).toMatchObject({ replayed: false, invoice: { id: numbered.id, number: numbered.number } });
    // The PDF stored first stays: both answers carry it.
    expect(done.invoice.pdf_sha256).toBe(retry.invoice.pdf_sha256);
    expect(done.invoice.pdf_sha256).toBe(sha256(done.invoice.pdf));
    expect(await database.db('invoices').where({ client_id: alpha.id })).toHaveLength(1);
  });

  test('an invoice numbered before a crash gets its PDF from the retry', async () => {
    const alpha = await client();
    const crashing: InvoiceRenderer = async () => {
      throw new Error('the worker died while rendering');
    };
    await expect(invoice(alpha.id, 'crash', crashing)).rejects.toThrow('died');
    const numbered = await database.db('invoices').where({ client_id: alpha.id }).first();
    expect(numbered.pdf).toBeNull(); // the number is kept: no gap

    const retry = await invoice(alpha.id, 'crash');
    expect(retry).toMatchObject({ replayed: true, invoice: { id: numbered.id, number: numbered.number } });
    expect(retry.invoice.pdf_sha256).toBe(sha256(retry.invoice.pdf));
  });

  test('N requests at once get N distinct consecutive numbers; twins of one key get one invoice', async () => {
    const [alpha, beta] = [await client(), await client()];
    const before = await counterFree('invoice');
    const N = 16;
    const results = await Promise.all([
      ...Array.from({ length: N }, (_, i) => invoice(i % 2 ? alpha.id : beta.id, `parallel-${i}`)),
      ...Array.from({ length: 4 }, () => invoice(alpha.id, 'twin')),
    ]);
    const distinct = new Map(results.map((r) => [r.invoice.id, r.invoice]));
    expect(distinct.size).toBe(N + 1);
    expect([...distinct.values()].map((i) => i.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: N + 1 }, (_, i) => before + 1 + i),
    );
    expect([...distinct.values()].every((i) => i.number === `${YEAR}-${String(i.seq).padStart(6, '0')}`)).toBe(true);
    const twins = results.slice(N);
    expect(new Set(twins.map((r) => r.invoice.id)).size).toBe(1);
    expect(twins.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await counterFree('invoice')).toBe(before + N + 1);
    expect(await database.db('invoices').whereNull('pdf')).toEqual([]);
  });
});

describe('reconciliation acts (6.6-6.8)', () => {
  const period = { from: '2026-07-01', to: '2026-09-30', issuedAt: new Date('2026-12-14T10:00:00+05:00') };
  const calendar = async () => new BusinessCalendar(await readCalendar(database.db), DEFAULT_SETTINGS);

  test('while one act renders, the counter is free; its PDF is signed by the operator and stored once', async () => {
    const [alpha, beta] = [await client(), await client()];
    const slow = gated(renderReconciliationPdf);
    const stored: string[] = [];
    const first = issueReconciliationAct(
      database.db,
      { signer: operatorSigner, calendar: await calendar(), render: slow.render },
      { clientId: alpha.id, ...period },
      async (_trx, act) => void stored.push(act.id),
    );
    await slow.rendering;

    const numbered = await database.db('reconciliation_acts').where({ client_id: alpha.id }).first();
    expect(numbered).toMatchObject({ status: 'issued', pdf: null, operator_signature: null });
    const seq = Number(numbered.number.slice(-6));
    expect(await counterFree('reconciliation')).toBe(seq);
    const other = await issueReconciliationAct(
      database.db,
      { signer: operatorSigner, calendar: await calendar() },
      { clientId: beta.id, ...period },
    );
    expect(other.number).toBe(`АС-${YEAR}-${String(seq + 1).padStart(6, '0')}`);

    slow.release();
    const act = await first;
    expect(act).toMatchObject({ id: numbered.id, number: numbered.number, status: 'issued' });
    expect(operatorSigner.verify(act.pdf, act.operator_signature)).toBe(true);
    expect(act.pdf_sha256).toBe(sha256(act.pdf));
    expect(stored).toEqual([act.id]);
  });

  test('an act numbered before a crash is finished once, however many finish it at once', async () => {
    const alpha = await client();
    const issuer = { signer: operatorSigner, calendar: await calendar() };
    const { act: numbered } = await numberReconciliationAct(database.db, issuer, { clientId: alpha.id, ...period });
    const stored: string[] = [];
    const finished = await Promise.all(
      [1, 2, 3].map(() =>
        finishReconciliationAct(database.db, issuer, numbered, { stored: async (_trx, a) => void stored.push(a.id) }),
      ),
    );
    expect(stored).toEqual([numbered.id]);
    expect(new Set(finished.map((a) => a.pdf_sha256)).size).toBe(1);
    expect(operatorSigner.verify(finished[0].pdf, finished[0].operator_signature)).toBe(true);
  });

  test('the API: a refused workflow start leaves the numbered act unfinished; the next request for the period finishes and answers it', async () => {
    const alpha = await client();
    const started: string[] = [];
    let temporalAway = true;
    const deps = {
      db: database.db,
      config: { temporalTaskQueue: 'counter-lock-tests' },
      operatorSigner,
      temporal: {
        client: {
          workflow: {
            start: async (_workflow: unknown, options: { workflowId: string }) => {
              if (temporalAway) throw new Error('Temporal is away');
              started.push(options.workflowId);
            },
          },
        },
      },
    } as unknown as Parameters<typeof requestReconciliationAct>[0];
    const p = { clientId: alpha.id, ...period };

    await expect(requestReconciliationAct(deps, await calendar(), p)).rejects.toThrow('away');
    const [unfinished] = await database.db('reconciliation_acts').where({ client_id: alpha.id });
    expect(unfinished).toMatchObject({ pdf: null, status: 'issued' });

    temporalAway = false;
    const act = await requestReconciliationAct(deps, await calendar(), p);
    expect(act).toMatchObject({ id: unfinished.id, number: unfinished.number });
    expect(act.pdf).toBeInstanceOf(Buffer);
    expect(started).toEqual([reconciliationActWorkflowId(unfinished.id)]);
    expect(await database.db('reconciliation_acts').where({ client_id: alpha.id })).toHaveLength(1);
  });
});

describe('support tickets (Прил. 3 п.2a)', () => {
  // The API registers a ticket and starts its workflow in one transaction: its number must not lock
  // anything other tickets need until that transaction ends. Years of their own, pinned.
  const ticket = (trx: Parameters<typeof registerTicket>[0], receivedAt: string) =>
    registerTicket(trx, {
      clientId: null,
      contactEmail: 'shoes@example.kz',
      channel: 'api',
      subject: 'Не приходят коды',
      body: 'Заказ не исполнен',
      receivedAt: new Date(receivedAt),
      author: 'test',
    }).then(({ ticket }) => ticket.number as string);

  test('a registration whose transaction is still open blocks no other; one rolled back leaves a gap', async () => {
    const at = '2033-03-01T05:00:00Z';
    expect(await database.db.transaction((trx) => ticket(trx, at))).toBe('SD-2033-000001');

    let opened!: (number: string) => void;
    let commit!: () => void;
    const registered = new Promise<string>((resolve) => (opened = resolve));
    const held = new Promise<void>((resolve) => (commit = resolve));
    const open = database.db.transaction(async (trx) => {
      opened(await ticket(trx, at));
      await held; // as the API's transaction waits for its workflow's start
    });
    expect(await registered).toBe('SD-2033-000002');
    expect(await database.db.transaction((trx) => ticket(trx, at))).toBe('SD-2033-000003');
    commit();
    await open;

    await expect(
      database.db.transaction(async (trx) => {
        await ticket(trx, at);
        throw new Error('the workflow did not start');
      }),
    ).rejects.toThrow('did not start');
    expect(await database.db.transaction((trx) => ticket(trx, at))).toBe('SD-2033-000005');
  });

  test("the year's first ticket makes its sequence: one registered meanwhile waits for that and takes the next number", async () => {
    const at = '2035-01-02T05:00:00Z';
    let opened!: (number: string) => void;
    let commit!: () => void;
    const registered = new Promise<string>((resolve) => (opened = resolve));
    const held = new Promise<void>((resolve) => (commit = resolve));
    const first = database.db.transaction(async (trx) => {
      opened(await ticket(trx, at));
      await held;
    });
    expect(await registered).toBe('SD-2035-000001');
    const second = database.db.transaction((trx) => ticket(trx, at));
    // The second waits on the sequence the first made (not yet committed), and on nothing else.
    await eventually(async () => {
      const { rows } = await database.db.raw(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE 'CREATE SEQUENCE%'`,
      );
      return rows.length > 0;
    });
    commit();
    await first;
    expect(await second).toBe('SD-2035-000002');
  });

  test("a year's numbers continue after those its counter gave; its first tickets at once get distinct numbers", async () => {
    await database.db('document_counters').insert({ kind: 'ticket', year: 2034, last: 41 });
    const numbers = await Promise.all(
      Array.from({ length: 5 }, () => database.db.transaction((trx) => ticket(trx, '2034-06-01T05:00:00Z'))),
    );
    expect(numbers.sort()).toEqual([42, 43, 44, 45, 46].map((n) => `SD-2034-0000${n}`));
  });
});
