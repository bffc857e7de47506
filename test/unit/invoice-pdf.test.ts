import { type InvoiceDocument, type InvoiceLine, renderInvoicePdf } from '../../lib/documents/invoice-pdf';
import { formatDate, formatQuantity, formatRate } from '../../lib/documents/pdf';
import { formatTenge } from '../../lib/money';
import { contractReference, contractReferences, OPERATOR } from '../../lib/operator';
import { extractPdf as extract, squash } from '../helpers/pdf-text';

const PRICE = 268; // 2.68 KZT per code

function codesLine(name: string, quantity: number): InvoiceLine {
  return { name, quantity, unit: 'шт.', priceTiyn: PRICE, amountTiyn: quantity * PRICE };
}

function invoiceWith(lines: InvoiceLine[], payableBy: string | null = '2026-03-24'): InvoiceDocument {
  const netTiyn = lines.reduce((sum, line) => sum + line.amountTiyn, 0);
  const vatTiyn = Math.round((netTiyn * 1600) / 10_000);
  return {
    number: '2026-000017',
    issuedOn: '2026-03-14',
    payableBy,
    operator: OPERATOR,
    client: {
      name: 'ТОО «Молочная ферма Береке»',
      binIin: '180540012345',
      address: '050000, г. Алматы, ул. Абая, дом 10, офис 5',
      iik: 'KZ12722S000012345678',
      bankName: 'АО «Kaspi Bank»',
      bik: 'CASPKZKA',
      kbe: '17',
    },
    personalAccount: 'LS00000012',
    contract: contractReferences('2026-03-14'),
    lines,
    netTiyn,
    vatRateBp: 1600,
    vatTiyn,
    totalTiyn: netTiyn + vatTiyn,
  };
}

const INVOICE = invoiceWith([
  codesLine('Коды маркировки (аванс), молочная продукция', 1_000_000),
  codesLine('Коды маркировки (аванс), вода', 37_500),
]);

describe('renderInvoicePdf', () => {
  let pdf: Buffer;
  let text: string;
  let pages: number;
  let info: Record<string, unknown>;

  beforeAll(async () => {
    pdf = await renderInvoicePdf(INVOICE);
    ({ text, pages, info } = extract(pdf));
  });

  test('is a PDF', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pages).toBe(1);
  });

  test('title with the number and the date', () => {
    expect(text).toContain('Счёт на оплату № 2026-000017 от 14.03.2026');
    // Kazakh first, then « / » and the Russian (test/unit/bilingual-documents.test.ts reads the Kazakh).
    expect(info.Title).toMatch(/ \/ Счёт на оплату № 2026-000017 от 14\.03\.2026$/);
    expect(info.Author).toBe(OPERATOR.name);
  });

  test("the Operator's details", () => {
    for (const value of [
      OPERATOR.name,
      OPERATOR.binIin,
      OPERATOR.legalAddress,
      OPERATOR.beneficiary.name,
      OPERATOR.beneficiary.binIin,
      OPERATOR.bankName,
      OPERATOR.iik,
      OPERATOR.bik,
    ]) {
      expect(text).toContain(squash(value));
    }
    expect(text).toMatch(/КБе:? 16/);
    expect(text).toMatch(/КНП:? 859/);
    // The address as it is today: the capital is Астана again since 17.09.2022, though the 2021 contract says Нур-Султан.
    expect(text).toContain('г. Астана');
    expect(text).not.toContain('Нур-Султан');
  });

  test("the client's details and the contract", () => {
    const { client } = INVOICE;
    for (const value of [
      client.name,
      client.binIin,
      client.address,
      client.iik,
      client.bankName,
      client.bik,
      INVOICE.contract.kk,
      INVOICE.contract.ru,
    ]) {
      expect(text).toContain(squash(value));
    }
  });

  test('each line', () => {
    expect(text).toContain('Цена без НДС, тенге');
    INVOICE.lines.forEach((line, i) => {
      // The unit in Kazakh above the Russian (test/unit/bilingual-documents.test.ts).
      expect(text).toContain(squash(`${i + 1} ${line.name} ${formatQuantity(line.quantity)} дана ${line.unit}`));
      expect(text).toContain(squash(`${formatTenge(line.priceTiyn)} ${formatTenge(line.amountTiyn)}`));
    });
    expect(text).toContain('1 000 000 дана шт. 2,68 2 680 000,00');
  });

  test('the total in words and the signatories, as a payment document carries them', () => {
    expect(text).toContain(
      squash(
        'Всего к оплате: Три миллиона двести двадцать пять тысяч триста восемьдесят тенге 00 тиын, в том числе НДС 16% — 444 880,00 тенге.',
      ),
    );
    expect(text).toMatch(/Руководитель АО «Казахтелеком» _+ \/ _+ \//);
    expect(text).toMatch(/Главный бухгалтер АО «Казахтелеком» _+ \/ _+ \//);
    expect(text).toContain(squash(`${contractReference('2026-03-14')}`));
    expect(text).toContain('от 23.07.2021');
  });

  test('net, VAT at its rate and the total, as formatTenge prints them', () => {
    expect(text).toContain(squash(`Итого без НДС: ${formatTenge(INVOICE.netTiyn)}`));
    expect(text).toContain(squash(`НДС 16%: ${formatTenge(INVOICE.vatTiyn)}`));
    expect(text).toContain(squash(`Всего к оплате: ${formatTenge(INVOICE.totalTiyn)}`));
    expect(text).toContain('Итого без НДС: 2 780 500,00');
    expect(text).toContain('НДС 16%: 444 880,00');
    expect(text).toContain('Всего к оплате: 3 225 380,00');
  });

  test('the payment instruction with the personal account, the due date and the footer', () => {
    expect(text).toContain(
      'В назначении платежа укажите номер лицевого счёта LS00000012. Оплата зачисляется на лицевой счёт после поступления денег на счёт Оператора (п. 6.2 Договора).',
    );
    expect(text).toContain('Счёт действителен до 24.03.2026');
    expect(text).toContain('Документ сформирован ИС МПТ автоматически (Прил. 2 п. 6)');
  });

  test('no due date line without a due date', async () => {
    const { text: withoutDueDate } = extract(await renderInvoicePdf(invoiceWith(INVOICE.lines, null)));
    expect(withoutDueDate).toContain('LS00000012');
    expect(withoutDueDate).not.toContain('Счёт действителен до');
  });

  test('the same input renders to the same bytes', async () => {
    const again = await renderInvoicePdf(structuredClone(INVOICE));
    expect(again.equals(pdf)).toBe(true);
  });

  test('a long table continues on the next pages with every line', async () => {
    const lines = Array.from({ length: 60 }, (_, i) =>
      codesLine(`Коды маркировки, заказ ${String(i + 1).padStart(4, '0')}`, 1000 * (i + 1)),
    );
    const long = extract(await renderInvoicePdf(invoiceWith(lines)));
    expect(long.pages).toBeGreaterThan(1);
    lines.forEach((line, i) => {
      expect(long.text).toContain(
        squash(`${i + 1} ${line.name} ${formatQuantity(line.quantity)} дана шт. 2,68 ${formatTenge(line.amountTiyn)}`),
      );
    });
    expect(long.text).toContain(squash(`Всего к оплате: ${formatTenge(invoiceWith(lines).totalTiyn)}`));
  });
});

describe('formatting helpers', () => {
  test.each([
    [1600, '16%'],
    [1200, '12%'],
    [1250, '12,5%'],
    [1205, '12,05%'],
    [0, '0%'],
  ])('rate %i bp → %s', (bp, printed) => {
    expect(formatRate(bp)).toBe(printed);
  });

  test('dates and quantities', () => {
    expect(formatDate('2026-03-14')).toBe('14.03.2026');
    expect(() => formatDate('14.03.2026')).toThrow(RangeError);
    expect(formatQuantity(1_000_000)).toBe('1\u00a0000\u00a0000');
    expect(formatQuantity(999)).toBe('999');
  });
});
