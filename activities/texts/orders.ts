import { formatDate, formatDateTime, formatDeadline, formatMoney, OPERATOR_ZONE } from '../../lib/format-ru';

/** Notices about orders for marking codes, in Russian as the operator sends them. */

const SIGNATURE =
  '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';

export interface OrderFacts {
  orderId: string;
  /** The instant the order was registered (ISO 8601 or a Date). */
  registeredAt: string | Date;
  totalCodes: number;
  gtins: string[];
  /** The operator's zone times read in; default Astana time. */
  zone?: string;
}

const registered = (o: OrderFacts) => formatDateTime(o.registeredAt, o.zone ?? OPERATOR_ZONE);

export function orderDeclinedNotice(
  o: OrderFacts & { neededTiyn: number; availableTiyn: number; accountNumber: string },
) {
  return {
    subject: `Заказ кодов маркировки ${o.orderId} отклонён: недостаточно средств`,
    body:
      `Уважаемый клиент!\n\n` +
      `Заказ ${o.orderId} от ${registered(o)} на ${o.totalCodes} кодов маркировки (GTIN: ${o.gtins.join(', ')}) не исполнен: ` +
      `на лицевом счёте ${o.accountNumber} недостаточно денег для оплаты эмиссии.\n` +
      `Стоимость заказа с НДС: ${formatMoney(o.neededTiyn)}; доступный остаток: ${formatMoney(o.availableTiyn)}.\n\n` +
      `Деньги не зарезервированы. Пополните лицевой счёт и отправьте заказ повторно (пп. 3.2, 4.3.7 Договора).` +
      SIGNATURE,
  };
}

/** `expiresAt`: the instant the codes must be downloaded by (the next local midnight: «до конца» that day), null if unknown. */
export function orderReadyNotice(o: OrderFacts & { reservedTiyn: number; expiresAt: string | Date | null }) {
  return {
    subject: `Коды маркировки по заказу ${o.orderId} готовы`,
    body:
      `Уважаемый клиент!\n\n` +
      `По заказу ${o.orderId} от ${registered(o)} эмитировано ${o.totalCodes} кодов маркировки (GTIN: ${o.gtins.join(', ')}), ` +
      `коды имеют статус «эмитирован».\n` +
      `На лицевом счёте зарезервировано ${formatMoney(o.reservedTiyn)}; списание происходит при скачивании кодов, ` +
      `коды получают статус «нанесён и оплачен» (пп. 3.2, 6.4 Договора).\n\n` +
      (o.expiresAt
        ? `Скачайте коды ${formatDeadline(o.expiresAt, o.zone ?? OPERATOR_ZONE)}: не скачанные к этому сроку коды аннулируются, резерв возвращается на лицевой счёт.`
        : 'Не скачанные в срок коды аннулируются, резерв возвращается на лицевой счёт.') +
      SIGNATURE,
  };
}

/** `deadline`: the instant the 4 hours ended. */
export function emissionLateNotice(o: OrderFacts & { deadline: string | Date }) {
  return {
    subject: `Задержка эмиссии по заказу ${o.orderId}`,
    body:
      `Уважаемый клиент!\n\n` +
      `Коды маркировки по заказу ${o.orderId} от ${registered(o)} не предоставлены в срок 4 часа с момента регистрации ` +
      `заказа (до ${formatDateTime(o.deadline, o.zone ?? OPERATOR_ZONE)}, п. 4.4.4 Договора). Эмиссия продолжается; мы сообщим о готовности кодов.\n\n` +
      `Обращение в службу поддержки зарегистрировано с высоким приоритетом. Вы вправе требовать возмещения ` +
      `реального ущерба, причинённого просрочкой (п. 7.3 Договора).` +
      SIGNATURE,
  };
}

/** `deliveredAt`: the instant the codes were received; `applyBy`: the last day to apply them, a local date 'YYYY-MM-DD'. */
export function applicationReminderNotice(o: {
  orderId: string;
  gtin: string;
  codes: number;
  deliveredAt: string | Date;
  applyBy: string;
  zone?: string;
}) {
  return {
    subject: `Срок нанесения кодов маркировки истекает ${formatDate(o.applyBy)}`,
    body:
      `Уважаемый клиент!\n\n` +
      `Коды маркировки, полученные ${formatDate(o.deliveredAt, o.zone ?? OPERATOR_ZONE)} по заказу ${o.orderId} (GTIN ${o.gtin}), ещё не введены в оборот: ${o.codes} шт.\n` +
      `Коды наносятся на товар, потребительскую упаковку или ярлык в течение 30 рабочих дней с даты получения — ` +
      `последний день ${formatDate(o.applyBy)} (п. 4.1.6 Договора).` +
      SIGNATURE,
  };
}
