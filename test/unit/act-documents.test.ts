import {
  type ActDocument,
  type ActLine,
  type ActParty,
  renderActPdf,
  renderVatInvoicePdf,
  type VatInvoiceDocument,
} from '../../lib/documents/act-pdf';
import {
  type DetailedReportDocument,
  type DetailedReportRow,
  renderDetailedReportPdf,
} from '../../lib/documents/detailed-report-pdf';
import { formatQuantity } from '../../lib/documents/pdf';
import {
  type ReconciliationDocument,
  type ReconciliationMovement,
  renderReconciliationPdf,
} from '../../lib/documents/reconciliation-pdf';
import { amountsForNet, formatTenge } from '../../lib/money';
import { contractReferences, OPERATOR } from '../../lib/operator';
import { extractPdf as extract, squash } from '../helpers/pdf-text';

const PRICE = 268; // 2.68 KZT per code
const VAT = 1600;

const CLIENT: ActParty = {
  name: 'ТОО «Молочная ферма Береке»',
  binIin: '180540012345',
  address: '050000, г. Алматы, ул. Абая, дом 10, офис 5',
  iik: 'KZ12722S000012345678',
  bankName: 'АО «Kaspi Bank»',
  bik: 'CASPKZKA',
  kbe: '17',
};

const CONTRACT = contractReferences('2026-03-14');

function codesLine(name: string, quantity: number): ActLine {
  const { net, vat, total } = amountsForNet(quantity * PRICE, VAT);
  return {
    name,
    quantity,
    unit: 'шт.',
    priceTiyn: PRICE,
    netTiyn: net,
    vatRateBp: VAT,
    vatTiyn: vat,
    totalTiyn: total,
  };
}

function actWith(lines: ActLine[], extra: Partial<ActDocument> = {}): ActDocument {
  const sum = (pick: (line: ActLine) => number): number => lines.reduce((s, line) => s + pick(line), 0);
  return {
    number: 'АВР-2026-000012',
    issuedOn: '2026-04-03',
    periodFrom: '2026-03-01',
    periodTo: '2026-03-31',
    revision: 1,
    replaces: null,
    operator: OPERATOR,
    client: CLIENT,
    contract: CONTRACT,
    lines,
    codes: sum((line) => line.quantity),
    netTiyn: sum((line) => line.netTiyn),
    vatTiyn: sum((line) => line.vatTiyn),
    totalTiyn: sum((line) => line.totalTiyn),
    signingDeadline: '2026-04-10T18:00:00+05:00',
    ...extra,
  };
}

const ACT = actWith([codesLine('Коды маркировки, молоко', 1_000_000), codesLine('Коды маркировки, вода', 37_500)]);

/** Every figure of a line as the table prints it, in column order. */
function lineFigures(line: ActLine): string {
  return squash(
    `${formatTenge(line.priceTiyn)} ${formatTenge(line.netTiyn)} 16% ${formatTenge(line.vatTiyn)} ${formatTenge(line.totalTiyn)}`,
  );
}

function expectParties(text: string): void {
  for (const value of [OPERATOR.name, OPERATOR.binIin, CLIENT.name, CLIENT.binIin])
    expect(text).toContain(squash(value));
}

describe('renderActPdf', () => {
  let pdf: Buffer;
  let text: string;
  let pages: number;
  let info: Record<string, unknown>;

  beforeAll(async () => {
    pdf = await renderActPdf(ACT);
    ({ text, pages, info } = extract(pdf));
  });

  test('is a PDF of two pages at most (Kazakh and Russian) with the title, the number, the date and the period', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages).toBeLessThanOrEqual(2);
    expect(text).toContain('Акт выполненных работ (оказанных услуг) № АВР-2026-000012 от 03.04.2026');
    expect(text).toContain('за период с 01.03.2026 по 31.03.2026');
    // Kazakh first, then « / » and the Russian (test/unit/bilingual-documents.test.ts reads the Kazakh).
    expect(info.Title).toMatch(/ \/ Акт выполненных работ \(оказанных услуг\) № АВР-2026-000012 от 03\.04\.2026$/);
    expect(info.Author).toBe(OPERATOR.name);
    expect(text).not.toContain('взамен');
  });

  test("both parties' details and the contract", () => {
    expectParties(text);
    expect(text).toContain('Исполнитель');
    expect(text).toContain('Заказчик');
    for (const value of [
      OPERATOR.legalAddress,
      OPERATOR.bankName,
      OPERATOR.iik,
      OPERATOR.bik,
      CLIENT.address,
      CLIENT.iik,
      CLIENT.bankName,
      CLIENT.bik,
      CONTRACT.kk,
      CONTRACT.ru,
    ]) {
      expect(text).toContain(squash(value));
    }
    expect(text).toMatch(/КБе:? 16/);
    expect(text).toMatch(/КБе:? 17/);
  });

  test('each line with its figures', () => {
    for (const header of ['Наименование работ (услуг)', 'Кол-во', 'Ед. изм.', 'Ставка НДС'])
      expect(text).toContain(header);
    ACT.lines.forEach((line, i) => {
      // The unit in Kazakh above the Russian (test/unit/bilingual-documents.test.ts).
      expect(text).toContain(squash(`${i + 1} ${line.name} ${formatQuantity(line.quantity)} дана ${line.unit}`));
      expect(text).toContain(lineFigures(line));
    });
    expect(text).toContain('1 000 000 дана шт. 2,68 2 680 000,00 16% 428 800,00 3 108 800,00');
  });

  test('totals', () => {
    expect(text).toContain(squash(`Итого без НДС: ${formatTenge(ACT.netTiyn)}`));
    expect(text).toContain(squash(`НДС 16%: ${formatTenge(ACT.vatTiyn)}`));
    expect(text).toContain(squash(`Всего с НДС: ${formatTenge(ACT.totalTiyn)}`));
    expect(text).toContain('Всего с НДС: 3 225 380,00');
  });

  test('the three figures of 6.5', () => {
    expect(text).toContain('Количество Средств идентификации, услуга по которым считается оказанной: 1 037 500 шт.');
    expect(text).toContain(squash(`Стоимость: ${formatTenge(ACT.netTiyn)} тенге без НДС`));
    expect(text).toContain(
      squash(
        `Общий объём услуг за расчётный период: ${formatTenge(ACT.totalTiyn)} тенге, в т.ч. НДС ${formatTenge(ACT.vatTiyn)}`,
      ),
    );
    expect(text).toContain('Общий объём услуг за расчётный период: 3 225 380,00 тенге, в т.ч. НДС 444 880,00');
  });

  test('the signing rule of 6.8 with the deadline in Astana time, and the signature lines', () => {
    expect(text).toContain(
      'Заказчик в течение 5 рабочих дней подписывает акт ЭЦП или направляет мотивированный отказ — до 10.04.2026 18:00 (Астана); иначе услуги считаются оказанными, а акт — подписанным (п. 6.8 Договора)',
    );
    expect(text).toContain('От Исполнителя: подписано ЭЦП');
    expect(text).toMatch(/От Заказчика: _{6,}/);
  });

  test('a deadline given in another offset is printed in Astana time', async () => {
    const { text: utc } = extract(await renderActPdf(actWith(ACT.lines, { signingDeadline: '2026-04-10T13:00:00Z' })));
    expect(utc).toContain('до 10.04.2026 18:00 (Астана)');
    const { text: midnight } = extract(
      await renderActPdf(actWith(ACT.lines, { signingDeadline: '2026-04-10T19:30:00.000Z' })),
    );
    expect(midnight).toContain('до 11.04.2026 00:30 (Астана)');
  });

  test('a corrected act names the act it replaces', async () => {
    const corrected = actWith(ACT.lines, {
      number: 'АВР-2026-000031',
      issuedOn: '2026-04-20',
      revision: 2,
      replaces: 'АВР-2026-000012',
    });
    const { text: correctedText, info: correctedInfo } = extract(await renderActPdf(corrected));
    expect(correctedText).toContain('Исправленный акт № АВР-2026-000031 от 20.04.2026 взамен акта № АВР-2026-000012');
    expect(correctedText).toContain('за период с 01.03.2026 по 31.03.2026');
    expect(correctedInfo.Title).toMatch(
      / \/ Исправленный акт № АВР-2026-000031 от 20\.04\.2026 взамен акта № АВР-2026-000012$/,
    );
    await expect(renderActPdf(actWith(ACT.lines, { revision: 2, replaces: null }))).rejects.toThrow(RangeError);
  });

  test('an act whose lines do not add up to its totals is refused', async () => {
    await expect(renderActPdf({ ...ACT, vatTiyn: ACT.vatTiyn + 1, totalTiyn: ACT.totalTiyn + 1 })).rejects.toThrow(
      RangeError,
    );
    await expect(renderActPdf({ ...ACT, totalTiyn: ACT.totalTiyn + 1 })).rejects.toThrow(RangeError);
    await expect(renderActPdf({ ...ACT, signingDeadline: '2026-04-10T18:00:00' })).rejects.toThrow(RangeError);
  });

  test('the same input renders to the same bytes', async () => {
    const again = await renderActPdf(structuredClone(ACT));
    expect(again.equals(pdf)).toBe(true);
  });

  test('a long table continues on the next pages with every line', async () => {
    const lines = Array.from({ length: 80 }, (_, i) =>
      codesLine(`Коды маркировки, заказ ${String(i + 1).padStart(4, '0')}`, 1000 * (i + 1)),
    );
    const act = actWith(lines);
    const long = extract(await renderActPdf(act));
    expect(long.pages).toBeGreaterThan(1);
    lines.forEach((line, i) => {
      expect(long.text).toContain(
        squash(`${i + 1} ${line.name} ${formatQuantity(line.quantity)} дана шт. ${lineFigures(line)}`),
      );
    });
    expect(long.text).toContain(squash(`Всего с НДС: ${formatTenge(act.totalTiyn)}`));
    expect(long.text).toContain('(п. 6.8 Договора)');
  });
});

describe('renderVatInvoicePdf', () => {
  const INVOICE: VatInvoiceDocument = {
    number: 'СФ-2026-000012',
    issuedOn: '2026-04-03',
    turnoverDate: '2026-03-31',
    act: ACT,
  };
  let pdf: Buffer;
  let text: string;
  let info: Record<string, unknown>;

  beforeAll(async () => {
    pdf = await renderVatInvoicePdf(INVOICE);
    ({ text, info } = extract(pdf));
  });

  test('title, turnover date and the act it is issued with', () => {
    expect(text).toContain('Счёт-фактура № СФ-2026-000012 от 03.04.2026');
    expect(info.Title).toMatch(/ \/ Счёт-фактура № СФ-2026-000012 от 03\.04\.2026$/);
    expect(text).toMatch(/Дата совершения оборота:? 31\.03\.2026/);
    expect(text).toContain('№ АВР-2026-000012 от 03.04.2026');
  });

  test('supplier and recipient with BINs and addresses', () => {
    expect(text).toContain('Поставщик');
    expect(text).toContain('Получатель');
    expectParties(text);
    expect(text).toContain(squash(OPERATOR.legalAddress));
    expect(text).toContain(squash(CLIENT.address));
  });

  test('the lines with VAT columns and the totals', () => {
    ACT.lines.forEach((line, i) => {
      expect(text).toContain(
        squash(`${i + 1} ${line.name} ${formatQuantity(line.quantity)} дана ${line.unit} ${lineFigures(line)}`),
      );
    });
    expect(text).toContain(squash(`Итого без НДС: ${formatTenge(ACT.netTiyn)}`));
    expect(text).toContain(squash(`НДС 16%: ${formatTenge(ACT.vatTiyn)}`));
    expect(text).toContain(squash(`Всего с НДС: ${formatTenge(ACT.totalTiyn)}`));
  });

  test('deterministic, and the turnover date must be the last day of the period', async () => {
    expect((await renderVatInvoicePdf(structuredClone(INVOICE))).equals(pdf)).toBe(true);
    await expect(renderVatInvoicePdf({ ...INVOICE, turnoverDate: '2026-04-03' })).rejects.toThrow(RangeError);
  });
});

describe('renderReconciliationPdf', () => {
  const JAN = amountsForNet(1_000_000 * PRICE, VAT).total; // 3 108 800,00
  const FEB = amountsForNet(37_500 * PRICE, VAT).total; // 116 580,00
  const movements: ReconciliationMovement[] = [
    { date: '2026-01-15', document: 'Платёжное поручение № 15', debitTiyn: 0, creditTiyn: 322_538_000 },
    { date: '2026-01-31', document: 'Акт № АВР-2026-000003', debitTiyn: JAN, creditTiyn: 0 },
    { date: '2026-02-20', document: 'Платёжное поручение № 41', debitTiyn: 0, creditTiyn: 100_000_000 },
    { date: '2026-02-28', document: 'Акт № АВР-2026-000008', debitTiyn: FEB, creditTiyn: 0 },
    { date: '2026-03-05', document: 'Корректировка по акту № АВР-2026-000008', debitTiyn: 0, creditTiyn: 1_000_000 },
    { date: '2026-03-10', document: 'Возврат, п/п № 77', debitTiyn: 10_000_000, creditTiyn: 0 },
  ];
  const opening = 50_000_000;
  const payments = 322_538_000 + 100_000_000;
  const services = JAN + FEB;
  const corrections = 1_000_000;
  const refunds = 10_000_000;
  const REC: ReconciliationDocument = {
    number: 'АС-2026-000004',
    issuedOn: '2026-04-02',
    periodFrom: '2026-01-01',
    periodTo: '2026-03-31',
    operator: OPERATOR,
    client: CLIENT,
    contract: CONTRACT,
    personalAccount: 'LS00000012',
    openingTiyn: opening,
    paymentsTiyn: payments,
    servicesTiyn: services,
    correctionsTiyn: corrections,
    refundsTiyn: refunds,
    closingTiyn: opening + payments - services + corrections - refunds,
    movements,
  };
  let pdf: Buffer;
  let text: string;
  let info: Record<string, unknown>;

  beforeAll(async () => {
    pdf = await renderReconciliationPdf(REC);
    ({ text, info } = extract(pdf));
  });

  test('title, number, period and personal account', () => {
    expect(text).toContain('Акт сверки взаиморасчётов за период с 01.01.2026 по 31.03.2026');
    expect(info.Title).toMatch(/ \/ Акт сверки взаиморасчётов за период с 01\.01\.2026 по 31\.03\.2026$/);
    expect(text).toContain('№ АС-2026-000004 от 02.04.2026');
    expect(text).toContain('LS00000012');
    expect(text).toContain(squash(CONTRACT.kk));
    expect(text).toContain(squash(CONTRACT.ru));
    expectParties(text);
  });

  test('the two-sided table: opening balance, movements, turnovers, closing balance', () => {
    expect(text).toContain('По данным Исполнителя');
    expect(text).toContain('По данным Заказчика');
    // Each cell in Kazakh, then in Russian (test/unit/bilingual-documents.test.ts reads the Kazakh).
    const side = 'Күні Дата Құжат Документ Дебет Кредит';
    expect(text).toContain(`${side} ${side}`);
    const balanceOn = (date: string) => `${date} сальдосы Сальдо на ${date}`;
    expect(text).toContain(squash(`${balanceOn('01.01.2026')} ${formatTenge(opening)} ${balanceOn('01.01.2026')}`));
    for (const m of movements) {
      const amount = formatTenge(m.debitTiyn || m.creditTiyn);
      expect(text).toContain(squash(`${m.date.split('-').reverse().join('.')} ${m.document} ${amount}`));
    }
    const debit = movements.reduce((s, m) => s + m.debitTiyn, 0);
    const credit = movements.reduce((s, m) => s + m.creditTiyn, 0);
    const turnover = 'Кезеңдегі айналымдар Обороты за период';
    expect(text).toContain(squash(`${turnover} ${formatTenge(debit)} ${formatTenge(credit)} ${turnover}`));
    expect(text).toContain(
      squash(`${balanceOn('31.03.2026')} ${formatTenge(REC.closingTiyn)} ${balanceOn('31.03.2026')}`),
    );
  });

  test('the figures of 6.6.1–6.6.5 and the closing balance in favour of the client', () => {
    expect(text).toContain(
      squash(
        `6.6.1 Кезең басындағы (01.01.2026) пайдаланылмаған ақша қалдығы Остаток неиспользованных денег на начало периода (01.01.2026) ${formatTenge(opening)}`,
      ),
    );
    expect(text).toContain(squash(`Перечислено в пользу Исполнителя за период ${formatTenge(payments)}`));
    expect(text).toContain(squash(`Объём (стоимость) оказанных за период услуг, с НДС ${formatTenge(services)}`));
    expect(text).toContain(squash(`Корректировка стоимости оказанных услуг ${formatTenge(corrections)}`));
    for (const clause of ['6.6.2 Кезеңде', '6.6.3 Кезеңде', '6.6.4 Көрсетілген']) expect(text).toContain(clause);
    expect(text).toContain(squash(`Возвращено Заказчику за период ${formatTenge(refunds)}`));
    expect(text).toContain(
      squash(`Остаток неиспользованных денег на конец периода (31.03.2026) ${formatTenge(REC.closingTiyn)}`),
    );
    expect(text).toContain(
      squash(`Остаток неиспользованных денег в пользу Заказчика: ${formatTenge(REC.closingTiyn)} тенге`),
    );
    expect(text).toContain('Остаток неиспользованных денег в пользу Заказчика: 1 410 000,00 тенге');
  });

  test('the same input renders to the same bytes', async () => {
    expect((await renderReconciliationPdf(structuredClone(REC))).equals(pdf)).toBe(true);
  });

  test('a reconciliation that does not add up is refused', async () => {
    await expect(renderReconciliationPdf({ ...REC, closingTiyn: REC.closingTiyn + 1 })).rejects.toThrow(RangeError);
    await expect(renderReconciliationPdf({ ...REC, servicesTiyn: REC.servicesTiyn - 100 })).rejects.toThrow(RangeError);
    // Balances agree, but the movements lack a payment.
    await expect(renderReconciliationPdf({ ...REC, movements: movements.slice(1) })).rejects.toThrow(RangeError);
    // The balances and the movements' net flow agree, but payments and refunds are both overstated.
    await expect(
      renderReconciliationPdf({ ...REC, paymentsTiyn: payments + 1_000_000, refundsTiyn: refunds + 1_000_000 }),
    ).rejects.toThrow(RangeError);
    // A movement outside the period.
    const outside = movements.map((m, i) => (i === 0 ? { ...m, date: '2025-12-31' } : m));
    await expect(renderReconciliationPdf({ ...REC, movements: outside })).rejects.toThrow(RangeError);
  });

  test('a long table continues on the next pages with every movement', async () => {
    const many: ReconciliationMovement[] = Array.from({ length: 80 }, (_, i) => ({
      date: `2026-0${1 + Math.floor(i / 28)}-${String((i % 28) + 1).padStart(2, '0')}`,
      document: `Акт № ${String(i + 1).padStart(4, '0')}`,
      debitTiyn: 10_000 * (i + 1),
      creditTiyn: 0,
    }));
    const spent = many.reduce((s, m) => s + m.debitTiyn, 0);
    const doc: ReconciliationDocument = {
      ...REC,
      openingTiyn: 100_000_000,
      paymentsTiyn: 0,
      servicesTiyn: spent,
      correctionsTiyn: 0,
      refundsTiyn: 0,
      closingTiyn: 100_000_000 - spent,
      movements: many,
    };
    const long = extract(await renderReconciliationPdf(doc));
    expect(long.pages).toBeGreaterThan(1);
    for (const m of many)
      expect(long.text).toContain(
        squash(`${m.date.split('-').reverse().join('.')} ${m.document} ${formatTenge(m.debitTiyn)}`),
      );
    expect(long.text).toContain(
      squash(`Остаток неиспользованных денег в пользу Заказчика: ${formatTenge(doc.closingTiyn)} тенге`),
    );
  });
});

describe('renderDetailedReportPdf', () => {
  function row(productName: string, gtin: string, emitted: number, charged: number): DetailedReportRow {
    const { net, vat, total } = amountsForNet(charged * PRICE, VAT);
    return { productName, gtin, emitted, charged, netTiyn: net, vatTiyn: vat, totalTiyn: total };
  }
  function reportWith(rows: DetailedReportRow[]): DetailedReportDocument {
    return {
      actNumber: 'АВР-2026-000012',
      periodFrom: '2026-03-01',
      periodTo: '2026-03-31',
      operator: OPERATOR,
      client: CLIENT,
      rows,
      issuedOn: '2026-04-15',
    };
  }
  const REPORT = reportWith([
    row('Молоко 3,2% 1 л', '04870001234567', 600_000, 580_000),
    row('Вода питьевая 0,5 л', '04870007654321', 40_000, 37_500),
  ]);
  let pdf: Buffer;
  let text: string;

  beforeAll(async () => {
    pdf = await renderDetailedReportPdf(REPORT);
    ({ text } = extract(pdf));
  });

  test('title with the act and the period, and the parties', () => {
    expect(text).toContain('Детальный отчёт к акту № АВР-2026-000012 за период с 01.03.2026 по 31.03.2026');
    expectParties(text);
  });

  test('every row and the totals row', () => {
    for (const header of ['Наименование товара', 'GTIN', 'Эмитировано кодов', 'Оплачено (скачано)'])
      expect(text).toContain(header);
    REPORT.rows.forEach((r, i) => {
      expect(text).toContain(
        squash(
          `${i + 1} ${r.productName} ${r.gtin} ${formatQuantity(r.emitted)} ${formatQuantity(r.charged)} ${formatTenge(r.netTiyn)} ${formatTenge(r.vatTiyn)} ${formatTenge(r.totalTiyn)}`,
        ),
      );
    });
    const total = REPORT.rows.reduce((s, r) => s + r.totalTiyn, 0);
    expect(text).toContain(
      squash(
        `Итого 640 000 617 500 ${formatTenge(617_500 * PRICE)} ${formatTenge(total - 617_500 * PRICE)} ${formatTenge(total)}`,
      ),
    );
  });

  test('the same input renders to the same bytes', async () => {
    expect((await renderDetailedReportPdf(structuredClone(REPORT))).equals(pdf)).toBe(true);
  });

  test('a long report continues on the next pages with every row', async () => {
    const rows = Array.from({ length: 80 }, (_, i) =>
      row(
        `Товар ${String(i + 1).padStart(3, '0')}`,
        `0487000${String(i).padStart(7, '0')}`,
        1000 * (i + 1),
        900 * (i + 1),
      ),
    );
    const long = extract(await renderDetailedReportPdf(reportWith(rows)));
    expect(long.pages).toBeGreaterThan(1);
    rows.forEach((r, i) => {
      expect(long.text).toContain(
        squash(
          `${i + 1} ${r.productName} ${r.gtin} ${formatQuantity(r.emitted)} ${formatQuantity(r.charged)} ${formatTenge(r.netTiyn)}`,
        ),
      );
    });
  });
});
