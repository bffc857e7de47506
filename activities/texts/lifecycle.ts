import { formatDate, formatMoney } from '../../lib/format-ru';
import type { Language } from '../../lib/i18n/languages';
import { hasMessage } from '../../lib/i18n/messages';
import { basisMessageKey, TERMINATION_BASES, TerminationBasis } from '../../lib/termination';
import { clientNotice, mailText } from './bilingual';

/**
 * Notices of the contract's life (10.4, 3.7, 10.3.2, 9.3, 7.2, 7.3, 8.3) as the operator sends them: in the client's
 * language, the other below (./bilingual.ts; Russian first when not told); the subject in the client's language.
 * What staff or the client wrote (grounds, reasons, answers, descriptions) goes in as written, in both parts.
 */

type Notice = { subject: string; body: string };

/** A local date 'YYYY-MM-DD' as is, an instant's date in the operator's zone, as «05.01.2027». */
const date = (value: string | Date) => formatDate(value);
/** A termination's basis as each language names it (lib/termination.ts BASIS_TITLES in Russian). */
const basisTitle = (l: Language, basis: TerminationBasis) => mailText(l, basisMessageKey(basis));

export function terminationNotice(t: {
  initiator: 'operator' | 'client';
  basis: TerminationBasis;
  grounds: string;
  date: string;
  evidence?: string | null;
  language?: Language;
}): Notice {
  const language = t.language ?? 'ru';
  const by = t.initiator === 'operator' ? 'termination.byOperator' : 'termination.byClient';
  const on = date(t.date);
  return {
    subject: mailText(language, `${by}Subject`, { date: on }),
    body: clientNotice(
      language,
      (l) =>
        [
          mailText(l, by, { date: on, basis: basisTitle(l, t.basis) }),
          mailText(l, 'termination.grounds', { grounds: t.grounds }),
          ...(t.evidence ? [mailText(l, 'termination.evidence', { evidence: t.evidence })] : []),
        ].join('\n') + `\n\n${mailText(l, 'termination.untilDate')}`,
    ),
  };
}

export function terminationWithdrawnNotice(t: { date: string; reason: string; language?: Language }): Notice {
  const language = t.language ?? 'ru';
  const on = date(t.date);
  return {
    subject: mailText(language, 'termination.withdrawnSubject', { date: on }),
    body: clientNotice(language, (l) => mailText(l, 'termination.withdrawn', { date: on, reason: t.reason })),
  };
}

/** 10.4.4: the operator's notice reached the client late; the 30 working days run from then. */
export function terminationMovedNotice(t: {
  previous: string;
  date: string;
  deliveredOn: string;
  language?: Language;
}): Notice {
  const language = t.language ?? 'ru';
  const values = { previous: date(t.previous), date: date(t.date), deliveredOn: date(t.deliveredOn) };
  return {
    subject: mailText(language, 'termination.movedSubject', { date: values.date }),
    body: clientNotice(language, (l) => mailText(l, 'termination.moved', values)),
  };
}

/**
 * Why the contract ended, in one language. The workflows give it in Russian, as the catalogue writes it
 * (workflows/client-lifecycle.ts: 3.7; workflows/contract-termination.ts: a termination and its basis): a reason
 * written so is said in each language; any other as given.
 */
function endReason(l: Language, reason: string): string {
  if (l === 'ru') return reason;
  if (reason === mailText('ru', 'contract.endReason.3_7')) return mailText(l, 'contract.endReason.3_7');
  const basis = TERMINATION_BASES.find(
    (b) => reason === mailText('ru', 'contract.endReason.termination', { basis: basisTitle('ru', b) }),
  );
  return basis ? mailText(l, 'contract.endReason.termination', { basis: basisTitle(l, basis) }) : reason;
}

export function contractEndedNotice(e: { reason: string; at: string; language?: Language }): Notice {
  const language = e.language ?? 'ru';
  return {
    subject: mailText(language, 'contract.endedSubject'),
    body: clientNotice(language, (l) =>
      mailText(l, 'contract.ended', { at: date(e.at), reason: endReason(l, e.reason) }),
    ),
  };
}

export function amendmentNotice(
  a: {
    version: string;
    title: string;
    summary: string;
    effectiveAt: string;
    documentUrl?: string | null;
  },
  language: Language = 'ru',
): Notice {
  const on = date(a.effectiveAt);
  const url = a.documentUrl;
  return {
    subject: mailText(language, 'contract.amendmentSubject', { date: on }),
    body: clientNotice(
      language,
      (l) =>
        mailText(l, 'contract.amendment', { version: a.version, title: a.title, summary: a.summary, date: on }) +
        (url ? `\n${mailText(l, 'contract.amendmentText', { url })}` : ''),
    ),
  };
}

/** Why a claim is not considered (9.4), as the client reads it. */
export interface ClaimRefusal {
  reason: 'NOT_SIGNED' | 'SIGNER_NOT_AUTHORISED';
  /** The certificate it was signed with, if any. */
  signer?: { commonName?: string | null; iin?: string | null; bin?: string | null } | null;
}

/** The claim, its date and why it is not considered, in one language. */
function notConsideredBecause(l: Language, r: ClaimRefusal, claim: { number: string; receivedOn: string }) {
  if (r.reason === 'NOT_SIGNED' || !r.signer) return mailText(l, 'claim.notSigned', claim);
  const iin = r.signer.iin;
  const who = [r.signer.commonName, iin && mailText(l, 'claim.signerIin', { iin })].filter(Boolean).join(', ');
  return r.signer.bin
    ? mailText(l, 'claim.signedByOrganisation', { ...claim, bin: r.signer.bin, signer: who ? `, ${who}` : '' })
    : mailText(l, 'claim.signedByPerson', { ...claim, signer: who });
}

/** `receivedOn`, `answerBy`: local dates (YYYY-MM-DD) in the operator's zone; `answerBy` is the last day of the 15 working days. */
export function claimReceivedNotice(c: {
  number: number;
  receivedOn: string;
  answerBy: string | null;
  considered: boolean;
  refusal?: ClaimRefusal | null;
  language?: Language;
}): Notice {
  const language = c.language ?? 'ru';
  // The number as written, not as a number formatted in the language (no «12 345»).
  const claim = { number: String(c.number), receivedOn: date(c.receivedOn) };
  if (c.considered)
    return {
      subject: mailText(language, 'claim.acceptedSubject', claim),
      body: clientNotice(language, (l) => mailText(l, 'claim.accepted', { ...claim, answerBy: date(c.answerBy!) })),
    };
  const refusal = c.refusal ?? { reason: 'NOT_SIGNED' };
  return {
    subject: mailText(language, 'claim.notConsideredSubject', claim),
    body: clientNotice(
      language,
      (l) => `${notConsideredBecause(l, refusal, claim)}\n\n${mailText(l, 'claim.notConsidered')}`,
    ),
  };
}

export function claimAnsweredNotice(c: {
  number: number;
  decision: 'satisfied' | 'partially_satisfied' | 'refused';
  answer: string;
  amountAwardedTiyn?: number | null;
  language?: Language;
}): Notice {
  const language = c.language ?? 'ru';
  const number = String(c.number);
  const decision = (l: Language) => mailText(l, `claim.decision.${c.decision}`);
  const awarded = c.amountAwardedTiyn;
  return {
    subject: mailText(language, 'claim.answeredSubject', { number, decision: decision(language) }),
    body: clientNotice(
      language,
      (l) =>
        mailText(l, 'claim.answered', { number, decision: decision(l), answer: c.answer }) +
        (awarded ? `\n\n${mailText(l, 'claim.awarded', { amount: formatMoney(awarded) })}` : ''),
    ),
  };
}

export function compensationPaidNotice(c: {
  basis: 'defect_act' | 'late_service';
  amountTiyn: number;
  payTo: 'account' | 'bank';
  iik?: string | null;
  language?: Language;
}): Notice {
  const language = c.language ?? 'ru';
  const amount = formatMoney(c.amountTiyn);
  const where = (l: Language) =>
    c.payTo === 'account'
      ? mailText(l, 'compensation.toAccount')
      : mailText(l, 'compensation.toBank', { iik: c.iik ?? '' })
          .replace(/ {2,}/g, ' ')
          .trim();
  return {
    subject: mailText(language, 'compensation.paidSubject', { amount }),
    body: clientNotice(language, (l) =>
      mailText(l, 'compensation.paid', {
        amount,
        why: mailText(l, `compensation.basis.${c.basis}`),
        where: where(l),
      }),
    ),
  };
}

export function compensationRefusedNotice(c: { reason: string; language?: Language }): Notice {
  const language = c.language ?? 'ru';
  return {
    subject: mailText(language, 'compensation.refusedSubject'),
    body: clientNotice(language, (l) => mailText(l, 'compensation.refused', { reason: c.reason })),
  };
}

/** An obligation of the contract a process of lib/force-majeure.ts stands for, as the notice names it. */
const obligation = (l: Language, process: string) =>
  hasMessage(l, `emails.forceMajeure.obligation.${process}`)
    ? mailText(l, `forceMajeure.obligation.${process}`)
    : process;

/** 8.3: the nature of the event, its expected duration, the obligations it prevents and the evidence. `startedOn`, `endedOn`: local dates. */
export function forceMajeureNotice(
  e: {
    startedOn: string;
    endedOn: string | null;
    description: string;
    processes: string[];
    evidence: string | null;
  },
  language: Language = 'ru',
): Notice {
  const from = date(e.startedOn);
  const endedOn = e.endedOn;
  const evidence = e.evidence;
  const period = (l: Language) =>
    endedOn
      ? mailText(l, 'forceMajeure.between', { from, to: date(endedOn) })
      : mailText(l, 'forceMajeure.since', { from });
  const obligations = (l: Language) => e.processes.map((p) => `— ${obligation(l, p)}`).join('\n');
  return {
    subject: mailText(language, 'forceMajeure.subject', { date: from }),
    body: clientNotice(language, (l) =>
      [
        period(l),
        e.description,
        `${mailText(l, 'forceMajeure.hinders')}\n${obligations(l)}`,
        mailText(l, 'forceMajeure.suspended'),
        ...(evidence ? [mailText(l, 'forceMajeure.evidence', { evidence })] : []),
      ].join('\n\n'),
    ),
  };
}
