import { formatDate, formatDeadline, formatDeadlineMoment, formatMoney, OPERATOR_ZONE } from '../../lib/format-ru';

/** Notices about reconciliation acts (6.6-6.8, Прил. 2 п.7), in Russian as the operator sends them. */

const SIGNATURE =
  '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';
const ru = (date: string) => formatDate(date);
/** «до конца 05.01.2027» / «до 05.01.2027 18:00». */
const by = (r: ReconciliationFacts) => formatDeadline(r.dueAt, r.zone ?? OPERATOR_ZONE);

export interface ReconciliationFacts {
  number: string;
  periodFrom: string;
  periodTo: string;
  /** 6.6.5: unused money at the end of the period, tiyn (negative: the client's debt). */
  closing: number;
  /** The instant the client must sign or refuse by (ISO 8601; the next local midnight for «to the end of a day»). */
  dueAt: string | Date;
  /** The operator's zone the deadline reads in; default Astana time. */
  zone?: string;
}

const title = (r: ReconciliationFacts) =>
  `Акт сверки взаиморасчётов № ${r.number} за период с ${ru(r.periodFrom)} по ${ru(r.periodTo)}`;
const balance = (r: ReconciliationFacts) =>
  r.closing >= 0
    ? `остаток неиспользованных денег на конец периода ${formatMoney(r.closing)}`
    : `задолженность Заказчика на конец периода ${formatMoney(-r.closing)}`;

export function reconciliationIssuedNotice(r: ReconciliationFacts) {
  return {
    subject: `Акт сверки взаиморасчётов № ${r.number} на подписание`,
    body:
      `Уважаемый клиент!\n\n${title(r)} подписан Оператором и размещён в Личном кабинете: ${balance(r)} (п. 6.6 Договора).\n\n` +
      `Подпишите акт сверки ЭЦП или направьте мотивированный отказ ${by(r)} (5 рабочих дней, пп. 6.7, 6.8 Договора). ` +
      `Если в этот срок ни подписанный акт сверки, ни мотивированный отказ не поступят, акт сверки считается подписанным.` +
      SIGNATURE,
  };
}

export function reconciliationReminderNotice(r: ReconciliationFacts) {
  return {
    subject: `Напоминание: срок подписания акта сверки № ${r.number} истекает ${formatDeadlineMoment(r.dueAt, r.zone ?? OPERATOR_ZONE)}`,
    body:
      `Уважаемый клиент!\n\n${title(r)} ожидает подписания ЭЦП или мотивированного отказа ${by(r)} (п. 6.8 Договора). После этого срока акт сверки будет считаться подписанным.` +
      SIGNATURE,
  };
}

export function reconciliationAcceptedNotice(r: ReconciliationFacts) {
  return {
    subject: `Акт сверки № ${r.number} считается подписанным`,
    body:
      `Уважаемый клиент!\n\n${title(r)} не был подписан и мотивированный отказ не поступил ${by(r)}: ` +
      `акт сверки считается подписанным со стороны Заказчика (п. 6.8 Договора).` +
      SIGNATURE,
  };
}
