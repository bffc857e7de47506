import type { Language } from '../../lib/i18n/languages';
import { message } from '../../lib/i18n/messages';

/**
 * E-mails to a client in the language it chose (issue #21: at joining, changeable in the profile) with the other
 * language below, a rule between them. From the catalogues' `emails` namespace.
 */
export const RULE = '\n\n────────────\n\n';

/** The client's language first, then the other. */
export const inOrder = (first: Language): [Language, Language] => (first === 'kk' ? ['kk', 'ru'] : ['ru', 'kk']);

/** A message of the e-mails' catalogue in one language. */
export const mailText = (language: Language, key: string, values?: Record<string, string | number>): string =>
  message(language, `emails.${key}`, values);

/** A text written for each language, the client's first. */
export function bilingualText(first: Language, write: (language: Language) => string): string {
  return inOrder(first).map(write).join(RULE);
}

/**
 * A notice's body: «Уважаемый клиент!» and its text in each language, the client's first, then the operator's
 * signature in both.
 */
export function clientNotice(first: Language, write: (language: Language) => string): string {
  const signature = inOrder(first)
    .map((l) => mailText(l, 'operator.signature'))
    .join('\n');
  return bilingualText(first, (l) => `${mailText(l, 'notice.greeting')}\n\n${write(l)}`) + `\n\n--\n${signature}`;
}
