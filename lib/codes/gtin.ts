/**
 * GTIN (AI 01): the GS1 product code. In a marking code it is always 14 digits (GTIN-14);
 * shorter GTIN-8/12/13 are left-padded with zeros. The last digit is the GS1 mod-10 check
 * digit: from the right, the data digits are weighted 3, 1, 3, 1 …; the check digit brings
 * the sum up to a multiple of 10.
 */
export function gtinCheckDigit(first13: string): number {
  if (!/^\d+$/.test(first13)) throw new RangeError(`GTIN data must be digits, got "${first13}"`);
  let sum = 0;
  for (let i = first13.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += weight * Number(first13[i]);
  return (10 - (sum % 10)) % 10;
}

/** Exactly 14 digits whose last is the right check digit. */
export function isValidGtin14(gtin: string): boolean {
  return /^\d{14}$/.test(gtin) && gtinCheckDigit(gtin.slice(0, 13)) === Number(gtin[13]);
}

/** A GTIN-8/12/13/14 as the 14-digit form; undefined when not digits or the check digit is wrong. */
export function normaliseGtin(input: string): string | undefined {
  const digits = input.trim();
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(digits)) return undefined;
  const gtin = digits.padStart(14, '0');
  return isValidGtin14(gtin) ? gtin : undefined;
}
