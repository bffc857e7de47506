import { formatMoney } from '../../lib/format-ru';
import type { Language } from '../../lib/i18n/languages';
import type { RefundClause } from '../../lib/refund-rules';
import { clientNotice, mailText } from './bilingual';

/**
 * Notices about refunds (6.11, 3.7) as the operator sends them: in the client's language, the other below
 * (./bilingual.ts; Russian first when not told); the subject in the client's language.
 */

export function refundPaidNotice(r: {
  amountTiyn: number;
  feeTiyn: number;
  clientFeesTiyn: number;
  iik: string;
  clause: RefundClause;
  language?: Language;
}) {
  const language = r.language ?? 'ru';
  const transfer = r.amountTiyn - r.feeTiyn + r.clientFeesTiyn;
  const text = (l: Language) =>
    [
      mailText(l, 'refund.paid', {
        amount: formatMoney(r.amountTiyn),
        iik: r.iik,
        basis: mailText(l, `refund.basis.${r.clause.replace(/\./g, '_')}`),
      }),
      r.feeTiyn ? mailText(l, 'refund.fee', { fee: formatMoney(r.feeTiyn) }) : '',
      r.clientFeesTiyn ? mailText(l, 'refund.clientFees', { fees: formatMoney(r.clientFeesTiyn) }) : '',
      r.feeTiyn || r.clientFeesTiyn ? mailText(l, 'refund.transfer', { transfer: formatMoney(transfer) }) : '',
    ]
      .filter(Boolean)
      .join(' ') + (r.clause === '3.7' ? `\n\n${mailText(l, 'refund.contractEnds')}` : '');
  return {
    subject: mailText(language, 'refund.paidSubject', { amount: formatMoney(transfer) }),
    body: clientNotice(language, text),
  };
}

export function refundRefusedNotice(r: { reason: string; language?: Language }) {
  const language = r.language ?? 'ru';
  return {
    subject: mailText(language, 'refund.refusedSubject'),
    body: clientNotice(
      language,
      (l) => `${mailText(l, 'refund.refused')}\n\n${mailText(l, 'refund.reason', { reason: r.reason })}`,
    ),
  };
}
