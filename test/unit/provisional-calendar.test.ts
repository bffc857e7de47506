import { DateTime } from 'luxon';
import { BUNDLED_CALENDAR } from '../../lib/calendar/bundled';
import {
  CalendarDay,
  FIRST_DERIVABLE_YEAR,
  kurbanAitDates,
  provisionalYear,
  validateCalendarYear,
} from '../../lib/calendar';

// Years derived from the Law «О праздниках в Республике Казахстан» (lib/calendar/provisional.ts):
// checked against the official years 2024-2026 and the bundled 2027, and 2028-2029 by hand.

const weekday = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).weekday;
const isWeekend = (date: string) => weekday(date) >= 6;
/** A day as compared: what makes it off and why, without the wording of its source. */
const shape = (d: CalendarDay) => ({
  date: d.date,
  kind: d.kind,
  category: d.category,
  movedFrom: d.movedFrom,
  name: d.name,
});

describe('Kurban ait: 10 Dhu al-Hijjah of the Umm al-Qura calendar (Intl islamic-umalqura)', () => {
  test('is the date the Ministry of Labour published in 2024-2026 and the one expected for 2027', () => {
    for (const year of [2024, 2025, 2026, 2027]) {
      const official = BUNDLED_CALENDAR.years[year].days.find((d) => d.name.startsWith('Курбан айт'))!;
      expect({ year, dates: kurbanAitDates(year).map((k) => k.date) }).toEqual({ year, dates: [official.date] });
    }
    expect(kurbanAitDates(2024)).toEqual([{ date: '2024-06-16', hijriYear: 1445 }]);
  });

  test('2028 and 2029: 5 May 2028 (Friday) and 24 April 2029 (Tuesday), of 1449 and 1450 AH', () => {
    expect(kurbanAitDates(2028)).toEqual([{ date: '2028-05-05', hijriYear: 1449 }]);
    expect(kurbanAitDates(2029)).toEqual([{ date: '2029-04-24', hijriYear: 1450 }]);
    expect([weekday('2028-05-05'), weekday('2029-04-24')]).toEqual([5, 2]);
  });

  test('makes sense: a lunar year (354 or 355 days) apart, one Hijri year after another; twice in a Gregorian year when it fits', () => {
    const dates = [];
    for (let year = 2024; year <= 2060; year++) dates.push(...kurbanAitDates(year));
    for (let i = 1; i < dates.length; i++) {
      const days = DateTime.fromISO(dates[i].date).diff(DateTime.fromISO(dates[i - 1].date), 'days').days;
      expect({ at: dates[i].date, days, hijri: dates[i].hijriYear - dates[i - 1].hijriYear }).toEqual({
        at: dates[i].date,
        days: expect.any(Number),
        hijri: 1,
      });
      expect(days === 354 || days === 355).toBe(true);
    }
    expect(kurbanAitDates(2039).map((k) => k.date)).toEqual(['2039-01-05', '2039-12-26']);
  });
});

describe('derived years against the data file', () => {
  test('2027: exactly the bundled (provisional) year, names included', () => {
    expect(provisionalYear(2027).days.map(shape)).toEqual(BUNDLED_CALENDAR.years[2027].days.map(shape));
  });

  test('2026: exactly the official year (Constitution Day on neither 30 August nor 15 March; no transfer order)', () => {
    expect(provisionalYear(2026).days.map(shape)).toEqual(BUNDLED_CALENDAR.years[2026].days.map(shape));
  });

  // What the law alone cannot know: the transfers of rest days the Minister of Labour orders
  // (Labour Code art. 85 p. 3). Everything else of the official years follows from the rules.
  const MINISTERIAL_TRANSFERS: Record<number, { date: string; kind: CalendarDay['kind'] }[]> = {
    // Order of 17 April 2024: Saturday 4 May worked, Wednesday 8 May off (a bridge between 7 and 9 May).
    2024: [
      { date: '2024-05-04', kind: 'working_day_transfer' },
      { date: '2024-05-08', kind: 'rest_day_transfer' },
    ],
    // Order of 21 November 2024: Friday 3 January off, Sunday 5 January worked (1-4 January in a row).
    2025: [
      { date: '2025-01-03', kind: 'rest_day_transfer' },
      { date: '2025-01-05', kind: 'working_day_transfer' },
    ],
  };

  test.each([2024, 2025])('%i: the official year less only the ministerial transfers', (year) => {
    const derived = provisionalYear(year).days.map(shape);
    const official = BUNDLED_CALENDAR.years[year].days.map(shape);
    const key = (d: { date: string; kind: string }) => `${d.date} ${d.kind}`;
    const derivedKeys = new Set(derived.map(key));
    expect(derived.filter((d) => !official.some((o) => JSON.stringify(o) === JSON.stringify(d)))).toEqual([]);
    expect(official.filter((d) => !derivedKeys.has(key(d))).map(({ date, kind }) => ({ date, kind }))).toEqual(
      MINISTERIAL_TRANSFERS[year],
    );
  });
});

describe('2028 and 2029 by hand from the rules', () => {
  // 2028 (leap year): 1-2 January Sat-Sun → 3-4 January (Mon-Tue) off, consecutive after the block (art. 5);
  // 7 January Friday; 8, 15 March Wednesdays; Nauryz 21-23 March Tue-Thu; 1 May Monday; Kurban ait 5 May
  // Friday; 7 May Sunday → 8 May Monday; 9 May Tuesday; 6 July Thursday; 25 October Wednesday;
  // 16 December Saturday → 18 December Monday.
  const DAYS_2028 = [
    ['2028-01-01', 'holiday'],
    ['2028-01-02', 'holiday'],
    ['2028-01-03', 'holiday_moved', '2028-01-01'],
    ['2028-01-04', 'holiday_moved', '2028-01-02'],
    ['2028-01-07', 'holiday'],
    ['2028-03-08', 'holiday'],
    ['2028-03-15', 'holiday'],
    ['2028-03-21', 'holiday'],
    ['2028-03-22', 'holiday'],
    ['2028-03-23', 'holiday'],
    ['2028-05-01', 'holiday'],
    ['2028-05-05', 'holiday'],
    ['2028-05-07', 'holiday'],
    ['2028-05-08', 'holiday_moved', '2028-05-07'],
    ['2028-05-09', 'holiday'],
    ['2028-07-06', 'holiday'],
    ['2028-10-25', 'holiday'],
    ['2028-12-16', 'holiday'],
    ['2028-12-18', 'holiday_moved', '2028-12-16'],
  ];
  // 2029: 1-2 January Mon-Tue; 7 January Sunday — a religious day off, not moved; 8, 15 March Thursdays;
  // Nauryz 21-23 March Wed-Fri; Kurban ait 24 April Tuesday; 1 May Tuesday, 7 May Monday, 9 May Wednesday;
  // 6 July Friday; 25 October Thursday; 16 December Sunday → 17 December Monday.
  const DAYS_2029 = [
    ['2029-01-01', 'holiday'],
    ['2029-01-02', 'holiday'],
    ['2029-01-07', 'holiday'],
    ['2029-03-08', 'holiday'],
    ['2029-03-15', 'holiday'],
    ['2029-03-21', 'holiday'],
    ['2029-03-22', 'holiday'],
    ['2029-03-23', 'holiday'],
    ['2029-04-24', 'holiday'],
    ['2029-05-01', 'holiday'],
    ['2029-05-07', 'holiday'],
    ['2029-05-09', 'holiday'],
    ['2029-07-06', 'holiday'],
    ['2029-10-25', 'holiday'],
    ['2029-12-16', 'holiday'],
    ['2029-12-17', 'holiday_moved', '2029-12-16'],
  ];

  test.each([
    [2028, DAYS_2028],
    [2029, DAYS_2029],
  ])('%i: every listed day, nothing else', (year, expected) => {
    const days = provisionalYear(year as number).days;
    expect(days.map((d) => [d.date, d.kind, ...(d.movedFrom ? [d.movedFrom] : [])])).toEqual(expected);
  });

  test('2028: the non-working weekdays', () => {
    const weekdaysOff = provisionalYear(2028)
      .days.filter((d) => !isWeekend(d.date))
      .map((d) => d.date.slice(5));
    expect(weekdaysOff).toEqual([
      '01-03',
      '01-04',
      '01-07',
      '03-08',
      '03-15',
      '03-21',
      '03-22',
      '03-23',
      '05-01',
      '05-05',
      '05-08',
      '05-09',
      '07-06',
      '10-25',
      '12-18',
    ]);
  });

  test('2029: the non-working weekdays', () => {
    const weekdaysOff = provisionalYear(2029)
      .days.filter((d) => !isWeekend(d.date))
      .map((d) => d.date.slice(5));
    expect(weekdaysOff).toEqual([
      '01-01',
      '01-02',
      '03-08',
      '03-15',
      '03-21',
      '03-22',
      '03-23',
      '04-24',
      '05-01',
      '05-07',
      '05-09',
      '07-06',
      '10-25',
      '12-17',
    ]);
  });

  test('each day says why: the law and article, the unofficial Kurban ait estimate, the moved holiday by name', () => {
    const days = provisionalYear(2028).days;
    expect(days.find((d) => d.date === '2028-10-25')).toMatchObject({
      name: 'День Республики',
      category: 'national',
      source: expect.stringContaining('ст. 2'),
    });
    expect(days.find((d) => d.date === '2028-03-15')).toMatchObject({
      name: 'День Конституции Республики Казахстан',
      source: expect.stringContaining('п. 2 ст. 94'),
    });
    expect(days.find((d) => d.date === '2028-05-05')).toMatchObject({
      category: 'religious',
      source: expect.stringMatching(
        /^НЕ ОФИЦИАЛЬНО: ожидаемая дата — 10 зуль-хиджа 1449 г\.х\. по календарю Умм аль-Кура.*п\. 5 ст\. 84/,
      ),
    });
    expect(days.find((d) => d.date === '2028-12-18')).toMatchObject({
      name: 'Выходной за праздник «День Независимости» (16 декабря, суббота)',
      source: expect.stringContaining('ст. 5'),
    });
    const year = provisionalYear(2028);
    expect(year.status).toBe('provisional');
    expect(year.sources[0].title).toContain('№ 267-II «О праздниках в Республике Казахстан»');
    expect(year.sources.map((s) => s.title).join(' ')).toMatch(/Умм аль-Кура.*п\. 3 ст\. 85/s);
  });
});

describe('the rules hold in every derivable year up to 2100', () => {
  const years = Array.from({ length: 2100 - FIRST_DERIVABLE_YEAR + 1 }, (_, i) => FIRST_DERIVABLE_YEAR + i);

  test('a derived year passes the validation staff edits pass', () => {
    for (const year of years)
      expect({ year, problems: validateCalendarYear(year, provisionalYear(year)) }).toEqual({ year, problems: [] });
  });

  test('art. 5: each national or state holiday on a weekend gives one weekday off after it, skipping no working day; religious days off are not moved', () => {
    for (const year of years) {
      const days = provisionalYear(year).days;
      const off = new Set(days.map((d) => d.date));
      const moved = days.filter((d) => d.kind === 'holiday_moved');
      const weekendHolidays = days.filter((d) => d.kind === 'holiday' && isWeekend(d.date));
      expect(moved.map((d) => d.movedFrom).sort()).toEqual(
        weekendHolidays.filter((d) => d.category !== 'religious').map((d) => d.date),
      );
      for (const day of moved) {
        expect(isWeekend(day.date)).toBe(false);
        // Every day between the holiday and its day off is a weekend day, a holiday or another moved day.
        for (
          let d = DateTime.fromISO(day.movedFrom!).plus({ days: 1 });
          d.toISODate()! < day.date;
          d = d.plus({ days: 1 })
        ) {
          expect({ between: d.toISODate(), off: isWeekend(d.toISODate()!) || off.has(d.toISODate()!) }).toEqual({
            between: d.toISODate(),
            off: true,
          });
        }
      }
    }
  });

  test('Constitution Day: 30 August up to 2025, none in 2026, 15 March from 2027', () => {
    const constitution = (year: number) =>
      provisionalYear(year)
        .days.filter((d) => d.kind === 'holiday' && d.name.startsWith('День Конституции'))
        .map((d) => d.date);
    expect([2025, 2026, 2027, 2040].map(constitution)).toEqual([['2025-08-30'], [], ['2027-03-15'], ['2040-03-15']]);
  });

  test(`a year before ${FIRST_DERIVABLE_YEAR} is not derived (other holidays were in force)`, () => {
    expect(() => provisionalYear(2022)).toThrow(RangeError);
  });
});
