import { formatDate, formatMoney } from '../../lib/format-ru';
import type { Language } from '../../lib/i18n/languages';
import { clientNotice, mailText } from './bilingual';

/**
 * Notices about the personal account and the price of codes as the operator sends them: in the client's language,
 * the other below (./bilingual.ts; Russian first when not told); the subject in the client's language.
 */

type Notice = { subject: string; body: string };

export function paymentCreditedNotice(a: {
  accountNumber: string;
  amountTiyn: number;
  documentNumber: string;
  documentDate: string;
  receivedOn: string;
  payerName: string;
  availableTiyn: number;
  language?: Language;
}): Notice {
  const language = a.language ?? 'ru';
  const amount = formatMoney(a.amountTiyn);
  return {
    subject: mailText(language, 'account.creditedSubject', { amount, account: a.accountNumber }),
    body: clientNotice(language, (l) =>
      mailText(l, 'account.credited', {
        account: a.accountNumber,
        amount,
        document: a.documentNumber,
        documentDate: formatDate(a.documentDate),
        payer: a.payerName,
        receivedOn: formatDate(a.receivedOn),
        available: formatMoney(a.availableTiyn),
      }),
    ),
  };
}

/** 6.1: an announced change of the price withdrawn before its date (and what replaces it, if anything). */
export function tariffWithdrawnNotice(
  a: {
    pricePerCodeTiyn: number;
    effectiveFrom: string;
    reason: string;
    replacement: { pricePerCodeTiyn: number; effectiveFrom: string } | null;
  },
  language: Language = 'ru',
): Notice {
  const date = formatDate(a.effectiveFrom);
  const replacement = a.replacement;
  return {
    subject: mailText(language, 'account.tariffWithdrawnSubject', { date }),
    body: clientNotice(
      language,
      (l) =>
        `${mailText(l, 'account.tariffWithdrawn', { price: formatMoney(a.pricePerCodeTiyn), date, reason: a.reason })}\n\n` +
        (replacement
          ? mailText(l, 'account.tariffReplaced', {
              date: formatDate(replacement.effectiveFrom),
              price: formatMoney(replacement.pricePerCodeTiyn),
            })
          : mailText(l, 'account.tariffKept')),
    ),
  };
}

export function tariffChangeNotice(
  a: {
    pricePerCodeTiyn: number;
    previousPerCodeTiyn: number | null;
    effectiveFrom: string;
    basis: string;
  },
  language: Language = 'ru',
): Notice {
  const date = formatDate(a.effectiveFrom);
  const previous = a.previousPerCodeTiyn;
  return {
    subject: mailText(language, 'account.tariffChangeSubject', { date }),
    body: clientNotice(language, (l) =>
      mailText(l, 'account.tariffChange', {
        date,
        price: formatMoney(a.pricePerCodeTiyn),
        previous: previous === null ? '' : mailText(l, 'account.previousPrice', { price: formatMoney(previous) }),
        basis: a.basis,
      }),
    ),
  };
}
