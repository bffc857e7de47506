import { calendarHorizonWarnings, localDateIn } from '../../lib/calendar';

// When staff are warned that a year's official calendar is missing (lib/calendar/horizon.ts): dates pinned, never today's.

const statuses = { 2026: 'official', 2027: 'provisional' } as const;
const years = (today: string, given: Parameters<typeof calendarHorizonWarnings>[1] = statuses) =>
  calendarHorizonWarnings(today, given).map((w) => [w.year, w.status]);

test('until 30 September nothing; from 1 October the next year without official data', () => {
  expect(years('2026-09-30')).toEqual([]);
  expect(years('2026-10-01')).toEqual([[2027, 'provisional']]);
  expect(years('2026-12-31')).toEqual([[2027, 'provisional']]);
});

test('a missing year and a current year without official data are warnings too', () => {
  expect(years('2027-01-01')).toEqual([[2027, 'provisional']]);
  expect(years('2027-10-01')).toEqual([
    [2027, 'provisional'],
    [2028, 'missing'],
  ]);
  expect(years('2027-10-01', { ...statuses, 2027: 'official', 2028: 'official' })).toEqual([]);
});

test('the date is the operator’s: 1 October begins at 19:00 UTC on 30 September in Astana (UTC+5)', () => {
  expect(years(localDateIn('Asia/Almaty', new Date('2026-09-30T18:59:59Z')))).toEqual([]);
  expect(years(localDateIn('Asia/Almaty', new Date('2026-09-30T19:00:00Z')))).toEqual([[2027, 'provisional']]);
});

test('the message names the year and what to do', () => {
  const [warning] = calendarHorizonWarnings('2027-10-01', { 2027: 'official' });
  expect(warning).toMatchObject({ code: 'CALENDAR_YEAR_NOT_OFFICIAL', year: 2028, status: 'missing' });
  expect(warning.message).toContain('PUT /staff/v1/calendar/years/2028');
});
