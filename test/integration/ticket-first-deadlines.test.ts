import { openClientTicket } from '../../api/intake/tickets';
import type { AppDeps } from '../../api/http/deps';
import { ManualClock } from '../../lib/clock';
import { useTestApi } from '../helpers/api';
import { insertClient, insertStaff } from '../helpers/fixtures';

// A ticket's first deadlines are recorded with the ticket, in the request (issue #19: during a burst
// of orders the workflow recorded them seconds later): the queue shows them at once.
const ctx = useTestApi();

/** The intake as the API runs it, at a chosen instant of the official 2026 calendar. */
function depsAt(instant: string) {
  return {
    db: ctx.database.db,
    temporal: ctx.api.temporal,
    clock: new ManualClock(new Date(instant)),
    config: { temporalTaskQueue: ctx.api.taskQueue, operatorTimeZone: 'Asia/Almaty' },
  } as unknown as Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;
}

test('a ticket registered on a working morning is due a reaction 5 working minutes later and a resolution (Low) 24 working hours later, from the moment it is recorded', async () => {
  const client = await insertClient(ctx.database.db);
  // Wednesday 2 December 2026, 10:00 in Astana: a working day (Прил. 3: 9:00-18:00 working hours).
  const ticket = await openClientTicket(depsAt('2026-12-02T10:00:00+05:00'), client.id, {
    subject: 'Не приходят коды',
    body: 'Заказ висит',
  });
  const row = await ctx.database.db('tickets').where({ id: ticket.id }).first();
  expect(row.reaction_due_at.toISOString()).toBe('2026-12-02T05:05:00.000Z');
  // 24 working hours of 9 a day: Wed 8 h, Thu 9 h, Fri 7 h → Friday 16:00 in Astana.
  expect(row.resolution_due_at.toISOString()).toBe('2026-12-04T11:00:00.000Z');
});

test('a ticket registered while force majeure suspends the tickets’ deadlines has none recorded', async () => {
  const client = await insertClient(ctx.database.db);
  const admin = await insertStaff(ctx.database.db, ['admin']);
  await ctx.database.db('force_majeure_events').insert({
    started_at: '2026-12-09T04:00:00Z',
    processes: ['tickets'],
    description: 'Отключение электроэнергии в ЦОД',
    notified_at: '2026-12-09T05:00:00Z',
    recorded_by: admin.id,
    recorded_at: '2026-12-09T05:00:00Z',
  });
  const ticket = await openClientTicket(depsAt('2026-12-09T11:00:00+05:00'), client.id, {
    subject: 'Ошибка',
    body: 'Во время аварии',
  });
  expect(
    await ctx.database.db('tickets').where({ id: ticket.id }).first('reaction_due_at', 'resolution_due_at'),
  ).toEqual({
    reaction_due_at: null,
    resolution_due_at: null,
  });
});
