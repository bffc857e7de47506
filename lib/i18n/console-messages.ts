import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LANGUAGES, type Language } from './languages';

/**
 * The consoles' and the cabinet's messages: one catalogue a page and language (catalogues/<language>/consoles/<page>.json),
 * plus `common` (the sign-in, the header, the language switch: what every page shows). Keys are `<page>.<name>`; a page
 * gets its own and the common ones, both languages, as the script /console/messages/<page>.js (MESSAGES), which the
 * browser formats with FormatJS's IntlMessageFormat (api/consoles/i18n.js).
 */
export const CONSOLE_PAGES = [
  'cabinet',
  'cabinet-codes',
  'cabinet-support',
  'cabinet-company',
  'cabinet-sign-in',
  'support',
  'accounting',
  'moderation',
  'contracts',
] as const;
export type ConsolePage = (typeof CONSOLE_PAGES)[number];
export const CONSOLE_CATALOGUES = ['common', ...CONSOLE_PAGES] as const;

type Catalogue = Record<string, string>;
const CATALOGUE_DIR = path.join(__dirname, 'catalogues');

/** One console catalogue of a language, its keys prefixed with the catalogue's name. */
export function consoleCatalogue(language: Language, name: (typeof CONSOLE_CATALOGUES)[number]): Catalogue {
  const file = path.join(CATALOGUE_DIR, language, 'consoles', `${name}.json`);
  const messages = JSON.parse(readFileSync(file, 'utf8')) as Catalogue;
  return Object.fromEntries(Object.entries(messages).map(([key, text]) => [`${name}.${key}`, text]));
}

/** The script a page loads before its own: `MESSAGES`, its messages and the common ones in both languages. */
export function consoleMessagesScript(page: ConsolePage): string {
  const messages = Object.fromEntries(
    LANGUAGES.map((language) => [
      language,
      { ...consoleCatalogue(language, 'common'), ...consoleCatalogue(language, page) },
    ]),
  );
  return `'use strict';\n/* The page's messages in both languages (lib/i18n/catalogues/<language>/consoles). */\nconst MESSAGES = ${JSON.stringify(messages)};\n`;
}
