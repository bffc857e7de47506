import { createCalendarActivities } from '../../activities/calendar';
import { readCalendar, readCalendarYear } from '../../db/calendar-store';
import { systemClock } from '../../lib/clock';
import { BusinessCalendar } from '../../lib/calendar';
import { DeadlineAt } from '../../lib/search-attributes';
import { noticeStateQuery } from '../../workflows/notice-delivery';
import { eventually, expectApiError as expectError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';

const context = useTestApi();
let admin: { id: string; token: string };
let accountant: { id: string; token: string };

beforeAll(async () => {
  admin = await insertStaff(context.database.db, ['admin']);
  accountant = await insertStaff(context.database.db, ['accountant']);
});

const deadline = (query: string) => context.api.request('GET', `/v1/calendar/deadline?${query}`);

describe('GET /v1/calendar/deadline', () => {
  test.each([
    ['from=2026-03-20T10:00:00%2B05:00&add=3&unit=working_days', '2026-03-31T00:00:00.000+05:00', '2026-03-30'],
    [
      'from=2026-03-20T10:00:00%2B05:00&add=3&unit=working_days&endsAt=close_of_business',
      '2026-03-30T18:00:00.000+05:00',
      '2026-03-30',
    ],
    ['from=2026-03-06T07:00:00Z&add=2&unit=calendar_days', '2026-03-11T00:00:00.000+05:00', '2026-03-10'],
    ['from=2026-11-25T17:00:00%2B05:00&add=2&unit=working_hours', '2026-11-26T10:00:00.000+05:00', undefined],
    ['from=2026-11-28T03:00:00%2B05:00&add=5&unit=working_minutes', '2026-11-30T09:05:00.000+05:00', undefined],
  ])('%s', async (query, expected, lastDay) => {
    const response = await deadline(query);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      deadline: expected,
      zone: 'Asia/Almaty',
      provisional: false,
      provisionalYears: [],
    });
    expect(response.body.lastDay).toBe(lastDay);
  });

  test('pauses given as start/end intervals do not count', async () => {
    const pause = encodeURIComponent('2026-11-23T11:00:00+05:00/2026-11-23T13:00:00+05:00');
    const response = await deadline(`from=2026-11-23T10:00:00%2B05:00&add=4&unit=working_hours&pause=${pause}`);
    expect(response.body.deadline).toBe('2026-11-23T16:00:00.000+05:00');
  });

  test.each([
    ['add=3&unit=working_days', 'from missing'],
    ['from=yesterday&add=3&unit=working_days', 'from not an instant'],
    ['from=2026-03-20T10:00:00Z&add=-1&unit=working_days', 'negative add'],
    ['from=2026-03-20T10:00:00Z&add=1.5&unit=working_days', 'fractional add'],
    ['from=2026-03-20T10:00:00Z&add=3&unit=fortnights', 'unknown unit'],
    ['from=2026-03-20T10:00:00Z&add=3&unit=working_days&pause=2026-03-21', 'a pause without an end'],
  ])('%s → 400 (%s)', async (query) => {
    expectError(await deadline(query), 400, 'VALIDATION_FAILED');
  });

  test('a deadline reaching a year without data is computed with the year derived from the law, and says so', async () => {
    const response = await deadline('from=2027-12-29T10:00:00%2B05:00&add=5&unit=working_days');
    expect(response.status).toBe(200);
    // 30, 31 December; 1-4 January 2028 (New Year on Sat-Sun and its two days off, art. 5); 5, 6 January;
    // 7 January Orthodox Christmas; 10 January. 2027 is provisional in the data, 2028 derived.
    expect(response.body).toMatchObject({
      deadline: '2028-01-11T00:00:00.000+05:00',
      lastDay: '2028-01-10',
      provisional: true,
      provisionalYears: [2027, 2028],
    });
  });

  test('a year before the law as now in force cannot be derived → 422 naming the year', async () => {
    const response = await deadline('from=2022-12-20T10:00:00%2B05:00&add=5&unit=working_days');
    expectError(response, 422, 'CALENDAR_YEAR_MISSING');
    expect(response.body.details).toEqual({ year: 2022 });
    expect(response.body.message).toContain('2022');
  });
});

describe('GET /v1/calendar/non-working-days', () => {
  test('lists every day off of a year with its reason, and the worked weekend days', async () => {
    const response = await context.api.request('GET', '/v1/calendar/non-working-days?year=2025');
    expect(response.status).toBe(200);
    const days = response.body.nonWorkingDays as Array<{ date: string; kind: string; name: string }>;
    expect(days.find((d) => d.date === '2025-03-10')).toMatchObject({
      kind: 'holiday_moved',
      name: expect.stringContaining('Международный женский день'),
    });
    expect(days.find((d) => d.date === '2025-01-04')).toMatchObject({ kind: 'weekend', name: 'Суббота' });
    expect(days.some((d) => d.date === '2025-01-05')).toBe(false);
    expect(response.body.workingWeekendDays).toEqual([
      expect.objectContaining({ date: '2025-01-05', kind: 'working_day_transfer' }),
    ]);
    // 104 weekend days, less the worked Sunday, plus the 16 weekdays off of the published calendar.
    expect(days).toHaveLength(104 - 1 + 16);
    expect(response.body.sources.length).toBeGreaterThan(0);
    expect(response.body).toMatchObject({
      status: 'official',
      derived: false,
      provisional: false,
      provisionalYears: [],
    });
  });

  test('a year without data is derived from the law: provisional, named so, with its sources', async () => {
    const response = await context.api.request('GET', '/v1/calendar/non-working-days?year=2031');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      year: 2031,
      status: 'provisional',
      derived: true,
      provisional: true,
      provisionalYears: [2031],
      updatedAt: null,
    });
    expect(response.body.sources[0].title).toContain('О праздниках в Республике Казахстан');
    const days = response.body.nonWorkingDays as Array<{ date: string; kind: string; name: string; source: string }>;
    expect(days.find((d) => d.date === '2031-03-15')).toMatchObject({
      kind: 'holiday',
      name: 'День Конституции Республики Казахстан',
    });
    expect(days.find((d) => d.kind === 'holiday' && d.name.startsWith('Курбан айт'))?.source).toMatch(/^НЕ ОФИЦИАЛЬНО/);
    expect(response.body.workingWeekendDays).toEqual([]);
  });

  test('a year before the law as now in force → 404 naming it; a bad year → 400', async () => {
    const response = await context.api.request('GET', '/v1/calendar/non-working-days?year=2022');
    expectError(response, 404, 'CALENDAR_YEAR_MISSING');
    expect(response.body.details).toEqual({ year: 2022 });
    expectError(
      await context.api.request('GET', '/v1/calendar/non-working-days?year=twenty'),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('staff edit a year (admin), audited', () => {
  const year2028 = {
    status: 'provisional',
    sources: [{ title: 'Закон РК «О праздниках в Республике Казахстан» (ожидаемые даты)' }],
    days: [
      {
        date: '2028-01-01',
        kind: 'holiday',
        category: 'state',
        name: 'Новый год',
        source: 'Закон о праздниках, ст. 3',
      },
      {
        date: '2028-01-02',
        kind: 'holiday',
        category: 'state',
        name: 'Новый год',
        source: 'Закон о праздниках, ст. 3',
      },
      {
        date: '2028-01-03',
        kind: 'holiday_moved',
        name: 'Выходной за Новый год (1 января, суббота)',
        movedFrom: '2028-01-01',
        source: 'Закон о праздниках, ст. 5',
      },
      {
        date: '2028-01-04',
        kind: 'holiday_moved',
        name: 'Выходной за Новый год (2 января, воскресенье)',
        movedFrom: '2028-01-02',
        source: 'Закон о праздниках, ст. 5',
      },
    ],
    reason: 'Ожидаемые праздники 2028 года до постановления',
  };

  test('only an admin may; inconsistent data → 422 with each problem; nothing changes', async () => {
    expectError(
      await context.api.request('PUT', '/staff/v1/calendar/years/2028', { token: accountant.token, body: year2028 }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await context.api.request('PUT', '/staff/v1/calendar/years/2028', { body: year2028 }),
      401,
      'UNAUTHENTICATED',
    );
    const bad = {
      ...year2028,
      days: [
        ...year2028.days,
        { date: '2028-01-08', kind: 'working_day_transfer', name: 'Рабочий', source: 'x' },
        { date: '2027-12-31', kind: 'holiday', name: 'x', source: 'x' },
      ],
    };
    const response = await context.api.request('PUT', '/staff/v1/calendar/years/2028', {
      token: admin.token,
      body: bad,
    });
    expectError(response, 422, 'CALENDAR_INVALID');
    expect(response.body.details.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('2028-01-08'),
        expect.stringContaining('2027-12-31: does not belong to 2028'),
      ]),
    );
    expect(await context.database.db('calendar_years').where({ year: 2028 }).first()).toBeUndefined();
  });

  test('staff data for a year that was only derived replaces the derivation in deadlines; the change is in the audit with who and why', async () => {
    expect((await deadline('from=2027-12-29T10:00:00%2B05:00&add=5&unit=working_days')).body.deadline).toBe(
      '2028-01-11T00:00:00.000+05:00',
    );
    const saved = await context.api.request('PUT', '/staff/v1/calendar/years/2028', {
      token: admin.token,
      body: year2028,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ year: 2028, created: true, changed: true });
    // Staff's 2028 (still provisional) has no 7 January: 30, 31 Dec 2027; 1-4 Jan 2028 off; 5, 6, 7 Jan.
    const after = (await deadline('from=2027-12-29T10:00:00%2B05:00&add=5&unit=working_days')).body;
    expect(after).toMatchObject({
      deadline: '2028-01-08T00:00:00.000+05:00',
      provisional: true,
      provisionalYears: [2027, 2028],
    });
    const year = (await context.api.request('GET', '/v1/calendar/non-working-days?year=2028')).body;
    expect(year).toMatchObject({ status: 'provisional', derived: false, updatedAt: expect.any(String) });

    const again = await context.api.request('PUT', '/staff/v1/calendar/years/2028', {
      token: admin.token,
      body: year2028,
    });
    expect(again.body).toMatchObject({ created: false, changed: false, workflowsSignalled: 0 });

    const changes = await context.api.request('GET', '/staff/v1/calendar/changes?year=2028', {
      token: accountant.token,
    });
    expect(changes.body.changes).toHaveLength(1);
    expect(changes.body.changes[0]).toMatchObject({
      year: 2028,
      reason: year2028.reason,
      changedBy: { id: admin.id },
      before: null,
    });
    expect(changes.body.changes[0].after.days).toHaveLength(4);
    const years = await context.api.request('GET', '/staff/v1/calendar/years', { token: accountant.token });
    expect(years.body.years.map((y: { year: number }) => y.year)).toEqual([2024, 2025, 2026, 2027, 2028]);
  });
});

describe('a notice needing an answer, through the API, on the Temporal dev server', () => {
  test('the client sees the working-day deadline and answers once; a calendar edit reaches the running workflow', async () => {
    const client = await insertClient(context.database.db);
    const token = await clientToken(context.database.db, client.id);
    const created = await context.api.request('POST', `/staff/v1/clients/${client.id}/notices`, {
      token: admin.token,
      body: {
        subject: 'Запрос информации о реквизитах',
        body: 'Просим подтвердить банковские реквизиты.',
        kind: 'information_request',
      },
    });
    expect(created.status).toBe(202);
    expect(created.body.answer).toMatchObject({ status: 'awaiting', withinWorkingDays: 1, dueAt: null });
    await context.smtp.waitFor((m) => m.subject === 'Запрос информации о реквизитах');

    const workflow = context.api.temporal.client.workflow.getHandle(`notice-${created.body.id}`);
    const awaiting = await eventually(async () => {
      const [mine] = (await context.api.request('GET', '/client/v1/notices', { token })).body.notices;
      return mine.answer.dueAt && mine;
    });
    const state = await workflow.query(noticeStateQuery);
    const calendar = new BusinessCalendar(await readCalendar(context.database.db));
    expect(awaiting.answer.dueAt).toBe(calendar.addWorkingDays(state.answer!.receivedAt!, 1).toISOString());
    expect((await workflow.describe()).typedSearchAttributes.get(DeadlineAt)?.toISOString()).toBe(
      awaiting.answer.dueAt,
    );

    // Staff make the first day of the period a day off: the running workflow is told and moves its deadline.
    const firstDay = calendar.localDate(new Date(new Date(awaiting.answer.dueAt).getTime() - 1));
    const year = Number(firstDay.slice(0, 4));
    const current = (await context.api.request('GET', `/v1/calendar/non-working-days?year=${year}`)).body;
    const yearData = (await readCalendarYear(context.database.db, year))!;
    const edited = await context.api.request('PUT', `/staff/v1/calendar/years/${year}`, {
      token: admin.token,
      body: {
        status: current.status,
        sources: current.sources,
        days: [
          ...yearData.days.filter((d) => d.date !== firstDay),
          { date: firstDay, kind: 'holiday', name: 'Внеочередной выходной (тест)', source: 'тестовое постановление' },
        ],
        reason: 'test: a day off inside the period',
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.workflowsSignalled).toBeGreaterThanOrEqual(1);
    const moved = await eventually(async () => {
      const row = await context.database.db('notices').where({ id: created.body.id }).first();
      return row.answer_due_at.toISOString() !== awaiting.answer.dueAt && row.answer_due_at.toISOString();
    });
    expect(new Date(moved).getTime()).toBeGreaterThan(new Date(awaiting.answer.dueAt).getTime());

    const answered = await context.api.request('POST', `/client/v1/notices/${created.body.id}/answer`, {
      token,
      body: { text: 'Реквизиты не менялись.' },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.answer).toMatchObject({ status: 'answered', text: 'Реквизиты не менялись.', late: false });
    expectError(
      await context.api.request('POST', `/client/v1/notices/${created.body.id}/answer`, {
        token,
        body: { text: 'Ещё раз' },
      }),
      409,
      'ALREADY_ANSWERED',
    );
    const result = await workflow.result();
    expect(result.answer).toMatchObject({ status: 'answered' });

    const other = await insertClient(context.database.db);
    expectError(
      await context.api.request('POST', `/client/v1/notices/${created.body.id}/answer`, {
        token: await clientToken(context.database.db, other.id),
        body: { text: 'x' },
      }),
      404,
      'NOT_FOUND',
    );
  });

  test('a plain notice needs no answer: answering it is a 409', async () => {
    const client = await insertClient(context.database.db);
    const token = await clientToken(context.database.db, client.id);
    const created = await context.api.request('POST', `/staff/v1/clients/${client.id}/notices`, {
      token: admin.token,
      body: { subject: 'Информационное письмо', body: 'Текст.' },
    });
    expect(created.body.answer).toBeNull();
    await eventually(
      async () => (await context.database.db('notices').where({ id: created.body.id }).first()).status === 'sent',
    );
    expectError(
      await context.api.request('POST', `/client/v1/notices/${created.body.id}/answer`, {
        token,
        body: { text: 'Ответ' },
      }),
      409,
      'ANSWER_NOT_REQUIRED',
    );
  });
});

describe('force majeure in the calendar the workflows load (8.3, 8.5)', () => {
  test('an event noticed late is left out; one noticed in time, one still within its notice time and a well-known one stay', async () => {
    const { db } = context.database;
    const at = '2026-11-20T12:00:00+05:00';
    const rows = await db('force_majeure_events')
      .insert([
        {
          started_at: '2026-11-02T08:00:00+05:00',
          ended_at: '2026-11-03T08:00:00+05:00',
          notified_at: '2026-11-02T09:00:00+05:00',
          processes: ['claims'],
          description: 'в срок',
        },
        {
          started_at: '2026-11-04T08:00:00+05:00',
          ended_at: '2026-11-05T08:00:00+05:00',
          notified_at: '2026-11-16T09:00:00+05:00',
          processes: ['claims'],
          description: 'с опозданием',
        },
        {
          started_at: '2026-11-06T08:00:00+05:00',
          ended_at: '2026-11-06T18:00:00+05:00',
          processes: ['claims'],
          description: 'без уведомления',
        },
        {
          started_at: '2026-11-09T08:00:00+05:00',
          ended_at: '2026-11-09T18:00:00+05:00',
          processes: ['claims'],
          well_known: true,
          description: 'общеизвестный факт',
        },
        { started_at: '2026-11-19T08:00:00+05:00', processes: ['claims'], description: 'ещё можно уведомить' },
      ])
      .returning('started_at');
    try {
      const { forceMajeure } = await createCalendarActivities({ db, clock: systemClock } as never).loadCalendar(
        new Date(at).toISOString(),
      );
      expect(forceMajeure.map((e) => e.start)).toEqual(
        [rows[0], rows[3], rows[4]].map((r) => new Date(r.started_at).toISOString()),
      );
    } finally {
      await db('force_majeure_events').del();
    }
  });
});
