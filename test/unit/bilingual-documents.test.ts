import { type ActDocument, renderActPdf, renderVatInvoicePdf } from '../../lib/documents/act-pdf';
import { cell, russian } from '../../lib/documents/bilingual';
import { dejaVu } from '../../lib/documents/fonts';
import { renderDetailedReportPdf } from '../../lib/documents/detailed-report-pdf';
import { type InvoiceDocument, type InvoiceLine, renderInvoicePdf } from '../../lib/documents/invoice-pdf';
import {
  movementDocument,
  type ReconciliationDocument,
  renderReconciliationPdf,
} from '../../lib/documents/reconciliation-pdf';
import { kazakhAmountInWords } from '../../lib/i18n/kazakh-amount';
import { message } from '../../lib/i18n/messages';
import { amountInWords, amountsForNet, formatTenge } from '../../lib/money';
import {
  CONTRACT_TITLE,
  contractReference,
  contractReferenceIn,
  contractReferences,
  OPERATOR,
} from '../../lib/operator';
import { extractPdf, squash } from '../helpers/pdf-text';

// Issue #21: the act and its VAT invoice in Kazakh and Russian, Kazakh first, every Kazakh letter rendered by the
// embedded fonts. Fixed dates: nothing depends on the day the test runs.
const KAZAKH_LETTERS = 'әғқңөұүһіӘҒҚҢӨҰҮҺІ';

const { net, vat, total } = amountsForNet(1_000 * 268, 1600);
const ACT: ActDocument = {
  number: 'АВР-2026-000077',
  issuedOn: '2026-11-03',
  periodFrom: '2026-10-01',
  periodTo: '2026-10-31',
  revision: 1,
  replaces: null,
  operator: OPERATOR,
  // A name with every Kazakh letter, capitals too: the client's own name is printed as it is.
  client: {
    name: 'ЖШС «Шаһар Әуе Ғимарат Қоңыр Өнім Ұста Үй Ісі ҢҺ»',
    binIin: '180540012345',
    address: '010000, Астана қ., Қабанбай батыр даңғылы, 11',
    iik: 'KZ12722S000012345678',
    bankName: 'АО «Kaspi Bank»',
    bik: 'CASPKZKA',
    kbe: '17',
  },
  contract: contractReferences('2026-03-14'),
  // The act's line as activities/acts.ts makes it: the service and the unit in Russian, from the catalogue.
  lines: [
    {
      name: russian('service.codes'),
      quantity: 1_000,
      unit: russian('unit.piece'),
      priceTiyn: 268,
      netTiyn: net,
      vatRateBp: 1600,
      vatTiyn: vat,
      totalTiyn: total,
    },
  ],
  codes: 1_000,
  netTiyn: net,
  vatTiyn: vat,
  totalTiyn: total,
  signingDeadline: '2026-11-11T18:00:00+05:00',
};

const kk = (key: string, values?: Record<string, string>) => squash(message('kk', `documents.${key}`, values));
const ru = (key: string, values?: Record<string, string>) => squash(message('ru', `documents.${key}`, values));

/**
 * The text as extracted, a word wrapped after its hyphen joined again («6.5.1-\nтармағы»), without the marks between
 * pages (« -- 1 of 2 -- »): the documents run over two pages with both languages, a paragraph may break between them.
 */
const unwrapped = (pdf: Buffer) => {
  const { text, info } = extractPdf(pdf);
  return { text: squash(text.replace(/ -- \d+ of \d+ --/g, ' ')).replace(/(\S)- (?=\S)/g, '$1-'), info };
};

/** Each text of a pair is in the document, the Kazakh before the Russian. */
function expectKazakhFirst(text: string, pairs: Array<[kazakh: string, russian: string]>): void {
  for (const [kazakh, russian] of pairs) {
    expect(text).toContain(kazakh);
    expect(text).toContain(russian);
    expect(text.indexOf(kazakh)).toBeLessThan(text.indexOf(russian));
  }
}

/**
 * A line of the act's, the VAT invoice's or the invoice's table: its service and unit, each in Kazakh above Russian.
 * Compared without spaces: a word longer than the narrow column is broken inside («просл|еживаемость»).
 */
function expectLine(text: string, p: { service: string; unit: string; quantity: string; figures: string }): void {
  const [service, unit] = [`service.${p.service}`, `unit.${p.unit}`];
  const spaceless = (s: string) => s.replace(/\s/g, '');
  expect(spaceless(text)).toContain(
    spaceless(`1 ${kk(service)} ${ru(service)} ${p.quantity} ${kk(unit)} ${ru(unit)} ${p.figures}`),
  );
}

/** Glyph ids the document fonts give a text: 0 is .notdef, a letter the font cannot draw. */
function notDrawn(text: string): string[] {
  const missing = new Set<string>();
  for (const face of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) {
    const font = dejaVu(face);
    for (const char of new Set(text.replace(/\s/g, '')))
      if (!font.hasGlyphForCodePoint(char.codePointAt(0)!)) missing.add(`${char} (${face})`);
    const glyphs = font.layout(text).glyphs;
    if (glyphs.some((glyph) => glyph.id === 0)) missing.add(`.notdef in the layout (${face})`);
  }
  return [...missing];
}

/** All nine Kazakh letters (and their capitals) are in the text, and the embedded fonts draw all of it. */
function expectEveryKazakhLetterDrawn(text: string): void {
  for (const letter of KAZAKH_LETTERS)
    expect({ letter, found: text.includes(letter) }).toEqual({ letter, found: true });
  expect(notDrawn(text)).toEqual([]);
}

describe('the act, in Kazakh then Russian', () => {
  let text: string;
  let info: Record<string, unknown>;
  beforeAll(async () => {
    ({ text, info } = unwrapped(await renderActPdf(ACT)));
  });

  test('its title, period, parties, figures and signing rule in both languages, the Kazakh first', () => {
    const values = { number: ACT.number, date: '03.11.2026' };
    const period = { from: '01.10.2026', to: '31.10.2026' };
    const pairs: Array<[string, string]> = [
      [kk('act.title', values), ru('act.title', values)],
      [kk('act.period', period), ru('act.period', period)],
      [kk('act.executor'), ru('act.executor')],
      [kk('act.customer'), ru('act.customer')],
      [kk('act.codes', { codes: '1 000' }), ru('act.codes', { codes: '1 000' })],
      [kk('act.cost', { net: squash(formatTenge(net)) }), ru('act.cost', { net: squash(formatTenge(net)) })],
      [
        kk('act.volume', { total: squash(formatTenge(total)), vat: squash(formatTenge(vat)) }),
        ru('act.volume', { total: squash(formatTenge(total)), vat: squash(formatTenge(vat)) }),
      ],
      [kk('act.signing', { deadline: '11.11.2026 18:00' }), ru('act.signing', { deadline: '11.11.2026 18:00' })],
      [kk('act.footer'), ru('act.footer')],
    ];
    expectKazakhFirst(text, pairs);
    expect(info.Title).toBe(
      `${message('kk', 'documents.act.title', values)} / ${message('ru', 'documents.act.title', values)}`,
    );
  });

  test('labels with the Kazakh beside the Russian, the defined terms as the glossary has them', () => {
    expect(text).toContain('БСН / БИН: 941240000193');
    expect(text).toContain('ЖСК / ИИК:');
    expect(text).toContain('ҚҚС-сыз жиыны / Итого без НДС:');
    expect(text).toContain('ҚҚС 16% / НДС 16%:');
    expect(text).toContain('Сәйкестендіру құралдарының саны');
    expect(text).toContain('ЭЦҚ-мен қол қояды');
    expect(text).toContain('Орындаушы атынан: ЭЦҚ-мен қол қойылды');
    expect(text).toContain('От Исполнителя: подписано ЭЦП');
  });

  test("the line's service and unit and the contract, in Kazakh then Russian", () => {
    expectLine(text, { service: 'codes', unit: 'piece', quantity: '1 000', figures: '2,68' });
    expect(text).toContain('Шарттың 6.1-тармағы Предоставление доступа к услугам Единого оператора');
    expect(text).toContain('1 000 дана шт. 2,68');
    expectKazakhFirst(text, [[squash(ACT.contract.kk), squash(ACT.contract.ru)]]);
    expect(text).toContain('(қосылу күні 14.03.2026)');
  });

  test('every Kazakh letter is in the text and drawn by the embedded fonts, none replaced', () => {
    expectEveryKazakhLetterDrawn(text);
    expect(notDrawn(KAZAKH_LETTERS)).toEqual([]);
  });
});

describe('the VAT invoice, in Kazakh then Russian', () => {
  let text: string;
  beforeAll(async () => {
    ({ text } = unwrapped(
      await renderVatInvoicePdf({
        number: 'СФ-2026-000077',
        issuedOn: '2026-11-03',
        turnoverDate: '2026-10-31',
        act: ACT,
      }),
    ));
  });

  test('its title, turnover date, basis, parties and signatures in both languages, the Kazakh first', () => {
    const title = { number: 'СФ-2026-000077', date: '03.11.2026' };
    const basis = { number: ACT.number, date: '03.11.2026', from: '01.10.2026', to: '31.10.2026' };
    const pairs: Array<[string, string]> = [
      [kk('vatInvoice.title', title), ru('vatInvoice.title', title)],
      [kk('vatInvoice.basisAct', basis), ru('vatInvoice.basisAct', basis)],
      [kk('vatInvoice.supplier'), ru('vatInvoice.supplier')],
      [kk('vatInvoice.recipient'), ru('vatInvoice.recipient')],
      [`${kk('vatInvoice.head')}: ${kk('signedWithEds')}`, `${ru('vatInvoice.head')}: ${ru('signedWithEds')}`],
    ];
    expectKazakhFirst(text, pairs);
    expect(text).toContain('Айналым жасалған күн / Дата совершения оборота: 31.10.2026');
  });

  test("the line's service and unit and the contract, in Kazakh then Russian", () => {
    expectLine(text, { service: 'codes', unit: 'piece', quantity: '1 000', figures: '2,68' });
    expectKazakhFirst(text, [[squash(ACT.contract.kk), squash(ACT.contract.ru)]]);
  });

  test('every Kazakh letter is in the text and drawn by the embedded fonts', () => {
    expectEveryKazakhLetterDrawn(text);
  });
});

describe('the invoice for payment, in Kazakh then Russian', () => {
  /** An invoice of one line, as activities/invoices.ts makes it: the service and the unit in Russian. */
  const invoiceOf = (line: InvoiceLine): InvoiceDocument => ({
    number: '2026-000077',
    issuedOn: '2026-11-03',
    payableBy: '2026-11-13',
    operator: OPERATOR,
    client: ACT.client,
    personalAccount: 'LS00000077',
    contract: ACT.contract,
    lines: [line],
    netTiyn: net,
    vatRateBp: 1600,
    vatTiyn: vat,
    totalTiyn: total,
  });
  let text: string;
  beforeAll(async () => {
    ({ text } = unwrapped(
      await renderInvoicePdf(
        invoiceOf({
          name: russian('service.codesInvoice'),
          quantity: 1_000,
          unit: russian('unit.piece'),
          priceTiyn: 268,
          amountTiyn: net,
        }),
      ),
    ));
  });

  test("the line's service and unit and the contract, in Kazakh then Russian", async () => {
    expectLine(text, { service: 'codesInvoice', unit: 'piece', quantity: '1 000', figures: '2,68' });
    expectKazakhFirst(text, [[squash(ACT.contract.kk), squash(ACT.contract.ru)]]);
    const advance = unwrapped(
      await renderInvoicePdf(
        invoiceOf({
          name: russian('service.advance'),
          quantity: 1,
          unit: russian('unit.service'),
          priceTiyn: net,
          amountTiyn: net,
        }),
      ),
    ).text;
    const amount = squash(formatTenge(net));
    expectLine(advance, { service: 'advance', unit: 'service', quantity: '1', figures: `${amount} ${amount}` });
  });

  test('its title, the amount in words, where to pay and until when in both languages, the Kazakh first', () => {
    const title = { number: '2026-000077', date: '03.11.2026' };
    const inWords = (language: 'kk' | 'ru', words: string) =>
      squash(message(language, 'documents.invoice.inWords', { words, rate: '16%', vat: squash(formatTenge(vat)) }));
    const pairs: Array<[string, string]> = [
      [kk('invoice.title', title), ru('invoice.title', title)],
      [inWords('kk', kazakhAmountInWords(total)), inWords('ru', amountInWords(total))],
      [kk('invoice.purpose', { account: 'LS00000077' }), ru('invoice.purpose', { account: 'LS00000077' })],
      [kk('invoice.validUntil', { date: '13.11.2026' }), ru('invoice.validUntil', { date: '13.11.2026' })],
      [kk('invoice.footer'), ru('invoice.footer')],
    ];
    expectKazakhFirst(text, pairs);
    expect(text).toContain('Үш мың бір жүз сегіз теңге 80 тиын');
    expect(text).toContain('ТМК / КНП:');
  });

  test('every Kazakh letter is in the text and drawn by the embedded fonts', () => {
    expectEveryKazakhLetterDrawn(text);
  });
});

describe('the reconciliation act, in Kazakh then Russian', () => {
  let text: string;
  beforeAll(async () => {
    ({ text } = unwrapped(
      await renderReconciliationPdf({
        number: 'АС-2026-000077',
        issuedOn: '2026-11-03',
        periodFrom: '2026-10-01',
        periodTo: '2026-10-31',
        operator: OPERATOR,
        client: ACT.client,
        contract: ACT.contract,
        personalAccount: 'LS00000077',
        openingTiyn: total,
        paymentsTiyn: 0,
        servicesTiyn: total,
        correctionsTiyn: 0,
        refundsTiyn: 0,
        closingTiyn: 0,
        movements: [{ date: '2026-10-31', document: 'Акт № АВР-2026-000077', debitTiyn: total, creditTiyn: 0 }],
        signingDeadline: '2026-11-11T18:00:00+05:00',
      }),
    ));
  });

  test('its title, number, figures, balance and signing rule in both languages, the Kazakh first', () => {
    const period = { from: '01.10.2026', to: '31.10.2026' };
    const number = { number: 'АС-2026-000077', date: '03.11.2026', account: 'LS00000077' };
    expectKazakhFirst(text, [
      [kk('reconciliation.title', period), ru('reconciliation.title', period)],
      [kk('reconciliation.number', number), ru('reconciliation.number', number)],
      [kk('reconciliation.intro', { account: 'LS00000077' }), ru('reconciliation.intro', { account: 'LS00000077' })],
      [kk('reconciliation.figures'), ru('reconciliation.figures')],
      [
        kk('reconciliation.inFavour', { amount: '0,00', date: '31.10.2026' }),
        ru('reconciliation.inFavour', { amount: '0,00', date: '31.10.2026' }),
      ],
      [
        kk('reconciliation.signingBy', { deadline: '11.11.2026 18:00' }),
        ru('reconciliation.signingBy', { deadline: '11.11.2026 18:00' }),
      ],
      [kk('reconciliation.footer'), ru('reconciliation.footer')],
    ]);
    expect(text).toContain('Күні Дата Құжат Документ Дебет Кредит');
    expectKazakhFirst(text, [[squash(ACT.contract.kk), squash(ACT.contract.ru)]]);
    // A document the catalogue does not name is printed as it is.
    expect(text).toContain('31.10.2026 Акт № АВР-2026-000077');
  });

  test('every Kazakh letter is in the text and drawn by the embedded fonts', () => {
    expectEveryKazakhLetterDrawn(text);
  });
});

describe("the reconciliation act's movements, named in Kazakh then Russian", () => {
  // A movement of each kind the act names, as activities/reconciliation.ts makes them.
  const movements = [
    { kind: 'deposit', date: '2026-10-02', debitTiyn: 0, creditTiyn: 1_000_000 },
    { kind: 'payment_assign', date: '2026-10-05', debitTiyn: 0, creditTiyn: 500_000 },
    { kind: 'capture', date: '2026-10-20', debitTiyn: total, creditTiyn: 0 },
    { kind: 'vat_rounding', date: '2026-10-31', debitTiyn: 1, creditTiyn: 0 },
    { kind: 'correction', date: '2026-10-31', debitTiyn: 0, creditTiyn: 20_000 },
    { kind: 'compensation', date: '2026-10-31', debitTiyn: 0, creditTiyn: 30_000 },
    { kind: 'refund_payout', date: '2026-10-31', debitTiyn: 100_000, creditTiyn: 0 },
  ].map(({ kind, ...m }, i) => ({ ...m, kind, document: movementDocument(kind, `ref ${i + 1}`) }));
  const [payments, services, corrections, refunds] = [1_500_000, total + 1, 50_000, 100_000];
  const REC: ReconciliationDocument = {
    number: 'АС-2026-000078',
    issuedOn: '2026-11-03',
    periodFrom: '2026-10-01',
    periodTo: '2026-10-31',
    operator: OPERATOR,
    client: ACT.client,
    contract: ACT.contract,
    personalAccount: 'LS00000077',
    openingTiyn: 0,
    paymentsTiyn: payments,
    servicesTiyn: services,
    correctionsTiyn: corrections,
    refundsTiyn: refunds,
    closingTiyn: payments - services + corrections - refunds,
    movements: movements.map(({ kind: _kind, ...m }) => m),
  };
  let text: string;
  beforeAll(async () => {
    ({ text } = unwrapped(await renderReconciliationPdf(REC)));
  });

  test('each movement: its name in Kazakh above the Russian «name: reference», then its amount', () => {
    movements.forEach(({ kind, date, debitTiyn, creditTiyn }, i) => {
      const key = `reconciliation.movement.${kind}`;
      const amount = squash(formatTenge(debitTiyn || creditTiyn));
      const day = date.split('-').reverse().join('.');
      expect(text).toContain(squash(`${day} ${kk(key)} ${ru(key)}: ref ${i + 1} ${amount}`));
    });
    expect(text).toContain('Төлем түсімі Поступление оплаты: ref 1');
    expect(text).toContain('Акт бойынша ҚҚС-ты дөңгелектеу Округление НДС по акту: ref 4');
  });
});

describe('the texts the documents get in Russian, and their Kazakh', () => {
  test('the Russian is what the documents had before (older documents name their lines and movements so)', () => {
    expect(russian('service.codes')).toBe(
      'Предоставление доступа к услугам Единого оператора: код маркировки (обувь) и его прослеживаемость, п. 6.1 Договора',
    );
    expect(russian('service.codesInvoice')).toBe('Код маркировки (обувь) и его прослеживаемость, п. 6.1 Договора');
    expect(russian('service.advance')).toBe(
      'Предварительная оплата (аванс) услуг Единого оператора маркировки, п. 3.2 Договора',
    );
    expect([russian('unit.piece'), russian('unit.service')]).toEqual(['шт.', 'усл.']);
    const kinds = [
      'deposit',
      'payment_assign',
      'capture',
      'vat_rounding',
      'correction',
      'compensation',
      'refund_payout',
    ];
    expect(kinds.map((kind) => movementDocument(kind, 'x'))).toEqual([
      'Поступление оплаты: x',
      'Поступление оплаты: x',
      'Оказаны услуги (коды «нанесён и оплачен»): x',
      'Округление НДС по акту: x',
      'Корректировка: x',
      'Компенсация: x',
      'Возврат денег: x',
    ]);
    // A kind the catalogue does not name: the ledger's kind.
    expect(movementDocument('payment_return', 'x')).toBe('payment_return: x');
  });

  test("a line's service and unit the catalogue knows: the Kazakh above the Russian; any other as it is", () => {
    expect(cell('шт.')).toBe('дана\nшт.');
    expect(cell(russian('service.codesInvoice'))).toBe(
      'Таңбалау коды (аяқ киім) және оның қадағалануы, Шарттың 6.1-тармағы\nКод маркировки (обувь) и его прослеживаемость, п. 6.1 Договора',
    );
    expect(cell('Коды маркировки, молоко')).toBe('Коды маркировки, молоко');
  });

  test('the contract reference in Kazakh and in Russian; the Russian as before', () => {
    expect(message('ru', 'documents.contract.title')).toBe(CONTRACT_TITLE);
    expect(contractReference('2027-01-05')).toBe(`${CONTRACT_TITLE} (присоединение от 05.01.2027)`);
    expect(contractReference(null)).toBe(CONTRACT_TITLE);
    const kazakh = message('kk', 'documents.contract.title');
    expect(contractReferenceIn('kk', '2027-01-05')).toBe(`${kazakh} (қосылу күні 05.01.2027)`);
    expect(contractReferences(undefined)).toEqual({ kk: kazakh, ru: CONTRACT_TITLE });
    expect(contractReferences('2027-01-05')).toEqual({
      kk: contractReferenceIn('kk', '2027-01-05'),
      ru: contractReference('2027-01-05'),
    });
    expect(kazakh).toContain('бірыңғай операторының қызметтеріне қол жеткізуді ұсынудың үлгілік шарты');
  });
});

describe('the detailed report, in Kazakh then Russian', () => {
  let text: string;
  beforeAll(async () => {
    ({ text } = unwrapped(
      await renderDetailedReportPdf({
        actNumber: ACT.number,
        issuedOn: '2026-11-20',
        periodFrom: '2026-10-01',
        periodTo: '2026-10-31',
        operator: OPERATOR,
        client: ACT.client,
        rows: [
          {
            productName: 'Аяқ киім',
            gtin: '04870001234567',
            emitted: 1_000,
            charged: 1_000,
            netTiyn: net,
            vatRateBp: 1600,
            vatTiyn: vat,
            totalTiyn: total,
          },
        ],
      }),
    ));
  });

  test('its title, how it was made and priced, in both languages, the Kazakh first; every letter drawn', () => {
    const title = { number: ACT.number, from: '01.10.2026', to: '31.10.2026' };
    expectKazakhFirst(text, [
      [kk('detailedReport.title', title), ru('detailedReport.title', title)],
      [kk('detailedReport.made', { date: '20.11.2026' }), ru('detailedReport.made', { date: '20.11.2026' })],
      [kk('detailedReport.pricing'), ru('detailedReport.pricing')],
      [kk('detailedReport.footer'), ru('detailedReport.footer')],
    ]);
    expectEveryKazakhLetterDrawn(text);
  });
});
