import { randomBytes, randomInt } from 'node:crypto';

/**
 * GS1 character set 82, the characters allowed in AI 21 (serial) and AIs 91–99: no space,
 * `#`, `$`, `@`, `[`, `\`, `]`, `^`, `` ` ``, `{`, `|`, `}` or `~`.
 */
export const CSET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** A footwear serial (AI 21) has 13 characters. */
export const SERIAL_LENGTH = 13;

/** The first character of a serial names the EAEU emitter: 1 AM, 2 BY, 3 KZ, 4 KG, 5/E RU. */
export const KAZAKHSTAN_EMITTER = '3';

const CSET82_SET = new Set(CSET82);

/** True when every character is in CSET 82 (and the string is not empty). */
export function isCset82(value: string): boolean {
  if (value.length === 0) return false;
  for (const ch of value) if (!CSET82_SET.has(ch)) return false;
  return true;
}

export function isValidSerial(serial: string): boolean {
  return serial.length === SERIAL_LENGTH && isCset82(serial);
}

/** One serial emitted in Kazakhstan: '3' and 12 characters drawn uniformly from CSET 82. */
export function randomSerial(): string {
  let serial = KAZAKHSTAN_EMITTER;
  for (let i = 1; i < SERIAL_LENGTH; i++) serial += CSET82[randomInt(CSET82.length)];
  return serial;
}

// A byte is uniform over 0..255; 246 = 3 × 82, so bytes below 246 taken % 82 are uniform over
// CSET 82 and the 10 bytes 246..255 are rejected (keeping them would favour the first 10 characters).
const ACCEPT_BELOW = 256 - (256 % CSET82.length);
const CSET82_CODES = Uint8Array.from(CSET82, (ch) => ch.charCodeAt(0));
const ASCII = new TextDecoder('ascii');

/** `count` random CSET 82 character codes (ASCII), uniform, from a cryptographic source. */
function randomCset82Codes(count: number): Uint8Array {
  const out = new Uint8Array(count);
  let filled = 0;
  while (filled < count) {
    // Expected rejection is 10/256; ask for a little more than needed so one draw usually suffices.
    const bytes = randomBytes(Math.ceil(((count - filled) * 256) / ACCEPT_BELOW) + 16);
    for (let i = 0; i < bytes.length && filled < count; i++) {
      if (bytes[i] < ACCEPT_BELOW) out[filled++] = CSET82_CODES[bytes[i] % CSET82.length];
    }
  }
  return out;
}

/**
 * `count` Kazakhstan serials, distinct among themselves. Bytes are drawn in bulk (150 000
 * serials take a few tens of milliseconds); a repeat (odds about count² / 2·82¹²) is redrawn.
 */
export function randomSerials(count: number): string[] {
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const serials: string[] = [];
  const seen = new Set<string>();
  const emitter = KAZAKHSTAN_EMITTER.charCodeAt(0);
  while (serials.length < count) {
    const wanted = count - serials.length;
    const random = randomCset82Codes(wanted * (SERIAL_LENGTH - 1));
    const text = new Uint8Array(wanted * SERIAL_LENGTH);
    for (let s = 0; s < wanted; s++) {
      text[s * SERIAL_LENGTH] = emitter;
      text.set(random.subarray(s * (SERIAL_LENGTH - 1), (s + 1) * (SERIAL_LENGTH - 1)), s * SERIAL_LENGTH + 1);
    }
    const all = ASCII.decode(text);
    for (let s = 0; s < wanted; s++) {
      const serial = all.slice(s * SERIAL_LENGTH, (s + 1) * SERIAL_LENGTH);
      if (!seen.has(serial)) {
        seen.add(serial);
        serials.push(serial);
      }
    }
  }
  return serials;
}

export interface SerialProblem {
  index: number;
  serial: string;
  problem: string;
}

const describeChar = (ch: string) => `"${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`;

/**
 * What is wrong with client-supplied (SELF_MADE) serials: the length, characters outside
 * CSET 82 (each named), and repeats within the list (naming the first index of the serial).
 * A serial may have several problems; an empty list means all are usable.
 */
export function serialProblems(serials: string[]): SerialProblem[] {
  const problems: SerialProblem[] = [];
  const firstIndex = new Map<string, number>();
  serials.forEach((serial, index) => {
    if (typeof serial !== 'string') {
      problems.push({ index, serial: String(serial), problem: 'the serial is not a string' });
      return;
    }
    const chars = [...serial];
    if (chars.length !== SERIAL_LENGTH) {
      problems.push({ index, serial, problem: `must be ${SERIAL_LENGTH} characters, has ${chars.length}` });
    }
    const bad = [...new Set(chars.filter((ch) => !CSET82_SET.has(ch)))];
    if (bad.length > 0) {
      const list = bad.map(describeChar).join(', ');
      problems.push({ index, serial, problem: `character${bad.length > 1 ? 's' : ''} ${list} not in GS1 CSET 82` });
    }
    const first = firstIndex.get(serial);
    if (first === undefined) firstIndex.set(serial, index);
    else problems.push({ index, serial, problem: `repeats the serial at index ${first}` });
  });
  return problems;
}
