import {
  formatDate,
  formatDeadline,
  formatDeadlineMoment,
  formatMoney,
  formatMonth,
  OPERATOR_ZONE,
} from '../../lib/format-ru';

/** Notices about monthly acts (6.5, 6.8), in Russian as the operator sends them. */

const SIGNATURE =
  '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';
const ru = (date: string) => formatDate(date);

export interface ActFacts {
  number: string;
  periodFrom: string;
  periodTo: string;
  total: number;
  /** The instant the client must sign or refuse by (ISO 8601; the next local midnight for «to the end of a day»). */
  dueAt: string | Date;
  revision: number;
  /** The operator's zone the deadline reads in; default Astana time. */
  zone?: string;
}

const by = (a: ActFacts) => formatDeadline(a.dueAt, a.zone ?? OPERATOR_ZONE);

const title = (a: ActFacts) =>
  `${a.revision > 1 ? 'Исправленный акт' : 'Акт'} выполненных работ № ${a.number} за период с ${ru(a.periodFrom)} по ${ru(a.periodTo)}`;

export function actIssuedNotice(a: ActFacts) {
  return {
    subject: `${a.revision > 1 ? 'Исправленный акт' : 'Акт'} выполненных работ № ${a.number} за ${formatMonth(a.periodFrom)}`,
    body:
      `Уважаемый клиент!\n\n` +
      `${title(a)} на сумму ${formatMoney(a.total)} (с НДС) и счёт-фактура к нему размещены в Личном кабинете.\n\n` +
      `Подпишите акт ЭЦП или направьте мотивированный отказ ${by(a)} (5 рабочих дней, п. 6.8 Договора). ` +
      `Если в этот срок ни подписанный акт, ни мотивированный отказ не поступят, услуги считаются оказанными, а акт — подписанным.` +
      SIGNATURE,
  };
}

export function actReminderNotice(a: ActFacts) {
  return {
    subject: `Напоминание: срок подписания акта № ${a.number} истекает ${formatDeadlineMoment(a.dueAt, a.zone ?? OPERATOR_ZONE)}`,
    body:
      `Уважаемый клиент!\n\n${title(a)} ожидает подписания ЭЦП или мотивированного отказа ${by(a)} (п. 6.8 Договора). ` +
      `После этого срока акт будет считаться подписанным.` +
      SIGNATURE,
  };
}

export function actAcceptedNotice(a: ActFacts) {
  return {
    subject: `Акт № ${a.number} считается подписанным`,
    body:
      `Уважаемый клиент!\n\n${title(a)} не был подписан и мотивированный отказ не поступил ${by(a)}: ` +
      `услуги считаются оказанными, акт — подписанным со стороны Заказчика и действительным (п. 6.8 Договора).` +
      SIGNATURE,
  };
}
