/** The soak's invariants, read from PostgreSQL, Temporal and the SMTP catcher after the load has drained. */
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/connection';
import { checkLedger } from '../../db/ledger';
import type { CaughtMail } from '../topology/mail-catcher';
import type { Sample } from './http';
import type { Scenario } from './scenario';

export interface Check {
  name: string;
  ok: boolean;
  /** One line of what was checked and found. */
  detail: string;
  /** Offending items (a few). */
  examples?: string[];
}

/** A period when a service was down on purpose: [downAt, recoveredAt] (recovered: both APIs' /health 200 again). */
export interface Outage {
  /** A worker killed is an outage of its kind of work until it is back and the activities it held have timed out. */
  service: 'postgres' | 'temporal' | 'worker';
  downAt: number;
  recoveredAt: number;
}

/**
 * Workflow types that live on after the soak by design (a client for years, an order until its
 * codes' lifetime ends, a block's application period, code retention, an open ticket, a notice's
 * answer deadline). Any other type still running at the end is stuck.
 */
export const LONG_LIVED_WORKFLOWS = [
  'clientLifecycle',
  'orderEmission',
  'applicationDeadline',
  'codeRetention',
  'supportTicket',
  'noticeDelivery',
];

const few = (items: string[], n = 5) =>
  items.length > n ? [...items.slice(0, n), `… ${items.length - n} more`] : items;

export async function orderChecks(db: Db, scenario: Scenario): Promise<Check[]> {
  const checks: Check[] = [];
  const clientIds = scenario.clients.map((c) => c.id);
  const ours = new Map(scenario.orders.map((o) => [o.orderId, o]));
  const rows = await db('orders').whereIn('client_id', clientIds).select('id', 'status', 'total_codes');
  const products = await db('order_products as op')
    .join('orders as o', 'o.id', 'op.order_id')
    .whereIn('o.client_id', clientIds)
    .select('op.id', 'op.order_id', 'op.gtin', 'op.quantity', 'op.emitted', 'op.passed', 'op.status');
  const codeCounts = new Map<string, number>(
    (
      await db('marking_codes as m')
        .join('order_products as op', 'op.id', 'm.order_product_id')
        .join('orders as o', 'o.id', 'op.order_id')
        .whereIn('o.client_id', clientIds)
        .groupBy('m.order_product_id')
        .select('m.order_product_id as id', db.raw('count(*)::int as n'))
    ).map((r: any) => [r.id, r.n]),
  );
  const wrong: string[] = [];
  const notEmitted: string[] = [];
  for (const order of scenario.orders) {
    const row = rows.find((r) => r.id === order.orderId);
    if (!row) {
      wrong.push(`${order.orderId}: answered 200 but not in the database`);
      continue;
    }
    if (!['READY', 'CLOSED'].includes(row.status)) notEmitted.push(`${order.orderId}: ${row.status}`);
    const lines = products.filter((p) => p.order_id === order.orderId);
    const expected = order.lines.map((l) => `${l.gtin}×${l.quantity}`).sort();
    const got = lines.map((p) => `${p.gtin}×${p.quantity}`).sort();
    if (expected.join() !== got.join()) wrong.push(`${order.orderId}: ordered ${expected}, recorded ${got}`);
    for (const p of lines) {
      const codes = codeCounts.get(p.id) ?? 0;
      if (codes !== p.quantity || p.emitted !== p.quantity)
        wrong.push(
          `${order.orderId}/${p.gtin}: ordered ${p.quantity}, emitted ${p.emitted}, codes in the database ${codes}`,
        );
    }
  }
  const extra = rows.filter((r) => !ours.has(r.id)).map((r) => `${r.id} (${r.status})`);
  const codesTotal = [...codeCounts.values()].reduce((a, b) => a + b, 0);
  checks.push({
    name: "every order's codes exactly as ordered",
    ok: wrong.length === 0 && extra.length === 0,
    detail: `${scenario.orders.length} orders, ${products.length} buffers, ${codesTotal} codes; ${wrong.length} wrong, ${extra.length} orders no client was answered for`,
    examples: few([...wrong, ...extra.map((e) => `unanswered order ${e}`)]),
  });
  checks.push({
    name: 'every order emitted (READY) after the drain',
    ok: notEmitted.length === 0,
    detail: `${scenario.orders.length - notEmitted.length} of ${scenario.orders.length} READY or CLOSED`,
    examples: few(notEmitted),
  });
  const duplicates = await db.raw(`
    SELECT (SELECT count(*) - count(DISTINCT code) FROM marking_codes)::int AS codes,
           (SELECT count(*) - count(DISTINCT (gtin, serial)) FROM marking_codes)::int AS serials`);
  const d = duplicates.rows[0];
  checks.push({
    name: 'no duplicate codes',
    ok: d.codes === 0 && d.serials === 0,
    detail: `${d.codes} duplicate codes, ${d.serials} duplicate GTIN+serial pairs in marking_codes`,
  });
  return checks;
}

export async function downloadChecks(db: Db, scenario: Scenario): Promise<Check[]> {
  const clientIds = scenario.clients.map((c) => c.id);
  const blocks = await db('code_blocks as b')
    .whereIn('b.client_id', clientIds)
    .select(
      'b.id',
      'b.order_product_id',
      'b.quantity',
      'b.amount',
      'b.request_ref',
      'b.ledger_transaction_id',
      db.raw(
        `(SELECT count(*)::int FROM ledger_transactions t WHERE t.kind = 'capture' AND t.reference_type = 'download' AND t.reference_id = b.id::text) AS charges`,
      ),
      db.raw(`(SELECT count(*)::int FROM marking_codes m WHERE m.block_id = b.id) AS codes`),
      db.raw(
        `(SELECT count(*)::int FROM marking_codes m WHERE m.block_id = b.id AND m.status <> 'APPLIED') AS not_applied`,
      ),
    );
  const problems: string[] = [];
  for (const b of blocks) {
    if (b.charges !== 1) problems.push(`block ${b.id}: charged ${b.charges} times`);
    if (b.codes !== b.quantity) problems.push(`block ${b.id}: ${b.quantity} codes, ${b.codes} carry its id`);
    if (b.not_applied) problems.push(`block ${b.id}: ${b.not_applied} codes not APPLIED`);
  }
  const byId = new Map(blocks.map((b) => [b.id, b]));
  const seen = new Set<string>();
  for (const d of scenario.downloads) {
    const b = byId.get(d.blockId);
    if (!b) problems.push(`download ${d.blockId}: received, not in the database`);
    else if (b.quantity !== d.quantity || b.request_ref !== d.requestRef)
      problems.push(
        `download ${d.blockId}: received ${d.quantity} (${d.requestRef}), recorded ${b.quantity} (${b.request_ref})`,
      );
    if (seen.has(d.blockId)) problems.push(`block ${d.blockId} handed out for two requests`);
    seen.add(d.blockId);
  }
  const unreceived = blocks.filter((b) => !seen.has(b.id)).map((b) => `block ${b.id} charged, never received`);
  const passed = await db.raw(
    `SELECT op.id, op.passed, COALESCE(SUM(b.quantity), 0)::int AS delivered
       FROM order_products op JOIN orders o ON o.id = op.order_id LEFT JOIN code_blocks b ON b.order_product_id = op.id
      WHERE o.client_id = ANY(?) GROUP BY op.id HAVING op.passed <> COALESCE(SUM(b.quantity), 0)`,
    [clientIds],
  );
  for (const r of passed.rows) problems.push(`buffer ${r.id}: passed ${r.passed}, blocks hold ${r.delivered}`);
  const retried = scenario.downloads.filter((d) => d.attempts > 1).length;
  return [
    {
      name: 'every download charged once',
      ok: problems.length === 0 && unreceived.length === 0,
      detail: `${scenario.downloads.length} downloads (${retried} retried), ${blocks.length} blocks, ${blocks.reduce((s, b) => s + b.quantity, 0)} codes, one capture each`,
      examples: few([...problems, ...unreceived]),
    },
  ];
}

export async function paymentChecks(db: Db, scenario: Scenario): Promise<Check[]> {
  const rows = await db('bank_payments as p')
    .whereIn(
      'p.document_number',
      scenario.payments.map((p) => p.documentNumber),
    )
    .select(
      'p.id',
      'p.document_number',
      'p.status',
      'p.amount',
      db.raw(
        `(SELECT count(*)::int FROM ledger_transactions t WHERE t.kind = 'deposit' AND t.reference_type = 'payment' AND t.reference_id = p.id::text) AS deposits`,
      ),
    );
  const problems: string[] = [];
  for (const payment of scenario.payments) {
    const found = rows.filter((r) => r.document_number === payment.documentNumber);
    if (found.length !== 1) problems.push(`${payment.documentNumber}: ${found.length} payments recorded`);
    else if (found[0].status !== 'credited' || found[0].deposits !== 1 || found[0].amount !== payment.amountTiyn)
      problems.push(
        `${payment.documentNumber}: ${found[0].status}, ${found[0].deposits} deposits, ${found[0].amount} tiyn`,
      );
  }
  return [
    {
      name: 'every payment credited once',
      ok: problems.length === 0,
      detail: `${scenario.payments.length} payments (${scenario.payments.filter((p) => p.attempts > 1).length} retried), one deposit each`,
      examples: few(problems),
    },
  ];
}

export async function ledgerCheck(db: Db): Promise<Check> {
  const result = await checkLedger(db);
  return {
    name: 'ledger check clean',
    ok: result.problems.length === 0,
    detail: `${result.accountsChecked} accounts, ${result.transactionsChecked} transactions, ${result.problems.length} problems`,
    examples: few(result.problems.map((p) => `${p.kind}: ${p.message}`)),
  };
}

/** What a ticket at each of the soak's stages must show: its status, and the deadline that runs then. */
const TICKET_EXPECTED = {
  new: { status: 'new', deadline: 'reaction_due_at' },
  classified: { status: 'in_progress', deadline: 'resolution_due_at' },
  resolved: { status: 'resolved', deadline: undefined },
  confirmed: { status: 'closed', deadline: undefined },
} as const;

export async function ticketProblems(db: Db, scenario: Scenario): Promise<string[]> {
  const rows = await db('tickets')
    .whereIn(
      'id',
      scenario.tickets.map((t) => t.id),
    )
    .select('id', 'number', 'status', 'reaction_due_at', 'resolution_due_at');
  const problems: string[] = [];
  for (const ticket of scenario.tickets) {
    const row = rows.find((r) => r.id === ticket.id);
    // A step answered PROCESS_BUSY may have been carried out after: then the ticket is at that step's stage.
    const maybe = ticket.maybe && row?.status === TICKET_EXPECTED[ticket.maybe].status ? ticket.maybe : undefined;
    const expected = TICKET_EXPECTED[maybe ?? ticket.stage];
    if (!row) problems.push(`${ticket.id}: not in the database`);
    else if (row.status !== expected.status)
      problems.push(`${row.number}: ${ticket.stage} by the API, status ${row.status}`);
    else if (expected.deadline && !row[expected.deadline])
      problems.push(`${row.number}: ${row.status}, no ${expected.deadline} recorded`);
  }
  return problems;
}

export async function ticketChecks(db: Db, scenario: Scenario): Promise<Check[]> {
  const problems = await ticketProblems(db, scenario);
  const stages = ['new', 'classified', 'resolved', 'confirmed'].map(
    (stage) => `${scenario.tickets.filter((t) => t.stage === stage).length} ${stage}`,
  );
  return [
    {
      name: "every ticket's status as the API answered, its running deadline recorded",
      ok: problems.length === 0,
      detail: `${scenario.tickets.length} tickets (${stages.join(', ')}); ${scenario.retriedStepsFoundDone.length} agent steps retried after a lost answer and found done`,
      examples: few(problems),
    },
  ];
}

export interface WorkflowCensus {
  byTypeAndStatus: Record<string, number>;
  checks: Check[];
}

export async function workflowChecks(client: Client): Promise<WorkflowCensus> {
  const byTypeAndStatus: Record<string, number> = {};
  const failed: string[] = [];
  const unexpectedRunning: string[] = [];
  const running: { workflowId: string; runId: string; type: string }[] = [];
  for await (const w of client.workflow.list()) {
    const key = `${w.type} ${w.status.name}`;
    byTypeAndStatus[key] = (byTypeAndStatus[key] ?? 0) + 1;
    if (['FAILED', 'TIMED_OUT', 'TERMINATED', 'CANCELLED'].includes(w.status.name))
      failed.push(`${w.type} ${w.workflowId}: ${w.status.name}`);
    if (w.status.name === 'RUNNING') {
      running.push({ workflowId: w.workflowId, runId: w.runId, type: w.type });
      if (!LONG_LIVED_WORKFLOWS.includes(w.type)) unexpectedRunning.push(`${w.type} ${w.workflowId}`);
    }
  }
  const stuck: string[] = [];
  for (const w of running) {
    const described = await client.workflow.getHandle(w.workflowId, w.runId).describe();
    const raw = described.raw;
    const taskAttempt = raw.pendingWorkflowTask?.attempt ?? 0;
    if (taskAttempt >= 3) stuck.push(`${w.type} ${w.workflowId}: workflow task attempt ${taskAttempt}`);
    for (const activity of raw.pendingActivities ?? [])
      if ((activity.attempt ?? 0) >= 5)
        stuck.push(
          `${w.type} ${w.workflowId}: activity ${activity.activityType?.name} attempt ${activity.attempt} (${activity.lastFailure?.message ?? ''})`,
        );
  }
  return {
    byTypeAndStatus,
    checks: [
      {
        name: 'no workflow failed, timed out, terminated or cancelled',
        ok: failed.length === 0,
        detail: `${Object.values(byTypeAndStatus).reduce((a, b) => a + b, 0)} workflow executions, ${failed.length} ended badly`,
        examples: few(failed),
      },
      {
        name: 'no workflow stuck (running: long-lived kinds only, no task or activity retrying)',
        ok: unexpectedRunning.length === 0 && stuck.length === 0,
        detail: `${running.length} running (${LONG_LIVED_WORKFLOWS.join(', ')}), ${unexpectedRunning.length} of other kinds, ${stuck.length} retrying`,
        examples: few([...unexpectedRunning, ...stuck]),
      },
    ],
  };
}

/**
 * SMTP has no idempotency: a worker killed after the server took a message and before the activity recorded it
 * sends it again (the same Message-ID). Only that is forgiven — a repeat whose first copy arrived within 2 s
 * before a worker's SIGKILL; any other repeat fails.
 */
const KILL_WINDOW_BEFORE_MS = 2000;

export function mailChecks(mails: CaughtMail[], scenario: Scenario, killedAt: number[] = []): Check[] {
  const ids = new Map<string, CaughtMail[]>();
  for (const mail of mails) if (mail.messageId) ids.set(mail.messageId, [...(ids.get(mail.messageId) ?? []), mail]);
  const atAKill = (first: CaughtMail) =>
    killedAt.some(
      (k) => first.receivedAt.getTime() >= k - KILL_WINDOW_BEFORE_MS && first.receivedAt.getTime() <= k + 500,
    );
  const repeated = [...ids].filter(([, copies]) => copies.length > 1);
  const forgiven = new Set(repeated.filter(([, copies]) => atAKill(copies[0])).map(([id]) => id));
  const contents = new Map<string, number>();
  for (const mail of mails) {
    if (mail.messageId && forgiven.has(mail.messageId)) continue;
    const key = `${mail.to.join(',')} | ${mail.subject} | ${mail.text.replace(/\s+/g, ' ').trim()}`;
    contents.set(key, (contents.get(key) ?? 0) + 1);
  }
  const sameId = repeated.filter(([id]) => !forgiven.has(id)).map(([id, copies]) => `${id} ×${copies.length}`);
  const sameContent = [...contents].filter(([, n]) => n > 1).map(([key, n]) => `${key.slice(0, 160)} ×${n}`);
  const emails = new Set(scenario.clients.map((c) => c.email.toLowerCase()));
  const toClients = mails.filter((m) => m.to.some((t) => emails.has(t))).length;
  return [
    {
      name: 'no e-mail sent twice',
      ok: sameId.length === 0 && sameContent.length === 0,
      detail: `${mails.length} e-mails (${toClients} to the soak's clients); ${sameId.length} Message-IDs and ${sameContent.length} recipient+subject+text seen twice; ${forgiven.size} resent after a worker was killed between the send and its record`,
      examples: few([...sameId, ...sameContent]),
    },
  ];
}

/** Whether an answer is one the API may give: any 2xx; 503 or a refused connection during an outage; a business 409 the soak expects. */
export function apiErrorCheck(samples: Sample[], outages: Outage[], graceMs = 5000): Check {
  const unexpected: string[] = [];
  let duringOutages = 0;
  for (const s of samples) {
    if (typeof s.outcome === 'number' && s.outcome < 400) continue;
    // A ticket not yet registered by its workflow refuses a step with 409; the agent tries again later.
    if (s.kind === 'support' && s.outcome === 409) continue;
    // An order still being emitted cannot be closed; the client closes another.
    if (s.kind === 'close' && s.outcome === 400 && s.code === 'BUFFER_NOT_CLOSABLE') continue;
    const inOutage = outages.some((o) => s.at >= o.downAt - 1000 && s.at <= o.recoveredAt + graceMs);
    if (inOutage && (s.outcome === 503 || s.outcome === 'refused')) {
      duringOutages += 1;
      continue;
    }
    const when = new Date(s.at).toISOString().slice(11, 23);
    unexpected.push(
      `${when} ${s.kind} ${s.method} ${s.path} → ${s.outcome}${s.code ? ` ${s.code}` : ''}${s.message ? ` (${s.message})` : ''}${inOutage ? ' [during an outage]' : ''}`,
    );
  }
  return {
    name: 'API errors only 503 / connection refused, only during the outages',
    ok: unexpected.length === 0,
    detail: `${samples.length} requests; ${duringOutages} refused during outages as expected, ${unexpected.length} other errors`,
    examples: few(unexpected, 10),
  };
}
