import { isValidBIC, validateIBAN } from 'ibantools';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

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

/** IIK (ИИК, the bank account): a Kazakhstan IBAN, KZ + 18 characters, mod-97 check (ISO 13616). */
export function isValidIik(value: string): boolean {
  return /^KZ\d{2}[0-9A-Z]{16}$/.test(value) && validateIBAN(value).valid;
}

/** BIK (БИК): the bank's SWIFT/BIC code, 8 or 11 characters, of a Kazakhstan bank (country KZ). */
export function isValidBik(value: string): boolean {
  return isValidBIC(value) && value.slice(4, 6) === 'KZ';
}

/** KBe (КБе, beneficiary code): residency (1 resident, 2 non-resident), then the economic sector 1-9. */
export function isValidKbe(value: string): boolean {
  return /^[12][1-9]$/.test(value);
}

/** A valid phone number, Kazakhstan by default; returned in E.164 (+77011234567), else undefined. */
export function normalisePhone(value: string): string | undefined {
  const phone = parsePhoneNumberFromString(value, 'KZ');
  return phone?.isValid() ? phone.number : undefined;
}
