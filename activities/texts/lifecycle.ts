import { formatDate, formatMoney } from '../../lib/format-ru';
import { BASIS_TITLES, TerminationBasis } from '../../lib/termination';

/** Notices of the contract's life (10.4, 3.7, 10.3.2, 9.3, 7.2, 7.3), in Russian as the operator sends them. */

const SIGNATURE =
  '\n\n--\nЕдиный оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';
/** A local date 'YYYY-MM-DD' as is, an instant's date in the operator's zone, as «05.01.2027». */
const ru = (date: string | Date, zone?: string) => formatDate(date, zone);

export function terminationNotice(t: {
  initiator: 'operator' | 'client';
  basis: TerminationBasis;
  grounds: string;
  date: string;
  evidence?: string | null;
}) {
  const byOperator = t.initiator === 'operator';
  return {
    subject: byOperator
      ? `Уведомление о расторжении Договора с ${ru(t.date)}`
      : `Ваше уведомление о расторжении Договора с ${ru(t.date)} получено`,
    body:
      'Уважаемый клиент!\n\n' +
      (byOperator
        ? `Единый оператор уведомляет об отказе от исполнения Договора с ${ru(t.date)} (п. 10.4.4 Договора).\nОснование: ${BASIS_TITLES[t.basis]}.\n`
        : `Ваше уведомление о расторжении Договора получено. Договор прекращает действие с ${ru(t.date)} (п. 10.4.4 Договора).\nОснование: ${BASIS_TITLES[t.basis]}.\n`) +
      `Обстоятельства: ${t.grounds}\n` +
      (t.evidence ? `Подтверждающие документы: ${t.evidence}\n` : '') +
      `\nДо этой даты услуги оказываются в обычном порядке. С даты расторжения новые Заявки не принимаются; доступ прекращается после исполнения открытых обязательств (зарезервированные коды, акты оказанных услуг), неиспользованный остаток аванса возвращается на ваш банковский счёт за вычетом фактических банковских расходов.` +
      SIGNATURE,
  };
}

export function terminationWithdrawnNotice(t: { date: string; reason: string }) {
  return {
    subject: `Расторжение Договора с ${ru(t.date)} отменено`,
    body:
      `Уважаемый клиент!\n\nУведомление о расторжении Договора с ${ru(t.date)} отозвано. Договор продолжает действовать.\n\nПричина: ${t.reason}` +
      SIGNATURE,
  };
}

/** 10.4.4: the operator's notice reached the client late; the 30 working days run from then. */
export function terminationMovedNotice(t: { previous: string; date: string; deliveredOn: string }) {
  return {
    subject: `Дата расторжения Договора перенесена на ${ru(t.date)}`,
    body:
      `Уважаемый клиент!\n\nУведомление о расторжении Договора с ${ru(t.previous)} было доставлено Вам ${ru(t.deliveredOn)}. ` +
      `Срок уведомления — 30 рабочих дней с момента его получения (п. 10.4.4 Договора), поэтому Договор будет расторгнут с ${ru(t.date)}. ` +
      `До этой даты Договор действует в обычном порядке.` +
      SIGNATURE,
  };
}

export function contractEndedNotice(e: { reason: string; at: string }) {
  return {
    subject: 'Договор прекратил действие, лицевой счёт закрыт',
    body:
      `Уважаемый клиент!\n\nДоговор прекратил действие ${ru(e.at)}: ${e.reason}. Лицевой счёт закрыт, доступ к сервисам Единого оператора прекращён.\n\nКоды маркировки и документы хранятся в течение сроков, установленных Договором (п. 4.4.8).` +
      SIGNATURE,
  };
}

export function amendmentNotice(a: {
  version: string;
  title: string;
  summary: string;
  effectiveAt: string;
  documentUrl?: string | null;
}) {
  return {
    subject: `Изменения в Договор вступают в силу ${ru(a.effectiveAt)}`,
    body:
      `Уважаемый клиент!\n\nЕдиный оператор вносит изменения в Договор (пп. 4.3.5, 10.3.2 Договора): редакция ${a.version} «${a.title}».\n\n${a.summary}\n\n` +
      `Изменения вступают в силу ${ru(a.effectiveAt)}, по истечении 20 рабочих дней с даты размещения.` +
      (a.documentUrl ? `\nТекст новой редакции: ${a.documentUrl}` : '') +
      SIGNATURE,
  };
}

/** Why a claim is not considered (9.4), as the client reads it. */
export interface ClaimRefusal {
  reason: 'NOT_SIGNED' | 'SIGNER_NOT_AUTHORISED';
  /** The certificate it was signed with, if any. */
  signer?: { commonName?: string | null; iin?: string | null; bin?: string | null } | null;
}

function notConsideredBecause(r: ClaimRefusal) {
  if (r.reason === 'NOT_SIGNED' || !r.signer) {
    return 'не подписана электронной цифровой подписью Клиента или его представителя, и документы, подтверждающие полномочия подписавшего её лица, не представлены. Документ, приложенный с пометкой «полномочия», сам по себе полномочий не подтверждает.';
  }
  const who = [r.signer.commonName, r.signer.iin && `ИИН ${r.signer.iin}`].filter(Boolean).join(', ');
  return r.signer.bin
    ? `подписана ЭЦП другой организации (БИН ${r.signer.bin}${who ? `, ${who}` : ''}), а не ЭЦП Клиента или его представителя.`
    : `подписана личной ЭЦП физического лица (${who}), полномочия которого подписывать претензии от имени Клиента не подтверждены: у Единого оператора нет доверенности на это лицо, действующей на дату получения претензии (она не представлена, срок её действия истёк или она отозвана).`;
}

/** `receivedOn`, `answerBy`: local dates (YYYY-MM-DD) in the operator's zone; `answerBy` is the last day of the 15 working days. */
export function claimReceivedNotice(c: {
  number: number;
  receivedOn: string;
  answerBy: string | null;
  considered: boolean;
  refusal?: ClaimRefusal | null;
}) {
  return c.considered
    ? {
        subject: `Претензия № ${c.number} принята к рассмотрению`,
        body:
          `Уважаемый клиент!\n\nВаша претензия № ${c.number} от ${ru(c.receivedOn)} принята к рассмотрению. Ответ по существу будет дан не позднее ${ru(c.answerBy!)} (15 рабочих дней, п. 9.3 Договора).` +
          SIGNATURE,
      }
    : {
        subject: `Претензия № ${c.number} не подлежит рассмотрению`,
        body:
          `Уважаемый клиент!\n\nПретензия № ${c.number} от ${ru(c.receivedOn)} ${notConsideredBecause(c.refusal ?? { reason: 'NOT_SIGNED' })}\n\n` +
          `Согласно п. 9.4 Договора претензия, направленная без документов, подтверждающих полномочия подписавшего её лица, считается непредъявленной и рассмотрению не подлежит. ` +
          `Вы можете направить претензию повторно, подписав её ЭЦП Клиента (сертификатом с БИН организации или ИИН индивидуального предпринимателя) либо личной ЭЦП представителя, доверенность которого представлена Единому оператору.` +
          SIGNATURE,
      };
}

const CLAIM_DECISIONS = {
  satisfied: 'удовлетворена полностью',
  partially_satisfied: 'удовлетворена частично',
  refused: 'в удовлетворении отказано',
} as const;

export function claimAnsweredNotice(c: {
  number: number;
  decision: keyof typeof CLAIM_DECISIONS;
  answer: string;
  amountAwardedTiyn?: number | null;
}) {
  return {
    subject: `Ответ на претензию № ${c.number}: ${CLAIM_DECISIONS[c.decision]}`,
    body:
      `Уважаемый клиент!\n\nПретензия № ${c.number} рассмотрена (п. 9.3 Договора): ${CLAIM_DECISIONS[c.decision]}.\n\n${c.answer}` +
      (c.amountAwardedTiyn ? `\n\nСумма к возмещению: ${formatMoney(c.amountAwardedTiyn)}.` : '') +
      SIGNATURE,
  };
}

export function compensationPaidNotice(c: {
  basis: 'defect_act' | 'late_service';
  amountTiyn: number;
  payTo: 'account' | 'bank';
  iik?: string | null;
}) {
  const why =
    c.basis === 'defect_act'
      ? 'стоимость не оказанных или ненадлежащих услуг по подписанному дефектному акту (п. 7.2 Договора)'
      : 'реальный ущерб от просрочки оказания услуг (п. 7.3 Договора)';
  const where =
    c.payTo === 'account'
      ? 'зачислена на ваш лицевой счёт'
      : `перечисляется на ваш банковский счёт ${c.iik ?? ''}`.trim();
  return {
    subject: `Компенсация ${formatMoney(c.amountTiyn)}`,
    body: `Уважаемый клиент!\n\nКомпенсация ${formatMoney(c.amountTiyn)} — ${why} — ${where}.` + SIGNATURE,
  };
}

export function compensationRefusedNotice(c: { reason: string }) {
  return {
    subject: 'Ответ на требование о возмещении ущерба',
    body: `Уважаемый клиент!\n\nВ возмещении ущерба по п. 7.3 Договора отказано.\n\nПричина: ${c.reason}` + SIGNATURE,
  };
}

/** Obligations of the contract each process of lib/force-majeure.ts stands for, as the notice names them. */
const FORCE_MAJEURE_OBLIGATIONS: Record<string, string> = {
  all: 'все обязанности Единого оператора по Договору',
  emission: 'эмиссия кодов маркировки в течение 4 часов (п. 4.4.4)',
  tickets: 'сроки реакции и решения обращений в службу поддержки (Приложение 3)',
  acts: 'выставление и подписание актов выполненных работ (пп. 6.5-6.9)',
  notices: 'ответы на уведомления и запросы (п. 10.2.1)',
  application: 'учёт сроков нанесения кодов (п. 4.1.6)',
  onboarding: 'рассмотрение заявлений о присоединении (п. 10.5)',
  refunds: 'возврат денег с лицевого счёта (пп. 3.7, 6.11)',
  claims: 'рассмотрение претензий и выплата компенсаций (пп. 7.2, 7.3, 9.3)',
};

/** 8.3: the nature of the event, its expected duration, the obligations it prevents and the evidence. `startedOn`, `endedOn`: local dates. */
export function forceMajeureNotice(e: {
  startedOn: string;
  endedOn: string | null;
  description: string;
  processes: string[];
  evidence: string | null;
}) {
  const obligations = e.processes.map((p) => `— ${FORCE_MAJEURE_OBLIGATIONS[p] ?? p}`).join('\n');
  return {
    subject: `Уведомление о действии обстоятельств непреодолимой силы с ${ru(e.startedOn)}`,
    body:
      `Уважаемый клиент!\n\nВ соответствии с п. 8.3 Договора Единый оператор уведомляет о действии обстоятельств непреодолимой силы ` +
      `${e.endedOn ? `с ${ru(e.startedOn)} по ${ru(e.endedOn)}` : `с ${ru(e.startedOn)}; об их окончании мы сообщим дополнительно`}.\n\n${e.description}\n\n` +
      `Обстоятельства препятствуют исполнению следующих обязанностей:\n${obligations}\n\n` +
      `Сроки их исполнения приостанавливаются на время действия обстоятельств и возобновляются с даты их прекращения (п. 8.4 Договора).` +
      (e.evidence ? `\n\nПодтверждающий документ (п. 8.5): ${e.evidence}` : '') +
      SIGNATURE,
  };
}
