import { formatDate, formatDeadlineMoment, formatMoney, formatMonth, OPERATOR_ZONE } from '../../lib/format-ru';
import { formatDeadlineIn } from '../../lib/i18n/format';
import type { Language } from '../../lib/i18n/languages';
import { clientNotice, mailText } from './bilingual';

/**
 * Notices about monthly acts (6.5, 6.8) as the operator sends them: in the client's language, the other below
 * (./bilingual.ts; Russian first when not told); the subject in the client's language.
 */

export interface ActFacts {
  number: string;
  periodFrom: string;
  periodTo: string;
  total: number;
  /** The instant the client must sign or refuse by (ISO 8601; the next local midnight for «to the end of a day»). */
  dueAt: string | Date;
  revision: number;
  /** The operator's zone the deadline reads in; default Astana time. */
  zone?: string;
  /** The language the client reads first. */
  language?: Language;
}

const zoneOf = (a: ActFacts) => a.zone ?? OPERATOR_ZONE;
const revised = (a: ActFacts) => (a.revision > 1 ? 'Revised' : '');

/** The act's title and deadline in one language, for the notice's placeholders. */
const facts = (a: ActFacts, l: Language) => ({
  title: mailText(l, `act.title${revised(a)}`, {
    number: a.number,
    from: formatDate(a.periodFrom),
    to: formatDate(a.periodTo),
  }),
  by: formatDeadlineIn(l, a.dueAt, zoneOf(a)),
});

/** The notice's text in each language, the client's first (./bilingual.ts `clientNotice`). */
const notice = (a: ActFacts, key: string, extra: Record<string, string> = {}) =>
  clientNotice(a.language ?? 'ru', (l) => mailText(l, key, { ...facts(a, l), ...extra }));

export function actIssuedNotice(a: ActFacts) {
  return {
    subject: mailText(a.language ?? 'ru', `act.issuedSubject${revised(a)}`, {
      number: a.number,
      month: formatMonth(a.periodFrom),
    }),
    body: notice(a, 'act.issued', { total: formatMoney(a.total) }),
  };
}

export function actReminderNotice(a: ActFacts) {
  return {
    subject: mailText(a.language ?? 'ru', 'act.reminderSubject', {
      number: a.number,
      moment: formatDeadlineMoment(a.dueAt, zoneOf(a)),
    }),
    body: notice(a, 'act.reminder'),
  };
}

export function actAcceptedNotice(a: ActFacts) {
  return {
    subject: mailText(a.language ?? 'ru', 'act.acceptedSubject', { number: a.number }),
    body: notice(a, 'act.accepted'),
  };
}
