import { message } from '../i18n/messages';

/**
 * The documents' texts in both languages, Kazakh first, as operators in Kazakhstan issue them (the law «О языках в
 * Республике Казахстан», art. 21): a heading or a paragraph in Kazakh, then in Russian; a label with the Kazakh above
 * the Russian. From the catalogues' `documents` namespace (lib/i18n/catalogues/{kk,ru}/documents.json).
 */
export interface Both {
  kk: string;
  ru: string;
}

type Values = Record<string, string>;

export const both = (key: string, values?: Values): Both => ({
  kk: message('kk', `documents.${key}`, values),
  ru: message('ru', `documents.${key}`, values),
});

/** A label of a form or a table's header: the Kazakh above the Russian. */
export const label = (key: string, values?: Values): string => {
  const { kk, ru } = both(key, values);
  return `${kk}\n${ru}`;
};

/** A label on one line, «Kazakh / Russian»: totals, signatures, metadata. */
export const inline = (key: string, values?: Values): string => {
  const { kk, ru } = both(key, values);
  return `${kk} / ${ru}`;
};
