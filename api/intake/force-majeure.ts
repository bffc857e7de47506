import type { Knex } from 'knex';
import { isSecondPerson, lateNoticeOutcome, missingProof } from '../../lib/force-majeure';
import { BusinessStatus } from '../../lib/search-attributes';
import {
  forceMajeureAnnouncement,
  forceMajeureAnnouncementWorkflowId,
} from '../../workflows/force-majeure-announcement';
import type { AppDeps } from '../http/deps';
import { ApiError, conflict, notFound } from '../http/errors';
import { noticeDue } from '../schemas/force-majeure';
import { forceMajeureEvent, ownDeclaration } from '../views/force-majeure';
import { deadline, operatorCalendar } from '../views/operator-calendar';
import { DEADLINES_CHANGED } from './outbox-messages';
import { writeAndTell } from './outbox';
import { decodeFile, inFuture } from './request-checks';

/**
 * Force majeure (8.3-8.6) recorded: the events staff record and notify every client of, the clients'
 * declarations and their evidence, and the decisions on them — a late-noticed one relied on anyway
 * only with a reason and a second admin's confirmation. What moves deadlines tells the workflows
 * waiting on one, through the outbox in the same transaction (api/intake/outbox.ts), and answers how
 * many were told.
 */

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;

export interface NewForceMajeureEvent {
  startedAt: string;
  endedAt?: string;
  processes: string[];
  description: string;
  evidence?: string;
  notifiedAt?: string;
  wellKnown?: boolean;
  lateNoticeReason?: string;
}

/**
 * 8.3: an event staff record. Noticed more than 5 working days after its start it is not relied on;
 * with `lateNoticeReason` it is proposed to be, pending a second admin's confirmation.
 */
export async function recordForceMajeureEvent(deps: Deps, e: NewForceMajeureEvent, by: string) {
  const { startedAt, endedAt, processes, description, evidence, notifiedAt, wellKnown, lateNoticeReason } = e;
  if (endedAt && Date.parse(endedAt) <= Date.parse(startedAt))
    throw new ApiError(400, 'BAD_PERIOD', 'endedAt must be after startedAt');
  const calendar = await operatorCalendar(deps);
  const outcome = deadline(() =>
    lateNoticeOutcome(
      calendar,
      { startedAt, notifiedAt: notifiedAt ?? null, wellKnown: wellKnown ?? false },
      deps.clock.now(),
      lateNoticeReason,
    ),
  );
  if (outcome === 'reason_not_needed') {
    throw new ApiError(
      400,
      'REASON_NOT_NEEDED',
      wellKnown
        ? 'A well-known fact is relied on without notice (8.5): no lateNoticeReason is needed'
        : 'The notice is within 5 working days of the start (8.3): no lateNoticeReason is needed',
    );
  }
  const { result: row, delivery } = await writeAndTell(deps, async (trx, tell) => {
    const [row] = await trx('force_majeure_events')
      .insert({
        started_at: startedAt,
        ended_at: endedAt ?? null,
        processes,
        description,
        evidence: evidence ?? null,
        notified_at: notifiedAt ?? null,
        well_known: wellKnown ?? false,
        recorded_by: by,
        recorded_at: deps.clock.now(),
        ...(outcome === 'needs_confirmation'
          ? { status: 'pending_confirmation', late_notice_reason: lateNoticeReason }
          : {}),
      })
      .returning('*');
    // A proposal (late notice) suspends nothing until a second admin confirms it.
    if (outcome !== 'needs_confirmation') await tell(DEADLINES_CHANGED);
    return row;
  });
  return { row, outcome, workflowsSignalled: delivery.workflowsSignalled };
}

/** The end of an event: the suspended deadlines run again from then. */
export async function endForceMajeureEvent(deps: Deps, id: string, endedAt: string) {
  const event = await forceMajeureEvent(deps.db, id);
  if (event.ended_at) throw conflict('ALREADY_ENDED', 'The event has ended already');
  if (new Date(endedAt) <= new Date(event.started_at))
    throw new ApiError(400, 'BAD_PERIOD', 'endedAt must be after the start');
  const { result: row, delivery } = await writeAndTell(deps, async (trx, tell) => {
    const [row] = await trx('force_majeure_events')
      .where({ id: event.id })
      .update({ ended_at: endedAt })
      .returning('*');
    await tell(DEADLINES_CHANGED);
    return row;
  });
  return { row, workflowsSignalled: delivery.workflowsSignalled };
}

/** 8.3: every client is told of the event, once: the notice recorded as given now, and the workflow that sends it started in the same transaction. */
export async function notifyForceMajeureEvent(deps: Deps, id: string) {
  const { temporal, clock, config } = deps;
  return deps.db.transaction(async (trx) => {
    const event = await trx('force_majeure_events').where({ id }).forUpdate().first();
    if (!event) throw notFound('force-majeure event', id);
    if (event.notified_at)
      throw conflict('ALREADY_NOTIFIED', `The clients were notified at ${new Date(event.notified_at).toISOString()}`);
    const [updated] = await trx('force_majeure_events')
      .where({ id: event.id })
      .update({ notified_at: clock.now() })
      .returning('*');
    await temporal.client.workflow.start(forceMajeureAnnouncement, {
      taskQueue: config.temporalTaskQueue,
      workflowId: forceMajeureAnnouncementWorkflowId(event.id),
      args: [{ eventId: event.id }],
      typedSearchAttributes: [{ key: BusinessStatus, value: 'force_majeure_notifying' }],
      staticSummary: `Force-majeure notice (8.3) to every client`,
    });
    return updated;
  });
}

/**
 * The four-eyes rule: a proposal waiting for confirmation (`pending_confirmation`), locked, that
 * the staff user `by` may decide — anyone but its proposer (the column `proposer` names).
 */
async function pendingForSecondPerson(
  trx: Knex.Transaction,
  table: string,
  what: string,
  id: string,
  proposer: string,
  by: string,
) {
  const row = await trx(table).where({ id }).forUpdate().first();
  if (!row) throw notFound(what, id);
  if (row.status !== 'pending_confirmation')
    throw conflict(
      'NOT_PENDING_CONFIRMATION',
      `The ${what} is ${row.status}: only one pending confirmation is confirmed or rejected here`,
    );
  if (!isSecondPerson(row[proposer], by))
    throw new ApiError(403, 'SAME_PERSON', `The ${what} was proposed by you: a different admin confirms or rejects it`);
  return row;
}

/** The second admin's decision on a proposal (`pending_confirmation`), with who and when; a confirmation moves deadlines. */
export async function decideProposal(
  deps: Deps,
  table: 'force_majeure_events' | 'force_majeure_declarations',
  id: string,
  by: string,
  patch: Record<string, string>,
  movesDeadlines = false,
) {
  const { result: row, delivery } = await writeAndTell(deps, async (trx, tell) => {
    const [what, proposer] =
      table === 'force_majeure_events'
        ? ['force-majeure event', 'recorded_by']
        : ['force-majeure declaration', 'reviewed_by'];
    await pendingForSecondPerson(trx, table, what, id, proposer, by);
    const [updated] = await trx(table)
      .where({ id })
      .update({ ...patch, decided_by: by, decided_at: deps.clock.now() })
      .returning('*');
    if (movesDeadlines) await tell(DEADLINES_CHANGED);
    return updated;
  });
  return { row, workflowsSignalled: delivery.workflowsSignalled };
}

/** A declaration under review, locked: accepting or rejecting it the first time. */
async function underReview(trx: Knex.Transaction, id: string) {
  const row = await trx('force_majeure_declarations').where({ id }).forUpdate().first();
  if (!row) throw notFound('force-majeure declaration', id);
  if (row.status !== 'under_review') throw conflict('NOT_UNDER_REVIEW', `The declaration is ${row.status} already`);
  return row;
}

/**
 * 8.4, 8.5: a declaration accepted with its proof; a late one (8.3) only with `lateNoticeReason`,
 * then waiting for a second admin. True when accepted now (the client's deadlines stand still).
 */
export async function acceptDeclaration(
  deps: Deps,
  id: string,
  by: string,
  lateNoticeReason: string | undefined,
): Promise<boolean> {
  const { clock } = deps;
  const calendar = await operatorCalendar(deps);
  const { result } = await writeAndTell(deps, async (trx, tell) => {
    const d = await underReview(trx, id);
    const kinds = (await trx('force_majeure_evidence').where({ declaration_id: d.id }).select('kind')).map(
      (e: { kind: string }) => e.kind,
    );
    const unproven = missingProof({ wellKnown: d.well_known, evidenceKinds: kinds });
    if (unproven) throw conflict('EVIDENCE_REQUIRED', unproven);
    const outcome = deadline(() =>
      lateNoticeOutcome(
        calendar,
        { startedAt: d.started_at, notifiedAt: d.received_at, wellKnown: d.well_known },
        clock.now(),
        lateNoticeReason,
      ),
    );
    if (outcome === 'reason_not_needed')
      throw new ApiError(
        400,
        'REASON_NOT_NEEDED',
        d.well_known
          ? 'A well-known fact needs no notice (8.5): no lateNoticeReason is needed'
          : 'The notice came within 5 working days of the start (8.3): no lateNoticeReason is needed',
      );
    if (outcome === 'late') {
      throw conflict(
        'NOTICE_LATE',
        `The notice came after ${noticeDue(calendar, d.started_at)}, later than 5 working days after the start: the client cannot rely on it (8.3). Reject it, or give lateNoticeReason for a second admin to confirm`,
      );
    }
    const status = outcome === 'needs_confirmation' ? 'pending_confirmation' : 'accepted';
    await trx('force_majeure_declarations')
      .where({ id: d.id })
      .update({
        status,
        reviewed_by: by,
        reviewed_at: clock.now(),
        late_notice_reason: status === 'accepted' ? null : lateNoticeReason,
      });
    // Accepted, the client's deadlines stand still (8.4).
    if (status === 'accepted') await tell(DEADLINES_CHANGED);
    return status === 'accepted';
  });
  return result;
}

/** A declaration rejected with the reason: under review, by any admin; waiting for confirmation, by the second admin. */
export async function rejectDeclaration(deps: Deps, id: string, by: string, reason: string) {
  const rejection = { status: 'rejected', rejection_reason: reason };
  // Waiting for a second admin: that admin's decision. Under review: the first one.
  const current = await deps.db('force_majeure_declarations').where({ id }).first();
  if (current?.status === 'pending_confirmation')
    await decideProposal(deps, 'force_majeure_declarations', id, by, rejection);
  else {
    await deps.db.transaction(async (trx) => {
      await underReview(trx, id);
      await trx('force_majeure_declarations')
        .where({ id })
        .update({ ...rejection, reviewed_by: by, reviewed_at: deps.clock.now() });
    });
  }
}

type EvidenceFile = { kind: string; filename: string; contentType: string; contentBase64: string };

/** The files as stored: decoded, hashed; damaged or empty ones refused before anything is written. */
const decodeEvidence = (files: readonly EvidenceFile[], addedAt: Date) =>
  files.map((f) => ({
    kind: f.kind,
    filename: f.filename,
    content_type: f.contentType,
    ...decodeFile(f, 'file'),
    added_at: addedAt,
  }));

export interface NewDeclaration {
  startedAt: string;
  expectedEndAt?: string | null;
  obligations: string[];
  description: string;
  wellKnown?: boolean;
  evidence?: EvidenceFile[];
}

/** 8.3-8.5: the client's declaration, registered with the time of receipt, with the proof it has. */
export async function declareForceMajeure(deps: Deps, clientId: string, b: NewDeclaration) {
  const now = deps.clock.now();
  if (inFuture(deps, b.startedAt))
    throw new ApiError(
      400,
      'START_IN_FUTURE',
      'Force majeure is notified once it has begun: startedAt is in the future',
    );
  if (b.expectedEndAt && Date.parse(b.expectedEndAt) <= Date.parse(b.startedAt))
    throw new ApiError(400, 'BAD_PERIOD', 'expectedEndAt must be after startedAt');
  const files = decodeEvidence(b.evidence ?? [], now);
  return deps.db.transaction(async (trx) => {
    const [d] = await trx('force_majeure_declarations')
      .insert({
        client_id: clientId,
        received_at: now,
        started_at: b.startedAt,
        expected_end_at: b.expectedEndAt,
        obligations: b.obligations,
        description: b.description,
        well_known: b.wellKnown ?? false,
      })
      .returning('*');
    if (files.length) await trx('force_majeure_evidence').insert(files.map((f) => ({ ...f, declaration_id: d.id })));
    return d;
  });
}

/** 8.5: proof added to the client's declaration, unless it was rejected. */
export async function addDeclarationEvidence(
  deps: Deps,
  clientId: string,
  id: string,
  evidence: readonly EvidenceFile[],
) {
  const files = decodeEvidence(evidence, deps.clock.now());
  return deps.db.transaction(async (trx) => {
    const d = await ownDeclaration(trx, clientId, id, true);
    if (d.status === 'rejected')
      throw conflict('DECLARATION_REJECTED', `The declaration was rejected: ${d.rejection_reason}`);
    await trx('force_majeure_evidence').insert(files.map((f) => ({ ...f, declaration_id: d.id })));
    return d;
  });
}

/** 8.4: the end of the client's force majeure, notified once. */
export async function endDeclaration(deps: Deps, clientId: string, id: string, endedAt: string) {
  if (inFuture(deps, endedAt))
    throw new ApiError(400, 'END_IN_FUTURE', 'The end is notified once it has come: endedAt is in the future');
  const { result } = await writeAndTell(deps, async (trx, tell) => {
    const d = await ownDeclaration(trx, clientId, id, true);
    if (d.status === 'rejected')
      throw conflict('DECLARATION_REJECTED', `The declaration was rejected: ${d.rejection_reason}`);
    if (d.ended_at)
      throw conflict('ALREADY_ENDED', `The end was notified already: ${new Date(d.ended_at).toISOString()}`);
    if (Date.parse(endedAt) <= new Date(d.started_at).getTime())
      throw new ApiError(400, 'BAD_PERIOD', 'endedAt must be after the start');
    const [updated] = await trx('force_majeure_declarations')
      .where({ id: d.id })
      .update({ ended_at: endedAt, end_notified_at: deps.clock.now() })
      .returning('*');
    // An accepted one stood the client's deadlines still: they run again (8.4).
    if (updated.status === 'accepted') await tell(DEADLINES_CHANGED);
    return updated;
  });
  return result;
}
