/**
 * The contract's defined terms in the state language and in Russian (the law «О языках в Республике Казахстан»,
 * art. 21: documents kept in both): one Kazakh name for each Russian one, everywhere. The catalogues are checked
 * against it (test/unit/i18n-catalogues.test.ts): a message naming a term in one language names it in the other;
 * docs/GLOSSARY.md is rendered from it (`npx tsx ops/i18n-glossary.ts`).
 *
 * `kkStem` and `ruStem` find the term in a message whatever its case ending (Russian declines the whole phrase,
 * Kazakh adds suffixes to its end).
 */
export interface Term {
  ru: string;
  kk: string;
  /** The English name in code (../shared/CONTRACT.md). */
  en: string;
  meaning: string;
  ruStem: RegExp;
  kkStem: RegExp;
  /** Kazakh names this term must not be given instead (a literal translation, the Russian abbreviation). */
  kkNot?: RegExp;
}

export const GLOSSARY: readonly Term[] = [
  {
    ru: 'Единый оператор',
    kk: 'Бірыңғай оператор',
    en: 'Unified Operator',
    meaning: 'the operator of the marking system, the party providing the services',
    ruStem: /един\S* оператор/i,
    kkStem: /бірыңғай оператор/i,
  },
  {
    ru: 'Договор',
    kk: 'Шарт',
    en: 'contract',
    meaning: 'the standard contract for access to the Unified Operator’s services',
    ruStem: /договор/i,
    kkStem: /шарт/i,
  },
  {
    ru: 'Заявление о присоединении',
    kk: 'Шартқа қосылу туралы өтініш',
    en: 'join application',
    meaning: 'the EDS-signed application form (Прил. 1); its signing date is the joining date',
    ruStem: /заявлени\S* о присоединении/i,
    kkStem: /қосылу туралы өтініш/i,
  },
  {
    ru: 'ЭЦП',
    kk: 'ЭЦҚ',
    en: 'EDS signature',
    meaning: 'electronic digital signature (электрондық цифрлық қолтаңба)',
    ruStem: /ЭЦП/,
    kkStem: /ЭЦҚ/,
    kkNot: /ЭЦП/,
  },
  {
    ru: 'Лицевой счёт',
    kk: 'Дербес шот',
    en: 'personal account',
    meaning: 'the client’s prepaid money account',
    ruStem: /лицев\S* сч[её]т/i,
    kkStem: /дербес шот/i,
    kkNot: /жеке шот|жеке есепшот|дербес есепшот/i,
  },
  {
    ru: 'Личный кабинет',
    kk: 'Жеке кабинет',
    en: 'client cabinet',
    meaning: 'the client’s view: balance, orders, codes, documents',
    ruStem: /личн\S* кабинет/i,
    kkStem: /жеке кабинет/i,
  },
  {
    ru: 'Станция управления заказами (СУЗ)',
    kk: 'Тапсырыстарды басқару станциясы (ТБС)',
    en: 'order station',
    meaning: 'the API through which orders are created and codes fetched',
    ruStem: /станци\S* управления заказами|СУЗ/i,
    kkStem: /тапсырыстарды басқару станция|ТБС/i,
  },
  {
    ru: 'Заказ',
    kk: 'Тапсырыс',
    en: 'order',
    meaning: 'a request to emit marking codes, sent through the order station (Заявка Клиента)',
    ruStem: /заказ(?!ами)/i,
    kkStem: /тапсырыс/i,
  },
  {
    ru: 'Код маркировки',
    kk: 'Таңбалау коды',
    en: 'marking code',
    meaning: 'identification code (GTIN + serial) and its verification code',
    ruStem: /код\S* маркировки/i,
    kkStem: /таңбалау код/i,
  },
  {
    ru: 'Средство идентификации',
    kk: 'Сәйкестендіру құралы',
    en: 'DataMatrix',
    meaning: 'the code as a GS1 DataMatrix symbol',
    ruStem: /средств\S* идентификации/i,
    kkStem: /сәйкестендіру құрал/i,
  },
  {
    ru: 'Ввод в оборот',
    kk: 'Айналымға енгізу',
    en: 'introduction into circulation',
    meaning: 'allowed only for codes applied and paid for',
    ruStem: /ввод\S* в оборот/i,
    kkStem: /айналымға енгіз/i,
  },
  {
    ru: 'Акт выполненных работ',
    kk: 'Орындалған жұмыстар актісі',
    en: 'monthly act',
    meaning: 'the monthly statement of services rendered',
    ruStem: /акт\S* выполненных работ/i,
    kkStem: /орындалған жұмыстар(\s*\([^)]*\))?(\s*(қосымша|түзетілген))?\s*акт/i,
  },
  {
    ru: 'Счёт-фактура',
    kk: 'Шот-фактура',
    en: 'VAT invoice',
    meaning: 'the tax invoice issued with the act',
    ruStem: /сч[её]т\S*-фактур/i,
    kkStem: /шот-фактура/i,
  },
  {
    ru: 'Счёт на оплату',
    kk: 'Төлемге арналған шот',
    en: 'invoice for payment',
    meaning: 'issued on request, for an advance amount',
    ruStem: /сч[её]т\S* на оплату/i,
    kkStem: /төлемге арналған шот/i,
  },
  {
    ru: 'Акт сверки',
    kk: 'Салыстыру актісі',
    en: 'reconciliation act',
    meaning: 'the balance reconciliation for a period',
    ruStem: /акт\S* сверки/i,
    kkStem: /салыстыру акт/i,
  },
  {
    ru: 'Мотивированный отказ',
    kk: 'Дәлелді бас тарту',
    en: 'motivated refusal',
    meaning: 'the client’s reasoned refusal to sign an act',
    ruStem: /мотивированн\S* отказ/i,
    kkStem: /дәлелді бас тарт/i,
  },
  {
    ru: 'Претензия',
    kk: 'Претензия',
    en: 'claim',
    meaning: 'a formal pre-trial claim',
    ruStem: /претензи/i,
    kkStem: /претензия/i,
  },
  {
    ru: 'Обращение в службу поддержки',
    kk: 'Қолдау қызметіне өтініш',
    en: 'support ticket',
    meaning: 'a request to the support service (Прил. 3)',
    ruStem: /обращени/i,
    kkStem: /өтініш/i,
  },
  {
    ru: 'Непреодолимая сила',
    kk: 'Еңсерілмейтін күш',
    en: 'force majeure',
    meaning: 'suspends deadlines while it lasts (8.3–8.5)',
    ruStem: /непреодолим\S* сил/i,
    kkStem: /еңсерілмейтін күш/i,
    kkNot: /форс-мажор/i,
  },
  {
    ru: 'Рабочий день',
    kk: 'Жұмыс күні',
    en: 'working day',
    meaning: 'a day worked by the production calendar of Kazakhstan',
    ruStem: /рабоч\S* д(ень|ня|ней|нях|ням)/i,
    kkStem: /жұмыс күн/i,
  },
  {
    ru: 'НДС',
    kk: 'ҚҚС',
    en: 'VAT',
    meaning: 'value added tax (қосылған құн салығы)',
    ruStem: /НДС/,
    kkStem: /ҚҚС/,
    kkNot: /НДС/,
  },
];
