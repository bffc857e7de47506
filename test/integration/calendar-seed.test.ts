import { BUNDLED_UPDATED, keptStaffEdit, SEEDED, seedCalendar } from '../../db/calendar-seed';
import { readCalendarYear, replaceCalendarYear } from '../../db/calendar-store';
import { CalendarData, CalendarYear, provisionalYear } from '../../lib/calendar';
import { BUNDLED_CALENDAR } from '../../lib/calendar/bundled';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertStaff } from '../helpers/fixtures';

// The bundled calendar data (lib/calendar/data/kz.json) brought into PostgreSQL at start
// (db/calendar-seed.ts, run by prepareDatabase): a corrected year in a release is applied unless
// staff edited the year, and the audit says which, once per bundled content.

let database: TestDatabase;
beforeEach(async () => {
  // A database as the migrated template has it: the bundled years seeded, their content recorded.
  database = await createTestDatabase();
});
afterEach(async () => {
  await database?.drop();
});

const changesOf = (year: number) =>
  database.db('calendar_changes').where({ year }).orderBy('id').select('reason', 'changed_by', 'before', 'after');
/** The bundled data of a release in which `year` reads `content`. */
const release = (year: number, content: CalendarYear): CalendarData => ({
  years: { ...BUNDLED_CALENDAR.years, [year]: content },
});

/** 2027 as a later release might bring it: official, Kurban ait moved to Monday 17 May by ДУМК. */
const corrected2027: CalendarYear = {
  status: 'official',
  sources: [{ title: 'Приказ МТСЗН РК о переносе дней отдыха в 2027 году (тест)' }],
  days: BUNDLED_CALENDAR.years[2027].days.map((d) =>
    d.date === '2027-05-16'
      ? { ...d, date: '2027-05-17', source: 'Производственный календарь МТСЗН РК на 2027 год (тест)' }
      : d,
  ),
};

test('the same bundled data again changes nothing and writes nothing', async () => {
  const before = await database.db('calendar_changes').count<{ count: string }[]>('* as count');
  expect(await seedCalendar(database.db, BUNDLED_CALENDAR)).toEqual({ added: [], updated: [], kept: [] });
  expect(await database.db('calendar_changes').count('* as count')).toEqual(before);
  expect((await changesOf(2027)).map((c) => c.reason)).toEqual([SEEDED]);
});

test('a corrected year staff never edited is applied, audited once as bundled data updated', async () => {
  expect(await seedCalendar(database.db, release(2027, corrected2027))).toEqual({
    added: [],
    updated: [2027],
    kept: [],
  });
  const year = (await readCalendarYear(database.db, 2027))!;
  expect(year.status).toBe('official');
  expect(year.days.map((d) => d.date)).toContain('2027-05-17');
  expect(year.days.map((d) => d.date)).not.toContain('2027-05-16');
  const changes = await changesOf(2027);
  expect(changes.map((c) => [c.reason, c.changed_by])).toEqual([
    [SEEDED, null],
    [BUNDLED_UPDATED, null],
  ]);
  expect(changes[1].before.status).toBe('provisional');
  expect(changes[1].after.status).toBe('official');

  // Every later start with that release: nothing more.
  expect(await seedCalendar(database.db, release(2027, corrected2027))).toEqual({ added: [], updated: [], kept: [] });
  expect(await changesOf(2027)).toHaveLength(2);
});

test('a year staff edited is kept; the audit says so once per bundled content, not on every start', async () => {
  const admin = await insertStaff(database.db, ['admin']);
  const staffEdit: CalendarYear = {
    ...BUNDLED_CALENDAR.years[2027],
    status: 'official',
    sources: [{ title: 'Приказ, внесённый сотрудником (тест)' }],
  };
  await replaceCalendarYear(database.db, 2027, staffEdit, { by: admin.id, reason: 'приказ опубликован' });
  const editedAt = (await database.db('calendar_changes').where({ year: 2027 }).whereNotNull('changed_by').first())
    .changed_at as Date;

  expect(await seedCalendar(database.db, release(2027, corrected2027))).toEqual({
    added: [],
    updated: [],
    kept: [2027],
  });
  const kept = await readCalendarYear(database.db, 2027);
  expect(kept!.sources).toEqual(staffEdit.sources);
  expect(kept!.days.map((d) => d.date)).toContain('2027-05-16');
  let changes = await changesOf(2027);
  expect(changes.map((c) => c.reason)).toEqual([SEEDED, 'приказ опубликован', keptStaffEdit(editedAt.toISOString())]);
  expect(changes[2].reason).toMatch(/^bundled data differs; kept staff edit of \d{4}-\d{2}-\d{2}T/);
  expect(changes[2]).toMatchObject({ changed_by: null, before: changes[2].after });

  // The same release started again: no second row.
  expect(await seedCalendar(database.db, release(2027, corrected2027))).toEqual({ added: [], updated: [], kept: [] });
  expect(await changesOf(2027)).toHaveLength(3);

  // A release with yet another content for the year: one more row, the staff edit still kept.
  const again = { ...corrected2027, sources: [{ title: 'Ещё одно исправление (тест)' }] };
  expect(await seedCalendar(database.db, release(2027, again))).toEqual({ added: [], updated: [], kept: [2027] });
  changes = await changesOf(2027);
  expect(changes).toHaveLength(4);
  expect((await readCalendarYear(database.db, 2027))!.sources).toEqual(staffEdit.sources);
});

test('a year edited by staff through updated_by only (no audit row with a staff user) counts as edited too', async () => {
  const admin = await insertStaff(database.db, ['admin']);
  await database.db('calendar_years').where({ year: 2027 }).update({ updated_by: admin.id });
  expect(await seedCalendar(database.db, release(2027, corrected2027))).toEqual({
    added: [],
    updated: [],
    kept: [2027],
  });
});

test('a new year in the bundled data is added; a database from before the bundled content was recorded is compared once', async () => {
  const with2028: CalendarData = {
    years: { ...BUNDLED_CALENDAR.years, 2028: { ...provisionalYear(2028), status: 'official' } },
  };
  expect(await seedCalendar(database.db, with2028)).toEqual({ added: [2028], updated: [], kept: [] });
  expect((await changesOf(2028)).map((c) => c.reason)).toEqual([SEEDED]);

  // As after the upgrade that brought the migration: no content recorded, the database as seeded before.
  await database.db('calendar_bundled_years').delete();
  expect(await seedCalendar(database.db, with2028)).toEqual({ added: [], updated: [], kept: [] });
  expect(await database.db('calendar_bundled_years').orderBy('year').pluck('year')).toEqual([
    2024, 2025, 2026, 2027, 2028,
  ]);
  expect(await changesOf(2028)).toHaveLength(1);
});
