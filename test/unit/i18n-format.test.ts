import { createIntl } from '@formatjs/intl';
import { formatDateIn, formatDeadlineIn, formatLongDateIn, formatMoneyIn, formatMonthIn } from '../../lib/i18n/format';
import { apiLanguageOf } from '../../lib/i18n/languages';

// Fixed instants and dates: nothing here depends on the day the test runs.
const NBSP = /[\u00a0\u202f]/g;
const plain = (text: string) => text.replace(NBSP, ' ');

describe('money, dates and plurals in Kazakh and Russian (Intl)', () => {
  test('money: tiyn as tenge with ₸, grouped, exact beyond a float’s cents', () => {
    expect(plain(formatMoneyIn('kk', 123_456_789))).toBe('1 234 567,89 ₸');
    expect(plain(formatMoneyIn('ru', 123_456_789))).toBe('1 234 567,89 ₸');
    expect(plain(formatMoneyIn('kk', 5))).toBe('0,05 ₸');
    expect(plain(formatMoneyIn('ru', -100))).toMatch(/^[-−]1,00 ₸$/);
    // 2^53 − 1 tiyn: formatted from the decimal string, not from a float that would round the last digit.
    expect(plain(formatMoneyIn('kk', Number.MAX_SAFE_INTEGER))).toBe('90 071 992 547 409,91 ₸');
    // An amount never wraps: its spaces are no-break spaces.
    expect(formatMoneyIn('kk', 123_456_789)).not.toMatch(/ /);
  });

  test('dates: numeric alike, written out each in its own language, in Astana time', () => {
    const evening = '2026-12-05T20:30:00Z'; // 01:30 on 6 December in Astana (UTC+5)
    expect(formatDateIn('kk', evening)).toBe('06.12.2026');
    expect(formatDateIn('ru', evening)).toBe('06.12.2026');
    expect(formatDateIn('kk', '2026-12-05')).toBe('05.12.2026');
    expect(plain(formatLongDateIn('kk', '2026-12-05'))).toBe('2026 ж. 5 желтоқсан');
    expect(plain(formatLongDateIn('ru', '2026-12-05'))).toBe('5 декабря 2026 г.');
    expect(plain(formatMonthIn('kk', '2026-10'))).toBe('2026 ж. қазан');
    expect(plain(formatMonthIn('ru', '2026-10'))).toBe('октябрь 2026 г.');
  });

  test('plurals: Kazakh has one and other, Russian one, few and many', () => {
    const kk = createIntl({ locale: 'kk', messages: { n: '{n, plural, one {# код} other {# код}}' } });
    const ru = createIntl({ locale: 'ru', messages: { n: '{n, plural, one {# код} few {# кода} other {# кодов}}' } });
    expect(new Intl.PluralRules('kk').resolvedOptions().pluralCategories.sort()).toEqual(['one', 'other']);
    expect([1, 2, 5, 21].map((n) => kk.formatMessage({ id: 'n' }, { n }))).toEqual([
      '1 код',
      '2 код',
      '5 код',
      '21 код',
    ]);
    expect([1, 2, 5, 21, 1000].map((n) => plain(ru.formatMessage({ id: 'n' }, { n })))).toEqual([
      '1 код',
      '2 кода',
      '5 кодов',
      '21 код',
      '1 000 кодов',
    ]);
  });
});

test('Accept-Language chooses kk, ru or en (English when it names none of them)', () => {
  expect(apiLanguageOf('kk')).toBe('kk');
  expect(apiLanguageOf('kk-KZ,ru;q=0.8')).toBe('kk');
  expect(apiLanguageOf('ru-RU,ru;q=0.9,en-US;q=0.8')).toBe('ru');
  expect(apiLanguageOf('ru;q=0.5, kk;q=0.9')).toBe('kk');
  expect(apiLanguageOf('en-US')).toBe('en');
  expect(apiLanguageOf('de-DE')).toBe('en');
  expect(apiLanguageOf(undefined)).toBe('en');
  expect(apiLanguageOf('')).toBe('en');
});

test('a deadline as a notice says it, in each language: the end of a day, or a time of day (Astana time)', () => {
  const endOf5Jan = '2027-01-05T19:00:00Z'; // 00:00 on 6 January in Astana: the end of the 5th
  const at1405 = '2027-01-05T09:05:00Z';
  expect(formatDeadlineIn('ru', endOf5Jan)).toBe('до конца 05.01.2027');
  expect(formatDeadlineIn('kk', endOf5Jan)).toBe('05.01.2027 соңына дейін');
  expect(formatDeadlineIn('ru', at1405)).toBe('до 05.01.2027 14:05');
  expect(formatDeadlineIn('kk', at1405)).toBe('05.01.2027 14:05 дейін');
});
