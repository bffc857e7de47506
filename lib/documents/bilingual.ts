import { CATALOGUES, message } from '../i18n/messages';
import { FONT, FONT_BOLD, type Pdf } from './pdf';

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

/** A label of a form or a table's header: the Kazakh above the Russian (once, where both write it alike: «Дебет»). */
export const label = (key: string, values?: Values): string => {
  const { kk, ru } = both(key, values);
  return kk === ru ? ru : `${kk}\n${ru}`;
};

/** A label on one line, «Kazakh / Russian»: totals, signatures, metadata. */
export const inline = (key: string, values?: Values): string => {
  const { kk, ru } = both(key, values);
  return kk === ru ? ru : `${kk} / ${ru}`;
};

/*
 * Texts a document gets as data, in Russian: a line's service and unit (activities/acts.ts, activities/invoices.ts), a
 * movement of the reconciliation act (./reconciliation-pdf.ts). They are the Russian of the catalogue's `service.*`,
 * `unit.*` and `reconciliation.movement.*`; a document prints one the catalogue knows in both languages, any other text
 * (an older wording, a name given by hand) as it is.
 */

/** The Russian of a text a document gets as data: what the activities put in the document. */
export const russian = (key: string): string => message('ru', `documents.${key}`);

const DATA_KEY = /^documents\.(service|unit|reconciliation\.movement)\./;
let dataKeys: Map<string, string> | undefined;

/** A text a document got as data in both languages, when the catalogue knows its Russian (under `within`, if given). */
export function known(text: string, within = ''): Both | undefined {
  dataKeys ??= new Map(
    Object.keys(CATALOGUES.ru)
      .filter((key) => DATA_KEY.test(key))
      .map((key) => [message('ru', key), key.slice('documents.'.length)]),
  );
  const key = dataKeys.get(text);
  return key === undefined || !key.startsWith(within) ? undefined : both(key);
}

/** A text a document got as data, for a table's cell: the Kazakh above the Russian when the catalogue knows it. */
export const cell = (text: string): string => {
  const found = known(text);
  return found && found.kk !== found.ru ? `${found.kk}\n${found.ru}` : text;
};

/* Drawn into a document: */

/** A section's title, «Kazakh / Russian». */
export function section(doc: Pdf, title: Both): void {
  doc.moveDown(0.6).font(FONT_BOLD).fontSize(10).text(`${title.kk} / ${title.ru}`).font(FONT).fontSize(9).moveDown(0.2);
}

/** A paragraph in Kazakh, then the same in Russian. */
export function paragraph(doc: Pdf, text: Both): void {
  doc.text(text.kk).moveDown(0.2).text(text.ru);
}

/** The footnote under a document, in Kazakh then Russian. */
export function footer(doc: Pdf, text: Both): void {
  doc.moveDown(1.5).fontSize(7).fillColor('#666666').text(text.kk).text(text.ru).fillColor('black').fontSize(9);
}

/** The heading: the title in Kazakh, then in Russian, and the line under it. */
export function heading(doc: Pdf, title: Both, under?: Both): void {
  doc.font(FONT_BOLD).fontSize(13).text(title.kk, { align: 'center' }).fontSize(14).text(title.ru, { align: 'center' });
  doc.font(FONT).fontSize(10);
  if (under) doc.text(under.kk, { align: 'center' }).text(under.ru, { align: 'center' });
  doc.fontSize(9);
}

/** «От Исполнителя: подписано ЭЦП» in Kazakh, then in Russian; then the signatory's name, if given. */
export function signature(doc: Pdf, who: string, how: Both, name?: string): void {
  const by = both(who);
  for (const language of ['kk', 'ru'] as const)
    doc.font(FONT_BOLD).text(`${by[language]}: `, { continued: true }).font(FONT).text(how[language]);
  if (name) doc.fontSize(8).fillColor('#444444').text(name).fillColor('black').fontSize(9);
}
