import { formatMoney } from '../../lib/format-ru';
import type { RefundClause } from '../../lib/refund-rules';

/** Notices about refunds (6.11, 3.7), in Russian as the operator sends them. */

const SIGNATURE =
  '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';

export function refundPaidNotice(r: {
  amountTiyn: number;
  feeTiyn: number;
  clientFeesTiyn: number;
  iik: string;
  clause: RefundClause;
}) {
  const basis = {
    '3.7': 'услуги не использовались в течение одного календарного года с даты оплаты аванса (п. 3.7 Договора)',
    '4.1.2':
      'в связи с отказом от Договора из-за существенного нарушения Оператором его условий (пп. 4.1.2, 10.4.2 Договора)',
    '10.4': 'в связи с прекращением Договора (п. 10.4 Договора)',
    '6.11': 'по вашему обращению (п. 6.11 Договора)',
  }[r.clause];
  const transfer = r.amountTiyn - r.feeTiyn + r.clientFeesTiyn;
  return {
    subject: `Возврат неиспользованного аванса: ${formatMoney(transfer)}`,
    body:
      `Уважаемый клиент!\n\nНеиспользованный аванс ${formatMoney(r.amountTiyn)} возвращается ${basis} на счёт ${r.iik}` +
      (r.feeTiyn ? ` за вычетом фактических расходов Оператора на банковские услуги ${formatMoney(r.feeTiyn)}` : '') +
      (r.clientFeesTiyn
        ? ` вместе с вашими расходами по оплате банковских комиссий ${formatMoney(r.clientFeesTiyn)}`
        : '') +
      (r.feeTiyn || r.clientFeesTiyn ? `: к перечислению ${formatMoney(transfer)}.` : '.') +
      (r.clause === '3.7'
        ? '\n\nС возвратом аванса Договор прекращает действие, лицевой счёт закрывается (п. 3.7 Договора).'
        : '') +
      SIGNATURE,
  };
}

export function refundRefusedNotice(r: { reason: string }) {
  return {
    subject: 'Ответ на обращение о возврате аванса',
    body:
      `Уважаемый клиент!\n\nВ возврате неиспользованного аванса отказано (п. 6.11 Договора).\n\nПричина: ${r.reason}` +
      SIGNATURE,
  };
}
