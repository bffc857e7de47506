import { formatTenge } from '../../lib/money';

/** Notices about monthly acts (6.5, 6.8), in Russian as the operator sends them. */

const SIGNATURE = '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';
const ru = (date: string) => date.split('-').reverse().join('.');

export interface ActFacts {
  number: string;
  periodFrom: string;
  periodTo: string;
  total: number;
  /** Local date and time the client must sign or refuse by. */
  dueAt: string;
  revision: number;
}

const title = (a: ActFacts) => `${a.revision > 1 ? 'Исправленный акт' : 'Акт'} выполненных работ № ${a.number} за период с ${ru(a.periodFrom)} по ${ru(a.periodTo)}`;

export function actIssuedNotice(a: ActFacts) {
  return {
    subject: `${a.revision > 1 ? 'Исправленный акт' : 'Акт'} выполненных работ № ${a.number} за ${ru(a.periodFrom).slice(3)}`,
    body:
      `Уважаемый клиент!\n\n` +
      `${title(a)} на сумму ${formatTenge(a.total)} тенге (с НДС) и счёт-фактура к нему размещены в Личном кабинете.\n\n` +
      `Подпишите акт ЭЦП или направьте мотивированный отказ до ${a.dueAt} (5 рабочих дней, п. 6.8 Договора). ` +
      `Если в этот срок ни подписанный акт, ни мотивированный отказ не поступят, услуги считаются оказанными, а акт — подписанным.` +
      SIGNATURE,
  };
}

export function actReminderNotice(a: ActFacts) {
  return {
    subject: `Напоминание: срок подписания акта № ${a.number} истекает ${a.dueAt.slice(0, 10).split('-').reverse().join('.')}`,
    body:
      `Уважаемый клиент!\n\n${title(a)} ожидает подписания ЭЦП или мотивированного отказа до ${a.dueAt} (п. 6.8 Договора). ` +
      `После этого срока акт будет считаться подписанным.` +
      SIGNATURE,
  };
}

export function actAcceptedNotice(a: ActFacts) {
  return {
    subject: `Акт № ${a.number} считается подписанным`,
    body:
      `Уважаемый клиент!\n\n${title(a)} не был подписан и мотивированный отказ не поступил до ${a.dueAt}: ` +
      `услуги считаются оказанными, акт — подписанным со стороны Заказчика и действительным (п. 6.8 Договора).` +
      SIGNATURE,
  };
}
