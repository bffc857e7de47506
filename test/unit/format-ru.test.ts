import { DateTime } from 'luxon';
import {
  formatDate,
  formatDateTime,
  formatDeadline,
  formatDeadlineMoment,
  formatDecimal,
  formatMoney,
  formatMonth,
  formatTime,
  isEndOfDay,
  OPERATOR_ZONE,
} from '../../lib/format-ru';

// What people read: «05.01.2027», «14:05» Astana time, «до конца 05.01.2027», «1 234,56 ₸».
const NBSP = '\u00a0';

describe('dates and times in Russian format, Astana time', () => {
  test('the operator zone is Asia/Almaty', () => {
    expect(OPERATOR_ZONE).toBe('Asia/Almaty');
  });

  test('a local date reads as is, with no zone shift', () => {
    expect(formatDate('2027-01-05')).toBe('05.01.2027');
    expect(formatDate('2027-01-05', 'America/New_York')).toBe('05.01.2027');
    expect(formatMonth('2026-11-01')).toBe('11.2026');
  });

  test("an instant reads as its date and time in the operator's zone (UTC+5)", () => {
    expect(formatDate('2027-01-04T19:00:00Z')).toBe('05.01.2027'); // 00:00 in Astana
    expect(formatDate('2027-01-04T18:59:59Z')).toBe('04.01.2027');
    expect(formatTime('2027-01-05T09:05:00Z')).toBe('14:05');
    expect(formatDateTime('2027-01-05T09:05:00Z')).toBe('05.01.2027 14:05');
    expect(formatDateTime(new Date('2027-01-05T09:05:00Z'))).toBe('05.01.2027 14:05');
    expect(formatDateTime(Date.parse('2027-01-05T09:05:00Z'))).toBe('05.01.2027 14:05');
    // An instant written with another offset is the same instant.
    expect(formatDateTime('2027-01-05T14:05:00+05:00')).toBe('05.01.2027 14:05');
    expect(formatDateTime('2027-01-05T10:05:00+01:00')).toBe('05.01.2027 14:05');
  });

  test('another zone can be given (the zone is configuration)', () => {
    expect(formatDateTime('2027-01-05T09:05:00Z', 'UTC')).toBe('05.01.2027 09:05');
    expect(formatDateTime('2027-01-05T09:05:00Z', 'Europe/Moscow')).toBe('05.01.2027 12:05');
  });

  test('no daylight saving: 09:05 UTC is 14:05 in Astana all year round (UTC+5 since 1 March 2024)', () => {
    for (let month = 1; month <= 12; month++) {
      const instant = DateTime.fromObject({ year: 2026, month, day: 15, hour: 9, minute: 5 }, { zone: 'utc' }).toISO()!;
      expect(formatTime(instant)).toBe('14:05');
    }
    // Summer and winter of later years too, and the offset itself.
    for (const at of ['2027-01-15T12:00:00Z', '2027-07-15T12:00:00Z', '2030-03-31T12:00:00Z', '2030-10-27T12:00:00Z']) {
      expect(DateTime.fromISO(at, { zone: OPERATOR_ZONE }).offset).toBe(5 * 60);
      expect(formatTime(at)).toBe('17:00');
    }
    // Before 1 March 2024 Kazakhstan's Astana time was UTC+6: the zone database knows it.
    expect(formatTime('2024-02-15T09:05:00Z')).toBe('15:05');
  });

  test('a bad input is a RangeError, never «Invalid DateTime» in a letter', () => {
    expect(() => formatDate('2027-13-45')).toThrow(RangeError);
    expect(() => formatDateTime('soon')).toThrow(RangeError);
  });
});

describe('deadlines', () => {
  test('a deadline at the next local midnight reads as the end of the day before', () => {
    // 06.01.2027 00:00 in Astana = 05.01.2027 19:00 UTC.
    const midnight = '2027-01-05T19:00:00.000Z';
    expect(isEndOfDay(midnight)).toBe(true);
    expect(formatDeadline(midnight)).toBe('до конца 05.01.2027');
    expect(formatDeadlineMoment(midnight)).toBe('05.01.2027');
    expect(formatDeadline(new Date(midnight))).toBe('до конца 05.01.2027');
    expect(formatDeadline('2027-01-06T00:00:00+05:00')).toBe('до конца 05.01.2027');
    // Across a month and a year.
    expect(formatDeadline('2027-01-01T00:00:00+05:00')).toBe('до конца 31.12.2026');
    expect(formatDeadline('2028-03-01T00:00:00+05:00')).toBe('до конца 29.02.2028');
  });

  test('a deadline at a time of day reads with the time', () => {
    expect(isEndOfDay('2027-01-05T13:00:00Z')).toBe(false);
    expect(formatDeadline('2027-01-05T13:00:00Z')).toBe('до 05.01.2027 18:00');
    expect(formatDeadlineMoment('2027-01-05T13:00:00Z')).toBe('05.01.2027 18:00');
    // One second after midnight is not the end of a day.
    expect(formatDeadline('2027-01-05T19:00:01Z')).toBe('до 06.01.2027 00:00');
  });

  test('midnight is midnight of the given zone, not of UTC', () => {
    expect(formatDeadline('2027-01-06T00:00:00Z')).toBe('до 06.01.2027 05:00');
    expect(formatDeadline('2027-01-06T00:00:00Z', 'UTC')).toBe('до конца 05.01.2027');
  });
});

describe('money', () => {
  test.each([
    [123456, `1${NBSP}234,56${NBSP}₸`],
    [0, `0,00${NBSP}₸`],
    [5, `0,05${NBSP}₸`],
    [268, `2,68${NBSP}₸`],
    [100_000_000_00, `100${NBSP}000${NBSP}000,00${NBSP}₸`],
    [-72_500, `-725,00${NBSP}₸`],
  ])('%i tiyn → %s', (tiyn, text) => {
    expect(formatMoney(tiyn)).toBe(text);
  });

  test('with ordinary spaces it reads «1 234,56 ₸»', () => {
    expect(formatMoney(123456).replace(/\u00a0/g, ' ')).toBe('1 234,56 ₸');
  });

  test('for spreadsheets: a decimal comma and no grouping', () => {
    expect(formatDecimal(123456)).toBe('1234,56');
    expect(formatDecimal(5_000_000_00)).toBe('5000000,00');
    expect(formatDecimal(-1)).toBe('-0,01');
  });

  test('a fraction of a tiyn is refused', () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
  });
});
