import { randomUUID } from 'node:crypto';
import { ensureCalendarHorizonCheck } from '../../api/intake/system-workflows';
import { readCalendar } from '../../db/calendar-store';
import { BusinessCalendar, CalendarDay, provisionalYear } from '../../lib/calendar';
import { ManualClock } from '../../lib/clock';
import { DeadlineAt } from '../../lib/search-attributes';
import { APPLICATION_WORKING_DAYS } from '../../lib/contract-periods';
import { applicationDeadline } from '../../workflows/application-deadline';
import { CALENDAR_HORIZON_SCHEDULE_ID } from '../../workflows/calendar-horizon';
import { eventually, useTestApi } from '../helpers/api';
import { signIn, useBrowser } from '../helpers/browser';
import { insertStaff } from '../helpers/fixtures';

// The calendar never runs out (issue #13), over HTTP on real PostgreSQL and the Temporal dev
// server: staff are warned in time that next year's official calendar is missing, and a running
// workflow whose deadline lies in a derived year moves it when staff enter the official year.
// The API's and the worker's clock is pinned: nothing here depends on the day the test runs.

/** 23:59:59 on 30 September 2026 in Astana (UTC+5). */
const clock = new ManualClock(new Date('2026-09-30T18:59:59Z'));
const context = useTestApi({ clock });
const browser = useBrowser();
let admin: { id: string; email: string; token: string };
let otherAdmin: { id: string; email: string; token: string };
let moderator: { id: string; email: string; token: string };

beforeAll(async () => {
  admin = await insertStaff(context.database.db, ['admin']);
  otherAdmin = await insertStaff(context.database.db, ['admin', 'accountant']);
  moderator = await insertStaff(context.database.db, ['moderator']);
  await insertStaff(context.database.db, ['admin']).then((gone) =>
    context.database.db('staff_users').where({ id: gone.id }).update({ active: false }),
  );
});

afterAll(async () => {
  await context.api?.temporal.client.schedule
    .getHandle(CALENDAR_HORIZON_SCHEDULE_ID)
    .delete()
    .catch(() => undefined);
});

const health = async () => {
  const response = await context.api.request('GET', '/health');
  expect(response.status).toBe(200);
  return response.body;
};
const warningYears = (body: { warnings: { year: number; status: string }[] }) =>
  body.warnings.map((w) => [w.year, w.status]);
const horizonMails = (year: number) =>
  context.smtp.messages.filter((m) => m.subject === `Производственный календарь на ${year} год не внесён`);

/** Runs the daily check as the API does at start (the Schedule, triggered), and waits for that run to end. */
async function runHorizonCheck() {
  const schedule = context.api.temporal.client.schedule.getHandle(CALENDAR_HORIZON_SCHEDULE_ID);
  const runs = await schedule
    .describe()
    .then((s) => s.info.recentActions.length)
    .catch(() => 0);
  await ensureCalendarHorizonCheck(context.api.temporal, { taskQueue: context.api.taskQueue, zone: 'Asia/Almaty' });
  const run = await eventually(async () => (await schedule.describe()).info.recentActions[runs]);
  return context.api.temporal.client.workflow.getHandle(run.action.workflow.workflowId).result();
}

describe('warned in time: from 1 October, next year without official data', () => {
  test('/health lists the warning from 1 October in the operator zone, and stays 200', async () => {
    expect(warningYears(await health())).toEqual([]);
    clock.set(new Date('2026-09-30T19:00:00Z')); // 00:00 on 1 October in Astana; still 30 September in UTC
    const body = await health();
    expect(body.status).toBe('ok');
    expect(body.warnings).toEqual([
      {
        code: 'CALENDAR_YEAR_NOT_OFFICIAL',
        year: 2027,
        status: 'provisional',
        message: expect.stringContaining('PUT /staff/v1/calendar/years/2027'),
      },
    ]);
    const listed = await context.api.request('GET', '/staff/v1/calendar/warnings', { token: moderator.token });
    expect(listed.status).toBe(200);
    expect(listed.body.warnings).toEqual(body.warnings);
    expect((await context.api.request('GET', '/staff/v1/calendar/warnings')).status).toBe(401);
  });

  test('the consoles show it to an admin, not to a moderator', async () => {
    const asAdmin = await browser.open(`${context.api.url}/console/moderation`);
    await signIn(asAdmin.page, admin.token);
    const banner = asAdmin.page.locator('#calendar-warning');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(
      'Производственный календарь на 2027 год не внесён (только предварительные данные)',
    );
    expect(asAdmin.errors).toEqual([]);
    await asAdmin.page.close();

    const asModerator = await browser.open(`${context.api.url}/console/moderation`);
    await signIn(asModerator.page, moderator.token);
    await asModerator.page.waitForSelector('#console:not([hidden])');
    await asModerator.page.waitForSelector('#count:not(:empty)');
    expect(await asModerator.page.locator('#calendar-warning').count()).toBe(0);
    await asModerator.page.close();
  });

  test('every active admin is e-mailed once for the year, by the daily Schedule the API also runs at start', async () => {
    const first = await runHorizonCheck();
    expect(first).toMatchObject({ mailed: [2027], warnings: [expect.objectContaining({ year: 2027 })] });
    const mails = horizonMails(2027);
    expect(mails.map((m) => (m.to as { text: string }).text).sort()).toEqual([admin.email, otherAdmin.email].sort());
    expect(mails[0].text).toContain('PUT http://127.0.0.1');
    expect(mails[0].text).toContain('/staff/v1/calendar/years/2027');
    const recorded = await context.database.db('calendar_horizon_mail').where({ year: 2027 }).first();
    expect(recorded.recipients.sort()).toEqual([admin.email, otherAdmin.email].sort());
    expect(recorded.sent_at.toISOString()).toBe('2026-09-30T19:00:00.000Z');

    const schedule = await context.api.temporal.client.schedule.getHandle(CALENDAR_HORIZON_SCHEDULE_ID).describe();
    expect(schedule.spec.timezone).toBe('Asia/Almaty');
    expect(schedule.spec.calendars?.[0]).toMatchObject({
      hour: [{ start: 9, end: 9, step: 1 }],
      minute: [{ start: 0, end: 0, step: 1 }],
    });
    expect(schedule.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'calendarHorizonCheck',
      taskQueue: context.api.taskQueue,
    });

    // The next day's run (and any restart of the API): still warned, not e-mailed again.
    clock.set(new Date('2026-10-02T04:00:00Z'));
    expect(await runHorizonCheck()).toMatchObject({ mailed: [], warnings: [expect.objectContaining({ year: 2027 })] });
    expect(horizonMails(2027)).toHaveLength(2);
  });

  test('entering the official year ends the warning; a year later the next one is warned of, and e-mailed once', async () => {
    const year2027 = (await context.api.request('GET', '/v1/calendar/non-working-days?year=2027')).body;
    const days = provisionalYear(2027).days;
    const saved = await context.api.request('PUT', '/staff/v1/calendar/years/2027', {
      token: admin.token,
      body: {
        status: 'official',
        sources: [{ title: 'Производственный календарь МТСЗН РК на 2027 год (тест)' }],
        days,
        reason: 'опубликован производственный календарь',
      },
    });
    expect(saved.status).toBe(200);
    expect(year2027.status).toBe('provisional');
    expect(warningYears(await health())).toEqual([]);

    clock.set(new Date('2027-10-01T03:00:00Z'));
    expect(warningYears(await health())).toEqual([[2028, 'missing']]);
    expect(await runHorizonCheck()).toMatchObject({ mailed: [2028] });
    expect(horizonMails(2028)).toHaveLength(2);
    expect(horizonMails(2027)).toHaveLength(2);
  });
});

describe('a running workflow with a deadline in a derived year', () => {
  test('staff entering the official year (no data before: only derived) moves its deadline', async () => {
    const db = context.database.db;
    // Codes delivered on Monday 16 August 2049: applied within 30 working days (4.1.6), the reminder a
    // working day before — in September 2049, a year far past the data, derived from the law (in the
    // workflow too), with Kurban ait on Wednesday 8 September by the Umm al-Qura calendar.
    const deliveredAt = '2049-08-16T10:00:00+05:00';
    const blockId = randomUUID();
    const handle = await context.api.temporal.client.workflow.start(applicationDeadline, {
      taskQueue: context.api.taskQueue,
      workflowId: `apply-${blockId}`,
      args: [{ blockId, clientId: randomUUID(), orderId: 'test-order', deliveredAt }],
    });
    try {
      const reminderWith = (calendar: BusinessCalendar) =>
        calendar.addWorkingDays(deliveredAt, APPLICATION_WORKING_DAYS - 1);
      const derived = new BusinessCalendar(await readCalendar(db));
      const before = reminderWith(derived);
      expect(derived.format(before)).toBe('2049-09-28T00:00:00.000+05:00');
      expect(derived.dayInfo('2049-09-08')).toMatchObject({ working: false, name: 'Курбан айт (первый день)' });
      expect(derived.provisionalYearsIn(deliveredAt, before)).toEqual([2049]);
      expect(await db('calendar_years').where({ year: 2049 }).first()).toBeUndefined();
      const deadlineAt = async () => (await handle.describe()).typedSearchAttributes.get(DeadlineAt)?.toISOString();
      expect(await eventually(deadlineAt)).toBe(before.toISOString());

      // The official 2049: the derived holidays, and a Minister's transfer the law could not know:
      // Friday 10 September off (after Kurban ait), Saturday 20 November worked.
      const transfer = 'Приказ МТСЗН РК о переносе дня отдыха в 2049 году (тест)';
      const official: CalendarDay[] = [
        ...provisionalYear(2049).days,
        {
          date: '2049-09-10',
          kind: 'rest_day_transfer',
          name: 'Выходной день, перенесённый с 20 ноября (суббота)',
          pairedWith: '2049-11-20',
          source: transfer,
        },
        {
          date: '2049-11-20',
          kind: 'working_day_transfer',
          name: 'Рабочий день (выходной перенесён на 10 сентября, пятница)',
          pairedWith: '2049-09-10',
          source: transfer,
        },
      ];
      const saved = await context.api.request('PUT', '/staff/v1/calendar/years/2049', {
        token: admin.token,
        body: {
          status: 'official',
          sources: [{ title: 'Производственный календарь на 2049 год (тест)' }],
          days: official,
          reason: 'приказ о переносе опубликован',
        },
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ year: 2049, created: true, changed: true });
      expect(saved.body.workflowsSignalled).toBeGreaterThanOrEqual(1);

      // One working day less in the period: the reminder comes a working day later, from official data only.
      const entered = new BusinessCalendar(await readCalendar(db));
      const after = reminderWith(entered);
      expect(entered.format(after)).toBe('2049-09-29T00:00:00.000+05:00');
      expect(entered.provisionalYearsIn(deliveredAt, after)).toEqual([]);
      expect(
        await eventually(async () => ((await deadlineAt()) !== before.toISOString() ? deadlineAt() : undefined)),
      ).toBe(after.toISOString());
    } finally {
      await handle.terminate('test done');
    }
  });
});
