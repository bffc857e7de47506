import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { EdsSigner } from '../lib/eds/types';
import { amountsForNet } from '../lib/money';

/**
 * What the monthly act (6.5) and the reconciliation act (6.6) say, read from the ledger so they
 * reconcile with it to the tiyn. Periods are instants [from, to) of the operator's local days.
 */

export interface ServiceLine {
  pricePerCodeTiyn: number;
  vatRateBp: number;
  codes: number;
  net: number;
  vat: number;
}

export interface Services {
  codes: number;
  net: number;
  vat: number;
  total: number;
  lines: ServiceLine[];
  /** The charges (capture transactions) these services are. */
  transactionIds: number[];
}

/**
 * Services rendered to a client in a period: the charges at download (6.4), by price and the VAT
 * rate of the download's date; with `unactedOnly`, only the charges no act covers yet.
 */
export async function servicesInPeriod(
  db: Knex,
  clientId: string,
  from: Date,
  to: Date,
  unactedOnly = false,
): Promise<Services> {
  const charges = db('ledger_transactions as t')
    .where({ 't.kind': 'capture', 't.client_id': clientId })
    .where('t.created_at', '>=', from)
    .where('t.created_at', '<', to)
    .modify(
      (q) => void (unactedOnly && q.whereNotExists(db('act_services as s').whereRaw('s.ledger_transaction_id = t.id'))),
    );
  const transactionIds = (await charges.clone().orderBy('t.id').pluck('t.id')).map(Number);
  const rows = await db('ledger_transactions as t')
    .join('code_blocks as b', 'b.ledger_transaction_id', 't.id')
    .join('order_products as op', 'op.id', 'b.order_product_id')
    .join('reservations as r', db.raw('r.order_ref = op.order_id::text'))
    .join('ledger_entries as e', 'e.transaction_id', 't.id')
    .join('ledger_accounts as a', 'a.id', 'e.account_id')
    // One array parameter: a month of a big client's downloads would pass PostgreSQL's limit of bind parameters.
    .whereRaw('t.id = ANY(?::bigint[])', [transactionIds])
    .groupBy('r.price_per_code_tiyn', db.raw('COALESCE(b.vat_rate_bp, r.vat_rate_bp)'))
    .orderBy(['r.price_per_code_tiyn', 'vat_rate_bp'])
    .select(
      'r.price_per_code_tiyn',
      db.raw('COALESCE(b.vat_rate_bp, r.vat_rate_bp) AS vat_rate_bp'),
      db.raw(`COALESCE(SUM(b.quantity) FILTER (WHERE a.kind = 'revenue'), 0)::bigint AS codes`),
      db.raw(`COALESCE(SUM(e.amount) FILTER (WHERE a.kind = 'revenue'), 0)::bigint AS net`),
      db.raw(`COALESCE(SUM(e.amount) FILTER (WHERE a.kind = 'vat_payable'), 0)::bigint AS vat`),
    );
  const lines = rows.map((r) => ({
    pricePerCodeTiyn: r.price_per_code_tiyn,
    vatRateBp: r.vat_rate_bp,
    codes: r.codes,
    net: r.net,
    vat: r.vat,
  }));
  const sum = (f: (l: ServiceLine) => number) => lines.reduce((total, l) => total + f(l), 0);
  return {
    codes: sum((l) => l.codes),
    net: sum((l) => l.net),
    vat: sum((l) => l.vat),
    total: sum((l) => l.net + l.vat),
    lines,
    transactionIds,
  };
}

/** Clients with charges before `before` that no act covers although their month has one: each gets a supplementary act (6.5). */
export async function unactedMonths(
  db: Knex,
  before: Date,
  zone: string,
  clientId?: string,
): Promise<{ clientId: string; month: string }[]> {
  const rows = await db('ledger_transactions as t')
    .where({ 't.kind': 'capture' })
    .modify((q) => void (clientId && q.where('t.client_id', clientId)))
    .where('t.created_at', '<', before)
    .whereNotExists(db('act_services as s').whereRaw('s.ledger_transaction_id = t.id'))
    .whereExists(
      db('acts as a')
        .whereRaw('a.client_id = t.client_id')
        .whereRaw(`to_char(a.period_from, 'YYYY-MM') = to_char(t.created_at AT TIME ZONE ?, 'YYYY-MM')`, [zone]),
    )
    .distinct('t.client_id', db.raw(`to_char(t.created_at AT TIME ZONE ?, 'YYYY-MM') AS month`, [zone]))
    .orderBy(['t.client_id', 'month']);
  return rows.map((r) => ({ clientId: r.client_id, month: r.month }));
}

/** Clients with services (charges) in a period: they get an act; the others do not (6.5). */
export async function clientsWithServices(db: Knex, from: Date, to: Date): Promise<string[]> {
  return db('ledger_transactions')
    .where({ kind: 'capture' })
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .distinct('client_id')
    .orderBy('client_id')
    .pluck('client_id');
}

export interface Flows {
  opening: number;
  payments: number;
  services: number;
  corrections: number;
  refunds: number;
  closing: number;
  movements: { date: Date; kind: string; reference: string; debit: number; credit: number }[];
}

const PAYMENTS = ['deposit', 'payment_assign'];
const CORRECTIONS = ['correction', 'compensation'];

/**
 * The client's money with the operator over a period (6.6): unused money (available and
 * reserved) at the start, payments in, services charged, corrections and compensations,
 * refunds, and unused money at the end. Reservations and releases move money between the
 * client's own accounts and are not flows.
 */
export async function flowsInPeriod(db: Knex, clientId: string, from: Date, to: Date): Promise<Flows> {
  const balanceAt = async (instant: Date) =>
    Number(
      (
        await db('ledger_entries as e')
          .join('ledger_accounts as a', 'a.id', 'e.account_id')
          .join('ledger_transactions as t', 't.id', 'e.transaction_id')
          .where('a.client_id', clientId)
          .where('t.created_at', '<', instant)
          .sum('e.amount as total')
      )[0].total ?? 0,
    );
  const rows = await db('ledger_transactions as t')
    .join('ledger_entries as e', 'e.transaction_id', 't.id')
    .join('ledger_accounts as a', function () {
      this.on('a.id', '=', 'e.account_id').andOn('a.client_id', '=', 't.client_id');
    })
    .where('t.client_id', clientId)
    .where('t.created_at', '>=', from)
    .where('t.created_at', '<', to)
    .groupBy('t.id')
    .orderBy('t.id')
    .select(
      't.id',
      't.kind',
      't.created_at',
      't.reference_type',
      't.reference_id',
      db.raw('SUM(e.amount)::bigint AS change'),
    );
  const movements = rows
    .filter((r) => r.change !== 0)
    .map((r) => ({
      date: r.created_at,
      kind: r.kind,
      reference: r.reference_type ? `${r.reference_type} ${r.reference_id}` : String(r.id),
      debit: r.change < 0 ? -r.change : 0,
      credit: r.change > 0 ? r.change : 0,
    }));
  const total = (kinds: string[]) => rows.filter((r) => kinds.includes(r.kind)).reduce((sum, r) => sum + r.change, 0);
  const [opening, closing] = [await balanceAt(from), await balanceAt(to)];
  return {
    opening,
    payments: total(PAYMENTS),
    services: -total(['capture', 'vat_rounding']) || 0,
    corrections: total(CORRECTIONS),
    refunds: -total(['refund_payout']) || 0,
    closing,
    movements,
  };
}

export interface DetailedRow {
  gtin: string;
  productName: string;
  emitted: number;
  charged: number;
  pricePerCodeTiyn: number | null;
  vatRateBp?: number;
  netTiyn: number;
  vatTiyn: number;
  totalTiyn: number;
}

/**
 * The detailed report's rows (6.9): per GTIN the codes emitted in the period and those paid for
 * (downloaded), each priced with the tariff and VAT rate of its own downloads' dates (6.4) —
 * a GTIN downloaded under two rates gets a row per rate, VAT rounded once per row.
 */
export async function detailedReportRows(db: Knex, clientId: string, from: Date, to: Date): Promise<DetailedRow[]> {
  const names = new Map<string, string>(
    (await db('products').where({ client_id: clientId }).select('gtin', 'name')).map((p) => [p.gtin, p.name]),
  );
  const emitted = await db('marking_codes as c')
    .join('order_products as op', 'op.id', 'c.order_product_id')
    .join('orders as o', 'o.id', 'op.order_id')
    .where('o.client_id', clientId)
    .where('c.emitted_at', '>=', from)
    .where('c.emitted_at', '<', to)
    .groupBy('op.gtin')
    .select('op.gtin', db.raw('COUNT(*)::int AS emitted'));
  const charged = await db('code_blocks as b')
    .join('order_products as op', 'op.id', 'b.order_product_id')
    .join('reservations as r', db.raw('r.order_ref = op.order_id::text'))
    .where('b.client_id', clientId)
    .where('b.delivered_at', '>=', from)
    .where('b.delivered_at', '<', to)
    .where('b.amount', '>', 0)
    .groupBy('op.gtin', 'r.price_per_code_tiyn', db.raw('COALESCE(b.vat_rate_bp, r.vat_rate_bp)'))
    .select(
      'op.gtin',
      'r.price_per_code_tiyn',
      db.raw('COALESCE(b.vat_rate_bp, r.vat_rate_bp) AS vat_rate_bp'),
      db.raw('SUM(b.quantity)::int AS charged'),
    );
  const emittedOf = new Map<string, number>(emitted.map((e) => [e.gtin, e.emitted]));
  const rows: DetailedRow[] = charged.map((c, i) => {
    const first = charged.findIndex((other) => other.gtin === c.gtin) === i;
    const amounts = amountsForNet(c.charged * c.price_per_code_tiyn, c.vat_rate_bp);
    return {
      gtin: c.gtin,
      productName: names.get(c.gtin) ?? '—',
      emitted: first ? (emittedOf.get(c.gtin) ?? 0) : 0,
      charged: c.charged,
      pricePerCodeTiyn: c.price_per_code_tiyn,
      vatRateBp: c.vat_rate_bp,
      netTiyn: amounts.net,
      vatTiyn: amounts.vat,
      totalTiyn: amounts.total,
    };
  });
  for (const [gtin, n] of emittedOf) {
    if (!charged.some((c) => c.gtin === gtin))
      rows.push({
        gtin,
        productName: names.get(gtin) ?? '—',
        emitted: n,
        charged: 0,
        pricePerCodeTiyn: null,
        netTiyn: 0,
        vatTiyn: 0,
        totalTiyn: 0,
      });
  }
  return rows.sort((a, b) => a.gtin.localeCompare(b.gtin) || (a.vatRateBp ?? 0) - (b.vatRateBp ?? 0));
}

/*
 * An act's state (6.5-6.9): its row in `acts`, the charges it covers in `act_services` and its history in
 * `act_events` change only through these, each one step of the contract and safe to repeat (a step already made
 * changes nothing). The act's workflow decides when (workflows/monthly-act.ts); activities/acts.ts numbers,
 * renders and signs the documents and calls these.
 */

/** A line in the act's history. */
async function actEvent(db: Knex, actId: string, kind: string, actor: string, note?: string): Promise<void> {
  await db('act_events').insert({ act_id: actId, kind, actor, note: note ?? null });
}

/**
 * An issued act's row as `numberAct` (activities/acts.ts) makes it: numbered with its VAT invoice, its lines and
 * amounts, without its documents — those are rendered after the numbers' transaction commits (`storeActDocuments`).
 */
export type IssuedActRow = Record<string, unknown> & {
  client_id: string;
  period_from: string;
  number: string;
  vat_invoice_number: string;
};

/**
 * An act issued (6.5): its row, the charges it covers (every service lands in an act, once) and its history; returns
 * the row. Called in the short transaction that holds the act and VAT invoice counters: nothing here renders.
 */
export async function recordIssuedAct(
  trx: Knex.Transaction,
  p: { act: IssuedActRow; transactionIds: number[]; note?: string },
): Promise<Record<string, any>> {
  const [row] = await trx('acts').insert(p.act).returning('*');
  await trx.raw('INSERT INTO act_services (act_id, ledger_transaction_id) SELECT ?, unnest(?::bigint[])', [
    row.id,
    p.transactionIds,
  ]);
  await actEvent(trx, row.id, 'issued', 'operator', p.note);
  return row;
}

/** The documents of an act, rendered and signed by the operator (6.7) after its numbers' transaction committed. */
export interface ActDocuments {
  pdf: Buffer;
  vatInvoicePdf: Buffer;
  /** The operator's signatures of the act's PDF and the VAT invoice's, with the key that made both. */
  operatorSignature: string;
  vatInvoiceSignature: string;
  operatorKeyId: string;
}

/**
 * An act's documents stored, once: when another finish stored them first (a retry of the issuing activity, a reader
 * of the PDF, a twin finishing it at the same time), those stay and the act is returned as they made it.
 */
export async function storeActDocuments(db: Knex, actId: string, d: ActDocuments): Promise<Record<string, any>> {
  const [stored] = await db('acts')
    .where({ id: actId })
    .whereNull('pdf')
    .update({
      pdf: d.pdf,
      pdf_sha256: createHash('sha256').update(d.pdf).digest('hex'),
      vat_invoice_pdf: d.vatInvoicePdf,
      operator_signature: d.operatorSignature,
      vat_invoice_signature: d.vatInvoiceSignature,
      operator_key_id: d.operatorKeyId,
    })
    .returning('*');
  return stored ?? (await db('acts').where({ id: actId }).first());
}

/** The client signed the act with its EDS (6.7, 6.8): an issued act becomes signed and accepted. */
export async function signAct(
  db: Knex,
  p: { actId: string; signature: string; signer?: EdsSigner; at: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('acts')
      .where({ id: p.actId, status: 'issued' })
      .update({
        status: 'signed',
        signed_at: p.at,
        accepted_at: p.at,
        client_signature: p.signature,
        client_signer: JSON.stringify(p.signer ?? null),
      });
    await actEvent(trx, p.actId, 'signed', 'client', p.signer?.commonName);
  });
}

/** A motivated refusal (6.8): an issued act is disputed, with the detailed report of 6.9. */
export async function disputeAct(
  db: Knex,
  p: { actId: string; reason: string; detailedReportPdf: Buffer; at: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('acts').where({ id: p.actId, status: 'issued' }).update({
      status: 'disputed',
      refused_at: p.at,
      refusal_reason: p.reason,
      detailed_report_pdf: p.detailedReportPdf,
    });
    await actEvent(trx, p.actId, 'refused', 'client', p.reason);
  });
}

/** No signature and no motivated refusal by the end of the 5th working day: an issued act counts as signed (6.8). */
export async function acceptActByDefault(db: Knex, p: { actId: string; at: string }): Promise<void> {
  await db.transaction(async (trx) => {
    const [row] = await trx('acts')
      .where({ id: p.actId, status: 'issued' })
      .update({ status: 'auto_accepted', accepted_at: p.at })
      .returning('id');
    if (row)
      await actEvent(
        trx,
        p.actId,
        'auto_accepted',
        'operator',
        'no signature or motivated refusal within 5 working days (6.8)',
      );
  });
}

/** The accountant confirms a disputed act as issued: it stands, accepted. */
export async function confirmDisputedAct(
  db: Knex,
  p: { actId: string; staffId: string; reason: string; at: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('acts').where({ id: p.actId, status: 'disputed' }).update({
      status: 'confirmed',
      resolved_at: p.at,
      resolved_by: p.staffId,
      resolution: p.reason,
      accepted_at: p.at,
    });
    await actEvent(trx, p.actId, 'confirmed', `staff:${p.staffId}`, p.reason);
  });
}

/** The accountant corrects a disputed act (6.6.4): it is superseded by the corrected act issued in the same transaction. */
export async function supersedeAct(
  trx: Knex.Transaction,
  p: { actId: string; staffId: string; reason: string; at: string },
): Promise<void> {
  await trx('acts')
    .where({ id: p.actId })
    .update({ status: 'superseded', resolved_at: p.at, resolved_by: p.staffId, resolution: p.reason });
  await actEvent(trx, p.actId, 'corrected', `staff:${p.staffId}`, p.reason);
}

/** The reminder before the signing deadline sent: recorded once. */
export async function markActReminded(db: Knex, p: { actId: string; at: Date }): Promise<void> {
  await db('acts').where({ id: p.actId }).whereNull('reminded_at').update({ reminded_at: p.at });
}
