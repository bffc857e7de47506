/**
 * The soak: the production topology (ops/topology) under a mixed load for a bounded time while
 * workers are SIGKILLed and PostgreSQL and the Temporal server are restarted; then the invariants.
 *
 *   npx tsx ops/soak/soak.ts                 # 10 minutes of load, 20 worker kills
 *   npx tsx ops/soak/soak.ts --minutes 30    # longer (kills scale with the time)
 *   npx tsx ops/soak/soak.ts --short         # ~2 minutes of load, the CI version
 *   options: --keep (keep data and logs), --dir <folder>, --report <file>, --fast (PostgreSQL
 *   without fsync), --strict (the ticket reaction target fails the soak too)
 *
 * Prints a report and exits 1 when an invariant fails. See docs/TOPOLOGY.md.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb } from '../../db/connection';
import { createTemporalClient } from '../../lib/temporal';
import { answers200 } from '../topology/app-process';
import { startTopology, Topology } from '../topology/topology';
import {
  apiErrorCheck,
  Check,
  downloadChecks,
  ledgerCheck,
  mailChecks,
  orderChecks,
  Outage,
  paymentChecks,
  ticketChecks,
  ticketProblems,
  workflowChecks,
} from './checks';
import { Http, sleep } from './http';
import { Scenario } from './scenario';

export interface SoakPlan {
  name: string;
  loadMs: number;
  workerKills: number;
  clients: number;
  concurrency: number;
  maxCodesPerLine: number;
  burstOrders: number;
  burstCodesPerLine: number;
  burstTickets: number;
  /** A ticket's reaction deadline must be recorded this soon after its 201, during the burst. */
  reactionLimitMs: number;
  drainMs: number;
  /** The reaction target fails the soak (exit 1) instead of being reported only. */
  strictReaction?: boolean;
}

export function planFor(options: { short?: boolean; minutes?: number; strict?: boolean }): SoakPlan {
  const strictReaction = options.strict ?? false;
  if (options.short)
    return {
      strictReaction,
      name: 'short',
      loadMs: 120_000,
      workerKills: 4,
      clients: 4,
      concurrency: 3,
      maxCodesPerLine: 300,
      burstOrders: 10,
      burstCodesPerLine: 1500,
      burstTickets: 3,
      reactionLimitMs: 2000,
      drainMs: 120_000,
    };
  const minutes = options.minutes ?? 10;
  return {
    strictReaction,
    name: `${minutes} min`,
    loadMs: minutes * 60_000,
    workerKills: Math.max(1, Math.round(minutes * 2)),
    clients: 8,
    concurrency: 4,
    maxCodesPerLine: 600,
    burstOrders: 20,
    burstCodesPerLine: 3000,
    burstTickets: 5,
    reactionLimitMs: 2000,
    drainMs: 240_000,
  };
}

interface FaultRecord {
  at: number;
  what: string;
  detail: string;
}

const clock = (start: number, at: number) => {
  const s = Math.max(0, Math.round((at - start) / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** Until every API's /health answers 200 (PostgreSQL and Temporal both reachable from it). */
async function apisHealthy(topology: Topology, timeoutMs = 180_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(topology.apiUrls.map((url) => answers200(`${url}/health`)));
    if (all.every(Boolean)) return Date.now();
    if (Date.now() > until) throw new Error('the APIs did not report healthy in time');
    await sleep(250);
  }
}

export async function runSoak(topology: Topology, plan: SoakPlan, log: (line: string) => void) {
  const http = new Http(topology.apiUrls);
  const db = createDb(topology.databaseUrl, { poolMax: 4 });
  const temporal = createTemporalClient(topology.temporalAddress, topology.namespace);
  const scenario = new Scenario(http, db, { maxCodesPerLine: plan.maxCodesPerLine });
  const faults: FaultRecord[] = [];
  const outages: Outage[] = [];
  const workersKilledAt: number[] = [];
  const reactions: { ticket: string; ms: number | undefined }[] = [];
  try {
    log(`setting up ${plan.clients} clients through the API`);
    await scenario.createStaff();
    for (let i = 1; i <= plan.clients; i++) await scenario.createClient(i, 5_000_000_00);
    const setupRequests = http.samples.length;

    const start = Date.now();
    const loadEnd = start + plan.loadMs;
    log(`load for ${Math.round(plan.loadMs / 1000)} s: ${plan.concurrency} clients at a time`);

    // The order burst, and tickets opened while it runs: how soon is each one's reaction deadline recorded?
    const burst = (async () => {
      const orders = Array.from({ length: plan.burstOrders }, (_, i) =>
        scenario.order(scenario.clients[i % scenario.clients.length], true, plan.burstCodesPerLine),
      );
      const tickets = (async () => {
        for (let i = 0; i < plan.burstTickets; i++) {
          await sleep(i === 0 ? 300 : 1500);
          const ticket = await scenario.openTicket(scenario.randomClient(), true);
          if (ticket) void scenario.reactionRecordedMs(ticket).then((ms) => reactions.push({ ticket: ticket.id, ms }));
        }
      })();
      await Promise.all([...orders, tickets]);
    })();

    // Mixed load.
    const actor = async () => {
      while (Date.now() < loadEnd) {
        const roll = randomInt(100);
        const client = scenario.randomClient();
        if (roll < 22) await scenario.order(client);
        else if (roll < 60) {
          if (!(await scenario.download())) await scenario.read(client);
        } else if (roll < 67) await scenario.pay(client, randomInt(100_000, 5_000_000));
        else if (roll < 74) await scenario.openTicket(client);
        else if (roll < 86) {
          if (!(await scenario.supportStep())) await scenario.read(client);
        } else await scenario.read(client);
        await sleep(randomInt(100, 400));
      }
    };

    // Faults: worker kills at random moments, PostgreSQL once, the Temporal server once.
    const pgAt = start + plan.loadMs * 0.35;
    const temporalAt = start + plan.loadMs * 0.65;
    const apart = { postgres: plan.loadMs * 0.05, temporal: plan.loadMs * 0.08, worker: 0 };
    const killTimes: number[] = [];
    while (killTimes.length < plan.workerKills) {
      // None in the first fifth: the opening burst's measurement sees the load, not a fault.
      const at = start + plan.loadMs * (0.2 + Math.random() * 0.72);
      // Nor right at the restarts of PostgreSQL and Temporal: one fault at a time.
      if (Math.abs(at - pgAt) < apart.postgres || Math.abs(at - temporalAt) < apart.temporal) continue;
      killTimes.push(at);
    }
    killTimes.sort((a, b) => a - b);
    const ready = topology.workers.map(() => true);
    const restarts: Promise<void>[] = [];
    const faultLoop = async () => {
      const events = [
        ...killTimes.map((at) => ({ at, kind: 'worker' as const })),
        { at: pgAt, kind: 'postgres' as const },
        { at: temporalAt, kind: 'temporal' as const },
      ].sort((a, b) => a.at - b.at);
      while (events.length > 0) {
        const event = events.shift()!;
        await sleep(Math.max(0, event.at - Date.now()));
        if (event.kind === 'worker') {
          // Kill one that polls while another polls too: a rolling failure, never the whole fleet at once.
          const waitUntil = Date.now() + 90_000;
          while (ready.filter(Boolean).length < 2 && Date.now() < waitUntil) await sleep(500);
          // That wait may have brought it next to a restart of PostgreSQL or Temporal: then after that one.
          const clash = events.find((e) => e.kind !== 'worker' && Math.abs(e.at - Date.now()) < apart[e.kind]);
          if (clash) {
            events.push({ at: Math.max(clash.at, Date.now()) + apart[clash.kind], kind: 'worker' });
            events.sort((a, b) => a.at - b.at);
            continue;
          }
          const candidates = ready.map((r, i) => (r ? i : -1)).filter((i) => i >= 0);
          const i = candidates[randomInt(candidates.length)];
          ready[i] = false;
          const pid = topology.workers[i].pid;
          await topology.killWorker(i);
          const pauseMs = randomInt(2000, 8000);
          faults.push({
            at: Date.now(),
            what: 'worker SIGKILL',
            detail: `${topology.workers[i].name} (pid ${pid}), restarted after ${(pauseMs / 1000).toFixed(1)} s`,
          });
          log(`fault: ${topology.workers[i].name} killed`);
          const killedAt = Date.now();
          workersKilledAt.push(killedAt);
          restarts.push(
            (async () => {
              await sleep(pauseMs);
              await topology.restartWorker(i);
              ready[i] = true;
              // Its kind of work waits until it is back and the activities it held time out (30 s at most).
              outages.push({ service: 'worker', downAt: killedAt, recoveredAt: Date.now() + 35_000 });
            })().catch((error) => log(`worker restart failed: ${(error as Error).message}`)),
          );
        } else if (event.kind === 'postgres') {
          log('fault: PostgreSQL restarting');
          scenario.dbDown = true;
          const timing = await topology.restartPostgres({ downMs: 5000 }).finally(() => (scenario.dbDown = false));
          const recoveredAt = await apisHealthy(topology);
          outages.push({ service: 'postgres', downAt: timing.downAt.getTime(), recoveredAt });
          faults.push({
            at: timing.downAt.getTime(),
            what: 'PostgreSQL restart',
            detail: `down ${((timing.upAt.getTime() - timing.downAt.getTime()) / 1000).toFixed(1)} s, APIs healthy ${((recoveredAt - timing.downAt.getTime()) / 1000).toFixed(1)} s after the stop`,
          });
        } else {
          log('fault: Temporal server restarting');
          const timing = await topology.restartTemporal({ downMs: 5000 });
          const recoveredAt = await apisHealthy(topology);
          outages.push({ service: 'temporal', downAt: timing.downAt.getTime(), recoveredAt });
          faults.push({
            at: timing.downAt.getTime(),
            what: 'Temporal server restart',
            detail: `down ${((timing.upAt.getTime() - timing.downAt.getTime()) / 1000).toFixed(1)} s (serving again), APIs healthy ${((recoveredAt - timing.downAt.getTime()) / 1000).toFixed(1)} s after the stop`,
          });
        }
      }
    };

    await Promise.all([burst, faultLoop(), ...Array.from({ length: plan.concurrency }, actor)]);
    const loadSeconds = (Date.now() - start) / 1000;
    log(`load done after ${loadSeconds.toFixed(0)} s; draining`);

    // Drain: every worker back, every order emitted, every ticket's deadlines recorded.
    await Promise.all(restarts);
    for (let i = 0; i < topology.workers.length; i++)
      if (!topology.workers[i].running()) await topology.restartWorker(i);
    const drainUntil = Date.now() + plan.drainMs;
    const clientIds = scenario.clients.map((c) => c.id);
    for (;;) {
      const [{ waiting }] = (
        await db.raw(
          `SELECT count(*)::int AS waiting FROM orders WHERE client_id = ANY(?) AND status NOT IN ('READY','CLOSED','DECLINED','EXPIRED')`,
          [clientIds],
        )
      ).rows;
      const tickets = (await ticketProblems(db, scenario)).length;
      if ((waiting === 0 && tickets === 0) || Date.now() > drainUntil) break;
      await sleep(1000);
    }
    await sleep(5000); // e-mails of the last steps
    const drainSeconds = (Date.now() - start) / 1000 - loadSeconds;

    log('checking the invariants');
    const checks: Check[] = [
      ...(await orderChecks(db, scenario)),
      ...(await downloadChecks(db, scenario)),
      ...(await paymentChecks(db, scenario)),
      await ledgerCheck(db),
      ...(await ticketChecks(db, scenario)),
    ];
    const census = await workflowChecks(temporal.client);
    checks.push(...census.checks);
    checks.push(...mailChecks(topology.mails(), scenario, workersKilledAt));
    const loadSamples = http.samples.slice(setupRequests);
    checks.push(apiErrorCheck(loadSamples, outages));
    checks.push({
      name: 'operations completed (each retried while the service was down)',
      ok: scenario.failures.length === 0,
      detail: `${scenario.failures.length} operations gave up`,
      examples: scenario.failures
        .slice(0, 5)
        .map((f) => `${clock(start, f.at)} ${f.what}: ${f.outcome} ${f.detail ?? ''}`.slice(0, 300)),
    });
    const measured = reactions.map((r) => r.ms);
    const slow = measured.filter((ms) => ms === undefined || ms > plan.reactionLimitMs);
    const reaction: Check = {
      name: `a ticket's reaction deadline recorded within ${plan.reactionLimitMs / 1000} s while the order burst runs`,
      ok: measured.length > 0 && slow.length === 0,
      detail:
        `${measured.length} tickets opened during the burst of ${plan.burstOrders} orders × ${plan.burstCodesPerLine} codes/line, ` +
        `from the API's 201 to tickets.reaction_due_at: ${measured.map((ms) => (ms === undefined ? 'never' : `${ms} ms`)).join(', ')}`,
    };
    // A target, not an invariant, unless --strict: it measures speed on a machine shared with whatever else runs.
    if (plan.strictReaction) checks.push(reaction);

    return {
      plan,
      start,
      loadSeconds,
      drainSeconds,
      samples: loadSamples,
      faults,
      outages,
      census: census.byTypeAndStatus,
      checks,
      reaction,
      scenario,
      mails: topology.mails().length,
    };
  } finally {
    await temporal.connection.close().catch(() => undefined);
    await db.destroy();
  }
}

type SoakResult = Awaited<ReturnType<typeof runSoak>>;

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

export function formatReport(result: SoakResult, topology: Topology): string {
  const { plan, samples, scenario } = result;
  const lines: string[] = [];
  const ok = result.checks.every((c) => c.ok);
  lines.push('', `==== Soak report (${plan.name}) ====`);
  lines.push(
    `Topology: ${topology.apis.length} API + ${topology.workers.length} worker processes, Temporal server ${topology.temporalAddress} ` +
      `(persistence and visibility on PostgreSQL), one PostgreSQL, SMTP catcher; logs in ${topology.logsDir}`,
  );
  lines.push(
    `Load: ${samples.length} requests in ${result.loadSeconds.toFixed(0)} s (${(samples.length / result.loadSeconds).toFixed(1)}/s), ` +
      `drain ${result.drainSeconds.toFixed(0)} s; ${scenario.clients.length} clients, ${scenario.orders.length} orders ` +
      `(${scenario.orders.filter((o) => o.burst).length} in the opening burst), ${scenario.buffers.reduce((s, b) => s + b.quantity, 0)} codes ordered, ` +
      `${scenario.downloads.length} downloads (${scenario.downloads.reduce((s, d) => s + d.quantity, 0)} codes), ` +
      `${scenario.payments.length} payments, ${scenario.tickets.length} tickets, ${result.mails} e-mails`,
  );
  const kinds = [...new Set(samples.map((s) => s.kind))].sort();
  lines.push('  kind             requests   2xx  503  refused  other  p50 ms  p95 ms');
  for (const kind of kinds) {
    const of = samples.filter((s) => s.kind === kind);
    const n2 = of.filter((s) => typeof s.outcome === 'number' && s.outcome < 300).length;
    const n503 = of.filter((s) => s.outcome === 503).length;
    const refused = of.filter((s) => s.outcome === 'refused').length;
    const ms = of.map((s) => s.ms);
    lines.push(
      `  ${kind.padEnd(16)} ${String(of.length).padStart(8)} ${String(n2).padStart(5)} ${String(n503).padStart(4)} ${String(refused).padStart(8)} ` +
        `${String(of.length - n2 - n503 - refused).padStart(6)} ${String(percentile(ms, 50)).padStart(7)} ${String(percentile(ms, 95)).padStart(7)}`,
    );
  }
  lines.push(`Faults injected: ${result.faults.length}`);
  for (const f of result.faults) lines.push(`  ${clock(result.start, f.at)}  ${f.what.padEnd(24)} ${f.detail}`);
  lines.push('Workflows (type, status: count):');
  for (const [key, n] of Object.entries(result.census).sort()) lines.push(`  ${key}: ${n}`);
  lines.push(
    `Measurement: [${result.reaction.ok ? 'within target' : 'OVER target'}] ${result.reaction.name} — ${result.reaction.detail}` +
      (plan.strictReaction ? '' : ' (reported; --strict makes it an invariant)'),
  );
  lines.push('Invariants:');
  for (const check of result.checks) {
    lines.push(`  [${check.ok ? 'ok' : 'FAIL'}] ${check.name} — ${check.detail}`);
    if (!check.ok) for (const example of check.examples ?? []) lines.push(`         ${example}`);
  }
  lines.push(`Result: ${ok ? 'PASS' : 'FAIL'}`, '');
  return lines.join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      short: { type: 'boolean' },
      dir: { type: 'string' },
      keep: { type: 'boolean' },
      fast: { type: 'boolean' },
      report: { type: 'string' },
      strict: { type: 'boolean' },
    },
  });
  const plan = planFor({
    short: values.short,
    minutes: values.minutes ? Number(values.minutes) : undefined,
    strict: values.strict,
  });
  const began = Date.now();
  const log = (line: string) => console.log(`[soak ${clock(began, Date.now())}] ${line}`);
  const topology = await startTopology({
    dir: values.dir,
    keep: values.keep,
    fastPostgres: values.fast,
    log: (line) => log(`topology: ${line}`),
  });
  let ok = false;
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    log('interrupted: stopping the topology');
    topology.stop().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await runSoak(topology, plan, log);
    const report = formatReport(result, topology);
    console.log(report);
    if (values.report) fs.writeFileSync(path.resolve(values.report), report);
    ok = result.checks.every((c) => c.ok);
  } finally {
    if (!ok && !values.keep && !values.dir) log(`logs are removed with the topology; run with --keep to keep them`);
    await topology.stop();
    log(`total ${((Date.now() - began) / 1000).toFixed(0)} s`);
  }
  process.exit(ok ? 0 : 1);
}

if (require.main === module)
  main().catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  });
