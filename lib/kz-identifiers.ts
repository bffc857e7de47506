/**
 * BIN/IIN (бизнес-/индивидуальный идентификационный номер): 12 digits, the last a
 * check digit. Weights 1..11 over the first 11 digits, sum mod 11; if that is 10,
 * weights 3..11,1,2; a second 10 means the number is invalid.
 */
export function isValidBinIin(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const checkWith = (weights: number[]) => weights.reduce((sum, w, i) => sum + w * digits[i], 0) % 11;
  let check = checkWith([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  if (check === 10) check = checkWith([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  return check !== 10 && check === digits[11];
}

/** Appends the check digit to 11 digits; undefined when no valid digit exists. */
export function withBinIinCheckDigit(first11: string): string | undefined {
  for (let d = 0; d <= 9; d++) if (isValidBinIin(`${first11}${d}`)) return `${first11}${d}`;
  return undefined;
}
