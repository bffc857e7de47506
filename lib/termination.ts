import { addDaysToDate, type BusinessCalendar } from './calendar';

/** Grounds of ending the contract early (4.1.1, 4.3.1 a-d, 10.4.2, 10.4.3). */
export const TERMINATION_BASES = ['4.1.1', '4.3.1a', '4.3.1b', '4.3.1c', '4.3.1d', '10.4.2', '10.4.3'] as const;
export type TerminationBasis = (typeof TERMINATION_BASES)[number];

/** Who may invoke each ground. */
export const BASIS_INITIATORS: Record<TerminationBasis, ReadonlyArray<'operator' | 'client'>> = {
  '4.1.1': ['client'],
  '4.3.1a': ['operator'],
  '4.3.1b': ['operator'],
  '4.3.1c': ['operator'],
  '4.3.1d': ['operator'],
  '10.4.2': ['operator', 'client'],
  '10.4.3': ['operator', 'client'],
};

/**
 * The grounds' titles in Russian, as staff and the workflows name them; an e-mail names each in the client's language
 * too, from the catalogues' `emails` namespace (`basisMessageKey`: the same Russian there, and the Kazakh).
 */
export const BASIS_TITLES: Record<TerminationBasis, string> = {
  '4.1.1': 'отказ Клиента от Договора при отсутствии необходимости подключения к ИС МПТ (п. 4.1.1)',
  '4.3.1a': 'неоднократное нарушение Клиентом существенных условий Договора (пп. a) п. 4.3.1)',
  '4.3.1b': 'Клиент не подал Заявку в течение одного года с даты заключения Договора (пп. b) п. 4.3.1)',
  '4.3.1c':
    'отмена или изменение Правил маркировки обувных изделий либо назначение другого Единого оператора (пп. c) п. 4.3.1)',
  '4.3.1d': 'иные случаи, предусмотренные законодательством Республики Казахстан (пп. d) п. 4.3.1)',
  '10.4.2': 'неоднократное нарушение другой Стороной существенных условий Договора (п. 10.4.2)',
  '10.4.3': 'соглашение Сторон (п. 10.4.3)',
};

/** A ground's title in the e-mails' catalogue: `termination.basis.4_3_1a` (dots as underscores). */
export const basisMessageKey = (basis: TerminationBasis): string => `termination.basis.${basis.replace(/\./g, '_')}`;

/** Unilateral termination: notice 30 working days before the date (10.4.4). */
export const UNILATERAL_NOTICE_WORKING_DAYS = 30;
/** By agreement: the letters are exchanged at least 30 calendar days before the date (10.4.3). */
export const AGREEMENT_NOTICE_CALENDAR_DAYS = 30;

export interface TerminationNotice {
  basis: TerminationBasis;
  notifiedAt: string | Date;
  /**
   * 10.4.3: the parties agreed on a shorter period; 4.3.1 c), d): the operator sets the period
   * under the regulator's act (10.4.4). The date may then be any day after the notice.
   */
  periodShortened?: boolean;
}

/**
 * The earliest date (local, YYYY-MM-DD) the contract may end on after the notice: the day after
 * the full notice period has run — 30 working days (10.4.4) or 30 calendar days (10.4.3).
 */
export function earliestTerminationDate(calendar: BusinessCalendar, notice: TerminationNotice): string {
  const noticeDay = calendar.localDate(notice.notifiedAt);
  if (notice.periodShortened && (notice.basis === '10.4.3' || notice.basis === '4.3.1c' || notice.basis === '4.3.1d'))
    return addDaysToDate(noticeDay, 1);
  if (notice.basis === '10.4.3') return addDaysToDate(noticeDay, AGREEMENT_NOTICE_CALENDAR_DAYS);
  // The period ends at the end of its 30th working day: the local date of that instant is the next day.
  return calendar.localDate(calendar.addWorkingDays(notice.notifiedAt, UNILATERAL_NOTICE_WORKING_DAYS));
}
