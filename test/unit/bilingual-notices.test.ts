import { actAcceptedNotice, actIssuedNotice, actReminderNotice } from '../../activities/texts/acts';
import {
  reconciliationAcceptedNotice,
  reconciliationIssuedNotice,
  reconciliationReminderNotice,
} from '../../activities/texts/reconciliation';
import { paymentCreditedNotice } from '../../activities/texts/account';
import { RULE } from '../../activities/texts/bilingual';
import { orderDeclinedNotice, orderReadyNotice } from '../../activities/texts/orders';
import { refundPaidNotice, refundRefusedNotice } from '../../activities/texts/refunds';

// Issue #21: a notice in the client's language, the other below. Fixed instants: nothing depends on today.
/** Money is written with no-break spaces. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ');
const act = {
  number: 'АВР-2027-000042',
  periodFrom: '2026-12-01',
  periodTo: '2026-12-31',
  total: 311_000,
  dueAt: '2027-01-12T19:00:00Z', // the end of 12 January in Astana
  revision: 1,
};

test('an act’s notices to a client who reads Kazakh: Kazakh first, Russian below, the subject in Kazakh', () => {
  const issued = actIssuedNotice({ ...act, language: 'kk' });
  expect(issued.subject).toBe('12.2026 үшін № АВР-2027-000042 орындалған жұмыстар актісі');
  const [kazakh, russian] = issued.body.split(RULE);
  expect(kazakh).toMatch(/^Құрметті клиент!\n\n01\.12\.2026 бастап 31\.12\.2026 дейінгі кезеңдегі № АВР-2027-000042/);
  expect(kazakh).toContain('12.01.2027 соңына дейін жіберіңіз');
  expect(kazakh).toContain('Жеке кабинетте');
  expect(russian).toMatch(/^Уважаемый клиент!\n\nАкт выполненных работ № АВР-2027-000042 за период с 01\.12\.2026/);
  expect(russian).toContain('до конца 12.01.2027');
  expect(russian).toContain('Тауарларды таңбалау және қадағалау бірыңғай операторы');

  expect(actReminderNotice({ ...act, language: 'kk' }).subject).toBe(
    'Еске салу: № АВР-2027-000042 актіге қол қою мерзімі 12.01.2027 аяқталады',
  );
  const accepted = actAcceptedNotice({ ...act, revision: 2, language: 'kk' });
  expect(accepted.body).toContain('№ АВР-2027-000042 орындалған жұмыстар түзетілген актісі 12.01.2027 соңына дейін');
});

test('to a client who reads Russian (and by default): Russian first, as before, Kazakh below', () => {
  for (const notice of [actIssuedNotice(act), actIssuedNotice({ ...act, language: 'ru' })]) {
    expect(notice.subject).toBe('Акт выполненных работ № АВР-2027-000042 за 12.2026');
    const [russian, kazakh] = notice.body.split(RULE);
    expect(russian).toMatch(/^Уважаемый клиент!/);
    expect(kazakh).toMatch(/^Құрметті клиент!/);
  }
});

test('a reconciliation act’s notices to a client who reads Kazakh: Kazakh first, the balance or the debt as each says it', () => {
  const reconciliation = {
    number: 'АС-2027-000007',
    periodFrom: '2026-10-01',
    periodTo: '2026-12-31',
    closing: 141_000_00,
    dueAt: '2027-01-12T13:00:00Z', // 18:00 in Astana
    language: 'kk' as const,
  };
  const issued = reconciliationIssuedNotice(reconciliation);
  expect(issued.subject).toBe('№ АС-2027-000007 өзара есеп айырысуларды салыстыру актісі қол қоюға');
  const [kazakh, russian] = plain(issued.body).split(RULE);
  expect(kazakh).toContain('кезең соңындағы пайдаланылмаған ақша қалдығы 141 000,00 ₸');
  expect(kazakh).toContain('12.01.2027 18:00 дейін жіберіңіз');
  expect(russian).toContain('остаток неиспользованных денег на конец периода 141 000,00 ₸');
  expect(russian).toContain('до 12.01.2027 18:00');
  const debt = reconciliationAcceptedNotice({ ...reconciliation, closing: -5_000_00 });
  expect(debt.subject).toBe('№ АС-2027-000007 салыстыру актісі қол қойылған болып саналады');
  expect(plain(reconciliationIssuedNotice({ ...reconciliation, closing: -5_000_00 }).body)).toContain(
    'Тапсырыс берушінің кезең соңындағы берешегі 5 000,00 ₸',
  );
  expect(reconciliationReminderNotice({ ...reconciliation, language: 'ru' }).body).toMatch(/^Уважаемый клиент!/);
});

test('refund notices to a client who reads Kazakh: the grounds, deductions and the sum to transfer in each language', () => {
  const paid = refundPaidNotice({
    amountTiyn: 100_000_00,
    feeTiyn: 500_00,
    clientFeesTiyn: 0,
    iik: 'KZ86125KZT5004100100',
    clause: '3.7',
    language: 'kk',
  });
  expect(plain(paid.subject)).toBe('Пайдаланылмаған авансты қайтару: 99 500,00 ₸');
  const [kazakh, russian] = plain(paid.body).split(RULE);
  expect(kazakh).toContain(
    'Пайдаланылмаған аванс 100 000,00 ₸ KZ86125KZT5004100100 шотына қайтарылады: қызметтер аванс төленген күннен бастап',
  );
  expect(kazakh).toContain('Аударылатын сома: 99 500,00 ₸.');
  expect(kazakh).toContain('дербес шот жабылады (Шарттың 3.7-тармағы)');
  expect(russian).toContain('К перечислению: 99 500,00 ₸.');
  const refused = refundRefusedNotice({ reason: 'Нет неиспользованного аванса', language: 'kk' });
  expect(refused.subject).toBe('Авансты қайтару туралы өтінішке жауап');
  expect(refused.body.split(RULE)[0]).toContain('Себебі: Нет неиспользованного аванса');
  expect(refundRefusedNotice({ reason: 'x' }).body).toMatch(
    /^Уважаемый клиент!\n\nВ возврате неиспользованного аванса отказано/,
  );
});

test('order notices count the codes with each language’s plural, the client’s language first', () => {
  const order = {
    orderId: 'ord-42',
    registeredAt: '2027-01-05T09:05:00Z',
    gtins: ['04870001234567'],
    reservedTiyn: 268_00,
    expiresAt: '2027-01-05T19:00:00Z',
  };
  const codes = (totalCodes: number, language: 'kk' | 'ru') =>
    plain(orderReadyNotice({ ...order, totalCodes, language }).body).split(RULE);
  expect(codes(1, 'ru')[0]).toContain('эмитировано 1 код маркировки (GTIN');
  expect(codes(3, 'ru')[0]).toContain('эмитировано 3 кода маркировки (GTIN');
  expect(codes(1000, 'ru')[0]).toContain('эмитировано 1 000 кодов маркировки (GTIN');
  expect(codes(21, 'ru')[1]).toContain('21 таңбалау коды эмиссияланды');
  const [kazakh, russian] = codes(600, 'kk');
  expect(kazakh).toMatch(/^Құрметті клиент!\n\n05\.01\.2027 14:05 тіркелген ord-42 тапсырыс бойынша 600 таңбалау коды/);
  expect(kazakh).toContain('Кодтарды 05.01.2027 соңына дейін жүктеп алыңыз');
  expect(russian).toContain('Скачайте коды до конца 05.01.2027');
  const declined = orderDeclinedNotice({
    ...order,
    totalCodes: 2,
    neededTiyn: 622_00,
    availableTiyn: 100_00,
    accountNumber: 'LS00000042',
    language: 'kk',
  });
  expect(declined.subject).toBe('ord-42 таңбалау кодтарына тапсырыс қабылданбады: қаражат жеткіліксіз');
  expect(plain(declined.body)).toContain('эмиссияны төлеу үшін LS00000042 дербес шотта ақша жеткіліксіз');
  expect(plain(declined.body)).toContain('на 2 кода маркировки (GTIN: 04870001234567)');
});

test('a payment credited, told to a client who reads Kazakh: Kazakh first', () => {
  const credited = paymentCreditedNotice({
    accountNumber: 'LS00000042',
    amountTiyn: 123_456,
    documentNumber: '101',
    documentDate: '2027-01-04',
    receivedOn: '2027-01-05',
    payerName: 'ЖШС «Шаһар»',
    availableTiyn: 200_000,
    language: 'kk',
  });
  expect(plain(credited.subject)).toBe('LS00000042 дербес шотқа 1 234,56 ₸ есептелді');
  const [kazakh, russian] = plain(credited.body).split(RULE);
  expect(kazakh).toContain('04.01.2027 № 101 төлем құжаты бойынша 1 234,56 ₸ есептелді (төлеуші: ЖШС «Шаһар»)');
  expect(russian).toContain('зачислено 1 234,56 ₸ по платёжному документу № 101 от 04.01.2027');
});
