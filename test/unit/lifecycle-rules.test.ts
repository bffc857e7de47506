import { BUNDLED_CALENDAR } from '../../lib/calendar/bundled';
import { BusinessCalendar } from '../../lib/calendar';
import { lastDayToUse, oneYearDeadline, unusedAdvanceSince } from '../../lib/one-year';
import { earliestTerminationDate } from '../../lib/termination';

const calendar = new BusinessCalendar(BUNDLED_CALENDAR);
const weekendsOnly = new BusinessCalendar({
  years: {
    2026: { status: 'official', sources: [{ title: 'weekends only' }], days: [] },
    2027: { status: 'official', sources: [{ title: 'weekends only' }], days: [] },
  },
});

describe('the one-year rule (3.7)', () => {
  test.each([
    ['no use: the first payment', { paymentDates: ['2026-03-10', '2026-05-01'], lastUseDate: null }, '2026-03-10'],
    [
      'a use covers every payment up to its day',
      { paymentDates: ['2026-03-10', '2026-05-01'], lastUseDate: '2026-05-01' },
      null,
    ],
    [
      'a payment after the last use starts the year',
      { paymentDates: ['2026-03-10', '2026-05-01', '2026-09-15'], lastUseDate: '2026-06-01' },
      '2026-09-15',
    ],
    ['nothing paid', { paymentDates: [], lastUseDate: '2026-06-01' }, null],
  ])('%s', (_name, facts, since) => {
    expect(unusedAdvanceSince(facts)).toBe(since);
  });

  test.each([
    // Paid Tuesday 10 March 2026: the year ends with Wednesday 10 March 2027.
    ['2026-03-10', '2027-03-10', '2027-03-11T00:00:00+05:00'],
    // 8 March 2027 is a holiday (Monday): the last day moves to Tuesday 9 March.
    ['2026-03-08', '2027-03-09', '2027-03-10T00:00:00+05:00'],
    // 21-24 March 2027 (Nauryz and its moved day) are off: Thursday 25 March.
    ['2026-03-21', '2027-03-25', '2027-03-26T00:00:00+05:00'],
    // A Saturday anniversary moves to Monday.
    ['2026-11-27', '2027-11-29', '2027-11-30T00:00:00+05:00'],
  ])('paid on %s: may be used through %s, returned from %s', (paid, lastDay, deadline) => {
    expect(lastDayToUse(calendar, paid)).toBe(lastDay);
    expect(oneYearDeadline(calendar, paid).toISOString()).toBe(new Date(deadline).toISOString());
  });
});

describe('termination notice periods (10.4.3, 10.4.4)', () => {
  // Notice on Monday 2 March 2026: 30 working days skip 9 March (moved 8 March) and 23-25 March
  // (Nauryz): the 30th is Friday 17 April, so the contract may end on 18 April; by weekends
  // alone it would be the 13th and the 14th.
  test('30 working days across the March holidays', () => {
    expect(earliestTerminationDate(calendar, { basis: '4.1.1', notifiedAt: '2026-03-02T10:00:00+05:00' })).toBe(
      '2026-04-18',
    );
    expect(earliestTerminationDate(weekendsOnly, { basis: '4.1.1', notifiedAt: '2026-03-02T10:00:00+05:00' })).toBe(
      '2026-04-14',
    );
    expect(earliestTerminationDate(calendar, { basis: '4.3.1b', notifiedAt: '2026-03-02T10:00:00+05:00' })).toBe(
      '2026-04-18',
    );
  });

  test('a notice given late in the evening counts from its local day', () => {
    // 23:30 on 2 March in Astana is 18:30 UTC: still the 2nd.
    expect(earliestTerminationDate(calendar, { basis: '10.4.2', notifiedAt: '2026-03-02T18:30:00Z' })).toBe(
      '2026-04-18',
    );
  });

  test('by agreement: 30 calendar days, or less when the parties agree (10.4.3)', () => {
    expect(earliestTerminationDate(calendar, { basis: '10.4.3', notifiedAt: '2026-03-02T10:00:00+05:00' })).toBe(
      '2026-04-01',
    );
    expect(
      earliestTerminationDate(calendar, {
        basis: '10.4.3',
        notifiedAt: '2026-03-02T10:00:00+05:00',
        periodShortened: true,
      }),
    ).toBe('2026-03-03');
  });

  test('only 10.4.3 and 4.3.1 c), d) may shorten the period', () => {
    expect(
      earliestTerminationDate(calendar, {
        basis: '4.3.1c',
        notifiedAt: '2026-03-02T10:00:00+05:00',
        periodShortened: true,
      }),
    ).toBe('2026-03-03');
    expect(
      earliestTerminationDate(calendar, {
        basis: '4.1.1',
        notifiedAt: '2026-03-02T10:00:00+05:00',
        periodShortened: true,
      }),
    ).toBe('2026-04-18');
  });
});
