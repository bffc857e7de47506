import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { clientBalance } from '../../db/ledger';
import { localDateIn } from '../../lib/calendar';
import type { EdsSigner, EdsVerification } from '../../lib/eds';
import { CONTRACT_TITLE } from '../../lib/operator';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { BASIS_INITIATORS, earliestTerminationDate, TerminationBasis } from '../../lib/termination';
import { claim, claimWorkflowId } from '../../workflows/claim';
import { compensation, compensationWorkflowId } from '../../workflows/compensation';
import { contractAmendment, amendmentWorkflowId } from '../../workflows/contract-amendment';
import { contractTermination, terminationWorkflowId } from '../../workflows/contract-termination';
import { refundRequest, refundWorkflowId } from '../../workflows/refund-request';
import type { AppDeps } from '../http/deps';
import { ApiError, conflict } from '../http/errors';
import { deadline, operatorCalendar } from '../views/operator-calendar';
import { checkSignedInstruction, instructionDocument, signedColumns, verifiedSignature } from './signed-instructions';

/**
 * Opening the contract's long-lived requests: each is recorded and its workflow started in one
 * transaction, so a refused start leaves nothing behind (activities/rows.ts waits for the commit).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;

const start = (deps: Deps) => ({ taskQueue: deps.config.temporalTaskQueue });
/** An instant staff enter as "now" on their own machine may run a little ahead of the server's clock. */
const CLOCK_SKEW_MS = 5 * 60_000;
const inFuture = (deps: Deps, at: string) => new Date(at).getTime() > deps.clock.now().getTime() + CLOCK_SKEW_MS;
const lock = (trx: Knex.Transaction, key: string) => trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);

async function activeClient(trx: Knex.Transaction, clientId: string) {
  const client = await trx('clients').where({ id: clientId }).first();
  if (!client) throw new ApiError(404, 'NOT_FOUND', `No client ${clientId}`);
  if (client.contract_ended_at || client.status === 'terminated') throw conflict('CONTRACT_ENDED', 'The contract has ended');
  return client;
}

type SignDeps = Deps & Pick<AppDeps, 'eds'>;
const signing = (deps: SignDeps, trx: Knex.Transaction) => ({ db: trx, eds: deps.eds, timeZone: deps.config.operatorTimeZone });

export interface RefundInstruction {
  clientId: string;
  amountTiyn?: number;
  note?: string;
}

/** 6.11: a refund is possible — no other pending, unused money, no more than it. */
async function refundable(trx: Knex.Transaction, p: RefundInstruction) {
  const client = await activeClient(trx, p.clientId);
  if (await trx('refund_requests').where({ client_id: p.clientId, status: 'pending' }).first('id')) throw conflict('REFUND_PENDING', 'A refund is already being considered; wait for its answer');
  const { available } = await clientBalance(trx, p.clientId);
  if (available <= 0) throw conflict('NOTHING_TO_REFUND', 'There is no unused money on the personal account');
  if (p.amountTiyn !== undefined && p.amountTiyn > available) throw new ApiError(400, 'AMOUNT_EXCEEDS_BALANCE', `At most ${available} tiyn is unused`, { availableTiyn: available });
  return client;
}

/** 6.11: the signed refund request names the amount, the note and the bank account of record it is paid to. */
const refundDocument = (client: Record<string, any>, p: RefundInstruction) =>
  instructionDocument('refund', client.bin_iin, {
    amountTiyn: p.amountTiyn ?? null,
    note: p.note ?? null,
    payTo: { iik: client.details?.iik ?? null, bik: client.details?.bik ?? null, bankName: client.details?.bankName ?? null },
  });

/** The exact bytes the client's signer signs for this refund request (6.11); refused as the request would be. */
export async function refundDocumentFor(deps: Deps, p: RefundInstruction): Promise<Buffer> {
  return deps.db.transaction(async (trx) => refundDocument(await refundable(trx, p), p));
}

/**
 * 6.11: the client asks for unused money back; an accountant answers within 15 calendar days. The
 * request moves money: it is the client's EDS-signed document (api/intake/signed-instructions.ts), kept with it.
 */
export async function requestRefund(deps: SignDeps, p: RefundInstruction & { signature?: string }) {
  return deps.db.transaction(async (trx) => {
    await lock(trx, `refunds:${p.clientId}`);
    const client = await refundable(trx, p);
    const now = deps.clock.now();
    const signed = await checkSignedInstruction(signing(deps, trx), {
      clientId: p.clientId,
      binIin: client.bin_iin,
      kind: 'refund',
      document: refundDocument(client, p),
      signature: p.signature,
      at: now,
      what: 'A refund request (6.11)',
      documentRoute: 'POST /client/v1/refunds/document',
    });
    const requestedAt = now.toISOString();
    const [row] = await trx('refund_requests')
      .insert({ client_id: p.clientId, kind: 'request', amount_requested: p.amountTiyn ?? null, client_note: p.note ?? null, iik: client.details?.iik ?? null, requested_at: requestedAt, ...signedColumns(signed) })
      .returning('*');
    await deps.temporal.client.workflow.start(refundRequest, {
      ...start(deps),
      workflowId: refundWorkflowId(row.id),
      args: [{ refundId: row.id, clientId: p.clientId, requestedAt, kind: 'request' }],
      typedSearchAttributes: [{ key: ClientId, value: p.clientId }, { key: BusinessStatus, value: 'refund_pending' }],
      staticSummary: `Refund on request (6.11) for ${client.name}`,
    });
    return row;
  });
}

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
  if (!BASIS_INITIATORS[t.basis].includes(t.initiator)) throw new ApiError(400, 'BASIS_NOT_FOR_INITIATOR', `The ${t.initiator} may not terminate under ${t.basis}`);
  if (t.periodShortened && !['10.4.3', '4.3.1c', '4.3.1d'].includes(t.basis)) {
    throw new ApiError(400, 'PERIOD_NOT_SHORTENABLE', 'Only termination by agreement (10.4.3) or under 4.3.1 c), d) may have a shorter period');
  }
  // 10.4.4: the operator's notice is the one the system sends now; only a notice the operator received
  // (the client's) or the letters of an agreement (10.4.3) are dated by staff.
  if (t.initiator === 'operator' && t.basis !== '10.4.3' && t.notifiedAt) {
    throw new ApiError(400, 'NOTICE_SENT_BY_SYSTEM', "The operator's notice is sent by the system when the termination is recorded: its period counts from that sending, not from a date typed in (10.4.4)");
  }
  const notifiedAt = t.notifiedAt ?? deps.clock.now().toISOString();
  if (inFuture(deps, notifiedAt)) throw new ApiError(400, 'NOTICE_IN_FUTURE', 'The notice cannot be dated in the future');
  const calendar = await operatorCalendar(deps);
  // A notice recorded late (received on paper weeks ago) may not end the contract retroactively.
  const today = calendar.localDate(deps.clock.now());
  if (t.terminationDate < today) throw new ApiError(400, 'TERMINATION_DATE_PAST', `The contract cannot end on ${t.terminationDate}, a day already past (today is ${today})`, { today });
  const earliest = deadline(() => earliestTerminationDate(calendar, { basis: t.basis, notifiedAt, periodShortened: t.periodShortened }));
  if (t.terminationDate < earliest) {
    throw new ApiError(400, 'NOTICE_PERIOD_TOO_SHORT', `The contract may end on ${earliest} at the earliest after a notice given ${calendar.localDate(notifiedAt)} (${t.basis === '10.4.3' ? '30 calendar days, 10.4.3' : '30 working days, 10.4.4'})`, { earliestDate: earliest });
  }
  return { notifiedAt, today, earliest };
}

/** The contract may be terminated now: it runs, no termination is under way, the grounds of 4.3.1 b) hold. */
async function terminable(trx: Knex.Transaction, t: TerminationRequest, today: string) {
  const client = await activeClient(trx, t.clientId);
  if (t.basis === '4.3.1b') await noOrderForAYear(trx, client, today);
  if (await trx('terminations').where({ client_id: t.clientId }).whereIn('status', ['scheduled', 'settling']).first('id')) throw conflict('TERMINATION_PENDING', 'A termination of this contract is already under way');
  return client;
}

/** 4.1.1, 10.4: the client's signed notice names the basis, the grounds, the documents and the date. */
const terminationDocument = (binIin: string, t: TerminationRequest) =>
  instructionDocument('termination', binIin, { initiator: t.initiator, basis: t.basis, grounds: t.grounds, evidence: t.evidence ?? null, terminationDate: t.terminationDate });

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
      ...start(deps),
      workflowId: terminationWorkflowId(row.id),
      args: [{ terminationId: row.id, clientId: t.clientId, initiator: t.initiator, basis: t.basis, terminationDate: t.terminationDate }],
      typedSearchAttributes: [{ key: ClientId, value: t.clientId }, { key: BusinessStatus, value: 'termination_scheduled' }],
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
  if (!client.joined_on) throw conflict('GROUNDS_NOT_MET', 'The client has no date of joining on record: 4.3.1 b) cannot be checked');
  const [y, m, d] = String(client.joined_on).split('-').map(Number);
  const yearEnds = DateTime.fromObject({ year: y, month: m, day: d }).plus({ years: 1 }).toISODate()!;
  if (today <= yearEnds) throw conflict('GROUNDS_NOT_MET', `The contract was concluded on ${client.joined_on}: its first year runs to ${yearEnds} (4.3.1 b)`, { joinedOn: client.joined_on, yearEndsOn: yearEnds });
  const [{ n }] = await trx('orders').where({ client_id: client.id }).whereRaw('registered_at < (?::date + 1)', [yearEnds]).count<{ n: number }[]>('* as n');
  if (Number(n)) throw conflict('GROUNDS_NOT_MET', `The client placed ${n} order(s) within the first year of the contract (4.3.1 b)`, { joinedOn: client.joined_on, ordersInFirstYear: Number(n) });
}

export interface ClaimContent {
  subject: string;
  demands: string;
  amountClaimedTiyn?: number;
  signerName: string;
  /** The day of the events the claim is about (local date); required once the contract has ended. */
  concernsDate?: string;
  documents: Array<{ kind: string; filename: string; contentType: string; contentBase64: string }>;
}

export interface NewClaim extends ClaimContent {
  clientId: string;
  channel: 'api' | 'email' | 'post';
  receivedAt: string;
  /** The EDS signature (CMS) over the claim's canonical document (9.4). */
  signature?: string;
  recordedBy?: string;
}

type ClaimDeps = Deps & Pick<AppDeps, 'eds'>;

/**
 * A claim may be presented after the contract has ended, about the time it ran (the parties'
 * obligations of that time survive it): then the day it concerns is required and may not be
 * later than the day the contract ended.
 */
async function claimingClient(trx: Knex.Transaction, deps: Deps, c: NewClaim) {
  const client = await trx('clients').where({ id: c.clientId }).first();
  if (!client) throw new ApiError(404, 'NOT_FOUND', `No client ${c.clientId}`);
  if (!client.contract_ended_at && client.status !== 'terminated') return client;
  const endedOn = localDateIn(deps.config.operatorTimeZone, client.contract_ended_at ?? deps.clock.now());
  if (!c.concernsDate) throw new ApiError(400, 'CONCERNS_DATE_REQUIRED', `The contract ended on ${endedOn}: a claim is about the time it ran — give the day it concerns (concernsDate)`);
  if (c.concernsDate > endedOn) throw conflict('CLAIM_AFTER_CONTRACT', `The contract ended on ${endedOn}; events of ${c.concernsDate} are outside it`);
  return client;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function claimFiles(documents: ClaimContent['documents']) {
  return documents.map((d) => {
    // Node decodes what it can and drops the rest: a damaged document would be stored silently.
    const encoded = d.contentBase64.replace(/\s+/g, '');
    if (encoded.length % 4 === 1 || !BASE64.test(encoded)) throw new ApiError(400, 'INVALID_BASE64', `The document ${d.filename} is not valid base64`);
    const content = Buffer.from(encoded, 'base64');
    if (content.length === 0) throw new ApiError(400, 'EMPTY_DOCUMENT', `The document ${d.filename} is empty`);
    return { ...d, content, sha256: createHash('sha256').update(content).digest('hex') };
  });
}

export const CLAIM_DOCUMENT_TYPE = 'ismet-backoffice/claim';

/**
 * 9.4: what the signer signs with the EDS — the claim and the SHA-256 of each document sent with it
 * (so the signature covers them too), for the client named by its BIN/IIN, in a typed envelope
 * serialised by the JSON Canonicalization Scheme (RFC 8785), UTF-8: the same claim always gives the
 * same bytes, so the operator recomputes them to check the signature.
 */
function claimDocument(binIin: string, c: ClaimContent, files: ReturnType<typeof claimFiles>): Buffer {
  const envelope = {
    type: CLAIM_DOCUMENT_TYPE,
    version: 1,
    contract: CONTRACT_TITLE,
    clause: '9.2-9.4',
    client: { binIin },
    subject: c.subject,
    demands: c.demands,
    amountClaimedTiyn: c.amountClaimedTiyn ?? null,
    signerName: c.signerName,
    concernsDate: c.concernsDate ?? null,
    documents: files.map((d) => ({ kind: d.kind, filename: d.filename, contentType: d.contentType, sha256: d.sha256 })),
  };
  return Buffer.from(canonicalize(envelope)!, 'utf8');
}

async function claimantBinIin(deps: Deps, clientId: string): Promise<string> {
  const client = await deps.db('clients').where({ id: clientId }).first('bin_iin');
  if (!client) throw new ApiError(404, 'NOT_FOUND', `No client ${clientId}`);
  return client.bin_iin;
}

/** The exact bytes the client's signer signs for this claim (9.4). */
export async function claimDocumentFor(deps: Deps, clientId: string, c: ClaimContent): Promise<Buffer> {
  return claimDocument(await claimantBinIin(deps, clientId), c, claimFiles(c.documents));
}

/**
 * The signature must prove who signed what: it verifies over this claim's document with a trusted,
 * valid certificate (422 otherwise, nothing recorded). Only the signer may be someone other than
 * the client: whether that person may sign for it is the question of authority, answered next.
 */
async function verifiedClaimSignature(deps: ClaimDeps, binIin: string, document: Buffer, signature: string, receivedAt: string): Promise<EdsVerification> {
  return verifiedSignature(deps.eds, { document, signature, binIin, at: new Date(receivedAt) });
}

interface ClaimAuthority {
  basis: 'client_eds' | 'power_of_attorney' | 'paper_originals' | null;
  reason: 'NOT_SIGNED' | 'SIGNER_NOT_AUTHORISED' | null;
  note: string;
  powerOfAttorneyId?: string;
}

const signerName = (s: EdsSigner) => [s.commonName, s.iin && `IIN ${s.iin}`].filter(Boolean).join(', ') || s.subject;

/**
 * 9.4: the claim counts as presented only with proof of its signer's authority. Signed with the
 * client's own EDS (its BIN; an individual entrepreneur's IIN), it is signed for the client. Signed
 * with an individual's EDS, it needs a power of attorney for that person to sign claims, recorded by
 * the operator's staff and valid on the day the claim was received (9.2). Received by post, the
 * originals or notarised copies the staff who record it examined. A label the client puts on a file
 * proves nothing.
 */
async function claimAuthority(trx: Knex.Transaction, deps: Deps, c: NewClaim, binIin: string, check: EdsVerification | undefined): Promise<ClaimAuthority> {
  const signer = check?.signer;
  if (check?.valid && signer) return { basis: 'client_eds', reason: null, note: `Signed with the client’s EDS: ${signerName(signer)}${signer.bin ? `, BIN ${signer.bin}` : ''}.` };
  let refusal: ClaimAuthority | undefined;
  if (signer) {
    const receivedOn = localDateIn(deps.config.operatorTimeZone, c.receivedAt);
    if (signer.bin || !signer.iin) {
      refusal = {
        basis: null,
        reason: 'SIGNER_NOT_AUTHORISED',
        note: `Signed with ${signer.bin ? `the EDS of another organisation (BIN ${signer.bin})` : 'a certificate naming neither a BIN nor an IIN'}, not the client’s (BIN/IIN ${binIin}) nor an individual’s acting under a power of attorney (9.4).`,
      };
    } else {
      const powers = await trx('powers_of_attorney').where({ client_id: c.clientId, attorney_iin: signer.iin }).whereRaw(`scopes @> ARRAY['claims']::text[]`).orderBy('valid_until', 'desc').forShare();
      const valid = powers.find((p) => p.valid_from <= receivedOn && receivedOn <= p.valid_until && (!p.revoked_at || new Date(p.revoked_at) > new Date(c.receivedAt)));
      if (valid) {
        return {
          basis: 'power_of_attorney',
          reason: null,
          powerOfAttorneyId: valid.id,
          note: `Signed with the personal EDS of ${signerName(signer)} under power of attorney № ${valid.number} of ${valid.issued_on}, valid ${valid.valid_from} to ${valid.valid_until}.`,
        };
      }
      const why = powers.length
        ? `its power(s) of attorney for this person do not cover ${receivedOn}: ${powers.map((p) => `№ ${p.number} of ${p.issued_on}, valid ${p.valid_from} to ${p.valid_until}${p.revoked_at ? `, revoked ${new Date(p.revoked_at).toISOString()}` : ''}`).join('; ')}`
        : 'no power of attorney for this person to sign claims has been recorded';
      refusal = { basis: null, reason: 'SIGNER_NOT_AUTHORISED', note: `Signed with the personal EDS of ${signerName(signer)}, who is not the client; ${why} (9.4).` };
    }
  }
  if (c.channel === 'post' && c.recordedBy && c.documents.some((d) => d.kind === 'authority')) {
    return { basis: 'paper_originals', reason: null, note: 'Received by post: the documents proving the signer’s authority, originals or notarised copies, were examined by the staff who recorded the claim (9.4).' };
  }
  return refusal ?? { basis: null, reason: 'NOT_SIGNED', note: 'The claim carries no EDS signature of the client or of its representative (9.4).' };
}

/** 9.2-9.4: a claim with its documents; without proof of the signer's authority it is recorded as not considered. */
export async function registerClaim(deps: ClaimDeps, c: NewClaim) {
  // The deadline runs from the receipt (9.3): a receipt in the future would stretch it.
  if (inFuture(deps, c.receivedAt)) throw new ApiError(400, 'RECEIVED_IN_FUTURE', 'The claim cannot be received in the future');
  const files = claimFiles(c.documents);
  const binIin = await claimantBinIin(deps, c.clientId);
  const document = claimDocument(binIin, c, files);
  const check = c.signature === undefined ? undefined : await verifiedClaimSignature(deps, binIin, document, c.signature, c.receivedAt);
  return deps.db.transaction(async (trx) => {
    await claimingClient(trx, deps, c);
    const authority = await claimAuthority(trx, deps, c, binIin, check);
    const considered = authority.basis !== null;
    const [row] = await trx('claims')
      .insert({
        client_id: c.clientId,
        channel: c.channel,
        received_at: c.receivedAt,
        subject: c.subject,
        demands: c.demands,
        amount_claimed: c.amountClaimedTiyn ?? null,
        signer_name: c.signerName,
        concerns_date: c.concernsDate ?? null,
        status: considered ? 'under_review' : 'not_considered',
        recorded_by: c.recordedBy ?? null,
        signature: check ? c.signature : null,
        signed_document: check ? document : null,
        signature_check: check ? JSON.stringify({ problems: check.problems, checks: check.checks }) : null,
        signer: check?.signer ? JSON.stringify(check.signer) : null,
        signed_at: check?.signingTime ?? null,
        authority_basis: authority.basis,
        power_of_attorney_id: authority.powerOfAttorneyId ?? null,
        not_considered_reason: authority.reason,
        authority_note: authority.note,
      })
      .returning('*');
    if (files.length) {
      await trx('claim_documents').insert(files.map((d) => ({ claim_id: row.id, kind: d.kind, filename: d.filename, content_type: d.contentType, content: d.content, sha256: d.sha256 })));
    }
    await deps.temporal.client.workflow.start(claim, {
      ...start(deps),
      workflowId: claimWorkflowId(row.id),
      args: [{ claimId: row.id, clientId: c.clientId, number: Number(row.number), receivedAt: new Date(row.received_at).toISOString(), considered }],
      typedSearchAttributes: [{ key: ClientId, value: c.clientId }, { key: BusinessStatus, value: considered ? 'claim_under_review' : 'claim_not_considered' }],
      staticSummary: `Claim № ${row.number}: ${c.subject}`,
    });
    return row;
  });
}

export interface NewCompensation {
  clientId: string;
  basis: 'defect_act' | 'late_service';
  description: string;
  amountTiyn: number;
  eventAt: string;
  payTo: 'account' | 'bank';
  breaches?: Array<{ type: 'order_breach' | 'ticket'; id: string }>;
  claimId?: string;
  recordedBy?: string;
}

/**
 * A ticket of the client with a missed Прил. 3 deadline that no demand rested on yet: like an
 * order breach, it backs one demand (paid or refused), named by the ticket's id or number.
 */
async function openTicketBreach(trx: Knex.Transaction, clientId: string, ref: string) {
  const ticket = await trx('tickets')
    .where({ client_id: clientId })
    .where((q) => q.whereNotNull('reaction_breached_at').orWhereNotNull('resolution_breached_at'))
    .where(UUID.test(ref) ? { id: ref } : { number: ref })
    .first('id', 'number');
  if (!ticket) return undefined;
  const claimed = await trx('compensations').where({ client_id: clientId }).whereRaw(TICKET_IN_BREACHES, [ticket.id, ticket.number]).first('id');
  return claimed ? undefined : ticket;
}

/** Whether a compensation's breaches name the ticket (bound: its id, its number). */
export const TICKET_IN_BREACHES = `(breaches @> jsonb_build_array(jsonb_build_object('type', 'ticket', 'id', ?::text)) OR breaches @> jsonb_build_array(jsonb_build_object('type', 'ticket', 'id', ?::text)))`;

/**
 * 7.2: a signed defect act; 7.3: a demand for damage from late service, resting on recorded
 * breaches of the client — the 4-hour emission deadline (issue 6) or a Прил. 3 deadline (issue 9).
 */
export async function openCompensation(deps: Deps, c: NewCompensation) {
  const breaches = c.breaches ?? [];
  if (c.basis === 'late_service' && breaches.length === 0) throw new ApiError(400, 'NO_BREACH', 'A demand under 7.3 names the missed deadlines it rests on');
  if (c.basis === 'defect_act' && c.payTo !== 'account') throw new ApiError(400, 'PAY_TO_ACCOUNT', 'A defect act is compensated to the personal account (7.2)');
  // The deadline runs from the act's signing or the demand's receipt (7.2, 7.3): not from a day to come.
  if (inFuture(deps, c.eventAt)) throw new ApiError(400, 'EVENT_IN_FUTURE', 'The defect act cannot be signed, nor the demand received, in the future');
  return deps.db.transaction(async (trx) => {
    // One demand of the client at a time: two at once may not both rest on the same missed deadline.
    await lock(trx, `compensations:${c.clientId}`);
    await activeClient(trx, c.clientId);
    for (const b of breaches) {
      const found =
        b.type === 'order_breach'
          ? UUID.test(b.id) && await trx('order_breaches').where({ id: b.id, client_id: c.clientId }).whereIn('compensation_status', ['eligible']).first('id')
          : await openTicketBreach(trx, c.clientId, b.id);
      if (!found) throw new ApiError(400, 'NOT_A_BREACH', `${b.type} ${b.id} is not a recorded missed deadline of this client open to compensation`, { breach: b });
    }
    if (c.claimId && !(await trx('claims').where({ id: c.claimId, client_id: c.clientId }).first('id'))) throw new ApiError(400, 'CLAIM_NOT_FOUND', `No claim ${c.claimId} of this client`);
    const [row] = await trx('compensations')
      .insert({
        client_id: c.clientId,
        basis: c.basis,
        description: c.description,
        breaches: JSON.stringify(breaches),
        claim_id: c.claimId ?? null,
        event_at: c.eventAt,
        amount_claimed: c.amountTiyn,
        pay_to: c.payTo,
        recorded_by: c.recordedBy ?? null,
      })
      .returning('*');
    const orderBreaches = breaches.filter((b) => b.type === 'order_breach').map((b) => b.id);
    if (orderBreaches.length) await trx('order_breaches').whereIn('id', orderBreaches).update({ compensation_status: 'claimed' });
    await deps.temporal.client.workflow.start(compensation, {
      ...start(deps),
      workflowId: compensationWorkflowId(row.id),
      args: [{ compensationId: row.id, clientId: c.clientId, basis: c.basis, eventAt: new Date(row.event_at).toISOString(), amountTiyn: c.amountTiyn }],
      typedSearchAttributes: [{ key: ClientId, value: c.clientId }, { key: BusinessStatus, value: 'compensation_pending' }],
      staticSummary: `${c.basis === 'defect_act' ? 'Defect act (7.2)' : 'Late-service damage (7.3)'}: ${c.description}`.slice(0, 200),
    });
    return row;
  });
}

/** Amendments take effect 20 working days after publication at the earliest (4.3.5, 10.3.2). */
export const AMENDMENT_WORKING_DAYS = 20;

const uniqueViolation = (error: unknown) => (error as { code?: string })?.code === '23505';

export async function publishContractVersion(
  deps: Deps,
  v: { version: string; title: string; summary: string; documentUrl?: string; reason: 'services' | 'law'; effectiveFrom?: string; recordedBy: string },
) {
  const publishedAt = deps.clock.now();
  const calendar = await operatorCalendar(deps);
  // The period runs from the day after publication and ends at 24:00 of its 20th working day:
  // addWorkingDays returns that midnight, whose local date is already the first day the new
  // version may apply on (as for tariffs, 6.1).
  const earliest = deadline(() => calendar.localDate(calendar.addWorkingDays(publishedAt, AMENDMENT_WORKING_DAYS)));
  const effectiveFrom = v.effectiveFrom ?? earliest;
  if (effectiveFrom < earliest) throw new ApiError(400, 'NOTICE_PERIOD_TOO_SHORT', `Published today, the version may take effect on ${earliest} at the earliest (20 working days, 10.3.2)`, { earliestDate: earliest });
  const exists = () => conflict('VERSION_EXISTS', `Version ${v.version} exists`);
  return deps.db.transaction(async (trx) => {
    if (await trx('contract_versions').where({ version: v.version }).first('id')) throw exists();
    const [row] = await trx('contract_versions')
      .insert({
        version: v.version,
        title: v.title,
        summary: v.summary,
        document_url: v.documentUrl ?? null,
        reason: v.reason,
        published_at: publishedAt,
        effective_at: calendar.startOfDay(effectiveFrom),
        recorded_by: v.recordedBy,
      })
      .returning('*');
    await deps.temporal.client.workflow.start(contractAmendment, {
      ...start(deps),
      workflowId: amendmentWorkflowId(row.id),
      args: [{ versionId: row.id, version: row.version, effectiveAt: new Date(row.effective_at).toISOString() }],
      typedSearchAttributes: [{ key: BusinessStatus, value: 'amendment_notifying' }],
      staticSummary: `Contract version ${row.version} from ${effectiveFrom}`,
    });
    return row;
  }).catch((error: unknown) => {
    // The same version published twice at once: the unique index refuses the second.
    throw uniqueViolation(error) ? exists() : error;
  });
}
