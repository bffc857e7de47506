import { formatTenge } from '../../lib/money';

/** Notices about refunds (6.11, 3.7), in Russian as the operator sends them. */

const SIGNATURE = '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';

export function refundPaidNotice(r: { amountTiyn: number; feeTiyn: number; iik: string; kind: 'request' | 'one_year' | 'termination' }) {
  const basis = {
    one_year: 'услуги не использовались в течение одного календарного года с даты оплаты аванса (п. 3.7 Договора)',
    termination: 'в связи с прекращением Договора (пп. 4.1.2, 10.4 Договора)',
    request: 'по вашему обращению (п. 6.11 Договора)',
  }[r.kind];
  return {
    subject: `Возврат неиспользованного аванса: ${formatTenge(r.amountTiyn - r.feeTiyn)} тенге`,
    body:
      `Уважаемый клиент!\n\nНеиспользованный аванс ${formatTenge(r.amountTiyn)} тенге возвращается ${basis} на счёт ${r.iik}` +
      (r.feeTiyn ? ` за вычетом фактических расходов на банковские услуги ${formatTenge(r.feeTiyn)} тенге: к перечислению ${formatTenge(r.amountTiyn - r.feeTiyn)} тенге.` : '.') +
      (r.kind === 'one_year' ? '\n\nС возвратом аванса Договор прекращает действие, лицевой счёт закрывается (п. 3.7 Договора).' : '') +
      SIGNATURE,
  };
}

export function refundRefusedNotice(r: { reason: string }) {
  return {
    subject: 'Ответ на обращение о возврате аванса',
    body: `Уважаемый клиент!\n\nВ возврате неиспользованного аванса отказано (п. 6.11 Договора).\n\nПричина: ${r.reason}` + SIGNATURE,
  };
}
