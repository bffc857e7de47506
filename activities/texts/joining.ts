import { formatDate, formatDateTime, OPERATOR_ZONE } from '../../lib/format-ru';
import type { Language } from '../../lib/i18n/languages';
import type { OutgoingMail } from '../../lib/mailer';
import { clientNotice, mailText } from './bilingual';

/**
 * E-mails of the joining process as the operator sends them: to the applicant in the language its form chose, the
 * other below (./bilingual.ts; Russian first when not told), the subject in that language; to the moderators in
 * Russian.
 */

export function accessNotice(a: {
  to: string;
  number: string;
  companyName: string;
  joinedOn: string;
  effectiveFrom: string;
  accountNumber: string;
  token: string;
  apiUrl: string;
  language?: Language;
}): Omit<OutgoingMail, 'messageId'> {
  const language = a.language ?? 'ru';
  // The key is shown once: in the applicant's language; the other part points to it.
  const key = (l: Language) =>
    l === language
      ? mailText(l, 'joining.token', { token: a.token, apiUrl: a.apiUrl, key: mailText(l, 'joining.key') })
      : mailText(l, 'joining.tokenAbove');
  return {
    to: a.to,
    subject: mailText(language, 'joining.accessSubject', { number: a.number }),
    text: clientNotice(
      language,
      (l) =>
        `${mailText(l, 'joining.access', {
          number: a.number,
          company: a.companyName,
          joinedOn: formatDate(a.joinedOn),
          effectiveFrom: formatDate(a.effectiveFrom),
          account: a.accountNumber,
        })}\n\n${key(l)}`,
    ),
  };
}

export function rejectionNotice(a: {
  to: string;
  number: string;
  companyName: string;
  reason: string;
  language?: Language;
}): Omit<OutgoingMail, 'messageId'> {
  const language = a.language ?? 'ru';
  return {
    to: a.to,
    subject: mailText(language, 'joining.rejectedSubject', { number: a.number }),
    text: clientNotice(language, (l) =>
      mailText(l, 'joining.rejected', { number: a.number, company: a.companyName, reason: a.reason }),
    ),
  };
}

export function moderationReminder(a: {
  to: string;
  number: string;
  companyName: string;
  binIin: string;
  /** The instant the application was submitted (ISO 8601 or a Date). */
  submittedAt: string | Date;
  reminder: number;
  consoleUrl: string;
  zone?: string;
}): Omit<OutgoingMail, 'messageId'> {
  return {
    to: a.to,
    subject: `Напоминание: заявление ${a.number} ожидает модерации`,
    text:
      `Заявление ${a.number} (${a.companyName}, БИН/ИИН ${a.binIin}) подано ${formatDateTime(a.submittedAt, a.zone ?? OPERATOR_ZONE)} ` +
      `и ожидает решения модератора более ${a.reminder} рабочего дня.\n\nОткрыть очередь модерации: ${a.consoleUrl}`,
  };
}
