/**
 * Benchmark (not a test): the monthly acts of a month with services for N clients — `monthlyActs` started with the
 * month on the Temporal dev server, one `monthlyAct` workflow per client (numbered, both PDFs rendered, signed by the
 * operator, stored, its «act issued» notice sent) — with one worker process as `npm start` runs it (or `--workers 2`).
 * Baseline from the same run: one act's documents finished in this process (both PDFs rendered, signed) in a loop.
 *
 *   npx tsx ops/bench/acts.ts                        # 10,000 clients, own embedded PostgreSQL (durable)
 *   npx tsx ops/bench/acts.ts --fast --clients 200
 *   npx tsx ops/bench/acts.ts --workers 2 --profile DIR
 *
 * Prints the wall seconds until every client's act is issued (numbered, its PDFs stored) and until every «act issued»
 * notice is sent, acts/s, the CPU seconds of the worker(s), Temporal and PostgreSQL in all and per act (from /proc),
 * and the goal of issue #20: monthly acts for 10,000 clients in ≤ 5 minutes (≤ 300 s, i.e. ≥ 33.3 acts/s).
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { Client } from '@temporalio/client';
import { actWithDocuments, monthDays } from '../../activities/acts';
import { clientsWithServices } from '../../db/acts';
import type { Db } from '../../db/connection';
import { deliverBlock } from '../../db/downloads';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { type CodeKey, generateKey } from '../../lib/codes';
import { renderActPdf, renderVatInvoicePdf } from '../../lib/documents/act-pdf';
import { operatorSignerFor } from '../../lib/operator-signature';
import type { monthlyActs } from '../../workflows/monthly-acts';
import { appProcess } from '../topology/app-process';
import { fundedClient, line, randomGtin } from './fixtures';
import { benchAppEnv, cpuMeter, cpuMs, postgresCpuMs, postmasterPid, withAppStack } from './processes';
import { emitChunked, markOrderReady, measure, printTable, reservedOrder } from './setup';

const NAMESPACE = 'default';
const TASK_QUEUE = 'bench-acts';
/** The month measured: fixed and past, so nothing measured depends on today's date. */
const MONTH = '2026-10';
/** When the services were delivered and charged: mid-month, midday in Almaty. */
const SERVICES_AT = new Date('2026-10-15T06:00:00Z');
/** Codes each client downloaded (one order, one block: one charge, one line in its act). */
const CODES = 3;
const GOAL = { clients: 10_000, seconds: 300 };

/**
 * A client that ordered, was emitted and downloaded `CODES` codes on SERVICES_AT, through the same functions as the
 * order's workflow and the download route (reserveOrder, emitCodeRange, markOrderReady, deliverBlock).
 */
async function servedClient(db: Db, key: CodeKey): Promise<string> {
  const client = await fundedClient(db, 100_000_00, [randomGtin()]);
  const gtin = client.gtins[0];
  const order = await reservedOrder(db, client, [line(gtin, CODES)]);
  await emitChunked(db, order.products[0].orderProductId, CODES, key);
  await markOrderReady(db, order.orderId);
  const block = await deliverBlock(db, {
    orderId: order.orderId,
    gtin,
    quantity: CODES,
    requestRef: 'key:bench-acts',
    channel: 'cabinet',
    applyBy: null,
    at: SERVICES_AT,
    priceDate: new BusinessCalendar({ years: {} }, DEFAULT_SETTINGS).localDate(SERVICES_AT),
  });
  if (block.quantity !== CODES) throw new Error(`client ${client.id}: ${block.quantity} codes delivered, not ${CODES}`);
  return client.id;
}

/** `count` clients with services, `lanes` at a time. */
async function servedClients(db: Db, key: CodeKey, count: number, lanes = 6): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, count) }, async () => {
      while (next < count) {
        next++;
        ids.push(await servedClient(db, key));
      }
    }),
  );
  return ids;
}

/**
 * Every ledger transaction dated SERVICES_AT, as if the clients had paid and been charged then (the ledger is
 * immutable: its trigger is off for this one statement, as the act tests backdate). The rows stay what the code wrote.
 */
async function backdateLedger(db: Db): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw('ALTER TABLE ledger_transactions DISABLE TRIGGER ledger_transactions_immutable');
    await trx('ledger_transactions').update({ created_at: SERVICES_AT });
    await trx.raw('ALTER TABLE ledger_transactions ENABLE TRIGGER ledger_transactions_immutable');
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: String(GOAL.clients) },
      workers: { type: 'string', default: '1' },
      profile: { type: 'string' },
      'baseline-acts': { type: 'string', default: '20' },
    },
    strict: false,
  });
  const clientCount = Number(values.clients);
  const workerCount = Number(values.workers);
  if (!Number.isInteger(clientCount) || clientCount < 1) throw new Error('--clients: a positive integer');
  if (!Number.isInteger(workerCount) || workerCount < 1) throw new Error('--workers: a positive integer');
  await withAppStack('acts', async ({ dir, server, db, processes, startTemporal }) => {
    const key = generateKey('ID01');
    const setup = await measure(async () => {
      const ids = await servedClients(db, key, clientCount);
      await backdateLedger(db);
      return ids;
    });
    const calendar = new BusinessCalendar({ years: {} }, DEFAULT_SETTINGS);
    const period = monthDays(MONTH);
    const withServices = await clientsWithServices(
      db,
      calendar.startOfDay(period.from),
      calendar.startOfDay(addDaysToDate(period.to, 1)),
    );
    if (withServices.length !== clientCount)
      throw new Error(`set-up: ${withServices.length} clients with services in ${MONTH}, expected ${clientCount}`);
    console.log(
      `Set-up: ${clientCount} clients with ${CODES} codes each ordered, emitted and downloaded (reserveOrder, emitCodeRange, ` +
        `markOrderReady, deliverBlock), the ledger dated ${SERVICES_AT.toISOString()}, in ${setup.seconds.toFixed(1)} s.`,
    );
    const postmaster = await postmasterPid(db);

    const { server: temporalServer, connection } = await startTemporal(NAMESPACE);
    const temporalClient = new Client({ connection, namespace: NAMESPACE });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signingKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const env = benchAppEnv({
      databaseUrl: server.url,
      temporalAddress: temporalServer.address,
      namespace: NAMESPACE,
      taskQueue: TASK_QUEUE,
      codeKey: key,
      dataDir: path.join(dir, 'app-data'),
      extra: { OPERATOR_SIGNING_KEY: signingKey },
    });
    const nodeOptions = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(String(values.profile))}`] : [];
    const workers = Array.from({ length: workerCount }, (_, i) =>
      appProcess({
        name: `worker-${i + 1}`,
        entry: 'workflows/worker.ts',
        env,
        logFile: path.join(dir, `worker-${i + 1}.log`),
        nodeOptions,
        ready: (output) => output.includes('worker polling'),
      }),
    );
    processes.push(...workers);
    await Promise.all(workers.map((w) => w.start()));

    const cpuNow = cpuMeter({
      worker: () => workers.reduce((sum, w) => sum + cpuMs(w.pid!), 0),
      temporal: () => cpuMs(temporalServer.process.pid!),
      postgres: () => postgresCpuMs(postmaster),
    });
    const issued = async () =>
      Number((await db('acts').where({ period_from: period.from }).whereNotNull('pdf').count({ n: '*' }))[0].n);
    const noticesSent = async () =>
      Number(
        (await db('notices').where('topic', 'like', 'act:%:issued').where({ status: 'sent' }).count({ n: '*' }))[0].n,
      );

    const cpuBefore = cpuNow();
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    const handle = await temporalClient.workflow.start<typeof monthlyActs>('monthlyActs', {
      workflowId: `monthly-acts-${MONTH}`,
      taskQueue: TASK_QUEUE,
      args: [{ month: MONTH }],
    });
    let firstActS: number | undefined;
    let lastReport = 0;
    const deadline = Date.now() + 30 * 60_000;
    for (;;) {
      const n = await issued();
      if (n > 0) firstActS ??= elapsed();
      if (n >= clientCount) break;
      if (Date.now() > deadline) throw new Error(`only ${n} of ${clientCount} acts issued in 30 minutes`);
      if (elapsed() - lastReport >= 10) {
        lastReport = elapsed();
        console.log(`  ${lastReport.toFixed(0)} s: ${n} acts issued`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const allIssuedS = elapsed();
    const cpuIssued = cpuNow();
    while ((await noticesSent()) < clientCount) {
      if (Date.now() > deadline) throw new Error('not every «act issued» notice sent in 30 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    const allNoticesS = elapsed();
    const cpuNoticed = cpuNow();
    const fanOut = await handle.result();

    // Verify: one act per client, numbered with its VAT invoice, its PDFs stored and signed, every charge covered.
    const acts = await db('acts')
      .where({ period_from: period.from })
      .select(
        'id',
        'client_id',
        'number',
        'vat_invoice_number',
        'codes',
        'operator_signature',
        db.raw(`pdf_sha256 = encode(sha256(pdf), 'hex') AND substring(pdf FROM 1 FOR 5) = '%PDF-'::bytea AS pdf_ok`),
        db.raw(`substring(vat_invoice_pdf FROM 1 FOR 5) = '%PDF-'::bytea AS vat_invoice_pdf_ok`),
      );
    const problems: string[] = [];
    if (fanOut.started !== clientCount)
      problems.push(`monthlyActs started ${fanOut.started} act workflows, not ${clientCount}`);
    if (acts.length !== clientCount) problems.push(`${acts.length} acts for ${MONTH}, expected ${clientCount}`);
    if (new Set(acts.map((a) => a.client_id)).size !== acts.length) problems.push('a client has two acts');
    if (new Set(acts.map((a) => a.number)).size !== acts.length) problems.push('two acts share a number');
    const incomplete = acts.filter(
      (a) =>
        !a.number ||
        !a.vat_invoice_number ||
        !a.pdf_ok ||
        !a.operator_signature ||
        !a.vat_invoice_pdf_ok ||
        a.codes !== CODES,
    );
    if (incomplete.length)
      problems.push(`${incomplete.length} acts without a number, PDF, signature or with the wrong codes`);
    const uncovered = Number(
      (
        await db('ledger_transactions as t')
          .where({ 't.kind': 'capture' })
          .whereNotExists(db('act_services as s').whereRaw('s.ledger_transaction_id = t.id'))
          .count({ n: '*' })
      )[0].n,
    );
    if (uncovered) problems.push(`${uncovered} charges in no act`);
    if (problems.length) throw new Error(`the acts are not right: ${problems.join('; ')}`);

    // Baseline, same run, this process: an issued act's documents finished again (both PDFs rendered, both signed);
    // the act's row keeps its stored documents (storeActDocuments stores once).
    const signer = operatorSignerFor({ pem: signingKey, dataDir: dir });
    const sample = await db('acts')
      .where({ period_from: period.from })
      .orderBy('number')
      .limit(Number(values['baseline-acts']));
    let renderMs = 0;
    const timed =
      <T>(render: (document: T) => Promise<Buffer>) =>
      async (document: T) => {
        const t0 = performance.now();
        try {
          return await render(document);
        } finally {
          renderMs += performance.now() - t0;
        }
      };
    const render = { act: timed(renderActPdf), vatInvoice: timed(renderVatInvoicePdf) };
    await actWithDocuments(db, { signer, render }, { ...sample[0], pdf: null }); // warm-up
    renderMs = 0;
    const baseline = await measure(async () => {
      for (const act of sample) await actWithDocuments(db, { signer, render }, { ...act, pdf: null });
    });
    const baselineMsPerAct = (baseline.seconds * 1000) / sample.length;
    const renderMsPerAct = renderMs / sample.length;

    const cpuS = (after: Record<string, number>) =>
      Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] - cpuBefore[k]) / 1000]));
    const issuedCpu = cpuS(cpuIssued);
    const noticedCpu = cpuS(cpuNoticed);
    const keys = Object.keys(issuedCpu);
    printTable([
      ['until', 'wall s', 'acts/s', ...keys.map((k) => `CPU s ${k}`), ...keys.map((k) => `CPU ms/act ${k}`)],
      ...(
        [
          ['every act issued (PDFs stored)', allIssuedS, issuedCpu],
          ['every «act issued» notice sent', allNoticesS, noticedCpu],
        ] as const
      ).map(([name, s, cpu]) => [
        name,
        s.toFixed(1),
        (clientCount / s).toFixed(1),
        ...keys.map((k) => cpu[k].toFixed(1)),
        ...keys.map((k) => ((cpu[k] * 1000) / clientCount).toFixed(1)),
      ]),
    ]);
    console.log(
      `\nClients ${clientCount}, worker processes ${workerCount}; first act after ${firstActS!.toFixed(1)} s; ` +
        `monthlyActs started ${fanOut.started} act workflows.`,
    );
    console.log(
      `Baseline (this process, ${sample.length} acts): an act's documents finished in ${baselineMsPerAct.toFixed(1)} ms ` +
        `(rendering the act's and the VAT invoice's PDFs ${renderMsPerAct.toFixed(1)} ms of it); ` +
        `the worker's CPU per act is ${((issuedCpu.worker * 1000) / clientCount / baselineMsPerAct).toFixed(1)}× that.`,
    );
    const projected = (allIssuedS / clientCount) * GOAL.clients;
    const cpuPerAct = keys.reduce((s, k) => s + noticedCpu[k], 0) / clientCount;
    console.log(
      `Goal (issue #20): acts for ${GOAL.clients} clients in ≤ ${GOAL.seconds} s (≥ ${(GOAL.clients / GOAL.seconds).toFixed(1)} acts/s) — ` +
        `${clientCount >= GOAL.clients ? (allIssuedS <= GOAL.seconds ? 'met' : 'NOT met') : 'not measured at this scale'}: ` +
        `${(clientCount / allIssuedS).toFixed(1)} acts/s here, ${projected.toFixed(0)} s for ${GOAL.clients} at this rate; ` +
        `${(cpuPerAct * 1000).toFixed(0)} ms of CPU per act in all is ${((cpuPerAct * GOAL.clients) / os.cpus().length).toFixed(0)} s ` +
        `on ${os.cpus().length} cores for ${GOAL.clients} at best.`,
    );
    console.log(
      `Load average: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
