import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CodeKey, KeyRing } from './key-ring';
import { isValidKeyId, KEY_ID_LENGTH } from './marking-code';

export type { CodeKey, KeyRing } from './key-ring';

export const SECRET_BYTES = 32;
export const DEFAULT_KEY_ID = 'KZ01';

const SECRET_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const WHITESPACE = /\s/;

/**
 * Reads `ID01:<base64 of 32 bytes>,ID02:<base64>`; the first entry is the current key. Key ids
 * are 4 characters of CSET 82, which includes ',' and ':', so an entry is read by position:
 * 4 characters, ':', the secret. Whitespace around entries is allowed. Errors never show secrets.
 */
export function parseKeyRing(text: string): KeyRing {
  const keys: CodeKey[] = [];
  const byId = new Map<string, CodeKey>();
  let pos = 0;
  const skipSpace = () => {
    while (pos < text.length && WHITESPACE.test(text[pos])) pos++;
  };
  skipSpace();
  while (pos < text.length) {
    const n = keys.length + 1;
    if (text[pos] === ',') throw new Error(`key ring: entry ${n} is empty`);
    if (text[pos + KEY_ID_LENGTH] !== ':') {
      // Show what stands before the ':' if that is short, else only 4 characters: never a secret.
      const head = text.slice(pos, pos + 9).split(/[,\s]/, 1)[0];
      const colon = head.indexOf(':');
      const found = colon >= 0 ? `"${head.slice(0, colon)}"` : `"${head.slice(0, KEY_ID_LENGTH)}…" without ':'`;
      throw new Error(
        `key ring: entry ${n}: expected a key id of ${KEY_ID_LENGTH} characters of GS1 CSET 82 and ':', found ${found}`,
      );
    }
    const id = text.slice(pos, pos + KEY_ID_LENGTH);
    if (!isValidKeyId(id))
      throw new Error(`key ring: entry ${n}: key id "${id}" must be ${KEY_ID_LENGTH} characters of GS1 CSET 82`);
    pos += KEY_ID_LENGTH + 1;
    const start = pos;
    while (pos < text.length && text[pos] !== ',' && !WHITESPACE.test(text[pos])) pos++;
    const encoded = text.slice(start, pos);
    const secret = Buffer.from(encoded, 'base64');
    if (!SECRET_BASE64.test(encoded) || secret.length !== SECRET_BYTES || secret.toString('base64') !== encoded) {
      throw new Error(`key ring: the secret of key "${id}" must be the base64 of exactly ${SECRET_BYTES} bytes`);
    }
    if (byId.has(id)) throw new Error(`key ring: key id "${id}" appears more than once`);
    const key = { id, secret };
    keys.push(key);
    byId.set(id, key);
    skipSpace();
    if (pos < text.length) {
      if (text[pos] !== ',') throw new Error(`key ring: entry ${n} (key "${id}"): expected ',' after the secret`);
      pos++;
      skipSpace(); // a trailing comma is tolerated
    }
  }
  if (keys.length === 0) throw new Error('key ring is empty');
  return { current: keys[0], byId };
}

/** The text form read by parseKeyRing, the current key first. */
export function formatKeyRing(ring: KeyRing): string {
  const others = [...ring.byId.values()].filter((key) => key.id !== ring.current.id);
  return [ring.current, ...others].map((key) => `${key.id}:${key.secret.toString('base64')}`).join(',');
}

/** A new key of 32 random bytes. */
export function generateKey(id: string): CodeKey {
  if (!isValidKeyId(id)) throw new RangeError(`key id "${id}" must be ${KEY_ID_LENGTH} characters of GS1 CSET 82`);
  return { id, secret: randomBytes(SECRET_BYTES) };
}

/**
 * The key ring in `file`; when the file does not exist, a new ring with one key KZ01 is
 * written there (mode 0600, directory created). For the embedded `npm start`; production
 * passes the keys by environment. Creation is atomic: two processes starting at once end
 * up with the same keys.
 */
export function loadOrCreateKeyRing(file: string): KeyRing {
  const read = () => {
    try {
      return parseKeyRing(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  };
  if (fs.existsSync(file)) return read();

  const key = generateKey(DEFAULT_KEY_ID);
  const ring: KeyRing = { current: key, byId: new Map([[key.id, key]]) };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Write a private temporary file, then link it into place: link fails if the file appeared
  // meanwhile, so a key ring once written is never overwritten and never read half-written.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(temporary, `${formatKeyRing(ring)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temporary, file);
    return ring;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
