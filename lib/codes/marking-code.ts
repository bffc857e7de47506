import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidGtin14 } from './gtin';
import { isCset82, isValidSerial, SERIAL_LENGTH } from './serial';
import type { KeyRing } from './key-ring';

/**
 * A footwear marking code (код маркировки) = код идентификации (КИ) + код проверки:
 *   01 GTIN(14) 21 SERIAL(13) <GS> 91 KEY-ID(4) <GS> 92 VERIFICATION(44)
 * = 85 characters. GS is the ASCII group separator (29), what a GS1 DataMatrix FNC1 in a
 * separator position is transmitted as. Codes emitted by other EAEU operators may carry an
 * 88-character verification code.
 */
export const GS = '\u001d';

export const KEY_ID_LENGTH = 4;
export const VERIFICATION_LENGTH = 44;
/** The older RU/BY footwear verification code; parsed, never produced or verified here. */
export const FOREIGN_VERIFICATION_LENGTH = 88;
/** 01 + 14 + 21 + 13. */
export const KI_LENGTH = 31;
export const MARKING_CODE_LENGTH = KI_LENGTH + 1 + 2 + KEY_ID_LENGTH + 1 + 2 + VERIFICATION_LENGTH;

export interface ParsedCode {
  gtin: string;
  serial: string;
  keyId: string;
  verification: string;
  /** 01 + GTIN + 21 + serial, the 31 characters used in documents. */
  ki: string;
  /** The canonical code, with real GS separators and no prefix. */
  code: string;
}

/** A verification key id (AI 91): 4 characters of CSET 82. */
export function isValidKeyId(id: string): boolean {
  return id.length === KEY_ID_LENGTH && isCset82(id);
}

function checkKi(gtin: string, serial: string): void {
  if (!isValidGtin14(gtin)) throw new RangeError(`not a valid GTIN-14: "${gtin}"`);
  if (!isValidSerial(serial))
    throw new RangeError(`not a valid serial (${SERIAL_LENGTH} characters of GS1 CSET 82): "${serial}"`);
}

/** The КИ: 01 + GTIN-14 + 21 + serial, 31 characters. */
export function identificationCode(gtin: string, serial: string): string {
  checkKi(gtin, serial);
  return `01${gtin}21${serial}`;
}

/** HMAC-SHA256 of the КИ under the key's secret, in standard base64: 44 characters, all in CSET 82. */
export function verificationCode(ki: string, secret: Buffer): string {
  return createHmac('sha256', secret).update(ki, 'utf8').digest('base64');
}

/** The full 85-character code with real GS separators. */
export function buildMarkingCode({
  gtin,
  serial,
  key,
}: {
  gtin: string;
  serial: string;
  key: { id: string; secret: Buffer };
}): string {
  const ki = identificationCode(gtin, serial);
  if (!isValidKeyId(key.id))
    throw new RangeError(`not a valid key id (${KEY_ID_LENGTH} characters of GS1 CSET 82): "${key.id}"`);
  return `${ki}${GS}91${key.id}${GS}92${verificationCode(ki, key.secret)}`;
}

// How separators arrive from scanners and files: the real GS, the 6-character text \u001d
// (also \x1d, any hex case), <GS>, ^FNC1 (bwip-js notation), and "è" (U+00E8, FNC1 read as
// Latin-1 codeword 232 by a mis-configured scanner). All but <GS> use characters outside
// CSET 82, so they can never be part of the data; <GS> can (< G S > are in CSET 82), which is
// why separators are only looked for at their fixed positions.
const SEPARATORS = [GS, '<GS>', '^FNC1', '\u00e8'];
const ESCAPED_GS = /^\\(u001d|x1d)/i;

/** The length of the separator at `pos`, or 0. */
function separatorAt(text: string, pos: number): number {
  const escaped = ESCAPED_GS.exec(text.slice(pos, pos + 6));
  if (escaped) return escaped[0].length;
  for (const sep of SEPARATORS) if (text.startsWith(sep, pos)) return sep.length;
  return 0;
}

const INVISIBLE = /[\u200b-\u200d\ufeff]/g;

/**
 * Reads a footwear marking code in the forms scanners and files give (see SEPARATORS; also an
 * AIM prefix ]d2, a leading FNC1/GS, zero-width characters and a BOM, surrounding whitespace).
 * Undefined for anything that is not a footwear code with all four groups.
 */
export function parseMarkingCode(input: string): ParsedCode | undefined {
  if (typeof input !== 'string') return undefined;
  const text = input.replace(INVISIBLE, '').trim();
  let pos = text.startsWith(']d2') ? 3 : 0;
  pos += separatorAt(text, pos);

  if (!text.startsWith('01', pos)) return undefined;
  const gtin = text.slice(pos + 2, pos + 16);
  pos += 16;
  if (!text.startsWith('21', pos)) return undefined;
  const serial = text.slice(pos + 2, pos + 2 + SERIAL_LENGTH);
  pos += 2 + SERIAL_LENGTH;
  if (!isValidGtin14(gtin) || !isValidSerial(serial)) return undefined;

  let sep = separatorAt(text, pos);
  if (sep === 0 || !text.startsWith('91', pos + sep)) return undefined;
  pos += sep + 2;
  const keyId = text.slice(pos, pos + KEY_ID_LENGTH);
  pos += KEY_ID_LENGTH;
  if (!isValidKeyId(keyId)) return undefined;

  sep = separatorAt(text, pos);
  if (sep === 0 || !text.startsWith('92', pos + sep)) return undefined;
  const verification = text.slice(pos + sep + 2);
  if (verification.length !== VERIFICATION_LENGTH && verification.length !== FOREIGN_VERIFICATION_LENGTH)
    return undefined;
  if (!isCset82(verification)) return undefined;

  const ki = `01${gtin}21${serial}`;
  return { gtin, serial, keyId, verification, ki, code: `${ki}${GS}91${keyId}${GS}92${verification}` };
}

export interface Verification {
  valid: boolean;
  reason?: string;
  parsed?: ParsedCode;
}

/** Parses the code and checks its verification code against the key it names. */
export function verifyMarkingCode(input: string, keys: KeyRing): Verification {
  const parsed = parseMarkingCode(input);
  if (!parsed) return { valid: false, reason: 'not a footwear marking code' };
  if (parsed.verification.length !== VERIFICATION_LENGTH) {
    return {
      valid: false,
      reason: `the verification code has ${parsed.verification.length} characters: emitted by another operator, cannot be verified here`,
      parsed,
    };
  }
  const key = keys.byId.get(parsed.keyId);
  if (!key) return { valid: false, reason: `unknown verification key id "${parsed.keyId}"`, parsed };
  const encoder = new TextEncoder();
  const expected = encoder.encode(verificationCode(parsed.ki, key.secret));
  const actual = encoder.encode(parsed.verification);
  // Both are 44 ASCII characters here; the length check keeps timingSafeEqual from throwing.
  const valid = expected.length === actual.length && timingSafeEqual(expected, actual);
  return valid ? { valid, parsed } : { valid, reason: 'the verification code does not match', parsed };
}

/** (01)GTIN(21)SERIAL(91)KEY(92)VERIFICATION, for people; throws RangeError for what does not parse. */
export function humanReadable(code: string): string {
  const parsed = parseMarkingCode(code);
  if (!parsed) throw new RangeError('not a footwear marking code');
  return `(01)${parsed.gtin}(21)${parsed.serial}(91)${parsed.keyId}(92)${parsed.verification}`;
}
