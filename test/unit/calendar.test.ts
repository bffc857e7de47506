import fc from 'fast-check';
import { BUNDLED_CALENDAR } from '../../lib/calendar/bundled';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS, validateCalendarYear } from '../../lib/calendar';

const calendar = new BusinessCalendar(BUNDLED_CALENDAR);
const at = (iso: string) => new Date(iso);
const fmt = (d: Date) => calendar.format(d);
const HOUR = 3_600_000;

describe('the data file', () => {
  test.each(Object.entries(BUNDLED_CALENDAR.years))('%s passes validation and cites its sources', (year, data) => {
    expect(validateCalendarYear(Number(year), data)).toEqual([]);
    expect(data.sources.length).toBeGreaterThan(0);
  });

  test('every national or state holiday on a weekend is moved to a later weekday; religious days off are not', () => {
    for (const data of Object.values(BUNDLED_CALENDAR.years)) {
      const moved = new Set(data.days.filter((d) => d.kind === 'holiday_moved').map((d) => d.movedFrom));
      for (const day of data.days.filter((d) => d.kind === 'holiday')) {
        const weekend = [0, 6].includes(new Date(`${day.date}T00:00:00Z`).getUTCDay());
        expect({ date: day.date, moved: moved.has(day.date) }).toEqual({
          date: day.date,
          moved: weekend && day.category !== 'religious',
        });
      }
    }
  });
});

// The production calendars of 2025 and 2026 as published (MTSZN RK), with the 2026 change of
// Constitution Day (30 August is no longer a holiday): every weekday off, every weekend worked.
const WEEKDAYS_OFF: Record<number, string[]> = {
  2025: [
    '01-01',
    '01-02',
    '01-03',
    '01-07',
    '03-10',
    '03-21',
    '03-24',
    '03-25',
    '05-01',
    '05-07',
    '05-09',
    '06-06',
    '07-07',
    '09-01',
    '10-27',
    '12-16',
  ],
  2026: [
    '01-01',
    '01-02',
    '01-07',
    '03-09',
    '03-23',
    '03-24',
    '03-25',
    '05-01',
    '05-07',
    '05-11',
    '05-27',
    '07-06',
    '10-26',
    '12-16',
  ],
};
const WEEKENDS_WORKED: Record<number, string[]> = { 2025: ['01-05'], 2026: [] };

describe.each([2025, 2026])('%i', (year) => {
  test('the non-working weekdays are exactly the published ones', () => {
    const isWeekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
    const weekdaysOff = calendar
      .nonWorkingDays(year)
      .filter((d) => isWeekday(d.date))
      .map((d) => d.date.slice(5));
    expect(weekdaysOff).toEqual(WEEKDAYS_OFF[year]);
  });

  test('the worked weekend days are exactly the published ones', () => {
    expect(calendar.workingWeekendDays(year).map((d) => d.date.slice(5))).toEqual(WEEKENDS_WORKED[year]);
  });

  test('each day off has its reason', () => {
    for (const day of calendar.nonWorkingDays(year)) expect(day.name).toMatch(/\S/);
  });
});

test.each([
  ['2025-01-03', false, 'rest_day_transfer'],
  ['2025-01-05', true, 'working_day_transfer'],
  ['2025-03-08', false, 'holiday'],
  ['2025-03-10', false, 'holiday_moved'],
  ['2025-06-06', false, 'holiday'],
  ['2025-08-30', false, 'holiday'],
  ['2025-09-01', false, 'holiday_moved'],
  ['2025-12-17', true, 'weekday'],
  ['2026-01-07', false, 'holiday'],
  ['2026-03-21', false, 'holiday'],
  ['2026-03-25', false, 'holiday_moved'],
  ['2026-03-26', true, 'weekday'],
  ['2026-05-09', false, 'holiday'],
  ['2026-05-11', false, 'holiday_moved'],
  ['2026-05-27', false, 'holiday'],
  ['2026-08-30', false, 'weekend'],
  ['2026-08-31', true, 'weekday'],
  ['2026-10-25', false, 'holiday'],
  ['2026-11-28', false, 'weekend'],
  ['2026-12-01', true, 'weekday'],
  ['2024-03-25', false, 'holiday_moved'],
  ['2024-05-04', true, 'working_day_transfer'],
  ['2024-05-08', false, 'rest_day_transfer'],
])('%s is working: %s (%s)', (date, working, kind) => {
  expect(calendar.dayInfo(date)).toMatchObject({ date, working, kind });
  expect(calendar.isWorkingDay(date)).toBe(working);
});

test('an instant belongs to its local day in the operator zone (UTC+5)', () => {
  expect(calendar.isWorkingDay(at('2026-03-08T20:00:00Z'))).toBe(false); // 9 March 01:00 local: moved holiday
  expect(calendar.localDate(at('2026-03-08T18:59:59Z'))).toBe('2026-03-08');
  expect(calendar.localDate(at('2026-03-08T19:00:00Z'))).toBe('2026-03-09');
});

describe('working days (Civil Code arts. 173, 175, 176)', () => {
  test.each([
    [
      'Friday before Nauryz: holidays and moved days are skipped',
      '2026-03-20T10:00:00+05:00',
      3,
      '2026-03-31T00:00:00.000+05:00',
    ],
    ['across the new year 2026', '2025-12-30T12:00:00+05:00', 3, '2026-01-07T00:00:00.000+05:00'],
    [
      'across the new year 2025, with the worked Sunday 5 January',
      '2024-12-31T15:00:00+05:00',
      2,
      '2025-01-07T00:00:00.000+05:00',
    ],
    ['from a Sunday, Monday being a moved holiday', '2026-05-10T11:00:00+05:00', 1, '2026-05-13T00:00:00.000+05:00'],
    [
      'from late evening: the day of the event does not count',
      '2026-11-25T23:59:00+05:00',
      1,
      '2026-11-27T00:00:00.000+05:00',
    ],
    ['five working days (acts, 6.8) over a weekend', '2026-12-07T09:00:00+05:00', 5, '2026-12-15T00:00:00.000+05:00'],
    ['zero days: the end of the event day', '2026-11-25T10:00:00+05:00', 0, '2026-11-26T00:00:00.000+05:00'],
    [
      'zero days from a holiday: the end of the next working day',
      '2026-01-01T10:00:00+05:00',
      0,
      '2026-01-06T00:00:00.000+05:00',
    ],
  ])('%s', (_name, from, days, deadline) => {
    expect(fmt(calendar.addWorkingDays(from, days as number))).toBe(deadline);
  });

  test('an act done at the operator ends at the close of working hours', () => {
    expect(fmt(calendar.addWorkingDays('2026-03-20T10:00:00+05:00', 3, { endsAt: 'close_of_business' }))).toBe(
      '2026-03-30T18:00:00.000+05:00',
    );
  });

  test('a day touched by a pause (force majeure) does not count', () => {
    const pauses = [{ start: '2026-11-27T10:00:00+05:00', end: '2026-11-30T15:00:00+05:00' }];
    expect(fmt(calendar.addWorkingDays('2026-11-25T12:00:00+05:00', 5))).toBe('2026-12-03T00:00:00.000+05:00');
    expect(fmt(calendar.addWorkingDays('2026-11-25T12:00:00+05:00', 5, { pauses }))).toBe(
      '2026-12-05T00:00:00.000+05:00',
    );
  });
});

describe('calendar days', () => {
  test.each([
    [
      'a last day on a weekend and a moved holiday goes to the next working day',
      '2026-03-06T12:00:00+05:00',
      2,
      '2026-03-11T00:00:00.000+05:00',
    ],
    ['15 calendar days (refund answer, 6.11)', '2026-11-25T12:00:00+05:00', 15, '2026-12-11T00:00:00.000+05:00'],
    ['30 days over the new year', '2026-12-10T12:00:00+05:00', 30, '2027-01-12T00:00:00.000+05:00'],
  ])('%s', (_name, from, days, deadline) => {
    expect(fmt(calendar.addCalendarDays(from, days as number))).toBe(deadline);
  });

  test('paused days are not counted', () => {
    const pauses = [{ start: '2026-11-26T00:00:00+05:00', end: '2026-11-28T00:00:00+05:00' }];
    expect(fmt(calendar.addCalendarDays('2026-11-25T12:00:00+05:00', 15, { pauses }))).toBe(
      '2026-12-15T00:00:00.000+05:00',
    );
  });
});

describe('working hours (Прил. 3: 09:00-18:00 on working days)', () => {
  test.each([
    ['from exactly 09:00', '2026-11-25T09:00:00+05:00', 4, '2026-11-25T13:00:00.000+05:00'],
    ['ending exactly at 18:00 stays at 18:00', '2026-11-25T17:00:00+05:00', 1, '2026-11-25T18:00:00.000+05:00'],
    [
      'from exactly 18:00 the clock starts next morning',
      '2026-11-25T18:00:00+05:00',
      1,
      '2026-11-26T10:00:00.000+05:00',
    ],
    ['over the evening', '2026-11-25T17:00:00+05:00', 2, '2026-11-26T10:00:00.000+05:00'],
    ['over Nauryz', '2026-03-20T16:00:00+05:00', 4, '2026-03-26T11:00:00.000+05:00'],
    ['24 hours (low priority) span three days', '2026-11-23T10:00:00+05:00', 24, '2026-11-25T16:00:00.000+05:00'],
    ['from a Saturday night', '2026-11-28T03:00:00+05:00', 0.5, '2026-11-30T09:30:00.000+05:00'],
    ['given in UTC', '2026-11-25T04:00:00Z', 1, '2026-11-25T10:00:00.000+05:00'],
  ])('%s', (_name, from, hours, deadline) => {
    expect(fmt(calendar.addWorkingHours(from, hours as number))).toBe(deadline);
  });

  test('five minutes (ticket registration) from outside hours run from the opening', () => {
    expect(fmt(calendar.addWorkingTime('2026-11-25T20:00:00+05:00', 5 * 60_000))).toBe('2026-11-26T09:05:00.000+05:00');
  });

  test('time waiting for the client does not count', () => {
    const pauses = [{ start: '2026-11-23T11:00:00+05:00', end: '2026-11-23T13:00:00+05:00' }];
    expect(fmt(calendar.addWorkingHours('2026-11-23T10:00:00+05:00', 4, { pauses }))).toBe(
      '2026-11-23T16:00:00.000+05:00',
    );
    const overnight = [{ start: '2026-11-23T17:00:00+05:00', end: '2026-11-24T10:00:00+05:00' }];
    expect(fmt(calendar.addWorkingHours('2026-11-23T16:00:00+05:00', 2, { pauses: overnight }))).toBe(
      '2026-11-24T11:00:00.000+05:00',
    );
  });

  test('working time between two instants', () => {
    expect(calendar.workingTimeBetween('2026-11-27T17:00:00+05:00', '2026-11-30T10:00:00+05:00')).toBe(2 * HOUR);
    expect(calendar.workingTimeBetween('2026-11-30T10:00:00+05:00', '2026-11-27T17:00:00+05:00')).toBe(-2 * HOUR);
    expect(calendar.workingTimeBetween('2026-03-20T00:00:00+05:00', '2026-03-27T00:00:00+05:00')).toBe(18 * HOUR);
    const pauses = [{ start: '2026-03-26T12:00:00+05:00', end: '2026-03-26T15:00:00+05:00' }];
    expect(calendar.workingTimeBetween('2026-03-20T00:00:00+05:00', '2026-03-27T00:00:00+05:00', { pauses })).toBe(
      15 * HOUR,
    );
  });
});

describe('past the data: years derived from the Law on holidays (lib/calendar/provisional.ts)', () => {
  test('a deadline crossing into a year without data is computed with the derived year, and says so', () => {
    // 30, 31 December 2027; 1-2 January 2028 (Sat, Sun) New Year, 3-4 January its moved days off (art. 5),
    // 5, 6 January; 7 January (Friday) Orthodox Christmas; 10 January the fifth working day.
    const deadline = calendar.addWorkingDays('2027-12-29T10:00:00+05:00', 5);
    expect(fmt(deadline)).toBe('2028-01-11T00:00:00.000+05:00');
    // 2027 is provisional in the data file, 2028 derived: both are named.
    expect(calendar.provisionalYearsIn('2027-12-29T10:00:00+05:00', deadline)).toEqual([2027, 2028]);
    expect(calendar.yearStatus(2028)).toMatchObject({ year: 2028, status: 'provisional', derived: true });
    expect(calendar.yearStatus(2026)).toMatchObject({ year: 2026, status: 'official', derived: false });
    expect(calendar.dayInfo('2028-01-03')).toMatchObject({
      working: false,
      kind: 'holiday_moved',
      name: 'Выходной за праздник «Новый год» (1 января, суббота)',
    });
    expect(calendar.coveredYears()).toEqual([2024, 2025, 2026, 2027]);
    expect(fmt(calendar.addWorkingHours('2027-12-31T17:00:00+05:00', 2))).toBe('2028-01-05T10:00:00.000+05:00');
  });

  test('a result from official years only is not provisional; a period ending at 24:00 of 31 December does not reach the next year', () => {
    const from = '2026-12-24T10:00:00+05:00';
    const deadline = calendar.addWorkingDays(from, 5); // 25, 28, 29, 30, 31 December 2026
    expect(fmt(deadline)).toBe('2027-01-01T00:00:00.000+05:00');
    expect(calendar.provisionalYearsIn(from, deadline)).toEqual([]);
    expect(calendar.provisionalYearsIn(from, calendar.addWorkingDays(from, 6))).toEqual([2027]);
  });

  test('far ahead: 3650 calendar days (the long waits of claims and refunds) compute through derived years', () => {
    const deadline = calendar.addCalendarDays('2026-12-03T12:00:00+05:00', 3650);
    // The 3650th day is Sunday 30 November 2036: the period ends on Monday 1 December (art. 175), at 24:00.
    expect(fmt(deadline)).toBe('2036-12-02T00:00:00.000+05:00');
    expect(calendar.provisionalYearsIn('2026-12-03T12:00:00+05:00', deadline)).toEqual([
      2027, 2028, 2029, 2030, 2031, 2032, 2033, 2034, 2035, 2036,
    ]);
  });

  test('refusing derived years (replays of workflows from before them), or a year before the law as now in force: an error naming the year', () => {
    const thrown = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
    };
    const refusing = new BusinessCalendar(BUNDLED_CALENDAR, DEFAULT_SETTINGS, [], { missingYears: 'refuse' });
    expect(thrown(() => refusing.addWorkingDays('2027-12-28T10:00:00+05:00', 5))).toBeInstanceOf(
      CalendarYearMissingError,
    );
    expect(thrown(() => refusing.addWorkingHours('2027-12-31T17:00:00+05:00', 2))).toMatchObject({ year: 2028 });
    expect(fmt(refusing.withPauses([]).addWorkingDays('2027-12-20T10:00:00+05:00', 5))).toBe(
      '2027-12-28T00:00:00.000+05:00',
    );
    expect(() => new BusinessCalendar({ years: {} }).isWorkingDay('2022-01-05')).toThrow(/no data for 2022/);
    expect(new BusinessCalendar({ years: {} }).isWorkingDay('2023-01-03')).toBe(false); // moved day off for 1 January 2023, a Sunday
  });
});

describe('properties', () => {
  // Instants between 2024-01-01 and 2027-06-30 (the covered years, leaving room for the period).
  const instant = fc
    .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2027-06-30T00:00:00Z') })
    .map((t) => new Date(t));
  const options = { numRuns: 300 };

  test('adding a+b working days equals adding a, then b from the end of the a-th day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 40 }), (t, a, b) => {
        const first = calendar.addWorkingDays(t, a);
        const lastMomentOfDayA = new Date(first.getTime() - 1);
        expect(calendar.addWorkingDays(lastMomentOfDayA, b).getTime()).toBe(
          calendar.addWorkingDays(t, a + b).getTime(),
        );
      }),
      options,
    );
  });

  test('adding a+b of working time equals adding a then b', () => {
    const minutes = fc.integer({ min: 0, max: 60 * 60 });
    fc.assert(
      fc.property(
        instant,
        minutes,
        minutes.map((m) => m + 1),
        (t, a, b) => {
          const stepwise = calendar.addWorkingTime(calendar.addWorkingTime(t, a * 60_000), b * 60_000);
          expect(stepwise.getTime()).toBe(calendar.addWorkingTime(t, (a + b) * 60_000).getTime());
        },
      ),
      options,
    );
  });

  test('the working time between the start and its deadline is the time added, pauses or not', () => {
    const pause = fc.tuple(fc.integer({ min: 0, max: 20 * 24 }), fc.integer({ min: 1, max: 72 }));
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 200 * 60 }),
        fc.array(pause, { maxLength: 3 }),
        (t, minutes, spans) => {
          const pauses = spans.map(([offsetH, lengthH]) => ({
            start: new Date(t.getTime() + offsetH * HOUR),
            end: new Date(t.getTime() + (offsetH + lengthH) * HOUR),
          }));
          const deadline = calendar.addWorkingTime(t, minutes * 60_000, { pauses });
          expect(calendar.workingTimeBetween(t, deadline, { pauses })).toBe(minutes * 60_000);
          expect(deadline.getTime()).toBeGreaterThanOrEqual(calendar.addWorkingTime(t, minutes * 60_000).getTime());
        },
      ),
      options,
    );
  });

  test('a period of days ends at midnight after a working day, later for more days', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 60 }), fc.boolean(), (t, n, working) => {
        const add = working ? calendar.addWorkingDays.bind(calendar) : calendar.addCalendarDays.bind(calendar);
        const deadline = add(t, n);
        expect(fmt(deadline)).toMatch(/T00:00:00\.000\+0[56]:00$/); // UTC+6 in Almaty until 1 March 2024
        expect(calendar.isWorkingDay(new Date(deadline.getTime() - 1))).toBe(true);
        expect(deadline.getTime()).toBeGreaterThan(t.getTime());
        if (working && n > 0) expect(add(t, n + 1).getTime()).toBeGreaterThan(deadline.getTime());
        else expect(add(t, n + 1).getTime()).toBeGreaterThanOrEqual(deadline.getTime());
      }),
      options,
    );
  });
});

describe('clock hours (4.4.4: codes within 4 hours, round the clock)', () => {
  const calendar = new BusinessCalendar({ years: {} });
  test('count every hour, nights and holidays included', () => {
    expect(calendar.format(calendar.addClockHours('2026-12-31T22:30:00+05:00', 4))).toBe(
      '2027-01-01T02:30:00.000+05:00',
    );
    expect(calendar.addClockHours('2026-03-21T10:00:00Z', 4).toISOString()).toBe('2026-03-21T14:00:00.000Z');
  });
  test('a pause (force majeure) before the end moves it by the pause; one after it does not', () => {
    const from = '2026-05-04T10:00:00Z';
    expect(
      calendar
        .addClockHours(from, 4, { pauses: [{ start: '2026-05-04T11:00:00Z', end: '2026-05-04T12:30:00Z' }] })
        .toISOString(),
    ).toBe('2026-05-04T15:30:00.000Z');
    expect(
      calendar
        .addClockHours(from, 4, { pauses: [{ start: '2026-05-04T09:00:00Z', end: '2026-05-04T10:30:00Z' }] })
        .toISOString(),
    ).toBe('2026-05-04T14:30:00.000Z');
    expect(
      calendar
        .addClockHours(from, 4, { pauses: [{ start: '2026-05-04T14:00:00Z', end: '2026-05-04T15:00:00Z' }] })
        .toISOString(),
    ).toBe('2026-05-04T14:00:00.000Z');
  });
});

describe('years (4.4.8: codes kept 5 years)', () => {
  const calendar = new BusinessCalendar({ years: {} });
  test('the corresponding local day and time of the year; 29 February becomes 28 February', () => {
    expect(calendar.format(calendar.addYears('2026-03-10T10:00:00+05:00', 5))).toBe('2031-03-10T10:00:00.000+05:00');
    expect(calendar.format(calendar.addYears('2028-02-29T12:00:00+05:00', 5))).toBe('2033-02-28T12:00:00.000+05:00');
    expect(calendar.format(calendar.addYears('2031-03-10T10:00:00+05:00', -5))).toBe('2026-03-10T10:00:00.000+05:00');
  });
});

describe('standing pauses (force majeure, 8.3-8.5)', () => {
  const plain = new BusinessCalendar(BUNDLED_CALENDAR);
  const fm = { start: '2026-03-02T12:00:00+05:00', end: '2026-03-04T12:00:00+05:00' };
  const paused = plain.withPauses([fm]);
  test('every period computed by the calendar is extended by the event, as if each call gave it', () => {
    const from = '2026-03-02T10:00:00+05:00';
    expect(paused.addWorkingHours(from, 4).toISOString()).toBe(
      plain.addWorkingHours(from, 4, { pauses: [fm] }).toISOString(),
    );
    expect(paused.addWorkingHours(from, 4).toISOString()).toBe(new Date('2026-03-04T14:00:00+05:00').toISOString());
    expect(paused.addWorkingDays(from, 2).toISOString()).toBe(
      plain.addWorkingDays(from, 2, { pauses: [fm] }).toISOString(),
    );
    expect(paused.addClockHours(from, 4).toISOString()).toBe(new Date('2026-03-04T14:00:00+05:00').toISOString());
    expect(paused.workingTimeBetween(from, '2026-03-04T14:00:00+05:00')).toBe(4 * 3_600_000);
  });
  test('the original calendar is unchanged', () => {
    expect(plain.addWorkingHours('2026-03-02T10:00:00+05:00', 4).toISOString()).toBe(
      new Date('2026-03-02T14:00:00+05:00').toISOString(),
    );
  });
});

describe('a term of years ends at 24:00 of its anniversary day (Civil Code art. 174; 4.4.8)', () => {
  test('emitted at any time of a day, kept through the whole of that day five years later', () => {
    const calendar = new BusinessCalendar(BUNDLED_CALENDAR, { ...DEFAULT_SETTINGS, zone: 'Asia/Almaty' });
    expect(calendar.endOfYearsFrom(new Date('2026-12-03T10:00:00+05:00'), 5).toISOString()).toBe(
      new Date('2031-12-04T00:00:00+05:00').toISOString(),
    );
    expect(calendar.endOfYearsFrom(new Date('2026-12-03T23:59:00+05:00'), 5).toISOString()).toBe(
      new Date('2031-12-04T00:00:00+05:00').toISOString(),
    );
    // 29 February: the term ends with 28 February of a common year (art. 176).
    expect(calendar.endOfYearsFrom(new Date('2028-02-29T08:00:00+05:00'), 5).toISOString()).toBe(
      new Date('2033-03-01T00:00:00+05:00').toISOString(),
    );
  });
});
