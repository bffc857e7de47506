import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  acceptActByDefault,
  clientsWithServices,
  confirmDisputedAct,
  disputeAct,
  markActReminded,
  recordIssuedAct,
  ServiceLine,
  servicesInPeriod,
  signAct,
  storeActDocuments,
  supersedeAct,
  unactedMonths,
} from '../db/acts';
import { readCalendar } from '../db/calendar-store';
import { lockDocumentCounter } from '../db/document-counters';
import { correction, vatRounding } from '../db/ledger';
import { addDaysToDate, BusinessCalendar, type CalendarSettings, DEFAULT_SETTINGS } from '../lib/calendar';
import {
  ActDocument,
  ActLine,
  renderActPdf,
  renderVatInvoicePdf,
  type VatInvoiceDocument,
} from '../lib/documents/act-pdf';
import { russian } from '../lib/documents/bilingual';
import { amountsForNet, vatOn } from '../lib/money';
import { OPERATOR } from '../lib/operator';
import type { OperatorSigner } from '../lib/operator-signature';
import { clientParty, detailedReportPdf } from './act-documents';
import { SIGNING_WORKING_DAYS } from '../lib/contract-periods';
import type { ActivityDeps } from './deps';
import { committedRow } from './rows';
import { actAcceptedNotice, actIssuedNotice, actReminderNotice } from './texts/acts';

export interface IssuedAct {
  actId: string;
  number: string;
  revision: number;
  issuedAt: string;
  dueAt: string;
  total: number;
}

export type ActNoticeEvent = 'issued' | 'reminder' | 'accepted';

/**
 * The act's line, in Russian: «Предоставление доступа к услугам Единого оператора: код маркировки (обувь) и его
 * прослеживаемость, п. 6.1 Договора», 'шт.'. The documents print it in Kazakh too (lib/documents/bilingual.ts `cell`).
 */
const SERVICE = { name: russian('service.codes'), unit: russian('unit.piece') };

/** Month 'YYYY-MM' → its first and last local day. */
export function monthDays(month: string): { from: string; to: string } {
  const first = DateTime.fromISO(`${month}-01`, { zone: 'utc' });
  return { from: first.toISODate()!, to: first.endOf('month').toISODate()! };
}

const actLines = (lines: ServiceLine[]): ActLine[] =>
  lines.map((l) => ({
    name: SERVICE.name,
    quantity: l.codes,
    unit: SERVICE.unit,
    priceTiyn: l.pricePerCodeTiyn,
    netTiyn: l.net,
    vatRateBp: l.vatRateBp,
    vatTiyn: l.vat,
    totalTiyn: l.net + l.vat,
  }));

/** An act issued before, as its issuing returned it (a retry, a twin request). */
const issuedAct = (row: Record<string, any>): IssuedAct => ({
  actId: row.id,
  number: row.number,
  revision: row.revision,
  issuedAt: new Date(row.issued_at).toISOString(),
  dueAt: new Date(row.due_at).toISOString(),
  total: row.total,
});

/** Renders an act's PDF and its VAT invoice's; injectable so a test can make them slow or fail. */
export interface ActRenderers {
  act: (document: ActDocument) => Promise<Buffer>;
  vatInvoice: (document: VatInvoiceDocument) => Promise<Buffer>;
}

const RENDERERS: ActRenderers = { act: renderActPdf, vatInvoice: renderVatInvoicePdf };

/** What finishing a numbered act needs: the operator's signer (6.7), its zone, the renderers. */
export interface ActFinisher {
  signer: OperatorSigner;
  /** The zone the signing deadline is written in; default Astana time. */
  calendarSettings?: CalendarSettings;
  render?: Partial<ActRenderers>;
}

/** The act and its VAT invoice as documents, from the act's row as its numbering recorded it. */
async function actDocuments(
  db: Knex,
  act: Record<string, any>,
  settings: CalendarSettings,
): Promise<{ act: ActDocument; vatInvoice: VatInvoiceDocument }> {
  const numberOf = async (id: string | null) =>
    id ? ((await db('acts').where({ id }).first('number')) as { number: string }).number : null;
  const { party, contract } = await clientParty(db, act.client_id);
  const document: ActDocument = {
    number: act.number,
    issuedOn: act.issued_on,
    periodFrom: act.period_from,
    periodTo: act.period_to,
    revision: act.revision,
    replaces: await numberOf(act.replaces_act_id),
    supplements: await numberOf(act.supplements_act_id),
    operator: OPERATOR,
    client: party,
    contract,
    lines: actLines(act.lines as ServiceLine[]),
    codes: act.codes,
    netTiyn: act.net,
    vatTiyn: act.vat,
    totalTiyn: act.total,
    signingDeadline: new BusinessCalendar({ years: {} }, settings).format(new Date(act.due_at)),
  };
  return {
    act: document,
    vatInvoice: { number: act.vat_invoice_number, issuedOn: act.issued_on, turnoverDate: act.period_to, act: document },
  };
}

/**
 * The act with its documents: when its numbering stored none yet (its issuing stopped before, or
 * a reader came first), its PDF and its VAT invoice's are rendered from its row, signed by the
 * operator (6.7) and stored — outside any counter's lock, once: two finishing it at the same time
 * both render, the first stored stays and both return it. `act` is the act's whole row.
 */
export async function actWithDocuments(
  db: Knex,
  { signer, calendarSettings = DEFAULT_SETTINGS, render }: ActFinisher,
  act: Record<string, any>,
): Promise<Record<string, any>> {
  if (act.pdf) return act;
  const renderers = { ...RENDERERS, ...render };
  const documents = await actDocuments(db, act, calendarSettings);
  const pdf = await renderers.act(documents.act);
  const vatInvoicePdf = await renderers.vatInvoice(documents.vatInvoice);
  await db('operator_keys')
    .insert({ key_id: signer.keyId, public_key_pem: signer.publicKeyPem })
    .onConflict('key_id')
    .ignore();
  return storeActDocuments(db, act.id, {
    pdf,
    vatInvoicePdf,
    // The VAT invoice is a primary document signed by the operator too (6.7), with the same key.
    operatorSignature: signer.sign(pdf),
    vatInvoiceSignature: signer.sign(vatInvoicePdf),
    operatorKeyId: signer.keyId,
  });
}

/** Monthly acts (6.5-6.9): issued from the ledger, signed, refused, corrected or accepted. */
export function createActActivities(
  { db, eds, operatorSigner, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps,
  options: { render?: Partial<ActRenderers> } = {},
) {
  const act = (actId: string) =>
    committedRow(() => db('acts').where({ id: actId }).first(), `act ${actId}`, 'ActNotFound');
  const zoneCalendar = () => new BusinessCalendar({ years: {} }, calendarSettings);
  const signer = () => {
    if (!operatorSigner)
      throw ApplicationFailure.nonRetryable('no operator signing key is configured for the worker', 'NoOperatorSigner');
    return operatorSigner;
  };
  /** An act the client answers: its PDF is what it signs or refuses (never missing once its issuing returned). */
  const rendered = <T extends Record<string, any>>(row: T): T => {
    if (!row.pdf)
      throw ApplicationFailure.nonRetryable(
        'the act has no PDF yet: nothing the client could have answered',
        'PDF_NOT_READY',
        { status: 409 },
      );
    return row;
  };

  /**
   * Numbers an act and its VAT invoice and records the act, in the caller's transaction, without
   * its documents: its lines and amounts, the charges it covers, the VAT rounding booked. The
   * `act` and `vat-invoice` counter rows (each shared by every client) are locked last, only to
   * take the numbers and insert the act's row; the caller commits at once, and the documents are
   * rendered after that (`finish`): numbers without gaps, no render under the locks (issue #19).
   */
  async function numberAct(
    trx: Knex.Transaction,
    p: {
      clientId: string;
      period: { from: string; to: string };
      revision: number;
      replaces?: { id: string; number: string };
      supplements?: { id: string; number: string };
      lines: ServiceLine[];
      /** The charges the act covers (6.5: every service lands in an act, once). */
      transactionIds: number[];
      issuedAt: Date;
      issueKey?: string;
    },
  ): Promise<Record<string, any>> {
    signer(); // an act the worker could not sign is not numbered
    const calendar = new BusinessCalendar(await readCalendar(trx), calendarSettings);
    const issuedOn = calendar.localDate(p.issuedAt);
    const dueAt = calendar.addWorkingDays(p.issuedAt, SIGNING_WORKING_DAYS);
    const year = Number(issuedOn.slice(0, 4));
    // The VAT of the document is computed on it: the line's rate on its net, rounded once per line.
    const documentLines = p.lines.map((l) => ({ ...l, vat: vatOn(l.net, l.vatRateBp) }));
    const rounding =
      documentLines.reduce((total, l) => total + l.vat, 0) - p.lines.reduce((total, l) => total + l.vat, 0);
    const lines = actLines(documentLines);
    const sum = (f: (l: ActLine) => number) => lines.reduce((total, l) => total + f(l), 0);
    const id = randomUUID();
    // What the downloads were charged differs from the document's VAT by the rounding: booked, so both agree.
    if (rounding !== 0)
      await vatRounding(trx, {
        idempotencyKey: `act-rounding:${id}`,
        clientId: p.clientId,
        amountTiyn: rounding,
        actRef: id,
      });
    // Last, the shared counters: always the act's before the VAT invoice's.
    const actNumber = `АВР-${year}-${String(await (await lockDocumentCounter(trx, 'act', year)).take()).padStart(6, '0')}`;
    const vatNumber = `СФ-${year}-${String(await (await lockDocumentCounter(trx, 'vat-invoice', year)).take()).padStart(6, '0')}`;
    return recordIssuedAct(trx, {
      act: {
        id,
        client_id: p.clientId,
        period_from: p.period.from,
        period_to: p.period.to,
        revision: p.revision,
        replaces_act_id: p.replaces?.id ?? null,
        supplements_act_id: p.supplements?.id ?? null,
        issue_key: p.issueKey ?? null,
        number: actNumber,
        vat_invoice_number: vatNumber,
        codes: sum((l) => l.quantity),
        net: sum((l) => l.netTiyn),
        vat: sum((l) => l.vatTiyn),
        total: sum((l) => l.totalTiyn),
        lines: JSON.stringify(documentLines),
        issued_at: p.issuedAt,
        issued_on: issuedOn,
        due_at: dueAt,
      },
      transactionIds: p.transactionIds,
      note: p.replaces
        ? `corrected act replacing ${p.replaces.number}`
        : p.supplements
          ? `supplementary act to ${p.supplements.number}`
          : undefined,
    });
  }

  /**
   * The numbered act (committed) finished: rendered, signed and stored if not yet, and answered as
   * its issuing returns it. A retry of the issuing activity after a crash between numbering and
   * storing finds the numbered row and finishes it with the same numbers.
   */
  const finish = async (row: Record<string, any>): Promise<IssuedAct> =>
    issuedAct(
      row.pdf ? row : await actWithDocuments(db, { signer: signer(), calendarSettings, render: options.render }, row),
    );

  return {
    /** Clients and months before `month` with charges no act covers though the month has its act (supplementary acts, 6.5). */
    async unactedMonthsBefore(month: string): Promise<{ clientId: string; month: string }[]> {
      return unactedMonths(db, zoneCalendar().startOfDay(monthDays(month).from), calendarSettings.zone);
    },

    /** The clients with services in a month, after `afterClientId`, at most `limit` (fan-out in batches). */
    async clientsWithServicesIn(month: string, afterClientId: string | null, limit: number): Promise<string[]> {
      const { from, to } = monthDays(month);
      const calendar = zoneCalendar();
      const ids = await clientsWithServices(db, calendar.startOfDay(from), calendar.startOfDay(addDaysToDate(to, 1)));
      return ids.filter((id) => !afterClientId || id > afterClientId).slice(0, limit);
    },

    /**
     * Issues the act of a month for a client (6.5): its services from the ledger, numbered with
     * its VAT invoice and committed (`numberAct`), then both PDFs rendered (Kazakh and Russian), signed by
     * the operator and stored (`finish`). Once per client and month: a retry returns the act
     * issued before, finished if its documents were not stored yet; a month without services
     * gets no act (null).
     */
    async issueMonthlyAct(clientId: string, month: string, issuedAt: string): Promise<IssuedAct | null> {
      const period = monthDays(month);
      const numbered = await db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`act:${clientId}:${month}`]);
        const existing = await trx('acts')
          .where({ client_id: clientId, period_from: period.from, revision: 1 })
          .first();
        if (existing) return existing;
        const calendar = zoneCalendar();
        const services = await servicesInPeriod(
          trx,
          clientId,
          calendar.startOfDay(period.from),
          calendar.startOfDay(addDaysToDate(period.to, 1)),
        );
        if (services.codes === 0) return null;
        return numberAct(trx, {
          clientId,
          period,
          revision: 1,
          lines: services.lines,
          transactionIds: services.transactionIds,
          issuedAt: new Date(issuedAt),
        });
      });
      return numbered && finish(numbered);
    },

    /**
     * A supplementary act (6.5: every service lands in an act): charges of a month already acted
     * that no act covers — committed after the act was issued, or brought there by a correction —
     * in an act of their own, signed like any. Once per `issueKey` (the workflow issuing it);
     * null when nothing is left uncovered.
     */
    async issueSupplementaryAct(
      clientId: string,
      month: string,
      issuedAt: string,
      issueKey: string,
    ): Promise<IssuedAct | null> {
      const period = monthDays(month);
      const numbered = await db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`act:${clientId}:${month}`]);
        const existing = await trx('acts').where({ issue_key: issueKey }).first();
        if (existing) return existing;
        const acted = await trx('acts')
          .where({ client_id: clientId, period_from: period.from })
          .whereNull('supplements_act_id')
          .whereNot({ status: 'superseded' })
          .orderBy('revision', 'desc')
          .first('id', 'number');
        if (!acted) return null;
        const calendar = zoneCalendar();
        const services = await servicesInPeriod(
          trx,
          clientId,
          calendar.startOfDay(period.from),
          calendar.startOfDay(addDaysToDate(period.to, 1)),
          true,
        );
        if (services.codes === 0) return null;
        const [{ revision }] = await trx('acts')
          .where({ client_id: clientId, period_from: period.from })
          .max('revision as revision');
        return numberAct(trx, {
          clientId,
          period,
          revision: Number(revision) + 1,
          supplements: { id: acted.id, number: acted.number },
          lines: services.lines,
          transactionIds: services.transactionIds,
          issuedAt: new Date(issuedAt),
          issueKey,
        });
      });
      return numbered && finish(numbered);
    },

    /**
     * The client's EDS signature of the act (6.7, 6.8): verified over the act's PDF as for the
     * join application (the signer must be the client); a bad signature is refused, not stored.
     */
    async recordActSignature(actId: string, signature: string, at: string): Promise<{ signer: string }> {
      const row = rendered(await act(actId));
      if (!eds) throw ApplicationFailure.nonRetryable('no EDS verifier is configured for the worker', 'NoEdsVerifier');
      const client = await db('clients').where({ id: row.client_id }).first('bin_iin');
      const check = await eds.verify({
        document: row.pdf,
        signature,
        expectedBinIin: client.bin_iin,
        at: new Date(at),
      });
      if (!check.valid)
        throw ApplicationFailure.nonRetryable(
          `the EDS signature is not accepted: ${check.problems.map((p) => p.message).join('; ')}`,
          'BAD_SIGNATURE',
          { status: 422, problems: check.problems },
        );
      await signAct(db, { actId, signature, signer: check.signer, at });
      return { signer: check.signer?.commonName ?? '' };
    },

    /** A motivated refusal (6.8): the act is disputed; the detailed report of 6.9 is produced for it. */
    async recordActRefusal(actId: string, reason: string, at: string): Promise<void> {
      const row = rendered(await act(actId));
      const pdf = await detailedReportPdf(db, row, new Date(at), calendarSettings);
      await disputeAct(db, { actId, reason, detailedReportPdf: pdf, at });
    },

    /** No answer by the end of the 5th working day: the act counts as signed (6.8). */
    async acceptAct(actId: string, at: string): Promise<void> {
      await acceptActByDefault(db, { actId, at });
    },

    /** The accountant confirms the disputed act as issued: it stands. */
    async confirmAct(actId: string, staffId: string, reason: string, at: string): Promise<void> {
      await confirmDisputedAct(db, { actId, staffId, reason, at });
    },

    /**
     * The accountant corrects a disputed act: the codes accepted per line (never more than
     * charged); what the client was charged for the rest returns to its personal account
     * (6.6.4), and a corrected act replaces the original, with its own 5 working days.
     */
    async correctAct(
      actId: string,
      acceptedCodes: number[],
      staffId: string,
      reason: string,
      issuedAt: string,
    ): Promise<IssuedAct> {
      const original = await act(actId);
      const lines = original.lines as ServiceLine[];
      if (
        acceptedCodes.length !== lines.length ||
        acceptedCodes.some((n, i) => !Number.isInteger(n) || n < 0 || n > lines[i].codes)
      ) {
        throw ApplicationFailure.nonRetryable(
          `give the accepted codes of each of the ${lines.length} line(s), each between 0 and the line's codes`,
          'BAD_CORRECTION',
          { status: 400 },
        );
      }
      const corrected = lines.map((l, i) => {
        if (acceptedCodes[i] === l.codes) return l;
        const amounts = amountsForNet(acceptedCodes[i] * l.pricePerCodeTiyn, l.vatRateBp);
        return { ...l, codes: acceptedCodes[i], net: amounts.net, vat: amounts.vat };
      });
      const refund =
        lines.reduce((sum, l) => sum + l.net + l.vat, 0) - corrected.reduce((sum, l) => sum + l.net + l.vat, 0);
      const numbered = await db.transaction(async (trx) => {
        const existing = await trx('acts').where({ replaces_act_id: actId }).first();
        if (existing) return existing;
        if (refund > 0) {
          await correction(trx, {
            idempotencyKey: `act-correction:${actId}`,
            clientId: original.client_id,
            amountTiyn: refund,
            reason: `Корректировка по акту ${original.number}: ${reason}`,
            createdBy: staffId,
          });
        }
        await supersedeAct(trx, { actId, staffId, reason, at: issuedAt });
        return numberAct(trx, {
          clientId: original.client_id,
          period: { from: original.period_from, to: original.period_to },
          revision: original.revision + 1,
          replaces: { id: original.id, number: original.number },
          lines: corrected,
          transactionIds: (await trx('act_services').where({ act_id: original.id }).pluck('ledger_transaction_id')).map(
            Number,
          ),
          issuedAt: new Date(issuedAt),
        });
      });
      return finish(numbered);
    },

    /** A notice about an act (issued, reminder before the deadline, accepted), once per act and event. */
    async actNotice(
      actId: string,
      kind: ActNoticeEvent,
    ): Promise<{ noticeId: string; clientId: string; subject: string }> {
      const row = await act(actId);
      if (kind === 'reminder') await markActReminded(db, { actId, at: new Date() });
      const calendar = zoneCalendar();
      const client = await db('clients').where({ id: row.client_id }).first('email', 'language');
      const facts = {
        number: row.number,
        periodFrom: row.period_from,
        periodTo: row.period_to,
        total: row.total,
        dueAt: new Date(row.due_at),
        revision: row.revision,
        zone: calendar.settings.zone,
        language: client.language,
      };
      const text =
        kind === 'issued'
          ? actIssuedNotice(facts)
          : kind === 'reminder'
            ? actReminderNotice(facts)
            : actAcceptedNotice(facts);
      const topic = `act:${actId}:${kind}`;
      await db('notices')
        .insert({ client_id: row.client_id, recipient: client.email, subject: text.subject, body: text.body, topic })
        .onConflict(db.raw('(client_id, topic) WHERE topic IS NOT NULL'))
        .ignore();
      const notice = await db('notices').where({ client_id: row.client_id, topic }).first('id', 'subject');
      return { noticeId: notice.id, clientId: row.client_id, subject: notice.subject };
    },
  };
}
