import { formatDeadlineMoment, OPERATOR_ZONE } from '../../lib/format-ru';
import type { Language } from '../../lib/i18n/languages';
import { Priority } from '../../lib/support';
import { bilingualText, inOrder, mailText } from './bilingual';

/**
 * E-mails of the support service (Прил. 3). Those to the client are in the language it chose, the other below
 * (./bilingual.ts; Russian first when not told), carry the ticket's number in the subject («[SD-2026-000123] …»)
 * and, given the support address, `Reply-To:` it: a reply reaches the support listener (api/http/mail-listener.ts)
 * and threads into the ticket. The agents' warnings are in Russian.
 */

/** The support service's signature, the client's language first. */
const signature = (language: Language) =>
  `\n\n--\n${inOrder(language)
    .map((l) => mailText(l, 'ticket.signature'))
    .join('\n')}`;

export const ticketSubject = (number: string, subject: string) =>
  subject.includes(`[${number}]`) ? subject : `[${number}] ${subject}`;

/** `Reply-To:` the support address, when there is one. */
const replyTo = (supportAddress: string | undefined) => (supportAddress ? { replyTo: supportAddress } : {});

/** «Здравствуйте!» and a paragraph, in one language. */
const greeted = (language: Language, paragraph: string) => `${mailText(language, 'ticket.greeting')}\n\n${paragraph}`;

export function registrationMail(t: { number: string; subject: string; supportAddress?: string; language?: Language }) {
  const language = t.language ?? 'ru';
  return {
    ...replyTo(t.supportAddress),
    subject: ticketSubject(t.number, t.subject),
    text:
      bilingualText(language, (l) => greeted(l, mailText(l, 'ticket.registered', { number: t.number }))) +
      signature(language),
  };
}

const KINDS = ['question', 'reply', 'solution', 'workaround', 'forecast'];

/** The agent's text once, in the client's language's part; the other part points to it. */
export function agentMessageMail(t: {
  number: string;
  subject: string;
  kind: string;
  body: string;
  supportAddress?: string;
  language?: Language;
}) {
  const language = t.language ?? 'ru';
  const intro = `ticket.intro.${KINDS.includes(t.kind) ? t.kind : 'reply'}`;
  const closing = (l: Language) =>
    ['solution', 'workaround', 'forecast'].includes(t.kind) ? `\n\n${mailText(l, 'ticket.closing')}` : '';
  return {
    ...replyTo(t.supportAddress),
    subject: ticketSubject(t.number, t.subject),
    text:
      bilingualText(language, (l) =>
        greeted(
          l,
          `${mailText(l, intro)}${l === language ? `\n\n${t.body}` : ` ${mailText(l, 'ticket.textAbove')}`}${closing(l)}`,
        ),
      ) + signature(language),
  };
}

export function breachMail(t: {
  number: string;
  subject: string;
  kind: 'reaction' | 'resolution';
  priority?: Priority;
  supportAddress?: string;
  language?: Language;
}) {
  const language = t.language ?? 'ru';
  const what = (l: Language) =>
    t.kind === 'reaction'
      ? mailText(l, 'ticket.breachReaction')
      : mailText(l, 'ticket.breachResolution', { priority: mailText(l, `ticket.priority.${t.priority ?? 'low'}`) });
  return {
    ...replyTo(t.supportAddress),
    subject: ticketSubject(t.number, t.subject),
    text: bilingualText(language, (l) => greeted(l, what(l))) + signature(language),
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
