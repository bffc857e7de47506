import { isValidGtin14 } from './gtin';
import { GS, parseMarkingCode, ParsedCode } from './marking-code';
import { isValidSerial } from './serial';

/**
 * A code as people and machines hand it in: the full code (raw GS, `\u001d`, `<GS>`, a scanner's
 * `]d2` prefix...: see parseMarkingCode), the human-readable form `(01)…(21)…(91)…(92)…`, or
 * only the identification code (КИ, 31 characters), which is enough to find a code.
 */
export interface CodeInput {
  gtin: string;
  serial: string;
  ki: string;
  /** Set when the verification part came too (it can then be checked). */
  full?: ParsedCode;
}

const INVISIBLE = /[\u200b-\u200d\ufeff]/g;
// The serial is positional (13 characters of CSET 82, which has '(' and ')'), so the groups are cut by length.
const HUMAN = /^\(01\)(\d{14})\(21\)([\s\S]{13})(?:\(91\)([\s\S]{4})\(92\)([\s\S]+))?$/;
const KI_ONLY = /^(?:\]d2)?(?:\u001d|\^FNC1|\u00e8)?01(\d{14})21([\s\S]{13})$/;

export function readCodeInput(raw: string): CodeInput | undefined {
  const text = raw.replace(INVISIBLE, '').trim();
  const full = parseMarkingCode(text);
  if (full) return { gtin: full.gtin, serial: full.serial, ki: full.ki, full };
  const human = HUMAN.exec(text);
  if (human) {
    const [, gtin, serial, keyId, verification] = human;
    if (keyId) {
      const parsed = parseMarkingCode(`01${gtin}21${serial}${GS}91${keyId}${GS}92${verification}`);
      return parsed ? { gtin, serial, ki: parsed.ki, full: parsed } : undefined;
    }
    return identification(gtin, serial);
  }
  const ki = KI_ONLY.exec(text);
  return ki ? identification(ki[1], ki[2]) : undefined;
}

function identification(gtin: string, serial: string): CodeInput | undefined {
  if (!isValidGtin14(gtin) || !isValidSerial(serial)) return undefined;
  return { gtin, serial, ki: `01${gtin}21${serial}` };
}
