import { type ActDocument, renderActPdf, renderVatInvoicePdf } from '../../lib/documents/act-pdf';
import { dejaVu } from '../../lib/documents/fonts';
import { renderDetailedReportPdf } from '../../lib/documents/detailed-report-pdf';
import { renderInvoicePdf } from '../../lib/documents/invoice-pdf';
import { renderReconciliationPdf } from '../../lib/documents/reconciliation-pdf';
import { kazakhAmountInWords } from '../../lib/i18n/kazakh-amount';
import { message } from '../../lib/i18n/messages';
import { amountInWords, amountsForNet, formatTenge } from '../../lib/money';
import { contractReference, OPERATOR } from '../../lib/operator';
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
  contract: contractReference('2026-03-14'),
  lines: [
    {
      name: 'Таңбалау кодтары, аяқ киім',
      quantity: 1_000,
      unit: 'дана',
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

/** The text as extracted, a word wrapped after its hyphen joined again («6.5.1-\nтармағы»). */
const unwrapped = (pdf: Buffer) => {
  const { text, info } = extractPdf(pdf);
  return { text: text.replace(/(\S)- (?=\S)/g, '$1-'), info };
};

/** Each text of a pair is in the document, the Kazakh before the Russian. */
function expectKazakhFirst(text: string, pairs: Array<[kazakh: string, russian: string]>): void {
  for (const [kazakh, russian] of pairs) {
    expect(text).toContain(kazakh);
    expect(text).toContain(russian);
    expect(text.indexOf(kazakh)).toBeLessThan(text.indexOf(russian));
  }
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

  test('every Kazakh letter is in the text and drawn by the embedded fonts', () => {
    expectEveryKazakhLetterDrawn(text);
  });
});

describe('the invoice for payment, in Kazakh then Russian', () => {
  let text: string;
  beforeAll(async () => {
    ({ text } = unwrapped(
      await renderInvoicePdf({
        number: '2026-000077',
        issuedOn: '2026-11-03',
        payableBy: '2026-11-13',
        operator: OPERATOR,
        client: ACT.client,
        personalAccount: 'LS00000077',
        contract: ACT.contract,
        lines: [{ name: 'Таңбалау кодтары (аванс)', quantity: 1_000, unit: 'дана', priceTiyn: 268, amountTiyn: net }],
        netTiyn: net,
        vatRateBp: 1600,
        vatTiyn: vat,
        totalTiyn: total,
      }),
    ));
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
  });

  test('every Kazakh letter is in the text and drawn by the embedded fonts', () => {
    expectEveryKazakhLetterDrawn(text);
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
