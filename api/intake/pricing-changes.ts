import { WorkflowNotFoundError } from '@temporalio/client';
import { readCalendar } from '../../db/calendar-store';
import { lastPricedDay, recordDatedPrice } from '../../db/prices';
import { addDaysToDate, BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../../lib/calendar';
import { BusinessStatus } from '../../lib/search-attributes';
import { tariffAnnouncement, tariffWithdrawnSignal, tariffWorkflowId } from '../../workflows/tariff-announcement';
import type { AppDeps } from '../http/deps';
import { ApiError, conflict, notFound } from '../http/errors';
import { yearMissing } from '../views/calendar';

/** A tariff change must be announced at least this many working days ahead (6.1). */
export const TARIFF_NOTICE_WORKING_DAYS = 20;

type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;

const calendarOf = async (deps: Deps) =>
  new BusinessCalendar(await readCalendar(deps.db), { ...DEFAULT_SETTINGS, zone: deps.config.operatorTimeZone });

/** 6.1: announced now, a price applies from the day after its 20th working day at the earliest; returns that instant. */
export async function assertTariffNotice(deps: Deps, effectiveFrom: string): Promise<Date> {
  const calendar = await calendarOf(deps);
  let earliest: Date;
  try {
    earliest = calendar.addWorkingDays(deps.clock.now(), TARIFF_NOTICE_WORKING_DAYS);
  } catch (error) {
    if (error instanceof CalendarYearMissingError) throw yearMissing(error.year);
    throw error;
  }
  const earliestDate = calendar.localDate(earliest);
  if (effectiveFrom < earliestDate) {
    throw new ApiError(
      422,
      'TARIFF_NOTICE_TOO_SHORT',
      `A tariff change must be announced at least ${TARIFF_NOTICE_WORKING_DAYS} working days before it applies (6.1): announced today, the earliest date is ${earliestDate}`,
      { earliestEffectiveFrom: earliestDate, workingDays: TARIFF_NOTICE_WORKING_DAYS },
    );
  }
  return earliest;
}

/** A VAT rate cannot rewrite the past: charges and documents already made keep the rates then in force. */
export async function assertVatDate(deps: Deps, effectiveFrom: string): Promise<void> {
  const priced = await lastPricedDay(deps.db, deps.config.operatorTimeZone);
  if (priced && effectiveFrom <= priced) {
    throw new ApiError(
      422,
      'VAT_RATE_REWRITES_PAST',
      `Charges and documents up to ${priced} were made at the rates then in force; a new rate takes effect from ${addDaysToDate(priced, 1)} at the earliest`,
      { earliestDate: addDaysToDate(priced, 1) },
    );
  }
}

/** Starts the announcement of a recorded tariff to every client under contract (6.1). */
export async function announceTariff(deps: Deps, row: Record<string, any>): Promise<void> {
  await deps.temporal.client.workflow.start(tariffAnnouncement, {
    workflowId: tariffWorkflowId(row.id),
    taskQueue: deps.config.temporalTaskQueue,
    args: [{ tariffId: row.id, pricePerCodeTiyn: row.price_per_code_tiyn, effectiveFrom: row.effective_from }],
    typedSearchAttributes: [{ key: BusinessStatus, value: 'notifying' }],
    staticSummary: `Tariff change: ${row.price_per_code_tiyn} tiyn per code from ${row.effective_from}`,
    staticDetails: `Basis: ${row.basis}`,
  });
}

/**
 * A new price per code (6.1), announced now: recorded from its date (409 TARIFF_EXISTS when one is)
 * and its announcement to every client started in the same transaction.
 */
export async function announceNewTariff(
  deps: Deps,
  p: {
    pricePerCodeTiyn: number;
    effectiveFrom: string;
    basis: string;
    announcedBy: string;
    earliestEffectiveAt: Date;
    now: Date;
  },
): Promise<Record<string, any>> {
  return deps.db.transaction(async (trx) => {
    const row = await recordDatedPrice(trx, 'tariffs', {
      price_per_code_tiyn: p.pricePerCodeTiyn,
      effective_from: p.effectiveFrom,
      basis: p.basis,
      announced_at: p.now,
      announced_by: p.announcedBy,
      earliest_effective_at: p.earliestEffectiveAt,
    });
    if (!row) throw conflict('TARIFF_EXISTS', `A tariff from ${p.effectiveFrom} already exists`);
    await announceTariff(deps, row);
    return row;
  });
}

export interface PricingChangeRequest {
  subject: 'tariff' | 'vat_rate';
  recordId: string;
  action: 'withdraw' | 'replace';
  reason: string;
  replacement?: { effectiveFrom: string; pricePerCodeTiyn?: number; rateBp?: number; basis?: string; source?: string };
}

const TABLE = { tariff: 'tariffs', vat_rate: 'vat_rates' } as const;

/** The record may still change: it exists, is not withdrawn, and has not taken effect (nothing was priced with it). */
async function changeableRecord(deps: Deps, subject: PricingChangeRequest['subject'], recordId: string) {
  const record = await deps.db(TABLE[subject]).where({ id: recordId }).first();
  if (!record) throw notFound(subject === 'tariff' ? 'tariff' : 'VAT rate', recordId);
  if (record.withdrawn_at)
    throw conflict(
      'ALREADY_WITHDRAWN',
      `The ${subject === 'tariff' ? 'tariff' : 'VAT rate'} from ${record.effective_from} was withdrawn already`,
    );
  const today = (await calendarOf(deps)).localDate(deps.clock.now());
  if (record.effective_from <= today) {
    throw conflict(
      'ALREADY_IN_EFFECT',
      `The ${subject === 'tariff' ? 'tariff' : 'VAT rate'} from ${record.effective_from} is in effect: what was priced with it stands; record a new one from a later date instead`,
    );
  }
  return record;
}

async function checkReplacement(deps: Deps, request: PricingChangeRequest): Promise<void> {
  const r = request.replacement;
  if (request.action === 'withdraw') {
    if (r)
      throw new ApiError(400, 'VALIDATION_FAILED', 'a withdrawal has no replacement', [
        { location: 'body', path: '/replacement', message: 'only with action "replace"' },
      ]);
    return;
  }
  const missing = (path: string) =>
    new ApiError(
      400,
      'VALIDATION_FAILED',
      `a replacement ${request.subject === 'tariff' ? 'tariff' : 'VAT rate'} needs ${path}`,
      [{ location: 'body', path: `/replacement/${path}`, message: 'required' }],
    );
  if (!r) throw missing('effectiveFrom');
  if (request.subject === 'tariff') {
    if (r.pricePerCodeTiyn === undefined) throw missing('pricePerCodeTiyn');
    if (!r.basis) throw missing('basis');
    await assertTariffNotice(deps, r.effectiveFrom);
  } else {
    if (r.rateBp === undefined) throw missing('rateBp');
    if (!r.source) throw missing('source');
    await assertVatDate(deps, r.effectiveFrom);
  }
}

const toChange = (row: Record<string, any>) => ({
  id: row.id,
  subject: row.subject,
  recordId: row.record_id,
  action: row.action,
  replacement: row.replacement ?? null,
  reason: row.reason,
  proposedBy: row.proposed_by,
  proposedAt: new Date(row.proposed_at).toISOString(),
  status: row.status,
  decidedBy: row.decided_by ?? null,
  decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
  decisionNote: row.decision_note ?? null,
  replacementId: row.replacement_id ?? null,
});

export const listPricingChanges = async (deps: Deps) =>
  (await deps.db('pricing_changes').orderBy('proposed_at', 'desc')).map(toChange);

/** One person proposes to withdraw or replace a dated tariff or VAT rate not yet in effect; it waits for a second. */
export async function proposePricingChange(deps: Deps, staffId: string, request: PricingChangeRequest) {
  await changeableRecord(deps, request.subject, request.recordId);
  await checkReplacement(deps, request);
  const [row] = await deps
    .db('pricing_changes')
    .insert({
      subject: request.subject,
      record_id: request.recordId,
      action: request.action,
      replacement: request.replacement ?? null,
      reason: request.reason,
      proposed_by: staffId,
      proposed_at: deps.clock.now(),
    })
    .onConflict(deps.db.raw(`(subject, record_id) WHERE status = 'pending'`))
    .ignore()
    .returning('*');
  if (!row) throw conflict('CHANGE_PENDING', 'A change of this record is already waiting for confirmation');
  return toChange(row);
}

/**
 * A second person confirms (the change is made: the record withdrawn, the replacement recorded
 * and, for a tariff, the clients told of both) or rejects it. The proposer cannot decide.
 */
export async function decidePricingChange(
  deps: Deps,
  staffId: string,
  changeId: string,
  decision: 'confirm' | 'reject',
  note: string | undefined,
) {
  const change = await deps.db('pricing_changes').where({ id: changeId }).first();
  if (!change) throw notFound('pricing change', changeId);
  if (change.status !== 'pending') throw conflict('CHANGE_DECIDED', `The change was ${change.status} already`);
  if (change.proposed_by === staffId)
    throw new ApiError(
      403,
      'SAME_PERSON',
      'A change of a tariff or VAT rate is confirmed or rejected by a second person, not by the one who proposed it',
    );
  const now = deps.clock.now();
  if (decision === 'reject') {
    const [row] = await deps
      .db('pricing_changes')
      .where({ id: changeId, status: 'pending' })
      .update({ status: 'rejected', decided_by: staffId, decided_at: now, decision_note: note ?? null })
      .returning('*');
    if (!row) throw conflict('CHANGE_DECIDED', 'The change was decided meanwhile');
    return toChange(row);
  }
  const request: PricingChangeRequest = {
    subject: change.subject,
    recordId: change.record_id,
    action: change.action,
    reason: change.reason,
    replacement: change.replacement ?? undefined,
  };
  await changeableRecord(deps, request.subject, request.recordId);
  await checkReplacement(deps, request);
  const table = TABLE[request.subject];
  const { row, replacement } = await deps.db.transaction(async (trx) => {
    const [row] = await trx('pricing_changes')
      .where({ id: changeId, status: 'pending' })
      .update({ status: 'confirmed', decided_by: staffId, decided_at: now, decision_note: note ?? null })
      .returning('*');
    if (!row) throw conflict('CHANGE_DECIDED', 'The change was decided meanwhile');
    await trx(table).where({ id: request.recordId }).update({ withdrawn_at: now });
    let replacement: Record<string, any> | undefined;
    const r = request.replacement;
    if (r) {
      const values =
        request.subject === 'tariff'
          ? {
              price_per_code_tiyn: r.pricePerCodeTiyn,
              effective_from: r.effectiveFrom,
              basis: r.basis,
              announced_at: now,
              announced_by: change.proposed_by,
              earliest_effective_at: await assertTariffNotice(deps, r.effectiveFrom),
            }
          : { rate_bp: r.rateBp, effective_from: r.effectiveFrom, source: r.source, created_by: change.proposed_by };
      replacement = await recordDatedPrice(trx, table, values);
      if (!replacement)
        throw conflict(
          request.subject === 'tariff' ? 'TARIFF_EXISTS' : 'VAT_RATE_EXISTS',
          `Another record from ${r.effectiveFrom} is in use`,
        );
      await trx('pricing_changes').where({ id: changeId }).update({ replacement_id: replacement.id });
    }
    return { row: { ...row, replacement_id: replacement?.id ?? null }, replacement };
  });
  if (request.subject === 'tariff') {
    if (replacement) await announceTariff(deps, replacement);
    await deps.temporal.client.workflow
      .getHandle(tariffWorkflowId(request.recordId))
      .signal(tariffWithdrawnSignal, { reason: request.reason, replacedBy: replacement?.id ?? null })
      .catch((error) => {
        if (!(error instanceof WorkflowNotFoundError)) throw error; // a tariff recorded without an announcement has none
      });
  }
  return toChange(row);
}
