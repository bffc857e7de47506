import type { Knex } from 'knex';
import { readCodeInput } from '../lib/codes';
import { requestHash } from './ledger/book';

/**
 * Aggregation of footwear unit codes into a set or a box (СУЗ «Отчёт об агрегации КМ»): each
 * unit (`unitSerialNumber`, the code of the box) holds codes the client received and paid for
 * (APPLIED or INTRODUCED), each code in one unit at a time. `AGGREGATION` makes a new unit,
 * `UPDATE` replaces the content of one the client made before. A report is checked whole and
 * recorded in one transaction (status SENT), or refused whole with every problem named.
 */

export interface AggregationUnitInput {
  unitSerialNumber: string;
  aggregationUnitCapacity: number;
  aggregatedItemsCount: number;
  aggregationType: 'AGGREGATION' | 'UPDATE';
  sntins: string[];
}

export interface AggregationReportInput {
  participantId: string;
  aggregationUnits: AggregationUnitInput[];
}

export interface AggregationProblem {
  field: string;
  problem: string;
}

export class AggregationRefusedError extends Error {
  constructor(readonly problems: AggregationProblem[]) {
    super(`${problems.length} problem(s) in the aggregation report; nothing was aggregated`);
    this.name = 'AggregationRefusedError';
  }
}

const USABLE = ['APPLIED', 'INTRODUCED'];

async function reportProblems(trx: Knex, clientId: string, binIin: string, report: AggregationReportInput) {
  const problems: AggregationProblem[] = [];
  if (report.participantId !== binIin)
    problems.push({ field: 'participantId', problem: `must be this client's BIN/IIN ${binIin}` });
  if (!report.aggregationUnits.length) problems.push({ field: 'aggregationUnits', problem: 'at least one unit' });
  const unitsInReport = new Set<string>();
  const codesInReport = new Map<string, string>();
  const resolved: { unit: AggregationUnitInput; codeIds: number[] }[] = [];
  for (const [u, unit] of report.aggregationUnits.entries()) {
    const at = (field: string, problem: string) => problems.push({ field: `aggregationUnits[${u}].${field}`, problem });
    const serial = unit.unitSerialNumber.trim();
    if (!serial || serial.length > 200) at('unitSerialNumber', 'the code of the unit: 1 to 200 characters');
    if (unitsInReport.has(serial)) at('unitSerialNumber', 'appears twice in the report');
    unitsInReport.add(serial);
    const existing = await trx('aggregation_units').where({ unit_serial_number: serial }).first('client_id');
    if (unit.aggregationType === 'AGGREGATION' && existing)
      at('unitSerialNumber', `unit ${serial} is already aggregated: send UPDATE to change its content`);
    if (unit.aggregationType === 'UPDATE' && existing?.client_id !== clientId)
      at('unitSerialNumber', `unit ${serial} was not aggregated by this client: send AGGREGATION first`);
    if (unit.aggregatedItemsCount !== unit.sntins.length)
      at('aggregatedItemsCount', `is ${unit.aggregatedItemsCount} but ${unit.sntins.length} codes are listed`);
    if (unit.aggregationUnitCapacity < 1 || unit.sntins.length > unit.aggregationUnitCapacity)
      at(
        'aggregationUnitCapacity',
        `a unit of capacity ${unit.aggregationUnitCapacity} cannot hold ${unit.sntins.length} codes`,
      );
    if (!unit.sntins.length) at('sntins', 'at least one code');

    const inputs = unit.sntins.map((raw) => readCodeInput(raw));
    const keys = inputs.filter((c) => c).map((c) => c!.ki);
    const rows: Record<string, any>[] = keys.length
      ? (
          await trx.raw(
            `SELECT m.id, m.gtin, m.serial, m.client_id, m.status
               FROM unnest(?::text[], ?::text[]) AS k(gtin, serial)
               JOIN marking_codes m ON m.gtin = k.gtin AND m.serial = k.serial`,
            [keys.map((k) => k.slice(2, 16)), keys.map((k) => k.slice(18))],
          )
        ).rows
      : [];
    const byKi = new Map(rows.map((r) => [`01${r.gtin}21${r.serial}`, r]));
    const codeIds: number[] = [];
    for (const [i, input] of inputs.entries()) {
      const field = `sntins[${i}]`;
      if (!input) {
        at(
          field,
          'not a footwear marking code (01 + GTIN + 21 + 13-character serial, with or without its verification part)',
        );
        continue;
      }
      const row = byKi.get(input.ki);
      if (!row || row.client_id !== clientId) at(field, `code ${input.ki} was not issued to this client`);
      else if (!USABLE.includes(row.status))
        at(field, `code ${input.ki} is ${row.status}: only codes received (downloaded) can be aggregated`);
      else if (codesInReport.has(input.ki))
        at(field, `code ${input.ki} is also listed in unit ${codesInReport.get(input.ki)}`);
      else {
        codesInReport.set(input.ki, serial);
        codeIds.push(Number(row.id));
      }
    }
    resolved.push({ unit: { ...unit, unitSerialNumber: serial }, codeIds });
  }
  const allIds = resolved.flatMap((r) => r.codeIds);
  if (allIds.length) {
    const taken = await trx('aggregation_unit_codes as a')
      .join('marking_codes as m', 'm.id', 'a.code_id')
      .whereRaw('a.code_id = ANY(?::bigint[])', [allIds])
      .whereNotIn(
        'a.unit_serial_number',
        resolved.filter((r) => r.unit.aggregationType === 'UPDATE').map((r) => r.unit.unitSerialNumber),
      )
      .select('a.unit_serial_number', 'm.gtin', 'm.serial');
    for (const t of taken.slice(0, 50))
      problems.push({
        field: 'sntins',
        problem: `code 01${t.gtin}21${t.serial} is already in unit ${t.unit_serial_number}`,
      });
  }
  return { problems, resolved };
}

/** Records a report (the same report again returns the same id), or throws AggregationRefusedError. */
export async function recordAggregation(
  trx: Knex.Transaction,
  p: { clientId: string; binIin: string; report: AggregationReportInput; at: Date },
): Promise<{ reportId: string; existing: boolean }> {
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`aggregation:${p.clientId}`]);
  const hash = requestHash(p.report);
  const same = await trx('aggregation_reports').where({ client_id: p.clientId, request_hash: hash }).first('id');
  if (same) return { reportId: same.id, existing: true };
  const { problems, resolved } = await reportProblems(trx, p.clientId, p.binIin, p.report);
  if (problems.length) throw new AggregationRefusedError(problems);
  const [report] = await trx('aggregation_reports')
    .insert({
      client_id: p.clientId,
      participant_id: p.report.participantId,
      request_hash: hash,
      status: 'SENT',
      units: resolved.length,
      codes: resolved.reduce((sum, r) => sum + r.codeIds.length, 0),
      received_at: p.at,
    })
    .returning('id');
  for (const { unit, codeIds } of resolved) {
    await trx('aggregation_units').where({ unit_serial_number: unit.unitSerialNumber }).delete();
    await trx('aggregation_units').insert({
      unit_serial_number: unit.unitSerialNumber,
      client_id: p.clientId,
      capacity: unit.aggregationUnitCapacity,
      items_count: codeIds.length,
      report_id: report.id,
      aggregated_at: p.at,
    });
    await trx.raw(
      `INSERT INTO aggregation_unit_codes (unit_serial_number, code_id, position)
       SELECT ?, c.id, c.pos - 1 FROM unnest(?::bigint[]) WITH ORDINALITY AS c(id, pos)`,
      [unit.unitSerialNumber, codeIds],
    );
  }
  return { reportId: report.id, existing: false };
}

/** Records a report in its own transaction (see recordAggregation). */
export const recordAggregationReport = (db: Knex, p: Parameters<typeof recordAggregation>[1]) =>
  db.transaction((trx) => recordAggregation(trx, p));

/** A unit the client made, with its codes in order and their products. */
export async function aggregationUnit(db: Knex, clientId: string, unitSerialNumber: string) {
  const unit = await db('aggregation_units')
    .where({ unit_serial_number: unitSerialNumber, client_id: clientId })
    .first();
  if (!unit) return undefined;
  const codes = await db('aggregation_unit_codes as a')
    .join('marking_codes as m', 'm.id', 'a.code_id')
    .where('a.unit_serial_number', unitSerialNumber)
    .orderBy('a.position')
    .select('m.code', 'm.gtin');
  const gtins = [...new Set(codes.map((c) => c.gtin as string))];
  const products = await db('products').where({ client_id: clientId }).whereIn('gtin', gtins).select('gtin', 'name');
  const report = await db('aggregation_reports').where({ id: unit.report_id }).first('participant_id');
  return {
    unit,
    participantId: report.participant_id as string,
    codes: codes.map((c) => c.code as string),
    products: gtins.map((gtin) => ({ gtin, name: products.find((p) => p.gtin === gtin)?.name ?? '' })),
  };
}

/** A report this client sent, if any. */
export const aggregationReport = (db: Knex, clientId: string, reportId: string) =>
  db('aggregation_reports').where({ id: reportId, client_id: clientId }).first('id', 'status', 'error_reason');
