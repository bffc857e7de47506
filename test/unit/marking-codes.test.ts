import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {
  buildMarkingCode,
  CSET82,
  formatKeyRing,
  generateKey,
  GS,
  gtinCheckDigit,
  humanReadable,
  identificationCode,
  isValidGtin14,
  isValidSerial,
  KAZAKHSTAN_EMITTER,
  type KeyRing,
  loadOrCreateKeyRing,
  normaliseGtin,
  parseKeyRing,
  parseMarkingCode,
  randomSerial,
  randomSerials,
  SERIAL_LENGTH,
  serialProblems,
  verificationCode,
  verifyMarkingCode,
} from '../../lib/codes';

const ringOf = (...keys: ReturnType<typeof generateKey>[]): KeyRing => ({
  current: keys[0],
  byId: new Map(keys.map((k) => [k.id, k])),
});

describe('GTIN', () => {
  test.each([
    // Real GTINs: a Stabilo pen (EAN-13), a UPC-A, an EAN-8, an ISBN-13, shoes from public КИ samples.
    ['4006381333931', '04006381333931'],
    ['036000291452', '00036000291452'],
    ['96385074', '00000096385074'],
    ['9780306406157', '09780306406157'],
    ['04630726321637', '04630726321637'],
    ['04635785586010', '04635785586010'],
  ])('%s → %s', (input, gtin14) => {
    expect(normaliseGtin(input)).toBe(gtin14);
    expect(isValidGtin14(gtin14)).toBe(true);
    expect(gtinCheckDigit(gtin14.slice(0, 13))).toBe(Number(gtin14[13]));
  });

  test.each([
    '4006381333932',
    '04006381333930',
    '036000291453',
    '96385075',
    '0400638133393a',
    '400638133393',
    '123456789',
    '',
    '040063813339311',
  ])('%s is rejected', (input) => {
    expect(normaliseGtin(input)).toBeUndefined();
  });

  test('isValidGtin14 wants exactly 14 digits', () => {
    expect(isValidGtin14('04006381333931')).toBe(true);
    expect(isValidGtin14('4006381333931')).toBe(false);
    expect(isValidGtin14('04006381333932')).toBe(false);
    expect(isValidGtin14(' 4006381333931')).toBe(false);
  });

  test('every wrong check digit is caught', () => {
    for (const d of '0123456789') expect(isValidGtin14(`0400638133393${d}`)).toBe(d === '1');
    expect(gtinCheckDigit('0000000000000')).toBe(0);
    expect(() => gtinCheckDigit('12a')).toThrow(RangeError);
  });
});

describe('serials', () => {
  test('CSET 82 has 82 distinct characters, all printable ASCII', () => {
    expect(CSET82).toHaveLength(82);
    expect(new Set(CSET82).size).toBe(82);
    for (const ch of ' #$@[\\]^`{|}~') expect(CSET82).not.toContain(ch);
  });

  test('isValidSerial', () => {
    expect(isValidSerial('5G0(VhN1qGejx')).toBe(true);
    expect(isValidSerial('5G0(VhN1qGej')).toBe(false);
    expect(isValidSerial('5G0(VhN1qGejx1')).toBe(false);
    expect(isValidSerial('5G0 VhN1qGejx')).toBe(false);
    expect(isValidSerial(`5G0${GS}VhN1qGejx`)).toBe(false);
  });

  test('randomSerial: 13 characters starting with 3', () => {
    for (let i = 0; i < 100; i++) {
      const serial = randomSerial();
      expect(isValidSerial(serial)).toBe(true);
      expect(serial[0]).toBe(KAZAKHSTAN_EMITTER);
    }
  });

  // Their speed is measured by ops/bench/emission.ts beside raw COPY, not timed here.
  test('150 000 serials: valid, distinct, uniform over CSET 82', () => {
    const serials = randomSerials(150_000);
    expect(serials).toHaveLength(150_000);
    expect(new Set(serials).size).toBe(150_000);

    const counts = new Map<string, number>();
    for (const serial of serials) {
      if (serial.length !== SERIAL_LENGTH || serial[0] !== '3') throw new Error(`bad serial ${serial}`);
      for (let i = 1; i < SERIAL_LENGTH; i++) counts.set(serial[i], (counts.get(serial[i]) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...CSET82].sort());
    // Chi-square over 81 degrees of freedom: mean 81, p(> 160) is about 1e-7. Modulo bias
    // (bytes 246..255 not rejected) would give the first 10 characters 4/256 instead of 3/256,
    // a chi-square in the tens of thousands.
    const expected = (150_000 * (SERIAL_LENGTH - 1)) / 82;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(160);
  });

  test('randomSerials edge cases', () => {
    expect(randomSerials(0)).toEqual([]);
    expect(randomSerials(1)).toHaveLength(1);
    expect(() => randomSerials(-1)).toThrow(RangeError);
    expect(() => randomSerials(1.5)).toThrow(RangeError);
  });

  test('serialProblems names the length, the characters and the first index of a repeat', () => {
    expect(serialProblems(['3abcdefghijkl', '3ABCDEFGHIJKL'])).toEqual([]);
    expect(serialProblems([])).toEqual([]);
    const problems = serialProblems([
      '3abcdefghijkl',
      '3abc',
      '3abc defghijk',
      '3abcdefghijkl',
      '3ab~#ab~efghi',
      '3abcdefghijkl',
      '3abc',
    ]);
    expect(problems).toEqual([
      { index: 1, serial: '3abc', problem: 'must be 13 characters, has 4' },
      { index: 2, serial: '3abc defghijk', problem: 'character " " (U+0020) not in GS1 CSET 82' },
      { index: 3, serial: '3abcdefghijkl', problem: 'repeats the serial at index 0' },
      { index: 4, serial: '3ab~#ab~efghi', problem: 'characters "~" (U+007E), "#" (U+0023) not in GS1 CSET 82' },
      { index: 5, serial: '3abcdefghijkl', problem: 'repeats the serial at index 0' },
      { index: 6, serial: '3abc', problem: 'must be 13 characters, has 4' },
      { index: 6, serial: '3abc', problem: 'repeats the serial at index 1' },
    ]);
    expect(serialProblems(['3abcdefghijkЖ'])[0].problem).toBe('character "Ж" (U+0416) not in GS1 CSET 82');
    expect(serialProblems([`3abcdefghijk${GS}`])[0].problem).toBe('character "\u001d" (U+001D) not in GS1 CSET 82');
  });
});

describe('marking codes', () => {
  const key = generateKey('KZ01');
  const ring = ringOf(key);
  const gtin = '04630726321637';
  const serial = '5G0(VhN1qGejx';
  const code = buildMarkingCode({ gtin, serial, key });
  const [ki, tail] = [code.slice(0, 31), code.slice(41)];

  test('a built code: 85 characters, GS at 31 and 38, КИ of 31', () => {
    expect(code).toHaveLength(85);
    expect(code[31]).toBe('\u001d');
    expect(code[38]).toBe('\u001d');
    expect([...code].filter((ch) => ch === GS)).toHaveLength(2);
    expect(ki).toBe(identificationCode(gtin, serial));
    expect(ki).toBe(`01${gtin}21${serial}`);
    expect(code.slice(31)).toBe(`${GS}91KZ01${GS}92${tail}`);
    expect(tail).toBe(verificationCode(ki, key.secret));
  });

  test('the verification code is 44 characters of CSET 82', () => {
    for (let i = 0; i < 200; i++) {
      const v = verificationCode(identificationCode(gtin, randomSerial()), generateKey('KZ01').secret);
      expect(v).toHaveLength(44);
      for (const ch of v) expect(CSET82).toContain(ch);
    }
  });

  test('buildMarkingCode validates its inputs', () => {
    expect(() => buildMarkingCode({ gtin: '04630726321638', serial, key })).toThrow(RangeError);
    expect(() => buildMarkingCode({ gtin: '4630726321637', serial, key })).toThrow(RangeError);
    expect(() => buildMarkingCode({ gtin, serial: '5G0(VhN1qGej', key })).toThrow(RangeError);
    expect(() => buildMarkingCode({ gtin, serial: '5G0(VhN1qGej~', key })).toThrow(RangeError);
    expect(() => buildMarkingCode({ gtin, serial, key: { id: 'KZ1', secret: key.secret } })).toThrow(RangeError);
    expect(() => buildMarkingCode({ gtin, serial, key: { id: 'KZ 1', secret: key.secret } })).toThrow(RangeError);
  });

  test('build → parse round trip', () => {
    expect(parseMarkingCode(code)).toEqual({ gtin, serial, keyId: 'KZ01', verification: tail, ki, code });
  });

  const expected = { gtin, serial, keyId: 'KZ01', verification: tail, ki, code };
  test.each([
    ['the literal \\u001d', code.replaceAll(GS, '\\u001d')],
    ['the literal \\u001D', code.replaceAll(GS, '\\u001D')],
    ['the literal \\x1d', code.replaceAll(GS, '\\x1d')],
    ['<GS>', code.replaceAll(GS, '<GS>')],
    ['^FNC1', code.replaceAll(GS, '^FNC1')],
    ['è (FNC1 read as Latin-1)', code.replaceAll(GS, 'è')],
    ['mixed separators', `${ki}<GS>91KZ01\\u001d92${tail}`],
    ['an AIM ]d2 prefix', `]d2${code}`],
    [']d2 and a leading GS', `]d2${GS}${code}`],
    ['a leading GS', `${GS}${code}`],
    ['a leading ^FNC1', `^FNC1${code.replaceAll(GS, '^FNC1')}`],
    ['a leading è', `è${code.replaceAll(GS, 'è')}`],
    ['a leading <GS>', `<GS>${code.replaceAll(GS, '<GS>')}`],
    [
      'zero-width characters and a BOM',
      `\ufeff${code.slice(0, 5)}\u200b${code.slice(5, 40)}\u200c\u200d${code.slice(40)}`,
    ],
    ['a trailing CR LF', `${code}\r\n`],
  ])('parses %s', (_, input) => {
    expect(parseMarkingCode(input)).toEqual(expected);
  });

  test('a serial containing <GS> is data, not a separator', () => {
    const tricky = buildMarkingCode({ gtin, serial: '3ab<GS>cdefgh', key });
    expect(parseMarkingCode(tricky)?.serial).toBe('3ab<GS>cdefgh');
    expect(parseMarkingCode(tricky.replaceAll(GS, '<GS>'))?.code).toBe(tricky);
  });

  test('an 88-character verification code (another EAEU operator) parses but does not verify', () => {
    const tail88 = `${tail}${tail}`;
    const foreign = `${ki}${GS}91EE06${GS}92${tail88}`;
    const parsed = parseMarkingCode(foreign.replaceAll(GS, '\\u001d'));
    expect(parsed).toEqual({ gtin, serial, keyId: 'EE06', verification: tail88, ki, code: foreign });
    const result = verifyMarkingCode(foreign, ring);
    expect(result.valid).toBe(false);
    expect(result.reason).toMatch(/another operator/);
    expect(result.parsed).toEqual(parsed);
  });

  test.each([
    ['empty', ''],
    ['junk', 'hello world'],
    ['the КИ alone', ki],
    ['the bracketed form without the tail', `(01)${gtin}(21)${serial}`],
    ['a wrong GTIN check digit', code.replace(gtin, '04630726321638')],
    ['a 12-character serial', `01${gtin}21${serial.slice(0, 12)}${code.slice(31)}`],
    ['a 14-character serial', `01${gtin}21${serial}x${code.slice(31)}`],
    ['a serial outside CSET 82', code.replace(serial, '5G0 VhN1qGejx')],
    ['no separators', code.replaceAll(GS, '')],
    ['no 91 group', `${ki}${GS}92${tail}`],
    ['no 92 group', `${ki}${GS}91KZ01`],
    ['a 3-character key id', `${ki}${GS}91KZ0${GS}92${tail}`],
    ['a 43-character tail', code.slice(0, -1)],
    ['a 45-character tail', `${code}A`],
    ['a tail outside CSET 82', `${code.slice(0, -1)}~`],
    ['a GS inside the tail', `${code.slice(0, 60)}${GS}${code.slice(61)}`],
    ['a space separator', code.replaceAll(GS, ' ')],
    ['a prefix other than ]d2', `]C1${code}`],
    ['AI 02 instead of 01', `02${code.slice(2)}`],
  ])('undefined for %s', (_, input) => {
    expect(parseMarkingCode(input)).toBeUndefined();
  });

  test('verification: valid with the right key, in any input form', () => {
    expect(verifyMarkingCode(code, ring)).toEqual({ valid: true, parsed: expected });
    expect(verifyMarkingCode(`]d2${code.replaceAll(GS, '<GS>')}`, ring).valid).toBe(true);
  });

  test('verification: a tampered serial, verification code or key id is invalid', () => {
    const otherSerial = verifyMarkingCode(code.replace(serial, '5G0(VhN1qGejy'), ring);
    expect(otherSerial).toMatchObject({ valid: false, reason: 'the verification code does not match' });
    const flipped = tail[0] === 'A' ? 'B' : 'A';
    expect(verifyMarkingCode(`${code.slice(0, 41)}${flipped}${tail.slice(1)}`, ring)).toMatchObject({ valid: false });
    const otherKey = verifyMarkingCode(code.replace('91KZ01', '91KZ02'), ring);
    expect(otherKey).toMatchObject({ valid: false, reason: 'unknown verification key id "KZ02"' });
    expect(otherKey.parsed?.keyId).toBe('KZ02');
    // The same id with another secret.
    expect(verifyMarkingCode(code, ringOf(generateKey('KZ01'))).valid).toBe(false);
    expect(verifyMarkingCode('junk', ring)).toEqual({ valid: false, reason: 'not a footwear marking code' });
  });

  test('key rotation: a code signed with an old key still verifies', () => {
    const newKey = generateKey('KZ02');
    const rotated = parseKeyRing(`${newKey.id}:${newKey.secret.toString('base64')},${formatKeyRing(ring)}`);
    expect(rotated.current.id).toBe('KZ02');
    expect(verifyMarkingCode(code, rotated).valid).toBe(true);
    const fresh = buildMarkingCode({ gtin, serial: randomSerial(), key: rotated.current });
    expect(fresh.slice(32, 38)).toBe('91KZ02');
    expect(verifyMarkingCode(fresh, rotated).valid).toBe(true);
    expect(verifyMarkingCode(fresh, ring)).toMatchObject({
      valid: false,
      reason: 'unknown verification key id "KZ02"',
    });
  });

  test('humanReadable', () => {
    expect(humanReadable(code)).toBe(`(01)${gtin}(21)${serial}(91)KZ01(92)${tail}`);
    expect(humanReadable(code.replaceAll(GS, '\\u001d'))).toBe(humanReadable(code));
    expect(() => humanReadable('junk')).toThrow(RangeError);
  });

  test('property: any GTIN, any CSET-82 serial and key id round-trip in every separator form', () => {
    const cset82 = fc.constantFrom(...CSET82);
    const gtinArb = fc.stringMatching(/^\d{13}$/).map((first13) => `${first13}${gtinCheckDigit(first13)}`);
    const serialArb = fc.string({ unit: cset82, minLength: 13, maxLength: 13 });
    const keyIdArb = fc.string({ unit: cset82, minLength: 4, maxLength: 4 });
    const separator = fc.constantFrom(GS, '\\u001d', '<GS>', '^FNC1', 'è');
    fc.assert(
      fc.property(gtinArb, serialArb, keyIdArb, separator, fc.boolean(), (g, s, id, sep, aim) => {
        const k = { id, secret: key.secret };
        const built = buildMarkingCode({ gtin: g, serial: s, key: k });
        const parsed = parseMarkingCode(`${aim ? ']d2' : ''}${built.replaceAll(GS, sep)}`);
        expect(parsed).toEqual({
          gtin: g,
          serial: s,
          keyId: id,
          verification: built.slice(41),
          ki: `01${g}21${s}`,
          code: built,
        });
        expect(verifyMarkingCode(built, ringOf(k)).valid).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('key rings', () => {
  // Fixed secrets keep the test names below stable.
  const a = { id: 'KZ01', secret: Buffer.alloc(32, 0xa1) };
  const b = { id: 'KZ02', secret: Buffer.from([...Array(32).keys()]) };
  const b64 = (k: { secret: Buffer }) => k.secret.toString('base64');

  test('parse and format are inverse; the first key is current', () => {
    const text = `KZ02:${b64(b)},KZ01:${b64(a)}`;
    const ring = parseKeyRing(text);
    expect(ring.current.id).toBe('KZ02');
    expect(ring.current.secret.equals(b.secret)).toBe(true);
    expect([...ring.byId.keys()]).toEqual(['KZ02', 'KZ01']);
    expect(ring.byId.get('KZ01')?.secret.equals(a.secret)).toBe(true);
    expect(formatKeyRing(ring)).toBe(text);
    // Current first even when the map has it later.
    expect(
      formatKeyRing({
        current: b,
        byId: new Map([
          [a.id, a],
          [b.id, b],
        ]),
      }),
    ).toBe(text);
  });

  test('whitespace and newlines around entries, a trailing comma, ids with , and :', () => {
    const ring = parseKeyRing(`\n  KZ01:${b64(a)} ,\n\tKZ02:${b64(b)}\n,\n`);
    expect([...ring.byId.keys()]).toEqual(['KZ01', 'KZ02']);
    const odd = parseKeyRing(`a,b::${b64(a)},:::::${b64(b)}`);
    expect([...odd.byId.keys()]).toEqual(['a,b:', '::::']);
    expect(parseKeyRing(formatKeyRing(odd)).byId.get('::::')?.secret.equals(b.secret)).toBe(true);
  });

  test.each([
    ['', /empty/],
    ['  \n ', /empty/],
    [',', /entry 1 is empty/],
    [`KZ1:${b64(a)}`, /expected a key id of 4 characters of GS1 CSET 82 and ':', found "KZ1"/],
    [`KZ001:${b64(a)}`, /found "KZ001"/],
    [`KZ 1:${b64(a)}`, /key id "KZ 1" must be 4 characters/],
    [`KZ01${b64(a)}`, /found "KZ01…" without ':'/],
    ['KZ01:', /secret of key "KZ01" must be the base64 of exactly 32 bytes/],
    ['KZ01:not base64!', /secret of key "KZ01"/],
    [`KZ01:${Buffer.alloc(16).toString('base64')}`, /secret of key "KZ01"/],
    [`KZ01:${Buffer.alloc(33).toString('base64')}`, /secret of key "KZ01"/],
    [`KZ01:${b64(a).slice(0, -1)}`, /secret of key "KZ01"/],
    [`KZ01:${b64(a).replace(/[+/]/g, '-')}X`, /secret of key "KZ01"/],
    [`KZ01:${b64(a)},KZ01:${b64(b)}`, /key id "KZ01" appears more than once/],
    [`KZ01:${b64(a)},,KZ02:${b64(b)}`, /entry 2 is empty/],
    [`KZ01:${b64(a)} KZ02:${b64(b)}`, /expected ','/],
  ])('parseKeyRing(%j) throws', (text, message) => {
    expect(() => parseKeyRing(text)).toThrow(message);
  });

  test('errors never show a secret', () => {
    const secret = Buffer.alloc(31, 7).toString('base64');
    for (const text of [`KZ01:${secret}`, `KZ01${b64(a)}`, `KZ1:${b64(a)}`, `KZ01:${b64(a)},KZ01:${b64(a)}`]) {
      const error = (() => {
        try {
          parseKeyRing(text);
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      })();
      expect(error).toMatch(/^key ring/);
      expect(error).not.toContain(secret.slice(0, 8));
      expect(error).not.toContain(b64(a).slice(0, 8));
    }
  });

  test('generateKey', () => {
    const key = generateKey('KZ01');
    expect(key.id).toBe('KZ01');
    expect(key.secret).toHaveLength(32);
    expect(key.secret.equals(generateKey('KZ01').secret)).toBe(false);
    expect(() => generateKey('KZ1')).toThrow(RangeError);
  });

  test('loadOrCreateKeyRing creates the file once (0600, directory made), then reads the same keys', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marking-keys-'));
    try {
      const file = path.join(dir, 'nested', 'deeper', 'code-keys.txt');
      const created = loadOrCreateKeyRing(file);
      expect(created.current.id).toBe('KZ01');
      expect(created.current.secret).toHaveLength(32);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(formatKeyRing(created));
      expect(fs.readdirSync(path.dirname(file))).toEqual(['code-keys.txt']);

      const again = loadOrCreateKeyRing(file);
      expect(again.current.id).toBe('KZ01');
      expect(again.current.secret.equals(created.current.secret)).toBe(true);

      const code = buildMarkingCode({ gtin: '04006381333931', serial: randomSerial(), key: created.current });
      expect(verifyMarkingCode(code, again).valid).toBe(true);

      const broken = path.join(dir, 'broken.txt');
      fs.writeFileSync(broken, 'KZ01:short');
      expect(() => loadOrCreateKeyRing(broken)).toThrow(`${broken}: key ring: the secret of key "KZ01"`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
