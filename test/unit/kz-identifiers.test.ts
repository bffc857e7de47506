import {
  isValidBik,
  isValidBinIin,
  isValidIik,
  isValidKbe,
  normalisePhone,
  withBinIinCheckDigit,
} from '../../lib/kz-identifiers';

test.each([
  // The check digit by the first weights 1..11.
  ['123456789013', true],
  ['123456789012', false],
  // 99034050001: the first pass gives 6.
  ['990340500016', true],
  ['990340500010', false],
  // 99999998762: the first pass gives 10, the second (weights 3..11,1,2) gives 6.
  ['999999987626', true],
  ['999999987620', false],
  // 12345678829: both passes give 10, so no check digit makes it valid.
  ...[...'0123456789'].map((d) => [`12345678829${d}`, false] as [string, boolean]),
  ['12345678901', false],
  ['1234567890123', false],
  ['12345678901a', false],
])('isValidBinIin(%s) = %s', (value, valid) => {
  expect(isValidBinIin(value)).toBe(valid);
});

test('exactly one check digit fits, unless both passes give 10', () => {
  let withDigit = 0;
  for (let n = 0; n < 2000; n++) {
    const first11 = String(10_000_000_000 + n * 7919).slice(0, 11);
    const valid = [...'0123456789'].filter((d) => isValidBinIin(first11 + d));
    expect(valid.length).toBeLessThanOrEqual(1);
    if (valid.length === 1) {
      withDigit++;
      expect(withBinIinCheckDigit(first11)).toBe(first11 + valid[0]);
    } else {
      expect(withBinIinCheckDigit(first11)).toBeUndefined();
    }
  }
  expect(withDigit).toBeGreaterThan(1900);
});

test.each([
  ['KZ86125KZT5004100100', true], // the ISO 13616 registry example for Kazakhstan
  ['KZ86125KZT5004100101', false], // one digit off: mod-97 fails
  ['KZ87125KZT5004100100', false], // wrong check digits
  ['kz86125kzt5004100100', false], // lower case is not how the form takes it
  ['KZ86125KZT500410010', false], // 19 characters
  ['DE89370400440532013000', false], // a valid IBAN, not Kazakh
])('isValidIik(%s) = %s', (value, valid) => {
  expect(isValidIik(value)).toBe(valid);
});

test.each([
  ['HSBKKZKX', true],
  ['KCJBKZKXXXX', true],
  ['DEUTDEFF', false], // valid BIC of a German bank
  ['HSBKKZK', false],
  ['HSBK KZKX', false],
])('isValidBik(%s) = %s', (value, valid) => {
  expect(isValidBik(value)).toBe(valid);
});

test.each([
  ['17', true],
  ['29', true],
  ['10', false],
  ['37', false],
  ['7', false],
  ['170', false],
])('isValidKbe(%s) = %s', (value, valid) => {
  expect(isValidKbe(value)).toBe(valid);
});

test('phones are normalised to E.164, Kazakhstan by default', () => {
  expect(normalisePhone('+7 701 123 45 67')).toBe('+77011234567');
  expect(normalisePhone('8 (727) 250-00-00')).toBe('+77272500000');
  expect(normalisePhone('12345')).toBeUndefined();
  expect(normalisePhone('телефон')).toBeUndefined();
});
