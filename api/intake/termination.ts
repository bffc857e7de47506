import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { BASIS_INITIATORS, earliestTerminationDate, TerminationBasis } from '../../lib/termination';
import { contractTermination, terminationWorkflowId } from '../../workflows/contract-termination';
import { ApiError, conflict } from '../http/errors';
import { deadline, operatorCalendar } from '../views/operator-calendar';
import { activeClient, Deps, inFuture, lock, SignDeps, signing } from './request-checks';
import { checkSignedInstruction, instructionDocument, signedColumns } from './signed-instructions';

export interface TerminationRequest {
  clientId: string;
  initiator: 'operator' | 'client';
  basis: TerminationBasis;
  grounds: string;
  evidence?: string;
  notifiedAt?: string;
  terminationDate: string;
  periodShortened?: boolean;
  recordedBy?: string;
  /**
   * The client's own notice through its API (4.1.1, 10.4): an EDS-signed document
   * (api/intake/signed-instructions.ts), `signature` over the document of POST /client/v1/termination/document.
   */
  clientInstruction?: { signature: string | undefined };
}

/** 10.4.3, 10.4.4: the notice's date and the earliest termination date it allows; 400 when the request cannot stand. */
async function noticeTerms(deps: Deps, t: TerminationRequest) {
  if (!BASIS_INITIATORS[t.basis].includes(t.initiator))
    throw new ApiError(400, 'BASIS_NOT_FOR_INITIATOR', `The ${t.initiator} may not terminate under ${t.basis}`);
  if (t.periodShortened && !['10.4.3', '4.3.1c', '4.3.1d'].includes(t.basis)) {
    throw new ApiError(
      400,
      'PERIOD_NOT_SHORTENABLE',
      'Only termination by agreement (10.4.3) or under 4.3.1 c), d) may have a shorter period',
    );
  }
  // 10.4.4: the operator's notice is the one the system sends now; only a notice the operator received
  // (the client's) or the letters of an agreement (10.4.3) are dated by staff.
  if (t.initiator === 'operator' && t.basis !== '10.4.3' && t.notifiedAt) {
    throw new ApiError(
      400,
      'NOTICE_SENT_BY_SYSTEM',
      "The operator's notice is sent by the system when the termination is recorded: its period counts from that sending, not from a date typed in (10.4.4)",
    );
  }
  const notifiedAt = t.notifiedAt ?? deps.clock.now().toISOString();
  if (inFuture(deps, notifiedAt))
    throw new ApiError(400, 'NOTICE_IN_FUTURE', 'The notice cannot be dated in the future');
  const calendar = await operatorCalendar(deps);
  // A notice recorded late (received on paper weeks ago) may not end the contract retroactively.
  const today = calendar.localDate(deps.clock.now());
  if (t.terminationDate < today)
    throw new ApiError(
      400,
      'TERMINATION_DATE_PAST',
      `The contract cannot end on ${t.terminationDate}, a day already past (today is ${today})`,
      { today },
    );
  const earliest = deadline(() =>
    earliestTerminationDate(calendar, { basis: t.basis, notifiedAt, periodShortened: t.periodShortened }),
  );
  if (t.terminationDate < earliest) {
    throw new ApiError(
      400,
      'NOTICE_PERIOD_TOO_SHORT',
      `The contract may end on ${earliest} at the earliest after a notice given ${calendar.localDate(notifiedAt)} (${t.basis === '10.4.3' ? '30 calendar days, 10.4.3' : '30 working days, 10.4.4'})`,
      { earliestDate: earliest },
    );
  }
  return { notifiedAt, today, earliest };
}

/** The contract may be terminated now: it runs, no termination is under way, the grounds of 4.3.1 b) hold. */
async function terminable(trx: Knex.Transaction, t: TerminationRequest, today: string) {
  const client = await activeClient(trx, t.clientId);
  if (t.basis === '4.3.1b') await noOrderForAYear(trx, client, today);
  if (
    await trx('terminations').where({ client_id: t.clientId }).whereIn('status', ['scheduled', 'settling']).first('id')
  )
    throw conflict('TERMINATION_PENDING', 'A termination of this contract is already under way');
  return client;
}

/** 4.1.1, 10.4: the client's signed notice names the basis, the grounds, the documents and the date. */
const terminationDocument = (binIin: string, t: TerminationRequest) =>
  instructionDocument('termination', binIin, {
    initiator: t.initiator,
    basis: t.basis,
    grounds: t.grounds,
    evidence: t.evidence ?? null,
    terminationDate: t.terminationDate,
  });

/** The exact bytes the client's signer signs for this notice of termination; refused as the notice would be. */
export async function terminationDocumentFor(deps: Deps, t: TerminationRequest): Promise<Buffer> {
  const { today } = await noticeTerms(deps, t);
  return deps.db.transaction(async (trx) => terminationDocument((await terminable(trx, t, today)).bin_iin, t));
}

/** 4.1.1, 4.3.1, 10.4: a termination on notice; the date must leave the full notice period (10.4.3, 10.4.4). */
export async function scheduleTermination(deps: SignDeps, t: TerminationRequest) {
  const { notifiedAt, today, earliest } = await noticeTerms(deps, t);
  return deps.db.transaction(async (trx) => {
    await lock(trx, `terminations:${t.clientId}`);
    const client = await terminable(trx, t, today);
    const signed = t.clientInstruction
      ? await checkSignedInstruction(signing(deps, trx), {
          clientId: t.clientId,
          binIin: client.bin_iin,
          kind: 'termination',
          document: terminationDocument(client.bin_iin, t),
          signature: t.clientInstruction.signature,
          at: new Date(notifiedAt),
          what: 'A notice of termination (4.1.1, 10.4)',
          documentRoute: 'POST /client/v1/termination/document',
        })
      : undefined;
    const [row] = await trx('terminations')
      .insert({
        client_id: t.clientId,
        initiator: t.initiator,
        basis: t.basis,
        grounds: t.grounds,
        evidence: t.evidence ?? null,
        notified_at: notifiedAt,
        earliest_date: earliest,
        termination_date: t.terminationDate,
        recorded_by: t.recordedBy ?? null,
        ...(signed ? signedColumns(signed) : {}),
      })
      .returning('*');
    await deps.temporal.client.workflow.start(contractTermination, {
      taskQueue: deps.config.temporalTaskQueue,
      workflowId: terminationWorkflowId(row.id),
      args: [
        {
          terminationId: row.id,
          clientId: t.clientId,
          initiator: t.initiator,
          basis: t.basis,
          terminationDate: t.terminationDate,
        },
      ],
      typedSearchAttributes: [
        { key: ClientId, value: t.clientId },
        { key: BusinessStatus, value: 'termination_scheduled' },
      ],
      staticSummary: `Termination by the ${t.initiator} on ${t.terminationDate} (${t.basis})`,
    });
    return row;
  });
}

/**
 * 4.3.1 b) as the client's record shows it: «Клиент не подал Заявку в течение одного года с даты
 * заключения Договора» — a year since joining has passed and no order was placed in it.
 */
async function noOrderForAYear(trx: Knex.Transaction, client: Record<string, any>, today: string) {
  if (!client.joined_on)
    throw conflict('GROUNDS_NOT_MET', 'The client has no date of joining on record: 4.3.1 b) cannot be checked');
  const [y, m, d] = String(client.joined_on).split('-').map(Number);
  const yearEnds = DateTime.fromObject({ year: y, month: m, day: d }).plus({ years: 1 }).toISODate()!;
  if (today <= yearEnds)
    throw conflict(
      'GROUNDS_NOT_MET',
      `The contract was concluded on ${client.joined_on}: its first year runs to ${yearEnds} (4.3.1 b)`,
      { joinedOn: client.joined_on, yearEndsOn: yearEnds },
    );
  const [{ n }] = await trx('orders')
    .where({ client_id: client.id })
    .whereRaw('registered_at < (?::date + 1)', [yearEnds])
    .count<{ n: number }[]>('* as n');
  if (Number(n))
    throw conflict(
      'GROUNDS_NOT_MET',
      `The client placed ${n} order(s) within the first year of the contract (4.3.1 b)`,
      { joinedOn: client.joined_on, ordersInFirstYear: Number(n) },
    );
}
