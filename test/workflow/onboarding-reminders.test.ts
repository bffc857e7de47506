import { BusinessCalendar } from '../../lib/calendar';
import { decideUpdate, REMINDER_EVERY_WORKING_HOURS } from '../../workflows/onboarding';
import { useOnboardingEnv } from '../helpers/onboarding-env';

// Its own file, so its own test server: time skips only for this test's workflows.
const ctx = useOnboardingEnv();

test('moderators are reminded after a working day of waiting, and again each further working day', async () => {
  await ctx.withWorker(async (taskQueue) => {
    const { row, handle, submittedAt } = await ctx.submit(taskQueue);
    const waiting = await ctx.until(handle, (s) => !!s.reminderDueAt);
    const calendar = new BusinessCalendar(ctx.data);
    const first = calendar.addWorkingHours(submittedAt, REMINDER_EVERY_WORKING_HOURS);
    expect(waiting.reminderDueAt).toBe(first.toISOString());
    expect(calendar.workingTimeBetween(submittedAt, first)).toBe(9 * 3_600_000);
    expect(ctx.smtp.messages.some((m) => m.subject?.includes(row.number) && m.subject.startsWith('Напоминание'))).toBe(
      false,
    );

    await ctx.env.sleep(first.getTime() - (await ctx.env.currentTimeMs()) + 60_000);
    const reminder = await ctx.smtp.waitFor(
      (m) => m.subject === `Напоминание: заявление ${row.number} ожидает модерации`,
    );
    expect(reminder.to && 'text' in reminder.to ? reminder.to.text : '').toBe(ctx.moderator.email);
    expect(reminder.text).toContain(`https://backoffice.test/console/moderation#${row.id}`);
    const second = await ctx.until(handle, (s) => s.remindersSent === 1 && s.reminderDueAt !== waiting.reminderDueAt);
    expect(second.reminderDueAt).toBe(
      calendar.addWorkingHours(submittedAt, 2 * REMINDER_EVERY_WORKING_HOURS).toISOString(),
    );
    expect((await ctx.database.db('join_applications').where({ id: row.id }).first()).reminders_sent).toBe(1);

    const approved = await handle.executeUpdate(decideUpdate, {
      args: [{ decision: 'approve', moderatorId: ctx.moderator.id }],
    });
    ctx.started.push(`client-${approved.activation!.clientId}`);
    expect((await handle.result()).remindersSent).toBe(1);
  });
});
