import { formatDeadlineMoment, OPERATOR_ZONE } from '../../lib/format-ru';
import { PRIORITY_NAMES, Priority } from '../../lib/support';

/**
 * E-mails of the support service (Прил. 3), in Russian. Those to the client carry the ticket's
 * number in the subject («[SD-2026-000123] …») and, given the support address, `Reply-To:` it: a
 * reply reaches the support listener (api/http/mail-listener.ts) and threads into the ticket.
 */

const SIGNATURE =
  '\n\n--\nСлужба поддержки ИС МПТ: mark@ismet.kz, 8 800 080 65 65\nОтвечая, сохраните номер обращения в теме письма.';

export const ticketSubject = (number: string, subject: string) =>
  subject.includes(`[${number}]`) ? subject : `[${number}] ${subject}`;

/** `Reply-To:` the support address, when there is one. */
const replyTo = (supportAddress: string | undefined) => (supportAddress ? { replyTo: supportAddress } : {});

export function registrationMail(t: { number: string; subject: string; supportAddress?: string }) {
  return {
    ...replyTo(t.supportAddress),
    subject: ticketSubject(t.number, t.subject),
    text:
      `Здравствуйте!\n\nВаше обращение зарегистрировано под номером ${t.number} (Прил. 3 п. 2a Договора). Заявки принимаются круглосуточно, обрабатываются в рабочее время: 09:00–18:00 по времени Астаны в рабочие дни.` +
      SIGNATURE,
  };
}

const KIND_INTRO: Record<string, string> = {
  question: 'Для решения вашего обращения нам нужна информация:',
  reply: 'Ответ службы поддержки:',
  solution: 'Решение по вашему обращению:',
  workaround: 'Обходное решение по вашему обращению (основная проблема ещё устраняется):',
  forecast: 'Для решения требуется больше времени. Прогноз сроков и причины:',
};

export function agentMessageMail(t: {
  number: string;
  subject: string;
  kind: string;
  body: string;
  supportAddress?: string;
}) {
  const closing = ['solution', 'workaround', 'forecast'].includes(t.kind)
    ? '\n\nЕсли вопрос решён, ответ не требуется: обращение закроется через 5 рабочих дней. Если нет — ответьте на это письмо.'
    : '';
  return {
    ...replyTo(t.supportAddress),
    subject: ticketSubject(t.number, t.subject),
    text: `Здравствуйте!\n\n${KIND_INTRO[t.kind] ?? KIND_INTRO.reply}\n\n${t.body}${closing}` + SIGNATURE,
  };
}

export function breachMail(t: {
  number: string;
  subject: string;
  kind: 'reaction' | 'resolution';
  priority?: Priority;
  supportAddress?: string;
}) {
  const what =
    t.kind === 'reaction'
      ? 'Обращение не было классифицировано специалистом в установленное время реакции'
      : `Обращение не решено в установленное время решения для приоритета «${PRIORITY_NAMES[t.priority ?? 'low']}»`;
  return {
    ...replyTo(t.supportAddress),
    subject: ticketSubject(t.number, t.subject),
    text:
      `Здравствуйте!\n\n${what} (Прил. 3 п. 4 Договора). Работа по обращению продолжается; мы сообщим о ходе решения (Прил. 3 п. 3b).` +
      SIGNATURE,
  };
}

/** To the agents: `dueAt` is the deadline's instant, read in the operator's zone. */
export function agentWarningMail(t: {
  to: string;
  number: string;
  subject: string;
  kind: 'reaction' | 'resolution';
  line: number;
  dueAt: string | Date;
  consoleUrl: string;
  zone?: string;
}) {
  const due = formatDeadlineMoment(t.dueAt, t.zone ?? OPERATOR_ZONE);
  return {
    to: t.to,
    subject: `Срок ${t.kind === 'reaction' ? 'реакции' : 'решения'} по обращению ${t.number} истекает ${due}`,
    text: `Обращение ${t.number} «${t.subject}», линия ${t.line}: срок ${t.kind === 'reaction' ? 'реакции (классификации)' : 'решения'} — ${due}.\n\nОткрыть: ${t.consoleUrl}`,
  };
}
