import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { detailedReportPdf } from '../../activities/act-documents';
import { actWithDocuments } from '../../activities/acts';
import { DEFAULT_SETTINGS } from '../../lib/calendar';
import { monthlyActWorkflowId, MonthlyActState } from '../../workflows/monthly-act';
import type { AppDeps } from '../http/deps';
import { conflict, notFound } from '../http/errors';
import { StringEnum, Uuid } from '../schemas/common';
import { updateRefusal } from '../http/workflow-errors';

/** Acts (6.5-6.8) as the client and the accountants see them, and the way their decisions reach the act's workflow. */

export const ACT_STATUSES = ['issued', 'signed', 'disputed', 'auto_accepted', 'confirmed', 'superseded'] as const;

export const ActSummary = Type.Object({
  id: Uuid,
  clientId: Uuid,
  clientName: Type.String(),
  number: Type.String(),
  vatInvoiceNumber: Type.String(),
  periodFrom: Type.String({ format: 'date' }),
  periodTo: Type.String({ format: 'date' }),
  revision: Type.Integer({ description: '1 = original; 2+ = corrected act' }),
  status: StringEnum(ACT_STATUSES),
  codes: Type.Integer(),
  netTiyn: Type.Integer(),
  vatTiyn: Type.Integer(),
  totalTiyn: Type.Integer(),
  issuedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.String({ format: 'date-time', description: 'End of the 5th working day after issue (6.8)' }),
  timeLeftMs: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Until dueAt, while the act awaits the client; negative when overdue',
  }),
  overdue: Type.Boolean(),
  refusalReason: Type.Union([Type.String(), Type.Null()]),
  files: Type.Object({
    pdf: Type.String(),
    vatInvoice: Type.String(),
    detailedReport: Type.Union([Type.String(), Type.Null()]),
  }),
});

export function toActSummary(row: Record<string, any>, now: Date, base: string) {
  const awaiting = row.status === 'issued';
  const left = new Date(row.due_at).getTime() - now.getTime();
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name ?? '',
    number: row.number,
    vatInvoiceNumber: row.vat_invoice_number,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    revision: row.revision,
    status: row.status,
    codes: row.codes,
    netTiyn: row.net,
    vatTiyn: row.vat,
    totalTiyn: row.total,
    issuedAt: new Date(row.issued_at).toISOString(),
    dueAt: new Date(row.due_at).toISOString(),
    timeLeftMs: awaiting ? left : null,
    overdue: awaiting && left < 0,
    refusalReason: row.refusal_reason ?? null,
    files: {
      pdf: `${base}/${row.id}/pdf`,
      vatInvoice: `${base}/${row.id}/vat-invoice.pdf`,
      detailedReport: `${base}/${row.id}/detailed-report.pdf`,
    },
  };
}

/** Acts with their client's name, without the PDFs. */
export const actRows = (db: Knex) =>
  db('acts as a')
    .join('clients as c', 'c.id', 'a.client_id')
    .select(
      'a.id',
      'a.client_id',
      'c.name as client_name',
      'a.number',
      'a.vat_invoice_number',
      'a.period_from',
      'a.period_to',
      'a.revision',
      'a.status',
      'a.codes',
      'a.net',
      'a.vat',
      'a.total',
      'a.issued_at',
      'a.due_at',
      'a.refusal_reason',
      'a.lines',
      db.raw('a.detailed_report_pdf IS NOT NULL AS has_report'),
    );

/** The acts the accountants look for: by month, status, client, or overdue at `now`; by deadline. */
export const findActs = (
  db: Knex,
  query: { month?: string; status?: string; clientId?: string; overdue?: boolean },
  now: Date,
) =>
  actRows(db)
    .modify((q) => {
      if (query.month) q.where('a.period_from', `${query.month}-01`);
      if (query.status) q.where('a.status', query.status);
      if (query.clientId) q.where('a.client_id', query.clientId);
      if (query.overdue) q.where('a.status', 'issued').where('a.due_at', '<', now);
    })
    .orderBy('a.due_at')
    .limit(5000);

/** A client's acts, the latest period and revision first. */
export const clientActs = (db: Knex, clientId: string) =>
  actRows(db)
    .where('a.client_id', clientId)
    .orderBy([
      { column: 'a.period_from', order: 'desc' },
      { column: 'a.revision', order: 'desc' },
    ]);

/** An act with its client's name, without the PDFs. */
export const actSummaryRow = (db: Knex, actId: string) => actRows(db).where('a.id', actId).first();

/** The act that corrected the given one. */
export const correctedActOf = (db: Knex, actId: string) => actRows(db).where('a.replaces_act_id', actId).first();

/** What happened to an act, in order. */
export const actHistory = (db: Knex, actId: string) => db('act_events').where({ act_id: actId }).orderBy('id');

async function oneAct(
  db: Knex,
  where: { id: string; client_id?: string },
  columns: string[],
): Promise<Record<string, any>> {
  const act = await db('acts')
    .where(where)
    .first(...columns);
  if (!act) throw notFound('act', where.id);
  return act;
}

/** An act's row (the columns given, all by default), or 404. */
export const actById = (db: Knex, actId: string, ...columns: string[]) => oneAct(db, { id: actId }, columns);

/** The client's act, or 404. */
export const clientAct = (db: Knex, clientId: string, actId: string) =>
  oneAct(db, { id: actId, client_id: clientId }, []);

/** Sends a decision to the act's workflow; its refusal becomes a 4xx with the reason. */
export async function actDecision<A extends [unknown]>(
  deps: Pick<AppDeps, 'temporal'>,
  act: Record<string, any>,
  update: UpdateDefinition<MonthlyActState, A>,
  ...args: A
): Promise<MonthlyActState> {
  const workflowId = monthlyActWorkflowId(act.client_id, String(act.period_from).slice(0, 7));
  try {
    return await deps.temporal.client.workflow.getHandle(workflowId).executeUpdate(update, { args });
  } catch (error) {
    const refusal = updateRefusal(error, 'ACT_NOT_OPEN');
    if (refusal) throw refusal;
    if ((error as Error).name === 'WorkflowNotFoundError')
      throw conflict('ACT_NOT_OPEN', 'The act is no longer open for decisions');
    throw error;
  }
}

/** What reading an act's documents needs: its database, clock and zone, and the operator's signer to finish one. */
type ActReader = Pick<AppDeps, 'db' | 'clock' | 'config'> & Partial<Pick<AppDeps, 'operatorSigner'>>;

/**
 * The act (its whole row) with its documents. An act is numbered before its PDF and its VAT
 * invoice's are rendered (issue #19): one read before its issuing stored them (or after an
 * issuing that stopped in between) has them rendered, signed by the operator (6.7) and stored now,
 * as its issuing would (activities/acts.ts `actWithDocuments`, stored once); without the operator's
 * signer, 409 PDF_NOT_READY until the issuing stores them.
 */
export async function actWithStoredDocuments(deps: ActReader, act: Record<string, any>): Promise<Record<string, any>> {
  const row = await deps.db('acts').where({ id: act.id }).first();
  if (!row) throw notFound('act', act.id);
  if (row.pdf) return row;
  if (!deps.operatorSigner)
    throw conflict('PDF_NOT_READY', 'The act is numbered; its documents are being prepared: ask again shortly', {
      id: act.id,
    });
  return actWithDocuments(
    deps.db,
    { signer: deps.operatorSigner, calendarSettings: { ...DEFAULT_SETTINGS, zone: deps.config.operatorTimeZone } },
    row,
  );
}

/**
 * A file of an act: the act, its VAT invoice (rendered and stored now if the act's issuing has not
 * stored them yet: `actWithStoredDocuments`), or the detailed report (6.9) — the one produced for
 * a refusal, otherwise made now, since the client may ask for it at any time.
 */
export async function actFile(
  deps: ActReader,
  act: Record<string, any>,
  column: 'pdf' | 'vat_invoice_pdf' | 'detailed_report_pdf',
): Promise<any> {
  if (act[column]) return act[column];
  if (column !== 'detailed_report_pdf') return (await actWithStoredDocuments(deps, act as { id: string }))[column];
  return detailedReportPdf(deps.db, act as never, deps.clock.now(), {
    ...DEFAULT_SETTINGS,
    zone: deps.config.operatorTimeZone,
  });
}
