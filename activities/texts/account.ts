import { formatDate, formatMoney } from '../../lib/format-ru';

/** Notices about the personal account, in Russian as the operator sends them. */

const SIGNATURE =
  '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';
const ru = (date: string) => formatDate(date);

export function paymentCreditedNotice(a: {
  accountNumber: string;
  amountTiyn: number;
  documentNumber: string;
  documentDate: string;
  receivedOn: string;
  payerName: string;
  availableTiyn: number;
}): { subject: string; body: string } {
  return {
    subject: `Зачисление ${formatMoney(a.amountTiyn)} на лицевой счёт ${a.accountNumber}`,
    body:
      `Уважаемый клиент!\n\n` +
      `На лицевой счёт ${a.accountNumber} зачислено ${formatMoney(a.amountTiyn)} ` +
      `по платёжному документу № ${a.documentNumber} от ${ru(a.documentDate)} (плательщик: ${a.payerName}).\n` +
      `Деньги поступили на счёт Оператора ${ru(a.receivedOn)}; это дата пополнения лицевого счёта (п. 6.2 Договора).\n\n` +
      `Доступный остаток: ${formatMoney(a.availableTiyn)}. Выписку по лицевому счёту можно получить в Личном кабинете.` +
      SIGNATURE,
  };
}

/** 6.1: an announced change of the price withdrawn before its date (and what replaces it, if anything). */
export function tariffWithdrawnNotice(a: {
  pricePerCodeTiyn: number;
  effectiveFrom: string;
  reason: string;
  replacement: { pricePerCodeTiyn: number; effectiveFrom: string } | null;
}): { subject: string; body: string } {
  return {
    subject: `Отмена изменения размера платы за коды маркировки с ${ru(a.effectiveFrom)}`,
    body:
      `Уважаемый клиент!\n\n` +
      `Ранее объявленное изменение размера платы за один код маркировки на ${formatMoney(a.pricePerCodeTiyn)} без учёта НДС ` +
      `с ${ru(a.effectiveFrom)} отменено и не вступит в силу. Причина: ${a.reason}\n\n` +
      (a.replacement
        ? `Вместо него с ${ru(a.replacement.effectiveFrom)} размер платы составит ${formatMoney(a.replacement.pricePerCodeTiyn)} без учёта НДС; об этом изменении направлено отдельное уведомление (п. 6.1 Договора).`
        : 'Действующий размер платы сохраняется (п. 6.1 Договора).') +
      SIGNATURE,
  };
}

export function tariffChangeNotice(a: {
  pricePerCodeTiyn: number;
  previousPerCodeTiyn: number | null;
  effectiveFrom: string;
  basis: string;
}): { subject: string; body: string } {
  const previous = a.previousPerCodeTiyn === null ? '' : ` (ранее ${formatMoney(a.previousPerCodeTiyn)})`;
  return {
    subject: `Изменение размера платы за коды маркировки с ${ru(a.effectiveFrom)}`,
    body:
      `Уважаемый клиент!\n\n` +
      `Уведомляем, что с ${ru(a.effectiveFrom)} размер платы за один код маркировки составит ` +
      `${formatMoney(a.pricePerCodeTiyn)} без учёта НДС${previous}. НДС уплачивается сверх этой суммы ` +
      `по ставке, предусмотренной налоговым законодательством Республики Казахстан.\n\n` +
      `Основание: ${a.basis}\n\n` +
      `Уведомление направлено не позднее чем за 20 рабочих дней до даты изменения (п. 6.1 Договора). ` +
      `Коды, эмитированные до этой даты, оплачиваются по цене, действовавшей на дату эмиссии.` +
      SIGNATURE,
  };
}
