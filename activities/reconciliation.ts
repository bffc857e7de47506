import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { flowsInPeriod } from '../db/acts';
import type { Db } from '../db/connection';
import { lockDocumentCounter } from '../db/document-counters';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../lib/calendar';
import type { EdsVerifier } from '../lib/eds';
import { movementDocument, renderReconciliationPdf } from '../lib/documents/reconciliation-pdf';
import { OPERATOR } from '../lib/operator';
import type { OperatorSigner } from '../lib/operator-signature';
import { clientParty } from './act-documents';
import { SIGNING_WORKING_DAYS } from '../lib/contract-periods';
import type { ActivityDeps } from './deps';
import { recordNotice } from './notice-records';
import { committedRow } from './rows';
import { clientLanguage } from '../db/client-profile-store';
import {
  reconciliationAcceptedNotice,
  reconciliationIssuedNotice,
  reconciliationReminderNotice,
} from './texts/reconciliation';

export type ReconciliationNoticeEvent = 'issued' | 'reminder' | 'accepted';

/**
 * The operator's signature of a document it issues (6.7): ECDSA over the document's bytes, its
 * key published in operator_keys for anyone to verify with.
 */
export async function operatorSignature(trx: Knex, signer: OperatorSigner, document: Buffer) {
  await trx('operator_keys')
    .insert({ key_id: signer.keyId, public_key_pem: signer.publicKeyPem })
    .onConflict('key_id')
    .ignore();
  return {
    pdf_sha256: createHash('sha256').update(document).digest('hex'),
    operator_signature: signer.sign(document),
    operator_key_id: signer.keyId,
  };
}

/**
 * The client's EDS signature over a document (6.7), verified as for the join application: the
 * signer must be the client (its BIN/IIN). A signature that does not verify is refused with
 * BAD_SIGNATURE (422) and nothing is recorded.
 */
export async function verifyClientSignature(
  db: Db,
  eds: EdsVerifier | undefined,
  p: { clientId: string; document: Buffer; signature: string; at: string },
) {
  if (!eds) throw ApplicationFailure.nonRetryable('no EDS verifier is configured for the worker', 'NoEdsVerifier');
  const client = await db('clients').where({ id: p.clientId }).first('bin_iin');
  const check = await eds.verify({
    document: p.document,
    signature: p.signature,
    expectedBinIin: client.bin_iin,
    at: new Date(p.at),
  });
  if (!check.valid)
    throw ApplicationFailure.nonRetryable(
      `the EDS signature is not accepted: ${check.problems.map((problem) => problem.message).join('; ')}`,
      'BAD_SIGNATURE',
      { status: 422, problems: check.problems },
    );
  return check;
}

type Flows = Awaited<ReturnType<typeof flowsInPeriod>>;

/** What issuing a reconciliation act needs: the operator's signer (6.7) and the business calendar (6.8). */
export interface ReconciliationIssuer {
  signer: OperatorSigner;
  calendar: BusinessCalendar;
  /** Renders the act's PDF (lib/documents/reconciliation-pdf.ts unless a test makes it slow). */
  render?: typeof renderReconciliationPdf;
}

/**
 * Numbers a reconciliation act for a period the client names (6.6, Прил. 2 п.7) and records it
 * with the figures of 6.6.1-6.6.5 from the ledger and its signing deadline — 5 working days from
 * issue (6.8) — but without its PDF. The ledger is read first; the year's counter row (shared by
 * every client) is held only while the number is taken and the row inserted, in a transaction of
 * its own that commits at once: numbers without gaps, no render under the lock (issue #19).
 */
export async function numberReconciliationAct(
  db: Knex,
  { calendar }: Pick<ReconciliationIssuer, 'calendar'>,
  p: { clientId: string; from: string; to: string; issuedAt: Date },
): Promise<{ act: Record<string, any>; flows: Flows }> {
  const issuedOn = calendar.localDate(p.issuedAt);
  const dueAt = calendar.addWorkingDays(p.issuedAt, SIGNING_WORKING_DAYS);
  const flows = await flowsInPeriod(
    db,
    p.clientId,
    calendar.startOfDay(p.from),
    calendar.startOfDay(addDaysToDate(p.to, 1)),
  );
  const year = Number(issuedOn.slice(0, 4));
  const act = await db.transaction(async (trx) => {
    const number = `АС-${year}-${String(await (await lockDocumentCounter(trx, 'reconciliation', year)).take()).padStart(6, '0')}`;
    const [row] = await trx('reconciliation_acts')
      .insert({
        client_id: p.clientId,
        number,
        period_from: p.from,
        period_to: p.to,
        opening: flows.opening,
        payments: flows.payments,
        services: flows.services,
        corrections: flows.corrections,
        refunds: flows.refunds,
        closing: flows.closing,
        status: 'issued',
        issued_at: p.issuedAt,
        due_at: dueAt,
      })
      .returning('*');
    return row;
  });
  return { act, flows };
}

/**
 * Renders the numbered act's PDF, signs it as the operator (6.7) and stores both, once: `stored`
 * runs in the transaction that stores them (the API starts the act's workflow there, so an act
 * with its PDF always has its workflow). Outside any counter lock. An act stored before (a twin
 * finishing it, a retry) is returned as it is, `stored` not run again. Without `flows` (an issue
 * stopped before storing) its movements are read again from the ledger as they were at its issue.
 */
export async function finishReconciliationAct(
  db: Knex,
  { signer, calendar, render = renderReconciliationPdf }: ReconciliationIssuer,
  act: Record<string, any>,
  options: { flows?: Flows; stored?: (trx: Knex.Transaction, act: Record<string, any>) => Promise<void> } = {},
): Promise<Record<string, any>> {
  if (act.pdf) return act;
  const issuedAt = new Date(act.issued_at);
  const periodEnd = calendar.startOfDay(addDaysToDate(act.period_to, 1));
  const flows =
    options.flows ??
    (await flowsInPeriod(
      db,
      act.client_id,
      calendar.startOfDay(act.period_from),
      issuedAt < periodEnd ? issuedAt : periodEnd,
    ));
  const { party, contract } = await clientParty(db, act.client_id);
  const account = await db('personal_accounts').where({ client_id: act.client_id }).first('number');
  const pdf = await render({
    number: act.number,
    issuedOn: calendar.localDate(issuedAt),
    periodFrom: act.period_from,
    periodTo: act.period_to,
    operator: OPERATOR,
    client: party,
    contract,
    personalAccount: account?.number ?? '—',
    openingTiyn: Number(act.opening),
    paymentsTiyn: Number(act.payments),
    servicesTiyn: Number(act.services),
    correctionsTiyn: Number(act.corrections),
    refundsTiyn: Number(act.refunds),
    closingTiyn: Number(act.closing),
    movements: flows.movements.map((m) => ({
      date: calendar.localDate(m.date),
      // The ledger's movements named in Russian; the act prints them in Kazakh too (lib/documents/reconciliation-pdf.ts).
      document: movementDocument(m.kind, m.reference),
      debitTiyn: m.debit,
      creditTiyn: m.credit,
    })),
    signingDeadline: calendar.format(new Date(act.due_at)),
  });
  return db.transaction(async (trx) => {
    const [row] = await trx('reconciliation_acts')
      .where({ id: act.id })
      .whereNull('pdf')
      .update({ pdf, ...(await operatorSignature(trx, signer, pdf)) })
      .returning('*');
    if (!row) return trx('reconciliation_acts').where({ id: act.id }).first();
    await options.stored?.(trx, row);
    return row;
  });
}

/**
 * Issues a reconciliation act (6.6, Прил. 2 п.7): numbered and recorded (`numberReconciliationAct`),
 * then rendered, signed by the operator (6.7) and stored (`finishReconciliationAct`, which runs
 * `stored` where it stores them). The API starts the act's workflow (workflows/reconciliation-act.ts)
 * in `stored`; it sends the act and waits for the client.
 */
export async function issueReconciliationAct(
  db: Knex,
  issuer: ReconciliationIssuer,
  p: { clientId: string; from: string; to: string; issuedAt: Date },
  stored?: (trx: Knex.Transaction, act: Record<string, any>) => Promise<void>,
): Promise<Record<string, any>> {
  const { act, flows } = await numberReconciliationAct(db, issuer, p);
  return finishReconciliationAct(db, issuer, act, { flows, stored });
}

/** Reconciliation acts (6.6-6.8): sent, then signed with EDS, refused with reasons, or deemed signed. */
export function createReconciliationActivities({ db, eds, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  const reconciliation = (id: string) =>
    committedRow(
      () => db('reconciliation_acts').where({ id }).first(),
      `reconciliation act ${id}`,
      'ReconciliationActNotFound',
    );

  return {
    /** The client's EDS signature of the reconciliation act's PDF (6.7, 6.8); a bad one is refused, not stored. */
    async recordReconciliationSignature(id: string, signature: string, at: string): Promise<{ signer: string }> {
      const row = await reconciliation(id);
      if (!row.pdf)
        throw ApplicationFailure.nonRetryable(
          'the reconciliation act has no PDF yet: nothing the client could have signed',
          'PDF_NOT_READY',
          { status: 409 },
        );
      const check = await verifyClientSignature(db, eds, { clientId: row.client_id, document: row.pdf, signature, at });
      await db('reconciliation_acts')
        .where({ id, status: 'issued' })
        .update({
          status: 'signed',
          signed_at: at,
          accepted_at: at,
          client_signature: signature,
          client_signer: JSON.stringify(check.signer ?? null),
        });
      return { signer: check.signer?.commonName ?? '' };
    },

    /** The client's motivated refusal to sign (6.8), with its reasons. */
    async recordReconciliationRefusal(id: string, reason: string, at: string): Promise<void> {
      await reconciliation(id);
      await db('reconciliation_acts')
        .where({ id, status: 'issued' })
        .update({ status: 'refused', refused_at: at, refusal_reason: reason });
    },

    /** Neither signed nor refused by the end of the 5th working day: the act counts as signed (6.8). */
    async acceptReconciliationAct(id: string, at: string): Promise<void> {
      await db('reconciliation_acts')
        .where({ id, status: 'issued' })
        .update({ status: 'auto_accepted', accepted_at: at });
    },

    /** The signing deadline as the workflow recomputed it (a change of the business calendar, force majeure 8.3-8.5). */
    async moveReconciliationDeadline(id: string, dueAt: string): Promise<void> {
      await db('reconciliation_acts').where({ id, status: 'issued' }).update({ due_at: dueAt });
    },

    /** A notice about a reconciliation act (sent for signing, reminder, counts as signed), once per act and event. */
    async reconciliationNotice(id: string, kind: ReconciliationNoticeEvent) {
      const row = await reconciliation(id);
      if (kind === 'reminder')
        await db('reconciliation_acts').where({ id }).whereNull('reminded_at').update({ reminded_at: new Date() });
      const calendar = new BusinessCalendar({ years: {} }, calendarSettings);
      const facts = {
        number: row.number,
        periodFrom: row.period_from,
        periodTo: row.period_to,
        closing: row.closing,
        dueAt: new Date(row.due_at),
        zone: calendar.settings.zone,
        language: await clientLanguage(db, row.client_id),
      };
      const text =
        kind === 'issued'
          ? reconciliationIssuedNotice(facts)
          : kind === 'reminder'
            ? reconciliationReminderNotice(facts)
            : reconciliationAcceptedNotice(facts);
      return recordNotice(db, row.client_id, `reconciliation-act:${id}:${kind}`, text);
    },
  };
}
