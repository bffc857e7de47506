/**
 * «Акт сверки взаиморасчётов» for a period chosen by the client (6.6, Прил. 2 п. 7), by
 * personal account, as a PDF in Kazakh and Russian (Kazakh first: ./bilingual.ts).
 *
 * The two-sided table has the Operator's side filled in (services are debit — the client
 * owes; payments are credit) and the client's side left blank for the client to fill in,
 * as reconciliation acts are exchanged. Under it come the figures of 6.6.1–6.6.5 and the
 * closing balance in the client's favour.
 *
 * The document must reconcile: opening + payments − services + corrections − refunds =
 * closing, and the movements must carry exactly these flows; otherwise rendering throws a
 * RangeError rather than issue an act that does not add up.
 */
import { hasMessage } from '../i18n/messages';
import { formatTenge } from '../money';
import type { OperatorDetails } from '../operator';
import type { ActParty } from './act-pdf';
import {
  both,
  type Both,
  footer,
  heading,
  inline,
  known,
  label,
  paragraph,
  russian,
  section,
  signature,
} from './bilingual';
import { REQUISITES_LABEL_WIDTH } from './requisites';
import {
  type Column,
  FONT,
  FONT_BOLD,
  contentWidth,
  createPdf,
  details,
  ensureSpace,
  formatDate,
  startOfDayKz,
  table,
  toBuffer,
} from './pdf';

/** A row of the Operator's side: services are debit (the client owes), payments are credit. */
export interface ReconciliationMovement {
  /** YYYY-MM-DD, inside the period. */
  date: string;
  /**
   * The document, e.g. 'Акт № АВР-2026-000012' or 'Платёжное поручение № 15': in Russian, and when it is
   * `movementDocument`'s «<name>: <reference>» with a name the catalogue knows, printed with the name's Kazakh above.
   */
  document: string;
  debitTiyn: number;
  creditTiyn: number;
}

export interface ReconciliationDocument {
  number: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  /** YYYY-MM-DD. */
  periodFrom: string;
  /** YYYY-MM-DD. */
  periodTo: string;
  operator: OperatorDetails;
  client: ActParty;
  /** The contract's name and joining date, in Kazakh and in Russian. */
  contract: Both;
  /** E.g. 'LS00000012'. */
  personalAccount: string;
  /** 6.6.1: unused money at the start (the client's credit balance: available + reserved). */
  openingTiyn: number;
  /** 6.6.2: money paid to the Operator in the period. */
  paymentsTiyn: number;
  /** 6.6.3: services rendered in the period, VAT included. */
  servicesTiyn: number;
  /** 6.6.4: corrections, signed: + raises the client's balance. */
  correctionsTiyn: number;
  /** Money returned to the client in the period. */
  refundsTiyn: number;
  /** 6.6.5: unused money at the end. */
  closingTiyn: number;
  movements: ReconciliationMovement[];
  /**
   * An ISO instant with the operator zone's offset (e.g. '2026-12-23T00:00:00.000+05:00'): the
   * client signs or refuses by then (6.8), printed in that zone's local time.
   */
  signingDeadline?: string;
}

const LOCAL_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** '2026-12-23T00:00:00.000+05:00' → '23.12.2026 00:00', the local time the instant is written in. */
function formatLocalInstant(iso: string): string {
  const parts = LOCAL_INSTANT.exec(iso);
  if (!parts || Number.isNaN(Date.parse(iso)))
    throw new RangeError(`expected an ISO instant with an offset, got ${iso}`);
  const [, year, month, day, hour, minute] = parts;
  return `${day}.${month}.${year} ${hour}:${minute}`;
}

function assertTiyn(value: number, what: string, nonNegative = false): void {
  if (!Number.isSafeInteger(value) || (nonNegative && value < 0)) {
    throw new RangeError(`${what} must be a whole number of tiyn${nonNegative ? ' ≥ 0' : ''}, got ${value}`);
  }
}

/** Throws a RangeError unless the balances and the movements reconcile. */
function validate(doc: ReconciliationDocument): { debit: number; credit: number } {
  formatDate(doc.issuedOn);
  formatDate(doc.periodFrom);
  formatDate(doc.periodTo);
  if (doc.signingDeadline !== undefined) formatLocalInstant(doc.signingDeadline);
  if (doc.periodFrom > doc.periodTo)
    throw new RangeError(`the period starts ${doc.periodFrom} after it ends ${doc.periodTo}`);
  assertTiyn(doc.openingTiyn, 'the opening balance');
  assertTiyn(doc.paymentsTiyn, 'payments', true);
  assertTiyn(doc.servicesTiyn, 'services', true);
  assertTiyn(doc.correctionsTiyn, 'corrections');
  assertTiyn(doc.refundsTiyn, 'refunds', true);
  assertTiyn(doc.closingTiyn, 'the closing balance');

  const expected = doc.openingTiyn + doc.paymentsTiyn - doc.servicesTiyn + doc.correctionsTiyn - doc.refundsTiyn;
  if (expected !== doc.closingTiyn) {
    throw new RangeError(
      `reconciliation ${doc.number} does not add up: opening ${doc.openingTiyn} + payments ${doc.paymentsTiyn} − services ${doc.servicesTiyn} ` +
        `+ corrections ${doc.correctionsTiyn} − refunds ${doc.refundsTiyn} = ${expected}, not the closing ${doc.closingTiyn}`,
    );
  }

  let debit = 0;
  let credit = 0;
  doc.movements.forEach((movement, i) => {
    formatDate(movement.date);
    if (movement.date < doc.periodFrom || movement.date > doc.periodTo) {
      throw new RangeError(
        `movement ${i + 1} (${movement.document}) is dated ${movement.date}, outside the period ${doc.periodFrom}–${doc.periodTo}`,
      );
    }
    assertTiyn(movement.debitTiyn, `movement ${i + 1} debit`, true);
    assertTiyn(movement.creditTiyn, `movement ${i + 1} credit`, true);
    debit += movement.debitTiyn;
    credit += movement.creditTiyn;
  });
  // Credit = payments + positive corrections; debit = services + refunds + negative corrections.
  const positiveCorrections = credit - doc.paymentsTiyn;
  const negativeCorrections = debit - doc.servicesTiyn - doc.refundsTiyn;
  if (
    positiveCorrections < 0 ||
    negativeCorrections < 0 ||
    positiveCorrections - negativeCorrections !== doc.correctionsTiyn
  ) {
    throw new RangeError(
      `reconciliation ${doc.number}: the movements (debit ${debit}, credit ${credit}) do not carry payments ${doc.paymentsTiyn}, ` +
        `services ${doc.servicesTiyn}, refunds ${doc.refundsTiyn} and corrections ${doc.correctionsTiyn}`,
    );
  }
  return { debit, credit };
}

/**
 * A movement of the ledger as the act's two-sided table names it: «<name>: <reference>», the name in Russian — the
 * catalogue's `reconciliation.movement.<kind>` (the ledger's kind itself for a kind it does not name).
 */
export function movementDocument(kind: string, reference: string): string {
  const key = `reconciliation.movement.${kind}`;
  return `${hasMessage('ru', `documents.${key}`) ? russian(key) : kind}: ${reference}`;
}

/** A movement's document in the table: a name the catalogue knows with its Kazakh above, any other document as it is. */
function movementCell(document: string): string {
  const colon = document.indexOf(': ');
  const name = known(colon < 0 ? document : document.slice(0, colon), 'reconciliation.movement.');
  return name && name.kk !== name.ru ? `${name.kk}\n${document}` : document;
}

/** A balance on the Operator's side: the client's money is a credit balance, a debt of the client a debit one. */
function balanceCells(balanceTiyn: number): [debit: string, credit: string] {
  return balanceTiyn < 0 ? [formatTenge(-balanceTiyn), ''] : ['', formatTenge(balanceTiyn)];
}

/** A party's name, BIN (or BIN/IIN) and address, labelled in both languages. */
const parties = (name: string, [binLabel, bin]: [string, string], address: string): Array<[string, string]> => [
  [inline('requisites.name'), name],
  [inline(binLabel), bin],
  [inline('requisites.address'), address],
];

const TABLE_FONT_SIZE = 7;
const DATE_WIDTH = 47;
const AMOUNT_WIDTH = 62;

export async function renderReconciliationPdf(rec: ReconciliationDocument): Promise<Buffer> {
  const flows = validate(rec);
  const { operator, client } = rec;
  const from = formatDate(rec.periodFrom);
  const to = formatDate(rec.periodTo);
  const title = both('reconciliation.title', { from, to });
  const [number, date, account] = [rec.number, formatDate(rec.issuedOn), rec.personalAccount];
  const doc = createPdf({
    title: `${title.kk} / ${title.ru}`,
    author: operator.name,
    subject: inline('reconciliation.subject', { number, date, account }),
    createdAt: startOfDayKz(rec.issuedOn),
  });

  heading(doc, title, both('reconciliation.number', { number, date, account }));

  section(doc, both('act.executor'));
  details(
    doc,
    parties(operator.name, ['requisites.bin', operator.binIin], operator.legalAddress),
    REQUISITES_LABEL_WIDTH,
  );
  section(doc, both('act.customer'));
  details(doc, parties(client.name, ['requisites.binIin', client.binIin], client.address), REQUISITES_LABEL_WIDTH);
  section(doc, both('act.contract'));
  details(
    doc,
    [
      [inline('act.contract'), `${rec.contract.kk}\n${rec.contract.ru}`],
      [inline('requisites.personalAccount'), account],
    ],
    REQUISITES_LABEL_WIDTH,
  );

  doc.moveDown(0.6);
  paragraph(doc, both('reconciliation.intro', { account }));
  doc.moveDown(0.6);

  const side: Column[] = [
    { header: label('reconciliation.date'), width: DATE_WIDTH },
    { header: label('reconciliation.document') },
    { header: label('reconciliation.debit'), width: AMOUNT_WIDTH, align: 'right' },
    { header: label('reconciliation.credit'), width: AMOUNT_WIDTH, align: 'right' },
  ];
  const opening = label('reconciliation.balanceOn', { date: from });
  const closing = label('reconciliation.balanceOn', { date: to });
  const turnover = label('reconciliation.turnover');
  const rows: string[][] = [
    ['', opening, ...balanceCells(rec.openingTiyn), '', opening, '', ''],
    ...rec.movements.map((m) => [
      formatDate(m.date),
      movementCell(m.document),
      m.debitTiyn === 0 ? '' : formatTenge(m.debitTiyn),
      m.creditTiyn === 0 ? '' : formatTenge(m.creditTiyn),
      '',
      '',
      '',
      '',
    ]),
    ['', turnover, formatTenge(flows.debit), formatTenge(flows.credit), '', turnover, '', ''],
    ['', closing, ...balanceCells(rec.closingTiyn), '', closing, '', ''],
  ];

  // The sides' captions above the table stay with its header and first row.
  doc.fontSize(TABLE_FONT_SIZE);
  ensureSpace(doc, 90);
  const left = doc.page.margins.left;
  const half = contentWidth(doc) / 2;
  const top = doc.y;
  doc.font(FONT_BOLD);
  doc.text(label('reconciliation.byExecutor', { name: operator.name }), left + 3, top, { width: half - 6 });
  const leftBottom = doc.y;
  doc.text(label('reconciliation.byCustomer', { name: client.name }), left + half + 3, top, { width: half - 6 });
  doc.y = Math.max(leftBottom, doc.y) + 2;
  doc.x = left;
  doc.font(FONT);
  table(doc, [...side, ...side], rows);
  doc.fontSize(9);

  doc.moveDown(1);
  doc.font(FONT_BOLD).text(inline('reconciliation.figures')).font(FONT).moveDown(0.2);
  const figure = (key: string, values?: Record<string, string>) => label(`reconciliation.${key}`, values);
  table(
    doc,
    [
      { header: label('reconciliation.clause'), width: 45 },
      { header: label('reconciliation.figure') },
      { header: label('reconciliation.sum'), width: 100, align: 'right' },
    ],
    [
      ['6.6.1', figure('opening', { date: from }), formatTenge(rec.openingTiyn)],
      ['6.6.2', figure('payments'), formatTenge(rec.paymentsTiyn)],
      ['6.6.3', figure('services'), formatTenge(rec.servicesTiyn)],
      ['6.6.4', figure('corrections'), formatTenge(rec.correctionsTiyn)],
      ['—', figure('refunds'), formatTenge(rec.refundsTiyn)],
      ['6.6.5', figure('closing', { date: to }), formatTenge(rec.closingTiyn)],
    ],
  );

  doc.moveDown(1);
  doc.font(FONT_BOLD);
  const balance =
    rec.closingTiyn >= 0
      ? both('reconciliation.inFavour', { amount: formatTenge(rec.closingTiyn), date: to })
      : both('reconciliation.debt', { amount: formatTenge(-rec.closingTiyn), date: to });
  paragraph(doc, balance);
  doc.font(FONT).moveDown(0.6);
  paragraph(
    doc,
    rec.signingDeadline
      ? both('reconciliation.signingBy', { deadline: formatLocalInstant(rec.signingDeadline) })
      : both('reconciliation.signing'),
  );

  doc.moveDown(1.2);
  signature(doc, 'act.fromExecutor', both('signedWithEds'), operator.name);
  doc.moveDown(0.6);
  const blank = '______________________';
  signature(doc, 'act.fromCustomer', { kk: blank, ru: blank }, client.name);

  footer(doc, both('reconciliation.footer'));
  return toBuffer(doc);
}
