import * as accountTexts from '../../activities/texts/account';
import * as actTexts from '../../activities/texts/acts';
import * as calendarTexts from '../../activities/texts/calendar';
import * as joiningTexts from '../../activities/texts/joining';
import * as lifecycleTexts from '../../activities/texts/lifecycle';
import * as orderTexts from '../../activities/texts/orders';
import * as reconciliationTexts from '../../activities/texts/reconciliation';
import * as refundTexts from '../../activities/texts/refunds';
import * as ticketTexts from '../../activities/texts/tickets';
import { supportAddressFor } from '../../lib/mailer';

// Every e-mail the back office sends is rendered from activities/texts/*: each template, given
// fixed inputs as the activities pass them (local dates 'YYYY-MM-DD', instants in ISO 8601 or
// Date), must read in Russian format and Astana time — no ISO date or time left in its subject
// or body.

const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const ISO_TIME = /T\d{2}:\d{2}|\d{2}:\d{2}:\d{2}|Z\b/;
const squash = (text: string) => text.replace(/\u00a0/g, ' ');

/** 06.01.2027 00:00 in Astana: a deadline «to the end of» 05.01.2027. */
const END_OF_5_JAN = '2027-01-05T19:00:00.000Z';
/** 05.01.2027 14:05 in Astana. */
const AT_14_05 = '2027-01-05T09:05:00.000Z';

const act = {
  number: 'АВР-2026-000123',
  periodFrom: '2026-12-01',
  periodTo: '2026-12-31',
  total: 123456,
  dueAt: END_OF_5_JAN,
  revision: 1,
};
const reconciliation = {
  number: 'АС-2026-000007',
  periodFrom: '2026-10-01',
  periodTo: '2026-12-31',
  closing: 123456,
  dueAt: END_OF_5_JAN,
};
const order = {
  orderId: 'b1f0a3e2-0000-4000-8000-000000000001',
  registeredAt: AT_14_05,
  totalCodes: 1000,
  gtins: ['04600000000012'],
};
const ticket = { number: 'SD-2027-000042', subject: 'Не приходят коды', supportAddress: 'support@ismet.kz' };

type Rendered = { subject: string; body?: string; text?: string; replyTo?: string };

/** Each template with fixed inputs; the keys are `module.export`, and every exported template must be here. */
const RENDERED: Record<string, () => Rendered | Rendered[]> = {
  'account.paymentCreditedNotice': () =>
    accountTexts.paymentCreditedNotice({
      accountNumber: 'ЛС-000001',
      amountTiyn: 123456,
      documentNumber: '101',
      documentDate: '2027-01-04',
      receivedOn: '2027-01-05',
      payerName: 'ТОО «Обувь»',
      availableTiyn: 500_000_00,
    }),
  'account.tariffWithdrawnNotice': () => [
    accountTexts.tariffWithdrawnNotice({
      pricePerCodeTiyn: 300,
      effectiveFrom: '2027-03-01',
      reason: 'ошибка',
      replacement: { pricePerCodeTiyn: 290, effectiveFrom: '2027-04-01' },
    }),
    accountTexts.tariffWithdrawnNotice({
      pricePerCodeTiyn: 300,
      effectiveFrom: '2027-03-01',
      reason: 'ошибка',
      replacement: null,
    }),
  ],
  'account.tariffChangeNotice': () =>
    accountTexts.tariffChangeNotice({
      pricePerCodeTiyn: 300,
      previousPerCodeTiyn: 268,
      effectiveFrom: '2027-03-01',
      basis: 'Приказ № 1 от 01.02.2027',
    }),
  'acts.actIssuedNotice': () => [
    actTexts.actIssuedNotice(act),
    actTexts.actIssuedNotice({ ...act, revision: 2, dueAt: new Date(AT_14_05) }),
  ],
  'acts.actReminderNotice': () => actTexts.actReminderNotice(act),
  'acts.actAcceptedNotice': () => actTexts.actAcceptedNotice(act),
  'calendar.calendarHorizonMail': () =>
    calendarTexts.calendarHorizonMail({
      to: 'admin@ismet.kz',
      warning: { code: 'CALENDAR_YEAR_NOT_OFFICIAL', year: 2028, status: 'provisional', message: '' },
      apiUrl: 'https://backoffice.example.kz',
    }),
  'joining.accessNotice': () =>
    joiningTexts.accessNotice({
      to: 'a@example.kz',
      number: 'ЗП-2027-000001',
      companyName: 'ТОО «Обувь»',
      joinedOn: '2027-01-04',
      effectiveFrom: '2027-01-05',
      accountNumber: 'ЛС-000001',
      token: 'ismet_client_x',
      apiUrl: 'https://api.example.kz',
    }),
  'joining.rejectionNotice': () =>
    joiningTexts.rejectionNotice({
      to: 'a@example.kz',
      number: 'ЗП-2027-000001',
      companyName: 'ТОО «Обувь»',
      reason: 'нет БИН',
    }),
  'joining.moderationReminder': () =>
    joiningTexts.moderationReminder({
      to: 'm@ismet.kz',
      number: 'ЗП-2027-000001',
      companyName: 'ТОО «Обувь»',
      binIin: '123456789012',
      submittedAt: AT_14_05,
      reminder: 1,
      consoleUrl: 'https://backoffice.example.kz/console/moderation#1',
    }),
  'lifecycle.terminationNotice': () => [
    lifecycleTexts.terminationNotice({
      initiator: 'operator',
      basis: '4.3.1b',
      grounds: 'нет заявок',
      date: '2027-02-15',
      evidence: 'журнал',
    }),
    lifecycleTexts.terminationNotice({ initiator: 'client', basis: '4.1.1', grounds: 'не нужно', date: '2027-02-15' }),
  ],
  'lifecycle.terminationWithdrawnNotice': () =>
    lifecycleTexts.terminationWithdrawnNotice({ date: '2027-02-15', reason: 'подана заявка' }),
  'lifecycle.terminationMovedNotice': () =>
    lifecycleTexts.terminationMovedNotice({ previous: '2027-02-15', date: '2027-02-20', deliveredOn: '2027-01-08' }),
  'lifecycle.contractEndedNotice': () => [
    lifecycleTexts.contractEndedNotice({ reason: 'возврат аванса', at: '2027-01-05' }),
    lifecycleTexts.contractEndedNotice({ reason: 'возврат аванса', at: AT_14_05 }),
  ],
  'lifecycle.amendmentNotice': () =>
    lifecycleTexts.amendmentNotice({
      version: '2027-1',
      title: 'Новая редакция',
      summary: 'Изменён п. 6.1',
      effectiveAt: '2027-02-03',
      documentUrl: 'https://ismet.kz/contract-2027-1.pdf',
    }),
  'lifecycle.claimReceivedNotice': () => [
    lifecycleTexts.claimReceivedNotice({
      number: 7,
      receivedOn: '2027-01-05',
      answerBy: '2027-01-26',
      considered: true,
    }),
    lifecycleTexts.claimReceivedNotice({
      number: 8,
      receivedOn: '2027-01-05',
      answerBy: null,
      considered: false,
      refusal: { reason: 'SIGNER_NOT_AUTHORISED', signer: { commonName: 'Иванов', iin: '900101300123' } },
    }),
  ],
  'lifecycle.claimAnsweredNotice': () =>
    lifecycleTexts.claimAnsweredNotice({
      number: 7,
      decision: 'partially_satisfied',
      answer: 'Частично.',
      amountAwardedTiyn: 123456,
    }),
  'lifecycle.compensationPaidNotice': () =>
    lifecycleTexts.compensationPaidNotice({
      basis: 'defect_act',
      amountTiyn: 123456,
      payTo: 'bank',
      iik: 'KZ86125KZT5004100100',
    }),
  'lifecycle.compensationRefusedNotice': () => lifecycleTexts.compensationRefusedNotice({ reason: 'нет ущерба' }),
  'lifecycle.forceMajeureNotice': () => [
    lifecycleTexts.forceMajeureNotice({
      startedOn: '2027-01-05',
      endedOn: '2027-01-07',
      description: 'Паводок',
      processes: ['emission'],
      evidence: 'Справка ТПП',
    }),
    lifecycleTexts.forceMajeureNotice({
      startedOn: '2027-01-05',
      endedOn: null,
      description: 'Паводок',
      processes: ['all'],
      evidence: null,
    }),
  ],
  'orders.orderDeclinedNotice': () =>
    orderTexts.orderDeclinedNotice({
      ...order,
      neededTiyn: 311_000,
      availableTiyn: 123456,
      accountNumber: 'ЛС-000001',
    }),
  'orders.orderReadyNotice': () => [
    orderTexts.orderReadyNotice({ ...order, reservedTiyn: 311_000, expiresAt: END_OF_5_JAN }),
    orderTexts.orderReadyNotice({ ...order, reservedTiyn: 311_000, expiresAt: null }),
  ],
  'orders.emissionLateNotice': () => orderTexts.emissionLateNotice({ ...order, deadline: '2027-01-05T13:05:00.000Z' }),
  'orders.applicationReminderNotice': () =>
    orderTexts.applicationReminderNotice({
      orderId: order.orderId,
      gtin: '04600000000012',
      codes: 10,
      deliveredAt: AT_14_05,
      applyBy: '2027-02-16',
    }),
  'reconciliation.reconciliationIssuedNotice': () => [
    reconciliationTexts.reconciliationIssuedNotice(reconciliation),
    reconciliationTexts.reconciliationIssuedNotice({ ...reconciliation, closing: -123456 }),
  ],
  'reconciliation.reconciliationReminderNotice': () => reconciliationTexts.reconciliationReminderNotice(reconciliation),
  'reconciliation.reconciliationAcceptedNotice': () => reconciliationTexts.reconciliationAcceptedNotice(reconciliation),
  'refunds.refundPaidNotice': () => [
    refundTexts.refundPaidNotice({
      amountTiyn: 123456,
      feeTiyn: 500,
      clientFeesTiyn: 0,
      iik: 'KZ86125KZT5004100100',
      clause: '3.7',
    }),
    refundTexts.refundPaidNotice({
      amountTiyn: 123456,
      feeTiyn: 0,
      clientFeesTiyn: 2500,
      iik: 'KZ86125KZT5004100100',
      clause: '4.1.2',
    }),
  ],
  'refunds.refundRefusedNotice': () => refundTexts.refundRefusedNotice({ reason: 'есть задолженность' }),
  'tickets.ticketSubject': () => ({ subject: ticketTexts.ticketSubject(ticket.number, ticket.subject), body: '' }),
  'tickets.registrationMail': () => ticketTexts.registrationMail(ticket),
  'tickets.agentMessageMail': () =>
    ['question', 'reply', 'solution', 'workaround', 'forecast'].map((kind) =>
      ticketTexts.agentMessageMail({ ...ticket, kind, body: 'Текст ответа' }),
    ),
  'tickets.breachMail': () => [
    ticketTexts.breachMail({ ...ticket, kind: 'reaction' }),
    ticketTexts.breachMail({ ...ticket, kind: 'resolution', priority: 'high' }),
  ],
  'tickets.agentWarningMail': () => [
    ticketTexts.agentWarningMail({
      to: 'agent@ismet.kz',
      number: ticket.number,
      subject: ticket.subject,
      kind: 'reaction',
      line: 1,
      dueAt: AT_14_05,
      consoleUrl: 'https://backoffice.example.kz/console/support#1',
    }),
    ticketTexts.agentWarningMail({
      to: 'agent@ismet.kz',
      number: ticket.number,
      subject: ticket.subject,
      kind: 'resolution',
      line: 2,
      dueAt: END_OF_5_JAN,
      consoleUrl: 'https://backoffice.example.kz/console/support#1',
    }),
  ],
};

const MODULES: Record<string, Record<string, unknown>> = {
  account: accountTexts,
  acts: actTexts,
  calendar: calendarTexts,
  joining: joiningTexts,
  lifecycle: lifecycleTexts,
  orders: orderTexts,
  reconciliation: reconciliationTexts,
  refunds: refundTexts,
  tickets: ticketTexts,
};

const render = (name: string): Rendered[] => [RENDERED[name]()].flat();
const bodyOf = (mail: Rendered) => mail.body ?? mail.text ?? '';

test('every exported template of activities/texts is rendered here', () => {
  const exported = Object.entries(MODULES).flatMap(([module, exports]) =>
    Object.entries(exports)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => `${module}.${name}`),
  );
  expect(exported.sort()).toEqual(Object.keys(RENDERED).sort());
});

describe.each(Object.keys(RENDERED))('%s', (name) => {
  test('no ISO date or time in the subject or the body', () => {
    for (const mail of render(name)) {
      for (const part of [mail.subject, bodyOf(mail)]) {
        expect(part).not.toMatch(ISO_DATE);
        expect(part).not.toMatch(ISO_TIME);
        expect(part).not.toMatch(/Invalid DateTime|undefined|NaN/);
      }
    }
  });
});

describe('what the letters say', () => {
  test('an act: «до конца 05.01.2027», the month, the amount in ₸', () => {
    const [issued, corrected] = render('acts.actIssuedNotice');
    expect(issued.subject).toBe('Акт выполненных работ № АВР-2026-000123 за 12.2026');
    expect(squash(bodyOf(issued))).toContain('за период с 01.12.2026 по 31.12.2026 на сумму 1 234,56 ₸ (с НДС)');
    expect(bodyOf(issued)).toContain('направьте мотивированный отказ до конца 05.01.2027 (5 рабочих дней');
    expect(bodyOf(issued)).not.toContain('06.01.2027');
    expect(bodyOf(corrected)).toContain('до 05.01.2027 14:05');
    expect(render('acts.actReminderNotice')[0].subject).toBe(
      'Напоминание: срок подписания акта № АВР-2026-000123 истекает 05.01.2027',
    );
    expect(bodyOf(render('acts.actAcceptedNotice')[0])).toContain('не поступил до конца 05.01.2027');
  });

  test('a reconciliation act: the deadline and the balance', () => {
    const [issued, debt] = render('reconciliation.reconciliationIssuedNotice');
    expect(bodyOf(issued)).toContain('до конца 05.01.2027');
    expect(squash(bodyOf(issued))).toContain('остаток неиспользованных денег на конец периода 1 234,56 ₸');
    expect(squash(bodyOf(debt))).toContain('задолженность Заказчика на конец периода 1 234,56 ₸');
    expect(render('reconciliation.reconciliationReminderNotice')[0].subject).toBe(
      'Напоминание: срок подписания акта сверки № АС-2026-000007 истекает 05.01.2027',
    );
  });

  test('orders: registration time in Astana time, download deadline to the end of a day', () => {
    const [ready, noExpiry] = render('orders.orderReadyNotice');
    expect(bodyOf(ready)).toContain('от 05.01.2027 14:05');
    expect(bodyOf(ready)).toContain('Скачайте коды до конца 05.01.2027');
    expect(bodyOf(noExpiry)).not.toContain('—');
    expect(bodyOf(render('orders.emissionLateNotice')[0])).toContain('(до 05.01.2027 18:05, п. 4.4.4');
    const reminder = render('orders.applicationReminderNotice')[0];
    expect(reminder.subject).toBe('Срок нанесения кодов маркировки истекает 16.02.2027');
    expect(bodyOf(reminder)).toContain('полученные 05.01.2027 по заказу');
  });

  test('payments, refunds, compensations: dates «dd.MM.yyyy», money «1 234,56 ₸»', () => {
    const credited = render('account.paymentCreditedNotice')[0];
    expect(squash(credited.subject)).toBe('Зачисление 1 234,56 ₸ на лицевой счёт ЛС-000001');
    expect(squash(bodyOf(credited))).toContain('зачислено 1 234,56 ₸ по платёжному документу № 101 от 04.01.2027');
    expect(squash(render('refunds.refundPaidNotice')[0].subject)).toBe('Возврат неиспользованного аванса: 1 229,56 ₸');
    expect(squash(render('lifecycle.compensationPaidNotice')[0].subject)).toBe('Компенсация 1 234,56 ₸');
    expect(render('lifecycle.contractEndedNotice')[1].body).toContain('прекратил действие 05.01.2027');
  });

  test('joining: the moderators read the submission time in Astana time', () => {
    expect(bodyOf(render('joining.moderationReminder')[0])).toContain('подано 05.01.2027 14:05');
  });

  test('support: the number in every subject, Reply-To the support address on what goes to the client', () => {
    for (const name of ['tickets.registrationMail', 'tickets.agentMessageMail', 'tickets.breachMail']) {
      for (const mail of render(name)) {
        expect(mail.subject).toBe('[SD-2027-000042] Не приходят коды');
        expect(mail.replyTo).toBe('support@ismet.kz');
      }
    }
    // Without a support address there is no Reply-To; a subject that has the number keeps one.
    expect(ticketTexts.registrationMail({ number: ticket.number, subject: ticket.subject })).not.toHaveProperty(
      'replyTo',
    );
    expect(ticketTexts.ticketSubject(ticket.number, 'Re: [SD-2027-000042] Не приходят коды')).toBe(
      'Re: [SD-2027-000042] Не приходят коды',
    );
    const [reaction, resolution] = render('tickets.agentWarningMail');
    expect(reaction.subject).toBe('Срок реакции по обращению SD-2027-000042 истекает 05.01.2027 14:05');
    expect(resolution.subject).toBe('Срок решения по обращению SD-2027-000042 истекает 05.01.2027');
  });

  test('the support address, when no setting names it, is support@ the domain of MAIL_FROM', () => {
    expect(supportAddressFor('ИС МПТ <noreply@ismet.kz>')).toBe('support@ismet.kz');
    expect(supportAddressFor('noreply@ismet.local')).toBe('support@ismet.local');
    expect(supportAddressFor('"ИС МПТ" <robot@mail.ismet.kz> ')).toBe('support@mail.ismet.kz');
    expect(supportAddressFor('ИС МПТ')).toBeUndefined();
    expect(supportAddressFor(undefined)).toBeUndefined();
  });
});
