import { BusinessCalendar, DEFAULT_SETTINGS, forComputing } from '../../lib/calendar';
import { BUNDLED_CALENDAR } from '../../lib/calendar/bundled';

describe('forComputing: the calendar workflows are given', () => {
  const full = new BusinessCalendar(BUNDLED_CALENDAR, DEFAULT_SETTINGS);
  const slim = new BusinessCalendar(forComputing(BUNDLED_CALENDAR), DEFAULT_SETTINGS);

  test('computes every deadline as the full calendar does: working days and hours across each holiday and transfer', () => {
    const holidays = Object.values(BUNDLED_CALENDAR.years).flatMap((year) => year.days.map((day) => day.date));
    expect(holidays.length).toBeGreaterThan(40);
    for (const date of holidays) {
      // From three days before each special day, at a time inside and outside working hours.
      for (const time of ['T08:30:00+05:00', 'T17:45:00+05:00']) {
        const from = new Date(Date.parse(`${date}${time}`) - 3 * 86_400_000);
        expect(slim.addWorkingDays(from, 5)).toEqual(full.addWorkingDays(from, 5));
        expect(slim.addWorkingHours(from, 24)).toEqual(full.addWorkingHours(from, 24));
        expect(slim.addWorkingTime(from, 5 * 60_000)).toEqual(full.addWorkingTime(from, 5 * 60_000));
      }
      expect(slim.isWorkingDay(date)).toBe(full.isWorkingDay(date));
      expect(slim.provisionalYearsIn(`${date}T00:00:00+05:00`, `${date}T12:00:00+05:00`)).toEqual(
        full.provisionalYearsIn(`${date}T00:00:00+05:00`, `${date}T12:00:00+05:00`),
      );
    }
  });

  test('is a small part of the full data: names, reasons and sources left out', () => {
    const size = (data: unknown) => Buffer.byteLength(JSON.stringify(data));
    expect(size(forComputing(BUNDLED_CALENDAR))).toBeLessThan(size(BUNDLED_CALENDAR) / 4);
    const day = Object.values(forComputing(BUNDLED_CALENDAR).years)[0].days[0];
    expect(day).toEqual({
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      kind: expect.any(String),
      name: '',
      source: '',
    });
  });
});
