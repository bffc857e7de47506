import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { StatementFormatError, decodeStatement, parseBankStatement } from '../../lib/bank-statements';
import type { BankDocument, BankParty, ParsedStatement } from '../../lib/bank-statements';
import { isValidBinIin, isValidIik } from '../../lib/kz-identifiers';

const OPERATOR_IIK = 'KZ456018861000033571';
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/bank-statements', name));
const parse = (bytes: Buffer, format?: '1c' | 'csv' | 'auto') =>
  parseBankStatement(bytes, { operatorIik: OPERATOR_IIK, format });
const text = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');

const OPERATOR: BankParty = {
  name: 'Дирекция информационных систем — филиал АО «Казахтелеком»',
  binIin: '060441003301',
  iik: OPERATOR_IIK,
  bik: 'HSBKKZKX',
};
const MOLOCHNY_DVOR: BankParty = {
  name: 'ТОО «Молочный двор»',
  binIin: '190540001230',
  iik: 'KZ18722S000012345678',
  bik: 'CASPKZKA',
};
const STEPNOY_KHLEB: BankParty = {
  name: 'ТОО «Степной хлеб»',
  binIin: '210340004561',
  iik: 'KZ889650000000123456',
  bik: 'IRTYKZKA',
};
const ALEM_TRADE: BankParty = {
  name: 'ЖШС «Әлем Трейд»',
  binIin: '151140007895',
  iik: 'KZ71998CTB0000456789',
  bik: 'TSESKZKA',
};
const SEITKALI: BankParty = {
  name: 'ИП Сейтқали Нұрлан',
  binIin: '860512300458',
  iik: 'KZ368261234567890123',
  bik: 'KCJBKZKX',
};
const SEVERNY_SAD: BankParty = {
  name: 'ТОО «Северный сад»',
  binIin: '120620005770',
  iik: 'KZ18998CTB0000987654',
  bik: 'TSESKZKA',
};
/** In CSV exports only the recipient's IIK is given. */
const OPERATOR_IIK_ONLY: BankParty = { name: '', binIin: null, iik: OPERATOR_IIK, bik: null };

describe('decodeStatement', () => {
  test.each([
    ['one-c-windows-1251.txt', 'windows-1251'],
    ['one-c-cp866.txt', 'cp866'],
    // Its header says Кодировка=Windows, but the bytes are valid UTF-8: the bytes win.
    ['one-c-utf8.txt', 'utf-8'],
    ['payments.csv', 'utf-8'],
  ])('%s is %s', (name, encoding) => {
    const decoded = decodeStatement(fixture(name));
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.text).toMatch(/Плательщик|плательщика/);
  });

  test('a UTF-8 byte order mark is stripped', () => {
    expect(decodeStatement(Buffer.from('\ufeffномер;дата', 'utf8'))).toEqual({ text: 'номер;дата', encoding: 'utf-8' });
  });

  test('a code page without a Кодировка header is Windows-1251', () => {
    const bytes = iconv.encode('Номер;Дата;Сумма\r\n1;01.02.2026;100\r\n', 'windows-1251');
    expect(decodeStatement(bytes)).toEqual({
      text: 'Номер;Дата;Сумма\r\n1;01.02.2026;100\r\n',
      encoding: 'windows-1251',
    });
  });

  test('the Кодировка header is read in either code page and in any case', () => {
    const dos = ['1CClientBankExchange', 'КОДИРОВКА=dos', 'Отправитель=Банк'].join('\r\n');
    expect(decodeStatement(iconv.encode(dos, 'cp866'))).toEqual({ text: dos, encoding: 'cp866' });
    const windows = dos.replace('dos', 'Windows');
    expect(decodeStatement(iconv.encode(windows, 'windows-1251'))).toEqual({ text: windows, encoding: 'windows-1251' });
  });
});

describe('1C statements (1CClientBankExchange)', () => {
  const WINDOWS_1251_DOCUMENTS: BankDocument[] = [
    {
      number: '154',
      date: '2026-01-13',
      receivedOn: '2026-01-13',
      amountTiyn: 311_000_00,
      direction: 'incoming',
      payer: MOLOCHNY_DVOR,
      recipient: OPERATOR,
      purpose: 'Пополнение лицевого счета LS00000012 за услуги маркировки, в т.ч. НДС 16% 42896,55',
      knp: '859',
      line: 20,
    },
    {
      number: '27',
      date: '2026-01-13',
      receivedOn: '2026-01-14',
      amountTiyn: 53_600_50, // written "53600,5"
      direction: 'incoming',
      payer: STEPNOY_KHLEB,
      recipient: OPERATOR,
      // НазначениеПлатежа, НазначениеПлатежа1 and НазначениеПлатежа2 joined
      purpose:
        'Оплата за коды маркировки по договору № 118-ОМ от 05.01.2026, БИН 210340004561, на лицевой счет LS00000031. Сумма 53600-50, в т.ч. НДС 16% 7393-17',
      knp: '859',
      line: 38,
    },
    {
      number: '311',
      date: '2026-01-15',
      receivedOn: null, // ДатаПоступило= is empty
      amountTiyn: 185_000_00,
      direction: 'outgoing',
      payer: OPERATOR,
      recipient: {
        name: 'ТОО «Алматы Офис Сервис»',
        binIin: '230720003116',
        iik: 'KZ377220000099887766',
        bik: 'CASPKZKA',
      },
      purpose: 'Оплата аренды офиса за январь 2026 г. по договору № 14/25, в т.ч. НДС 16%',
      knp: '859',
      line: 57,
    },
  ];

  test('Windows-1251, classic keys, with an account section and a broken amount', () => {
    expect(parse(fixture('one-c-windows-1251.txt'))).toEqual<ParsedStatement>({
      format: '1c',
      encoding: 'windows-1251',
      account: OPERATOR_IIK,
      documents: WINDOWS_1251_DOCUMENTS,
      problems: [{ line: 74, message: 'document 88: amount "12 5OO.00" is not an amount in tenge' }],
    });
  });

  test('the same statement in UTF-8 reads the same', () => {
    const bytes = fixture('one-c-windows-1251.txt');
    const utf8 = Buffer.from(iconv.decode(bytes, 'windows-1251'), 'utf8');
    expect(utf8.equals(bytes)).toBe(false);
    const fromWindows = parse(bytes);
    const fromUtf8 = parse(utf8);
    expect(fromUtf8.encoding).toBe('utf-8');
    expect({ ...fromUtf8, encoding: 'windows-1251' }).toEqual(fromWindows);
  });

  test('UTF-8, Kazakh banks’ keys (НомерДокумента, ДатаОперации, СуммаПриход/СуммаРасход, БИН_ИИН, ИИК), upper-case section markers', () => {
    expect(parse(fixture('one-c-utf8.txt'))).toEqual<ParsedStatement>({
      format: '1c',
      encoding: 'utf-8',
      account: OPERATOR_IIK, // from СекцияРасчСчет
      documents: [
        {
          number: '5531',
          date: '2026-01-20',
          receivedOn: '2026-01-20',
          amountTiyn: 1_340_000_00, // СуммаПриход=1 340 000,00 with СуммаРасход=0.00
          direction: 'incoming',
          payer: ALEM_TRADE,
          recipient: OPERATOR,
          purpose: 'Жеке шотты толықтыру LS00000007 / Пополнение лицевого счета LS00000007, в т.ч. НДС 16%',
          knp: '859',
          line: 13,
        },
        {
          number: '17',
          date: '2026-01-20',
          receivedOn: '2026-01-21', // "21.01.2026 10:42:17"
          amountTiyn: 26_800_00,
          direction: 'incoming',
          payer: SEITKALI,
          // kept as written; compared with ours ignoring spaces and case
          recipient: { ...OPERATOR, iik: 'kz45 6018 8610 0003 3571' },
          purpose: 'За коды маркировки, ИИН 860512300458',
          knp: '859',
          line: 31,
        },
        {
          number: '402',
          date: '2026-01-21',
          receivedOn: '2026-01-21',
          amountTiyn: 47_250_75,
          direction: 'outgoing',
          payer: OPERATOR,
          recipient: { name: 'ТОО «Қазақ Логистика»', binIin: '980201400160', iik: 'KZ90601A861000012345', bik: null },
          purpose: 'Оплата за транспортные услуги по счету № 77 от 19.01.2026, в т.ч. НДС 16%',
          knp: '859',
          line: 47,
        },
      ],
      problems: [{ line: 64, message: 'document: no document number' }],
    });
  });

  test('CP866 (Кодировка=DOS), classic keys: Плательщик1 is the name, РасчСчет the IIK', () => {
    expect(parse(fixture('one-c-cp866.txt'))).toEqual<ParsedStatement>({
      format: '1c',
      encoding: 'cp866',
      account: OPERATOR_IIK,
      documents: [
        {
          number: '903',
          date: '2026-01-22',
          receivedOn: '2026-01-22',
          amountTiyn: 1243_52,
          direction: 'incoming',
          payer: { ...SEVERNY_SAD, name: 'ТОО "Северный сад"' },
          recipient: { ...OPERATOR, name: 'Дирекция информационных систем - филиал АО "Казахтелеком"' },
          purpose: 'Пополнение л/с LS00000044 (400 кодов), в т.ч. НДС 16%',
          knp: '859',
          line: 9,
        },
        {
          // a bank's memorial order with no accounts: neither side is known to be ours
          number: '12',
          date: '2026-01-22',
          receivedOn: null,
          amountTiyn: 500_00,
          direction: 'unknown',
          payer: { name: 'АО "Банк ЦентрКредит"', binIin: null, iik: null, bik: 'KCJBKZKX' },
          recipient: { name: '', binIin: null, iik: null, bik: 'HSBKKZKX' },
          purpose: 'Возврат ошибочно списанной комиссии',
          knp: null,
          line: 41,
        },
      ],
      problems: [{ line: 31, message: 'document 904: no document date' }],
    });
  });

  const statement = (...documentLines: string[]) =>
    text(['1CClientBankExchange', 'ВерсияФормата=1.03', 'Кодировка=Windows', ...documentLines]);
  const incoming = ['Номер=1', 'Дата=01.02.2026', 'Сумма=100', `ПолучательСчет=${OPERATOR_IIK}`];

  test('a file that does not start with 1CClientBankExchange is not a 1C statement', () => {
    expect(() => parse(text(['ВерсияФормата=1.03', 'СекцияДокумент=Платежное поручение']), '1c')).toThrow(
      StatementFormatError,
    );
    expect(() => parse(text(['ВерсияФормата=1.03']), '1c')).toThrow(
      'not a 1C statement: the first line is not "1CClientBankExchange"',
    );
  });

  test('documents not closed, a file cut short and mismatched amounts are problems', () => {
    const result = parse(
      statement(
        'СекцияДокумент=Платежное поручение', // line 4: no КонецДокумента before the next one
        ...incoming,
        'СекцияДокумент=Платежное поручение', // line 9
        'Номер=2',
        'Дата=31.02.2026',
        'СуммаПриход=10',
        'СуммаРасход=20',
        'КонецДокумента',
        'СекцияДокумент=Платежное поручение', // line 15
        ...incoming,
        'КонецДокумента', // line 20, the last: no КонецФайла
      ),
    );
    expect(result.documents.map((document) => document.line)).toEqual([15]);
    expect(result.problems).toEqual([
      { line: 4, message: 'document is not closed by КонецДокумента' },
      {
        line: 9,
        message: 'document 2: date "31.02.2026" is not a date; both an incoming and an outgoing amount are given',
      },
      { line: 20, message: 'the file does not end with КонецФайла: it may be cut short' },
    ]);
  });

  test('direction: our IIK decides; the amount column when no IIK is ours; a disagreement is unknown', () => {
    const directionOf = (...lines: string[]) =>
      parse(
        statement(
          'СекцияДокумент=Платежное поручение',
          'Номер=1',
          'Дата=01.02.2026',
          ...lines,
          'КонецДокумента',
          'КонецФайла',
        ),
      ).documents[0].direction;
    expect(directionOf('Сумма=1', `ПолучательИИК=${OPERATOR_IIK.toLowerCase()}`)).toBe('incoming');
    expect(directionOf('Сумма=1', `ПлательщикИИК=${OPERATOR_IIK}`)).toBe('outgoing');
    expect(directionOf('Сумма=1', 'ПлательщикИИК=KZ18722S000012345678')).toBe('unknown');
    expect(directionOf('СуммаПриход=1')).toBe('incoming');
    expect(directionOf('СуммаРасход=1')).toBe('outgoing');
    expect(directionOf('СуммаРасход=1', `ПолучательИИК=${OPERATOR_IIK}`)).toBe('unknown');
  });
});

describe('CSV statements', () => {
  test('semicolons, Russian headers, BOM; a formula-looking purpose stays plain text', () => {
    expect(parse(fixture('payments.csv'))).toEqual<ParsedStatement>({
      format: 'csv',
      encoding: 'utf-8',
      account: null,
      documents: [
        {
          number: '1201',
          date: '2026-02-02',
          receivedOn: '2026-02-02',
          amountTiyn: 311_000_00,
          direction: 'incoming',
          payer: MOLOCHNY_DVOR,
          recipient: OPERATOR_IIK_ONLY,
          purpose: 'Пополнение лицевого счета LS00000012',
          knp: '859',
          line: 2,
        },
        {
          number: '1202',
          date: '2026-02-02',
          receivedOn: '2026-02-03',
          amountTiyn: 2680_00,
          direction: 'incoming',
          payer: { ...STEPNOY_KHLEB, name: 'ТОО "Степной хлеб"' },
          recipient: OPERATOR_IIK_ONLY,
          purpose: '=HYPERLINK("https://example.com/pay";"LS00000031")',
          knp: '859',
          line: 3,
        },
        {
          number: '77',
          date: '2026-02-03',
          receivedOn: '2026-02-03',
          amountTiyn: 185_000_00,
          direction: 'outgoing',
          payer: OPERATOR,
          recipient: { name: '', binIin: null, iik: 'KZ377220000099887766', bik: null },
          purpose: 'Оплата аренды офиса за февраль 2026 г.',
          knp: '859',
          line: 4,
        },
        {
          number: '1204',
          date: '2026-02-04', // written 2026-02-04
          receivedOn: '2026-02-04',
          amountTiyn: 13_400_00,
          direction: 'incoming',
          payer: ALEM_TRADE,
          recipient: OPERATOR_IIK_ONLY,
          purpose: 'Пополнение лицевого счета LS00000007 БИН 151140007895, в т.ч. НДС 16%', // two lines in the file
          knp: '859',
          line: 6,
        },
        {
          number: '1205',
          date: '2026-02-04',
          receivedOn: null,
          amountTiyn: 1243_52,
          direction: 'incoming',
          payer: SEVERNY_SAD,
          recipient: OPERATOR_IIK_ONLY,
          purpose: 'LS00000044',
          knp: '859',
          line: 8, // after the row spanning lines 6-7
        },
      ],
      problems: [{ line: 5, message: 'document 1203: incoming amount "26,8O" is not an amount in tenge' }],
    });
  });

  test('commas and English headers; a plain amount without the recipient’s IIK is incoming unless the payer’s IIK is ours', () => {
    const result = parse(
      text([
        'Number,Date,Received_On,Amount,Payer_Name,Payer_BIN_IIN,Payer_Account,Purpose,KNP',
        '15,2026-03-02,2026-03-02,"1 500,00",Too Alpha,190540001230,KZ18722S000012345678,LS00000012,859',
        `16,02.03.2026,,99.9,Operator,060441003301,${OPERATOR_IIK},refund,`,
      ]),
    );
    expect(
      result.documents.map(({ number, amountTiyn, direction, receivedOn, knp }) => ({
        number,
        amountTiyn,
        direction,
        receivedOn,
        knp,
      })),
    ).toEqual([
      { number: '15', amountTiyn: 1500_00, direction: 'incoming', receivedOn: '2026-03-02', knp: '859' },
      { number: '16', amountTiyn: 99_90, direction: 'outgoing', receivedOn: null, knp: null },
    ]);
    expect(result.problems).toEqual([]);
  });

  test('tabs; credit and debit columns decide; rows of the wrong width are problems', () => {
    const result = parse(
      text([
        'date\tnumber\tcredit\tdebit\trecipient_iik',
        '01.03.2026\t1\t10\t\tKZ377220000099887766',
        '01.03.2026\t2\t\t20\t',
        '01.03.2026\t3\t30',
      ]),
    );
    expect(result.documents.map(({ number, amountTiyn, direction }) => [number, amountTiyn, direction])).toEqual([
      ['1', 10_00, 'incoming'],
      ['2', 20_00, 'outgoing'],
    ]);
    expect(result.problems).toEqual([{ line: 4, message: 'row has 3 values, the header has 5' }]);
  });

  test('missing required columns are named', () => {
    expect(() => parse(text(['Дата;Плательщик;Назначение платежа', '01.02.2026;ТОО;LS00000012']))).toThrow(
      new StatementFormatError('not a CSV statement we can read: missing required column(s) number, amount'),
    );
  });

  test('junk, an empty file and a broken quote are not statements', () => {
    expect(() => parse(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x0a, 0x42]))).toThrow(StatementFormatError);
    expect(() => parse(Buffer.from('\ufeff \r\n\r\n', 'utf8'))).toThrow(new StatementFormatError('the file is empty'));
    expect(() => parse(text(['number;date;amount', '1;01.02.2026;"100']))).toThrow(StatementFormatError);
    expect(() => parse(text([';;;', '1;01.02.2026;100;']))).toThrow(StatementFormatError);
  });
});

test('the fixtures use valid BINs/IINs and IIKs', () => {
  const names = ['one-c-windows-1251.txt', 'one-c-utf8.txt', 'one-c-cp866.txt', 'payments.csv'];
  const parties = names.flatMap((name) =>
    parse(fixture(name)).documents.flatMap((document) => [document.payer, document.recipient]),
  );
  expect(parties.length).toBeGreaterThan(20);
  for (const party of parties) {
    if (party.binIin !== null) expect(isValidBinIin(party.binIin)).toBe(true);
    if (party.iik !== null) expect(isValidIik(party.iik.replace(/\s/g, '').toUpperCase())).toBe(true);
  }
});

test('an operator IIK that is not a valid IBAN is a programming error', () => {
  expect(() => parseBankStatement(fixture('payments.csv'), { operatorIik: 'KZ000000000000000000' })).toThrow(
    RangeError,
  );
});
