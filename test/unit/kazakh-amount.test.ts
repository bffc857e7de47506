import { kazakhAmountInWords, kazakhNumber } from '../../lib/i18n/kazakh-amount';

test('whole numbers in Kazakh words, group by group', () => {
  expect(
    [0, 1, 7, 10, 11, 19, 20, 40, 99, 100, 101, 110, 999, 1000, 1001, 2026, 10_000, 11_000, 100_000, 1_000_000].map(
      kazakhNumber,
    ),
  ).toEqual([
    'нөл',
    'бір',
    'жеті',
    'он',
    'он бір',
    'он тоғыз',
    'жиырма',
    'қырық',
    'тоқсан тоғыз',
    'бір жүз',
    'бір жүз бір',
    'бір жүз он',
    'тоғыз жүз тоқсан тоғыз',
    'бір мың',
    'бір мың бір',
    'екі мың жиырма алты',
    'он мың',
    'он бір мың',
    'бір жүз мың',
    'бір миллион',
  ]);
  expect(kazakhNumber(3_225_380)).toBe('үш миллион екі жүз жиырма бес мың үш жүз сексен');
  expect(kazakhNumber(1_000_000_000)).toBe('бір миллиард');
  expect(kazakhNumber(2_000_000_001)).toBe('екі миллиард бір');
  expect(kazakhNumber(Number.MAX_SAFE_INTEGER)).toBe(
    'тоғыз квадриллион жеті триллион бір жүз тоқсан тоғыз миллиард екі жүз елу төрт миллион жеті жүз қырық мың ' +
      'тоғыз жүз тоқсан бір',
  );
});

test('an amount as an invoice writes it: tenge in words, tiyn in two digits', () => {
  expect(kazakhAmountInWords(322_538_005)).toBe('Үш миллион екі жүз жиырма бес мың үш жүз сексен теңге 05 тиын');
  expect(kazakhAmountInWords(100)).toBe('Бір теңге 00 тиын');
  expect(kazakhAmountInWords(99)).toBe('Нөл теңге 99 тиын');
  expect(() => kazakhAmountInWords(-1)).toThrow(RangeError);
  expect(() => kazakhAmountInWords(1.5)).toThrow(RangeError);
});
