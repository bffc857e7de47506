import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseMessage, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { GLOSSARY } from '../../lib/i18n/glossary';
import { glossaryMarkdown } from '../../lib/i18n/glossary-doc';
import { LANGUAGES, type Language } from '../../lib/i18n/languages';
import { IntlMessageFormat } from 'intl-messageformat';
import { CONSOLE_CATALOGUES, consoleCatalogue } from '../../lib/i18n/console-messages';
import { CATALOGUES, message } from '../../lib/i18n/messages';

const ROOT = join(__dirname, '..', '..');
const [kk, ru] = [CATALOGUES.kk, CATALOGUES.ru];

type Catalogue = Record<string, string>;
/** Every console catalogue of a language, as one (their keys are prefixed with the page). */
const consoles = (language: Language): Catalogue =>
  Object.assign({}, ...CONSOLE_CATALOGUES.map((name) => consoleCatalogue(language, name))) as Catalogue;
/**
 * The server's catalogues (errors, documents, e-mails: formatted by @formatjs/intl) and the pages' (formatted in the
 * browser by IntlMessageFormat, tags not read as markup).
 */
const SETS: [string, Record<Language, Catalogue>, (language: Language, key: string) => string, boolean][] = [
  ["the server's catalogues", CATALOGUES, message, false],
  [
    "the pages' catalogues",
    { kk: consoles('kk'), ru: consoles('ru') },
    (language, key) =>
      String(new IntlMessageFormat(consoles(language)[key], language, undefined, { ignoreTag: true }).format()),
    true,
  ],
];

/** A message's placeholders and their kinds (argument, number, date, plural, select…), nested ones included. */
function placeholders(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if ('value' in element && typeof element.value === 'string' && element.type !== TYPE.literal)
      found.add(`${element.value}:${TYPE[element.type]}`);
    if ('options' in element) for (const option of Object.values(element.options)) placeholders(option.value, found);
    if (element.type === TYPE.tag) placeholders(element.children, found);
  }
  return found;
}

describe.each(SETS)('%s (kk, ru)', (_name, catalogues, format, ignoreTag) => {
  const [kk, ru] = [catalogues.kk, catalogues.ru];
  const parse = (text: string) => parseMessage(text, { ignoreTag });
  test('have the same keys', () => {
    expect(Object.keys(kk).sort()).toEqual(Object.keys(ru).sort());
    expect(Object.keys(kk).length).toBeGreaterThan(0);
  });

  test('each message parses as ICU and has the same placeholders in both languages', () => {
    for (const key of Object.keys(kk)) {
      const [inKk, inRu] = [placeholders(parse(kk[key])), placeholders(parse(ru[key]))];
      expect({ key, placeholders: [...inKk].sort() }).toEqual({ key, placeholders: [...inRu].sort() });
    }
  });

  test('a message without placeholders formats as written (no ICU escape swallowed a character)', () => {
    for (const language of LANGUAGES)
      for (const [key, text] of Object.entries(catalogues[language]))
        if (placeholders(parse(text)).size === 0) expect({ key, text: format(language, key) }).toEqual({ key, text });
  });

  test('Kazakh messages are Kazakh: Cyrillic, the Kazakh letters used, none a copy of the Russian', () => {
    const all = Object.values(kk).join(' ');
    expect(all).toMatch(/[әғқңөұүі]/);
    for (const [key, text] of Object.entries(kk)) {
      expect({ key, cyrillic: /[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/.test(text) }).toEqual({ key, cyrillic: true });
      // The same in both only for one word the two languages share (Дебет, Кредит).
      if (/\s/.test(text)) expect({ key, same: text === ru[key] }).toEqual({ key, same: false });
    }
  });

  test('a term of the contract named in Russian is named by its one Kazakh term (the glossary)', () => {
    for (const term of GLOSSARY)
      for (const key of Object.keys(ru)) {
        if (term.ruStem.test(ru[key]))
          expect({ key, term: term.ru, kk: kk[key], has: term.kkStem.test(kk[key]) }).toMatchObject({ has: true });
        if (term.kkNot)
          expect({ key, term: term.ru, kk: kk[key], avoided: !term.kkNot.test(kk[key]) }).toMatchObject({
            avoided: true,
          });
      }
  });
});

test('docs/GLOSSARY.md is the glossary as rendered (npx tsx ops/i18n-glossary.ts)', () => {
  expect(readFileSync(join(ROOT, 'docs', 'GLOSSARY.md'), 'utf8')).toBe(glossaryMarkdown());
});

/** Every .ts file under a folder of the repository. */
function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder)).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The error codes the API can answer with, as the code writes them. */
function errorCodesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  const patterns = [
    /new ApiError\(\s*\d+,\s*'([A-Z][A-Z0-9_]+)'/g,
    /\b(?:conflict|badRequest|forbidden|unprocessable)\(\s*'([A-Z][A-Z0-9_]+)'/g,
    /\bcode: '([A-Z][A-Z0-9_]+)'/g,
  ];
  for (const file of [...sources('api'), ...sources('lib'), ...sources('db')]) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (!/ApiError|describeError|send\(|restResult/.test(text)) continue;
    for (const pattern of patterns) for (const match of text.matchAll(pattern)) codes.set(match[1], file);
  }
  for (const match of readFileSync(join(ROOT, 'db/ledger/book.ts'), 'utf8').matchAll(/\| '([A-Z][A-Z0-9_]+)'/g))
    codes.set(match[1], 'db/ledger/book.ts');
  if (/notFound\(/.test(readFileSync(join(ROOT, 'api/http/errors.ts'), 'utf8'))) codes.set('NOT_FOUND', 'notFound');
  return codes;
}

test('every error code the API answers with has its message in both catalogues', () => {
  const codes = errorCodesInSource();
  expect(codes.size).toBeGreaterThan(60);
  const missing = [...codes].filter(([code]) => !(`errors.${code}` in kk) || !(`errors.${code}` in ru));
  expect(missing).toEqual([]);
});
