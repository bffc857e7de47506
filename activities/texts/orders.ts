import { formatDate, formatDateTime, formatMoney, OPERATOR_ZONE } from '../../lib/format-ru';
import { formatDeadlineIn } from '../../lib/i18n/format';
import type { Language } from '../../lib/i18n/languages';
import { clientNotice, mailText } from './bilingual';

/**
 * Notices about orders for marking codes as the operator sends them: in the client's language, the other below
 * (./bilingual.ts; Russian first when not told), the number of codes with each language's plural; the subject in the
 * client's language.
 */

export interface OrderFacts {
  orderId: string;
  /** The instant the order was registered (ISO 8601 or a Date). */
  registeredAt: string | Date;
  totalCodes: number;
  gtins: string[];
  /** The operator's zone times read in; default Astana time. */
  zone?: string;
  /** The language the client reads first. */
  language?: Language;
}

const zoneOf = (o: { zone?: string }) => o.zone ?? OPERATOR_ZONE;
/** What every order notice names: the order, when it was registered, how many codes of which GTINs. */
const about = (o: OrderFacts, l: Language) => ({
  orderId: o.orderId,
  registered: formatDateTime(o.registeredAt, zoneOf(o)),
  codes: mailText(l, 'order.codes', { count: o.totalCodes }),
  gtins: o.gtins.join(', '),
});
const subject = (o: { orderId: string; language?: Language }, key: string, values: Record<string, string> = {}) =>
  mailText(o.language ?? 'ru', key, { orderId: o.orderId, ...values });

export function orderDeclinedNotice(
  o: OrderFacts & { neededTiyn: number; availableTiyn: number; accountNumber: string },
) {
  return {
    subject: subject(o, 'order.declinedSubject'),
    body: clientNotice(o.language ?? 'ru', (l) =>
      mailText(l, 'order.declined', {
        ...about(o, l),
        account: o.accountNumber,
        needed: formatMoney(o.neededTiyn),
        available: formatMoney(o.availableTiyn),
      }),
    ),
  };
}

/** `expiresAt`: the instant the codes must be downloaded by (the next local midnight: «до конца» that day), null if unknown. */
export function orderReadyNotice(o: OrderFacts & { reservedTiyn: number; expiresAt: string | Date | null }) {
  const expiresAt = o.expiresAt;
  return {
    subject: subject(o, 'order.readySubject'),
    body: clientNotice(
      o.language ?? 'ru',
      (l) =>
        `${mailText(l, 'order.ready', { ...about(o, l), reserved: formatMoney(o.reservedTiyn) })}\n\n` +
        (expiresAt
          ? mailText(l, 'order.downloadBy', { by: formatDeadlineIn(l, expiresAt, zoneOf(o)) })
          : mailText(l, 'order.downloadInTime')),
    ),
  };
}

/** `deadline`: the instant the 4 hours ended. */
export function emissionLateNotice(o: OrderFacts & { deadline: string | Date }) {
  return {
    subject: subject(o, 'order.lateSubject'),
    body: clientNotice(o.language ?? 'ru', (l) =>
      mailText(l, 'order.late', { ...about(o, l), deadline: formatDateTime(o.deadline, zoneOf(o)) }),
    ),
  };
}

/** `deliveredAt`: the instant the codes were received; `applyBy`: the last day to apply them, a local date 'YYYY-MM-DD'. */
export function applicationReminderNotice(o: {
  orderId: string;
  gtin: string;
  codes: number;
  deliveredAt: string | Date;
  applyBy: string;
  zone?: string;
  language?: Language;
}) {
  const date = formatDate(o.applyBy);
  return {
    subject: subject(o, 'order.applySubject', { date }),
    body: clientNotice(o.language ?? 'ru', (l) =>
      mailText(l, 'order.apply', {
        orderId: o.orderId,
        gtin: o.gtin,
        count: String(o.codes),
        received: formatDate(o.deliveredAt, zoneOf(o)),
        date,
      }),
    ),
  };
}
