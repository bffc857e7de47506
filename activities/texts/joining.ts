import { formatDate, formatDateTime, OPERATOR_ZONE } from '../../lib/format-ru';
import type { OutgoingMail } from '../../lib/mailer';

/** E-mails of the joining process, in Russian as the operator sends them. */

const SIGNATURE =
  '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';

export function accessNotice(a: {
  to: string;
  number: string;
  companyName: string;
  joinedOn: string;
  effectiveFrom: string;
  accountNumber: string;
  token: string;
  apiUrl: string;
}): Omit<OutgoingMail, 'messageId'> {
  return {
    to: a.to,
    subject: `Доступ к ИС МПТ предоставлен — заявление ${a.number}`,
    text:
      `Уважаемый клиент!\n\n` +
      `Заявление ${a.number} о присоединении к Типовому договору предоставления доступа к услугам Единого оператора ` +
      `маркировки и прослеживаемости товаров (${a.companyName}) рассмотрено, учётная запись активирована.\n\n` +
      `Дата присоединения (дата подписания заявления ЭЦП): ${ru(a.joinedOn)}.\n` +
      `Договор действует с ${ru(a.effectiveFrom)} (п. 10.5.3 Договора).\n` +
      `Номер лицевого счёта: ${a.accountNumber}. Указывайте его в назначении платежа при пополнении (п. 3.4).\n\n` +
      `Ключ доступа к API (показывается один раз, храните его в тайне):\n${a.token}\n\n` +
      `Адрес API: ${a.apiUrl} (заголовок Authorization: Bearer <ключ> или clientToken).` +
      SIGNATURE,
  };
}

export function rejectionNotice(a: {
  to: string;
  number: string;
  companyName: string;
  reason: string;
}): Omit<OutgoingMail, 'messageId'> {
  return {
    to: a.to,
    subject: `Отказ в активации учётной записи — заявление ${a.number}`,
    text:
      `Уважаемый клиент!\n\n` +
      `По заявлению ${a.number} о присоединении к Типовому договору (${a.companyName}) в активации учётной записи ` +
      `в ИС МПТ отказано (п. 10.5.3 Договора).\n\nПричина: ${a.reason}\n\n` +
      `После устранения причины вы можете подать новое заявление.` +
      SIGNATURE,
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

const ru = (date: string) => formatDate(date);
