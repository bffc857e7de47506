import type { CalendarHorizonWarning } from '../../lib/calendar';
import type { OutgoingMail } from '../../lib/mailer';

/** E-mails about the business calendar, to staff, in Russian. */

/** To the admins, once per year: the official calendar of a year is missing (lib/calendar/horizon.ts). */
export function calendarHorizonMail(a: {
  to: string;
  warning: CalendarHorizonWarning;
  apiUrl: string;
}): Omit<OutgoingMail, 'messageId'> {
  const { year, status } = a.warning;
  return {
    to: a.to,
    subject: `Производственный календарь на ${year} год не внесён`,
    text:
      `В бизнес-календаре ИС МПТ нет официальных данных на ${year} год` +
      (status === 'provisional' ? ' (внесены только предварительные)' : '') +
      `.\n\nСроки в ${year} году считаются по праздникам, выведенным из Закона РК «О праздниках в Республике Казахстан» ` +
      `(ст. 2, 3, 5) и п. 5 ст. 84 Трудового кодекса РК; Курбан айт — по календарю Умм аль-Кура; переносы дней отдыха ` +
      `(п. 3 ст. 85 Трудового кодекса РК) не учтены. Ответы API о таких сроках помечены provisional.\n\n` +
      `Когда будут опубликованы производственный календарь и приказ МТСЗН РК о переносе дней отдыха на ${year} год, ` +
      `внесите год: PUT ${a.apiUrl}/staff/v1/calendar/years/${year} (роль admin). Идущие процессы пересчитают сроки сами.\n\n` +
      `Это письмо отправляется один раз; пока год не внесён, предупреждение видно в /health и в консолях.`,
  };
}
