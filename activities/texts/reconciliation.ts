import { formatDate, formatDeadlineMoment, formatMoney, OPERATOR_ZONE } from '../../lib/format-ru';
import { formatDeadlineIn } from '../../lib/i18n/format';
import type { Language } from '../../lib/i18n/languages';
import { clientNotice, mailText } from './bilingual';

/**
 * Notices about reconciliation acts (6.6-6.8, Прил. 2 п.7) as the operator sends them: in the client's language, the
 * other below (./bilingual.ts; Russian first when not told); the subject in the client's language.
 */

export interface ReconciliationFacts {
  number: string;
  periodFrom: string;
  periodTo: string;
  /** 6.6.5: unused money at the end of the period, tiyn (negative: the client's debt). */
  closing: number;
  /** The instant the client must sign or refuse by (ISO 8601; the next local midnight for «to the end of a day»). */
  dueAt: string | Date;
  /** The operator's zone the deadline reads in; default Astana time. */
  zone?: string;
  /** The language the client reads first. */
  language?: Language;
}

const zoneOf = (r: ReconciliationFacts) => r.zone ?? OPERATOR_ZONE;

/** The act's title, its balance and deadline in one language, for the notice's placeholders. */
const facts = (r: ReconciliationFacts, l: Language) => ({
  title: mailText(l, 'reconciliation.title', {
    number: r.number,
    from: formatDate(r.periodFrom),
    to: formatDate(r.periodTo),
  }),
  balance:
    r.closing >= 0
      ? mailText(l, 'reconciliation.inFavour', { amount: formatMoney(r.closing) })
      : mailText(l, 'reconciliation.debt', { amount: formatMoney(-r.closing) }),
  by: formatDeadlineIn(l, r.dueAt, zoneOf(r)),
});

const notice = (r: ReconciliationFacts, key: string) =>
  clientNotice(r.language ?? 'ru', (l) => mailText(l, key, facts(r, l)));
const subject = (r: ReconciliationFacts, key: string, values: Record<string, string> = {}) =>
  mailText(r.language ?? 'ru', key, { number: r.number, ...values });

export function reconciliationIssuedNotice(r: ReconciliationFacts) {
  return { subject: subject(r, 'reconciliation.issuedSubject'), body: notice(r, 'reconciliation.issued') };
}

export function reconciliationReminderNotice(r: ReconciliationFacts) {
  return {
    subject: subject(r, 'reconciliation.reminderSubject', { moment: formatDeadlineMoment(r.dueAt, zoneOf(r)) }),
    body: notice(r, 'reconciliation.reminder'),
  };
}

export function reconciliationAcceptedNotice(r: ReconciliationFacts) {
  return { subject: subject(r, 'reconciliation.acceptedSubject'), body: notice(r, 'reconciliation.accepted') };
}
