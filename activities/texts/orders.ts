import { formatTenge } from '../../lib/money';

/** Notices about orders for marking codes, in Russian as the operator sends them. */

const SIGNATURE = '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';

export interface OrderFacts {
  orderId: string;
  registeredAt: string;
  totalCodes: number;
  gtins: string[];
}

export function orderDeclinedNotice(o: OrderFacts & { neededTiyn: number; availableTiyn: number; accountNumber: string }) {
  return {
    subject: `Заказ кодов маркировки ${o.orderId} отклонён: недостаточно средств`,
    body:
      `Уважаемый клиент!\n\n` +
      `Заказ ${o.orderId} от ${o.registeredAt} на ${o.totalCodes} кодов маркировки (GTIN: ${o.gtins.join(', ')}) не исполнен: ` +
      `на лицевом счёте ${o.accountNumber} недостаточно денег для оплаты эмиссии.\n` +
      `Стоимость заказа с НДС: ${formatTenge(o.neededTiyn)} тенге; доступный остаток: ${formatTenge(o.availableTiyn)} тенге.\n\n` +
      `Деньги не зарезервированы. Пополните лицевой счёт и отправьте заказ повторно (пп. 3.2, 4.3.7 Договора).` +
      SIGNATURE,
  };
}

export function orderReadyNotice(o: OrderFacts & { reservedTiyn: number; expiresOn: string }) {
  return {
    subject: `Коды маркировки по заказу ${o.orderId} готовы`,
    body:
      `Уважаемый клиент!\n\n` +
      `По заказу ${o.orderId} от ${o.registeredAt} эмитировано ${o.totalCodes} кодов маркировки (GTIN: ${o.gtins.join(', ')}), ` +
      `коды имеют статус «эмитирован».\n` +
      `На лицевом счёте зарезервировано ${formatTenge(o.reservedTiyn)} тенге; списание происходит при скачивании кодов, ` +
      `коды получают статус «нанесён и оплачен» (пп. 3.2, 6.4 Договора).\n\n` +
      `Скачайте коды до ${o.expiresOn}: не скачанные к этому дню коды аннулируются, резерв возвращается на лицевой счёт.` +
      SIGNATURE,
  };
}

export function emissionLateNotice(o: OrderFacts & { deadline: string }) {
  return {
    subject: `Задержка эмиссии по заказу ${o.orderId}`,
    body:
      `Уважаемый клиент!\n\n` +
      `Коды маркировки по заказу ${o.orderId} от ${o.registeredAt} не предоставлены в срок 4 часа с момента регистрации ` +
      `заказа (до ${o.deadline}, п. 4.4.4 Договора). Эмиссия продолжается; мы сообщим о готовности кодов.\n\n` +
      `Обращение в службу поддержки зарегистрировано с высоким приоритетом. Вы вправе требовать возмещения ` +
      `реального ущерба, причинённого просрочкой (п. 7.3 Договора).` +
      SIGNATURE,
  };
}

export function applicationReminderNotice(o: { orderId: string; gtin: string; codes: number; deliveredAt: string; applyBy: string }) {
  return {
    subject: `Срок нанесения кодов маркировки истекает ${o.applyBy}`,
    body:
      `Уважаемый клиент!\n\n` +
      `Коды маркировки, полученные ${o.deliveredAt} по заказу ${o.orderId} (GTIN ${o.gtin}), ещё не введены в оборот: ${o.codes} шт.\n` +
      `Коды наносятся на товар, потребительскую упаковку или ярлык в течение 30 рабочих дней с даты получения — ` +
      `последний день ${o.applyBy} (п. 4.1.6 Договора).` +
      SIGNATURE,
  };
}
