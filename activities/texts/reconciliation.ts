import { formatTenge } from '../../lib/money';

/** Notices about reconciliation acts (6.6-6.8, Прил. 2 п.7), in Russian as the operator sends them. */

const SIGNATURE = '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';
const ru = (date: string) => date.split('-').reverse().join('.');
/** 'YYYY-MM-DD HH:MM' → 'DD.MM.YYYY HH:MM'. */
const due = (r: ReconciliationFacts) => `${ru(r.dueAt.slice(0, 10))} ${r.dueAt.slice(11)}`;

export interface ReconciliationFacts {
  number: string;
  periodFrom: string;
  periodTo: string;
  /** 6.6.5: unused money at the end of the period, tiyn (negative: the client's debt). */
  closing: number;
  /** Local date and time the client must sign or refuse by, 'YYYY-MM-DD HH:MM'. */
  dueAt: string;
}

const title = (r: ReconciliationFacts) => `Акт сверки взаиморасчётов № ${r.number} за период с ${ru(r.periodFrom)} по ${ru(r.periodTo)}`;
const balance = (r: ReconciliationFacts) =>
  r.closing >= 0 ? `остаток неиспользованных денег на конец периода ${formatTenge(r.closing)} тенге` : `задолженность Заказчика на конец периода ${formatTenge(-r.closing)} тенге`;

export function reconciliationIssuedNotice(r: ReconciliationFacts) {
  return {
    subject: `Акт сверки взаиморасчётов № ${r.number} на подписание`,
    body:
      `Уважаемый клиент!\n\n${title(r)} подписан Оператором и размещён в Личном кабинете: ${balance(r)} (п. 6.6 Договора).\n\n` +
      `Подпишите акт сверки ЭЦП или направьте мотивированный отказ до ${due(r)} (5 рабочих дней, пп. 6.7, 6.8 Договора). ` +
      `Если в этот срок ни подписанный акт сверки, ни мотивированный отказ не поступят, акт сверки считается подписанным.` +
      SIGNATURE,
  };
}

export function reconciliationReminderNotice(r: ReconciliationFacts) {
  return {
    subject: `Напоминание: срок подписания акта сверки № ${r.number} истекает ${due(r)}`,
    body: `Уважаемый клиент!\n\n${title(r)} ожидает подписания ЭЦП или мотивированного отказа до ${due(r)} (п. 6.8 Договора). После этого срока акт сверки будет считаться подписанным.` + SIGNATURE,
  };
}

export function reconciliationAcceptedNotice(r: ReconciliationFacts) {
  return {
    subject: `Акт сверки № ${r.number} считается подписанным`,
    body:
      `Уважаемый клиент!\n\n${title(r)} не был подписан и мотивированный отказ не поступил до ${due(r)}: ` +
      `акт сверки считается подписанным со стороны Заказчика (п. 6.8 Договора).` +
      SIGNATURE,
  };
}
