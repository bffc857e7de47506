import type { Knex } from 'knex';
import type { Db } from '../../db/connection';
import type { BusinessCalendar } from '../../lib/calendar';
import { reliedOn } from '../../lib/force-majeure';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';
import { EVIDENCE_COLUMNS, noticeDue, toDeclaration, toDeclarationCase, toEventTrail } from '../schemas/force-majeure';
import { operatorCalendar } from './operator-calendar';

/**
 * Force majeure (8.3-8.6) as staff and clients see it: the events staff recorded, with the notice due
 * and whether they are relied on, and the clients' declarations with their evidence.
 */

type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

/** After 30 days of force majeure the parties may agree to end the contract (8.6). */
const TERMINATION_DAYS = 30;

/** A force-majeure event staff recorded, as of now. */
export async function eventView(deps: Deps, row: Record<string, any>) {
  const { clock } = deps;
  const calendar = await operatorCalendar(deps);
  const noticeDueAt = noticeDue(calendar, row.started_at);
  const until = row.ended_at ? new Date(row.ended_at) : clock.now();
  return {
    id: row.id,
    startedAt: new Date(row.started_at).toISOString(),
    endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
    processes: row.processes,
    description: row.description,
    evidence: row.evidence ?? null,
    noticeDueAt,
    notifiedAt: row.notified_at ? new Date(row.notified_at).toISOString() : null,
    wellKnown: row.well_known,
    reliedOn:
      noticeDueAt === null && row.status === 'recorded'
        ? row.well_known
        : reliedOn(
            calendar,
            { startedAt: row.started_at, notifiedAt: row.notified_at, wellKnown: row.well_known, status: row.status },
            clock.now(),
          ),
    ...toEventTrail(row),
    terminationMayBeAgreed: calendar.addCalendarDays(row.started_at, TERMINATION_DAYS).getTime() <= until.getTime(),
  };
}

/** Force-majeure events, newest first. */
export async function forceMajeureEvents(deps: Deps) {
  return Promise.all(
    (await deps.db('force_majeure_events').orderBy('started_at', 'desc')).map((row: Record<string, any>) =>
      eventView(deps, row),
    ),
  );
}

/** A force-majeure event's row. */
export async function forceMajeureEvent(db: Db, id: string) {
  const event = await db('force_majeure_events').where({ id }).first();
  if (!event) throw notFound('force-majeure event', id);
  return event;
}

/** The evidence of declarations (without the files' content), by declaration. */
export async function evidenceOf(db: Knex, declarationIds: string[]): Promise<Map<string, Record<string, any>[]>> {
  const rows = declarationIds.length
    ? await db('force_majeure_evidence')
        .whereIn('declaration_id', declarationIds)
        .orderBy('id')
        .select('declaration_id', ...EVIDENCE_COLUMNS)
    : [];
  const by = new Map<string, Record<string, any>[]>(declarationIds.map((id) => [id, []]));
  for (const r of rows) by.get(r.declaration_id)!.push(r);
  return by;
}

/** Declarations as views, each with its evidence. */
export async function declarationViews<T>(
  db: Knex,
  calendar: BusinessCalendar,
  rows: Record<string, any>[],
  view: (calendar: BusinessCalendar, d: Record<string, any>, evidence: Record<string, any>[]) => T,
): Promise<T[]> {
  const evidence = await evidenceOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => view(calendar, r, evidence.get(r.id)!));
}

const declarationRows = (db: Db) =>
  db('force_majeure_declarations as d')
    .join('clients as c', 'c.id', 'd.client_id')
    .select('d.*', 'c.name as client_name');

/** A client's declaration as staff review it. */
export async function declarationCase(deps: Deps, id: string) {
  const row = await declarationRows(deps.db).where('d.id', id).first();
  if (!row) throw notFound('force-majeure declaration', id);
  return (await declarationViews(deps.db, await operatorCalendar(deps), [row], toDeclarationCase))[0];
}

/** The clients' declarations: those waiting for a second admin, then those under review, then the rest, newest first. */
export async function declarationCases(deps: Deps, { status, clientId }: { status?: string; clientId?: string }) {
  const rows = await declarationRows(deps.db)
    .modify((q) => void (status && q.where('d.status', status)))
    .modify((q) => void (clientId && q.where('d.client_id', clientId)))
    .orderByRaw(`d.status = 'pending_confirmation' DESC, d.status = 'under_review' DESC, d.received_at DESC`)
    .limit(500);
  return declarationViews(deps.db, await operatorCalendar(deps), rows, toDeclarationCase);
}

/** A file of a declaration's evidence, with its content. */
export async function evidenceFile(db: Db, declarationId: string, evidenceId: number) {
  const file = await db('force_majeure_evidence').where({ declaration_id: declarationId, id: evidenceId }).first();
  if (!file) throw notFound('evidence', String(evidenceId));
  return file;
}

/** The client's own declaration; in a transaction, locked against a review at the same time. */
export async function ownDeclaration(db: Knex, clientId: string, id: string, lock = false) {
  const row = await (lock ? db('force_majeure_declarations').forUpdate() : db('force_majeure_declarations'))
    .where({ id, client_id: clientId })
    .first();
  if (!row) throw notFound('force-majeure declaration', id);
  return row;
}

/** A declaration as its client sees it. */
export async function declarationView(deps: Deps, row: Record<string, any>) {
  return (await declarationViews(deps.db, await operatorCalendar(deps), [row], toDeclaration))[0];
}

/** The client's declarations, newest first. */
export async function clientDeclarations(deps: Deps, clientId: string) {
  const rows = await deps
    .db('force_majeure_declarations')
    .where({ client_id: clientId })
    .orderBy('received_at', 'desc');
  return declarationViews(deps.db, await operatorCalendar(deps), rows, toDeclaration);
}
