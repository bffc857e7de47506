import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import kkDocuments from './catalogues/kk/documents.json';
import kkEmails from './catalogues/kk/emails.json';
import kkErrors from './catalogues/kk/errors.json';
import kkValidation from './catalogues/kk/validation.json';
import ruDocuments from './catalogues/ru/documents.json';
import ruEmails from './catalogues/ru/emails.json';
import ruErrors from './catalogues/ru/errors.json';
import ruValidation from './catalogues/ru/validation.json';
import type { Language } from './languages';

/**
 * The message catalogues, one per language: ICU messages (FormatJS) by key, `<namespace>.<name>`, formatted with the
 * language's own plural rules, numbers and dates from `Intl`. Both catalogues have the same keys and placeholders
 * (test/unit/i18n-catalogues.test.ts).
 */
type Catalogue = Record<string, string>;

const prefixed = (namespace: string, messages: Catalogue): Catalogue =>
  Object.fromEntries(Object.entries(messages).map(([key, message]) => [`${namespace}.${key}`, message]));

export const CATALOGUES: Record<Language, Catalogue> = {
  kk: {
    ...prefixed('errors', kkErrors),
    ...prefixed('validation', kkValidation),
    ...prefixed('documents', kkDocuments),
    ...prefixed('emails', kkEmails),
  },
  ru: {
    ...prefixed('errors', ruErrors),
    ...prefixed('validation', ruValidation),
    ...prefixed('documents', ruDocuments),
    ...prefixed('emails', ruEmails),
  },
};

const cache = createIntlCache();
const intls = new Map<Language, IntlShape>();

/** The language's formatter over its catalogue (one per process: FormatJS caches the compiled messages). */
export function intlOf(language: Language): IntlShape {
  let intl = intls.get(language);
  if (!intl) {
    intl = createIntl(
      {
        locale: language,
        messages: CATALOGUES[language],
        onError: (error) => {
          throw error;
        },
      },
      cache,
    );
    intls.set(language, intl);
  }
  return intl;
}

export const hasMessage = (language: Language, key: string): boolean => key in CATALOGUES[language];

/** A message of the catalogue, its placeholders filled; a key missing from the catalogue is an error. */
export function message(language: Language, key: string, values?: Record<string, string | number | Date>): string {
  if (!hasMessage(language, key)) throw new Error(`no message ${key} in the ${language} catalogue`);
  return intlOf(language).formatMessage({ id: key }, values) as string;
}
