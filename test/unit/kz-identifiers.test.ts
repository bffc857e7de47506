import { isValidBinIin, withBinIinCheckDigit } from '../../lib/kz-identifiers';

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
