import { actAcceptedNotice, actIssuedNotice, actReminderNotice } from '../../activities/texts/acts';
import {
  reconciliationAcceptedNotice,
  reconciliationIssuedNotice,
  reconciliationReminderNotice,
} from '../../activities/texts/reconciliation';
import { paymentCreditedNotice } from '../../activities/texts/account';
import { mailText, RULE } from '../../activities/texts/bilingual';
import { orderDeclinedNotice, orderReadyNotice } from '../../activities/texts/orders';
import { refundPaidNotice, refundRefusedNotice } from '../../activities/texts/refunds';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  amendmentNotice,
  claimAnsweredNotice,
  claimReceivedNotice,
  type ClaimRefusal,
  compensationPaidNotice,
  compensationRefusedNotice,
  contractEndedNotice,
  forceMajeureNotice,
  terminationMovedNotice,
  terminationNotice,
  terminationWithdrawnNotice,
} from '../../activities/texts/lifecycle';
import { BASIS_TITLES, basisMessageKey, TERMINATION_BASES } from '../../lib/termination';

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

describe('the contract’s lifecycle notices (activities/texts/lifecycle.ts)', () => {
  /** The Kazakh and the Russian part of a notice to a client who reads `language` first. */
  const parts = (body: string, language: 'kk' | 'ru') => {
    const [first, second] = plain(body).split(RULE);
    return language === 'kk' ? { kazakh: first, russian: second } : { kazakh: second, russian: first };
  };
  const SIGNATURES =
    '\n\n--\nТауарларды таңбалау және қадағалау бірыңғай операторы\nҚолдау қызметі: mark@ismet.kz, 8 800 080 65 65\n' +
    'Единый оператор маркировки и прослеживаемости товаров (ИС МПТ)\nСлужба поддержки: mark@ismet.kz, 8 800 080 65 65';

  test('a termination by the operator, told to a client who reads Kazakh: Kazakh first, the basis in each language', () => {
    const notice = terminationNotice({
      initiator: 'operator',
      basis: '4.3.1a',
      grounds: 'Повторное нарушение сроков нанесения кодов',
      date: '2027-01-19',
      evidence: 'Акт проверки № 5',
      language: 'kk',
    });
    expect(notice.subject).toBe('19.01.2027 бастап Шартты бұзу туралы хабарлама');
    expect(notice.body.endsWith(SIGNATURES)).toBe(true);
    const { kazakh, russian } = parts(notice.body, 'kk');
    expect(kazakh).toBe(
      'Құрметті клиент!\n\nБірыңғай оператор 19.01.2027 бастап Шартты орындаудан бас тартатыны туралы хабарлайды ' +
        '(Шарттың 10.4.4-тармағы).\nНегіздеме: Клиенттің Шарттың елеулі талаптарын бірнеше рет бұзуы (4.3.1-тармақтың a) ' +
        'тармақшасы).\nМән-жайлар: Повторное нарушение сроков нанесения кодов\nРастайтын құжаттар: Акт проверки № 5\n\n' +
        'Осы күнге дейін қызметтер әдеттегі тәртіппен көрсетіледі. Шарт бұзылған күннен бастап жаңа Тапсырыстар ' +
        'қабылданбайды; қолжетімділік ашық міндеттемелер (резервтелген кодтар, көрсетілген қызметтер актілері) ' +
        'орындалғаннан кейін тоқтатылады, аванстың пайдаланылмаған қалдығы нақты банк шығыстары шегеріліп, сіздің ' +
        'банктік шотыңызға қайтарылады.',
    );
    // The Russian as the operator has always sent it.
    expect(russian.replace(SIGNATURES, '')).toBe(
      'Уважаемый клиент!\n\nЕдиный оператор уведомляет об отказе от исполнения Договора с 19.01.2027 (п. 10.4.4 Договора).\n' +
        `Основание: ${BASIS_TITLES['4.3.1a']}.\nОбстоятельства: Повторное нарушение сроков нанесения кодов\n` +
        'Подтверждающие документы: Акт проверки № 5\n\nДо этой даты услуги оказываются в обычном порядке. С даты ' +
        'расторжения новые Заявки не принимаются; доступ прекращается после исполнения открытых обязательств ' +
        '(зарезервированные коды, акты оказанных услуг), неиспользованный остаток аванса возвращается на ваш банковский ' +
        'счёт за вычетом фактических банковских расходов.',
    );
  });

  test('each ground of termination has its title in both catalogues, the Russian that of lib/termination.ts', () => {
    for (const basis of TERMINATION_BASES) {
      expect(mailText('ru', basisMessageKey(basis))).toBe(BASIS_TITLES[basis]);
      expect(mailText('kk', basisMessageKey(basis))).toMatch(/[әғқңөұүі]/);
    }
  });

  test('the client’s own termination, its withdrawal and a moved date: the client’s language first, Russian by default', () => {
    const own = { initiator: 'client' as const, basis: '4.1.1' as const, grounds: 'не нужно', date: '2027-02-15' };
    const kk = terminationNotice({ ...own, language: 'kk' });
    expect(kk.subject).toBe('15.02.2027 бастап Шартты бұзу туралы хабарламаңыз алынды');
    expect(parts(kk.body, 'kk').kazakh).toMatch(
      /^Құрметті клиент!\n\nШартты бұзу туралы хабарламаңыз алынды\. Шарт 15\.02\.2027/,
    );
    expect(parts(kk.body, 'kk').kazakh).not.toContain('Растайтын құжаттар');
    for (const ru of [terminationNotice(own), terminationNotice({ ...own, language: 'ru' })]) {
      expect(ru.subject).toBe('Ваше уведомление о расторжении Договора с 15.02.2027 получено');
      const { russian, kazakh } = parts(ru.body, 'ru');
      expect(russian).toMatch(/^Уважаемый клиент!\n\nВаше уведомление о расторжении Договора получено\. Договор/);
      expect(russian).toContain('Основание: отказ Клиента от Договора при отсутствии необходимости подключения');
      expect(kazakh).toMatch(/^Құрметті клиент!/);
      expect(kazakh).toContain('Клиенттің Шарттан бас тартуы (4.1.1-тармақ)');
    }

    const withdrawn = terminationWithdrawnNotice({ date: '2027-02-15', reason: 'подана заявка', language: 'kk' });
    expect(withdrawn.subject).toBe('15.02.2027 бастап Шартты бұзудың күші жойылды');
    expect(parts(withdrawn.body, 'kk').kazakh).toContain(
      'кері қайтарып алынды. Шарт әрекетін жалғастырады.\n\nСебебі: подана заявка',
    );
    expect(parts(withdrawn.body, 'kk').russian).toBe(
      'Уважаемый клиент!\n\nУведомление о расторжении Договора с 15.02.2027 отозвано. Договор продолжает действовать.\n\n' +
        'Причина: подана заявка' +
        SIGNATURES,
    );
    expect(terminationWithdrawnNotice({ date: '2027-02-15', reason: 'x' }).subject).toBe(
      'Расторжение Договора с 15.02.2027 отменено',
    );

    const moved = { previous: '2027-02-15', date: '2027-02-20', deliveredOn: '2027-01-08' };
    const kkMoved = terminationMovedNotice({ ...moved, language: 'kk' });
    expect(kkMoved.subject).toBe('Шартты бұзу күні 20.02.2027 күніне ауыстырылды');
    expect(parts(kkMoved.body, 'kk').kazakh).toContain(
      'Сізге 08.01.2027 жеткізілді. Хабарлау мерзімі — ол алынған сәттен бастап 30 жұмыс күні',
    );
    expect(parts(kkMoved.body, 'kk').russian).toContain(
      'Уведомление о расторжении Договора с 15.02.2027 было доставлено Вам 08.01.2027. Срок уведомления — 30 рабочих дней',
    );
    expect(terminationMovedNotice(moved).subject).toBe('Дата расторжения Договора перенесена на 20.02.2027');
  });

  test('the contract ended: the workflows’ reasons said in each language, any other as given', () => {
    const oneYear = mailText('ru', 'contract.endReason.3_7');
    const ended = contractEndedNotice({ reason: oneYear, at: '2027-01-05T09:05:00Z', language: 'kk' });
    expect(ended.subject).toBe('Шарт әрекетін тоқтатты, дербес шот жабылды');
    const { kazakh, russian } = parts(ended.body, 'kk');
    expect(kazakh).toContain(
      'Шарт 05.01.2027 әрекетін тоқтатты: аванс бір күнтізбелік жыл ішінде пайдаланылмады және қайтарылды (Шарттың 3.7-тармағы).',
    );
    expect(russian).toBe(
      'Уважаемый клиент!\n\nДоговор прекратил действие 05.01.2027: аванс не использован в течение одного календарного года ' +
        'и возвращён (п. 3.7 Договора). Лицевой счёт закрыт, доступ к сервисам Единого оператора прекращён.\n\n' +
        'Коды маркировки и документы хранятся в течение сроков, установленных Договором (п. 4.4.8).' +
        SIGNATURES,
    );
    const terminated = contractEndedNotice({
      reason: `расторжение Договора: ${BASIS_TITLES['10.4.3']}`,
      at: '2027-01-05',
      language: 'kk',
    });
    expect(parts(terminated.body, 'kk').kazakh).toContain(
      'тоқтатты: Шартты бұзу: Тараптардың келісімі (10.4.3-тармақ).',
    );
    expect(parts(terminated.body, 'kk').russian).toContain(
      'прекратил действие 05.01.2027: расторжение Договора: соглашение Сторон',
    );
    const other = contractEndedNotice({ reason: 'возврат аванса', at: '2027-01-05' });
    expect(other.subject).toBe('Договор прекратил действие, лицевой счёт закрыт');
    expect(parts(other.body, 'ru').kazakh).toContain('Шарт 05.01.2027 әрекетін тоқтатты: возврат аванса.');
  });

  test('the workflows end the contract with the reasons the catalogue writes', () => {
    const source = (file: string) => readFileSync(join(__dirname, '..', '..', 'workflows', file), 'utf8');
    expect(source('client-lifecycle.ts')).toContain(`'${mailText('ru', 'contract.endReason.3_7')}'`);
    expect(source('contract-termination.ts')).toContain('`расторжение Договора: ${BASIS_TITLES[input.basis]}`');
    expect(mailText('ru', 'contract.endReason.termination', { basis: 'X' })).toBe('расторжение Договора: X');
  });

  test('an amendment of the contract, to every client in its language', () => {
    const version = {
      version: '2027-01',
      title: 'Новая редакция',
      summary: 'Изменён п. 6.1.',
      effectiveAt: '2027-03-01',
      documentUrl: 'https://ismet.kz/contract/2027-01.pdf',
    };
    const kk = amendmentNotice(version, 'kk');
    expect(kk.subject).toBe('Шартқа енгізілетін өзгерістер 01.03.2027 күшіне енеді');
    const { kazakh, russian } = parts(kk.body, 'kk');
    expect(kazakh).toContain(
      '(Шарттың 4.3.5, 10.3.2-тармақтары): 2027-01 редакциясы «Новая редакция».\n\nИзменён п. 6.1.',
    );
    expect(kazakh).toContain('\nЖаңа редакцияның мәтіні: https://ismet.kz/contract/2027-01.pdf');
    expect(russian).toBe(
      'Уважаемый клиент!\n\nЕдиный оператор вносит изменения в Договор (пп. 4.3.5, 10.3.2 Договора): редакция 2027-01 ' +
        '«Новая редакция».\n\nИзменён п. 6.1.\n\nИзменения вступают в силу 01.03.2027, по истечении 20 рабочих дней с даты ' +
        'размещения.\nТекст новой редакции: https://ismet.kz/contract/2027-01.pdf' +
        SIGNATURES,
    );
    const ru = amendmentNotice({ ...version, documentUrl: null });
    expect(ru.subject).toBe('Изменения в Договор вступают в силу 01.03.2027');
    expect(ru.body).toMatch(/^Уважаемый клиент!/);
    expect(ru.body).not.toContain('Текст новой редакции');
  });

  test('a claim received, considered or not (9.3, 9.4), told to a client who reads Kazakh', () => {
    const claim = { number: 12345, receivedOn: '2027-01-05', answerBy: '2027-01-26', considered: true };
    const accepted = claimReceivedNotice({ ...claim, language: 'kk' });
    expect(accepted.subject).toBe('№ 12345 претензия қарауға қабылданды');
    const { kazakh, russian } = parts(accepted.body, 'kk');
    expect(kazakh).toContain(
      'Сіздің 05.01.2027 берілген № 12345 претензияңыз қарауға қабылданды. Мәні бойынша жауап 26.01.2027 күнінен',
    );
    expect(russian).toContain(
      'Ваша претензия № 12345 от 05.01.2027 принята к рассмотрению. Ответ по существу будет дан не позднее 26.01.2027',
    );
    expect(claimReceivedNotice(claim).subject).toBe('Претензия № 12345 принята к рассмотрению');

    const refused = (refusal: ClaimRefusal | null) =>
      claimReceivedNotice({ ...claim, answerBy: null, considered: false, refusal, language: 'kk' });
    const unsigned = refused(null);
    expect(unsigned.subject).toBe('№ 12345 претензия қаралуға жатпайды');
    expect(parts(unsigned.body, 'kk').kazakh).toContain(
      '№ 12345 претензияға Клиенттің немесе оның өкілінің электрондық цифрлық қолтаңбасымен қол қойылмаған',
    );
    expect(parts(unsigned.body, 'kk').kazakh).toContain('Шарттың 9.4-тармағына сәйкес');
    expect(parts(unsigned.body, 'kk').russian).toContain(
      'Претензия № 12345 от 05.01.2027 не подписана электронной цифровой подписью',
    );
    const person = { commonName: 'ИВАНОВ ИВАН', iin: '880101300123', bin: null };
    const byPerson = parts(refused({ reason: 'SIGNER_NOT_AUTHORISED', signer: person }).body, 'kk');
    expect(byPerson.kazakh).toContain('жеке тұлғаның (ИВАНОВ ИВАН, ЖСН 880101300123) жеке ЭЦҚ-сымен қол қойылған');
    expect(byPerson.russian).toContain(
      'подписана личной ЭЦП физического лица (ИВАНОВ ИВАН, ИИН 880101300123), полномочия',
    );
    expect(byPerson.russian).toContain('нет доверенности на это лицо, действующей на дату получения претензии');
    const other = parts(refused({ reason: 'SIGNER_NOT_AUTHORISED', signer: { bin: '123456789012' } }).body, 'kk');
    expect(other.kazakh).toContain('басқа ұйымның ЭЦҚ-сымен (БСН 123456789012) қол қойылған');
    expect(other.russian).toContain('подписана ЭЦП другой организации (БИН 123456789012), а не ЭЦП Клиента');
  });

  test('a claim answered and a compensation paid or refused: the decision and the money in each language', () => {
    const answered = claimAnsweredNotice({
      number: 7,
      decision: 'partially_satisfied',
      answer: 'Простой подтверждён на 3 часа из 5.',
      amountAwardedTiyn: 300_00,
      language: 'kk',
    });
    expect(answered.subject).toBe('№ 7 претензияға жауап: ішінара қанағаттандырылды');
    const { kazakh, russian } = parts(answered.body, 'kk');
    expect(kazakh).toContain(
      '№ 7 претензия қаралды (Шарттың 9.3-тармағы): ішінара қанағаттандырылды.\n\nПростой подтверждён',
    );
    expect(kazakh).toContain('Өтелетін сома: 300,00 ₸.');
    expect(russian).toContain('Претензия № 7 рассмотрена (п. 9.3 Договора): удовлетворена частично.');
    expect(russian).toContain('Сумма к возмещению: 300,00 ₸.');
    expect(claimAnsweredNotice({ number: 7, decision: 'refused', answer: 'Нет' }).subject).toBe(
      'Ответ на претензию № 7: в удовлетворении отказано',
    );

    const paid = compensationPaidNotice({
      basis: 'late_service',
      amountTiyn: 124_35,
      payTo: 'bank',
      iik: 'KZ86125KZT5004100100',
      language: 'kk',
    });
    expect(plain(paid.subject)).toBe('124,35 ₸ өтемақы');
    expect(parts(paid.body, 'kk').kazakh).toContain(
      '124,35 ₸ өтемақы — қызметтерді көрсету мерзімінің кешіктірілуінен келтірілген нақты залал (Шарттың 7.3-тармағы) — ' +
        'сіздің KZ86125KZT5004100100 банктік шотыңызға аударылады.',
    );
    expect(parts(paid.body, 'kk').russian).toContain(
      'Компенсация 124,35 ₸ — реальный ущерб от просрочки оказания услуг (п. 7.3 Договора) — перечисляется на ваш ' +
        'банковский счёт KZ86125KZT5004100100.',
    );
    const toAccount = compensationPaidNotice({ basis: 'defect_act', amountTiyn: 1_00, payTo: 'account' });
    expect(plain(toAccount.subject)).toBe('Компенсация 1,00 ₸');
    expect(parts(toAccount.body, 'ru').kazakh).toContain('сіздің дербес шотыңызға есептелді.');
    const noIik = compensationPaidNotice({
      basis: 'late_service',
      amountTiyn: 1_00,
      payTo: 'bank',
      iik: null,
      language: 'kk',
    });
    expect(parts(noIik.body, 'kk').kazakh).toContain('— сіздің банктік шотыңызға аударылады.');
    expect(parts(noIik.body, 'kk').russian).toContain('— перечисляется на ваш банковский счёт.');

    const refusal = compensationRefusedNotice({ reason: 'нет ущерба', language: 'kk' });
    expect(refusal.subject).toBe('Залалды өтеу туралы талапқа жауап');
    expect(parts(refusal.body, 'kk').kazakh).toContain(
      'Шарттың 7.3-тармағы бойынша залалды өтеуден бас тартылды.\n\nСебебі: нет ущерба',
    );
    expect(compensationRefusedNotice({ reason: 'x' }).body).toMatch(
      /^Уважаемый клиент!\n\nВ возмещении ущерба по п\. 7\.3/,
    );
  });

  test('force majeure: «Еңсерілмейтін күш», each obligation in each language, one unknown as given', () => {
    const event = {
      startedOn: '2027-01-05',
      endedOn: null,
      description: 'Паводок',
      processes: ['emission', 'claims', 'other'],
      evidence: 'Справка ТПП № 1',
    };
    const kk = forceMajeureNotice(event, 'kk');
    expect(kk.subject).toBe('05.01.2027 бастап еңсерілмейтін күш мән-жайларының әрекеті туралы хабарлама');
    const { kazakh, russian } = parts(kk.body, 'kk');
    expect(kazakh).not.toMatch(/форс-мажор/i);
    expect(kazakh).toContain(
      '05.01.2027 бастап еңсерілмейтін күш мән-жайларының әрекеті туралы хабарлайды; олардың аяқталғаны',
    );
    expect(kazakh).toContain(
      'кедергі келтіреді:\n— таңбалау кодтарын 4 сағат ішінде эмиссиялау (4.4.4-тармақ)\n' +
        '— претензияларды қарау және өтемақы төлеу (7.2, 7.3, 9.3-тармақтар)\n— other\n\n',
    );
    expect(kazakh).toContain('Растайтын құжат (8.5-тармақ): Справка ТПП № 1');
    expect(russian).toBe(
      'Уважаемый клиент!\n\nВ соответствии с п. 8.3 Договора Единый оператор уведомляет о действии обстоятельств ' +
        'непреодолимой силы с 05.01.2027; об их окончании мы сообщим дополнительно.\n\nПаводок\n\nОбстоятельства ' +
        'препятствуют исполнению следующих обязанностей:\n— эмиссия кодов маркировки в течение 4 часов (п. 4.4.4)\n' +
        '— рассмотрение претензий и выплата компенсаций (пп. 7.2, 7.3, 9.3)\n— other\n\nСроки их исполнения ' +
        'приостанавливаются на время действия обстоятельств и возобновляются с даты их прекращения (п. 8.4 Договора).' +
        '\n\nПодтверждающий документ (п. 8.5): Справка ТПП № 1' +
        SIGNATURES,
    );
    const ru = forceMajeureNotice({ ...event, endedOn: '2027-01-09', processes: ['all'], evidence: null });
    expect(ru.subject).toBe('Уведомление о действии обстоятельств непреодолимой силы с 05.01.2027');
    const both = parts(ru.body, 'ru');
    expect(both.russian).toContain('непреодолимой силы с 05.01.2027 по 09.01.2027.\n\n');
    expect(both.russian).toContain('— все обязанности Единого оператора по Договору');
    expect(both.kazakh).toContain('05.01.2027 бастап 09.01.2027 дейін еңсерілмейтін күш');
    expect(both.kazakh).toContain('— Бірыңғай оператордың Шарт бойынша барлық міндеттері');
    expect(both.kazakh).not.toContain('Растайтын құжат');
  });
});
