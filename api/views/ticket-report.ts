import type { Knex } from 'knex';
import { addDaysToDate, BusinessCalendar, Pause } from '../../lib/calendar';

/**
 * The support service's month (Прил. 3): per priority and per line, how many tickets, how many
 * missed a deadline, and the median reaction (arrival → classification) and resolution
 * (registration → resolution, time waiting for the client excluded) in working minutes.
 */
export interface ReportRow {
  group: 'all' | 'priority' | 'line';
  priority: string | null;
  line: number | null;
  tickets: number;
  breached: number;
  breachRate: number;
  medianReactionMinutes: number | null;
  medianResolutionMinutes: number | null;
}

const median = (values: number[]) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
};

export async function ticketReport(
  db: Knex,
  calendar: BusinessCalendar,
  month: string,
): Promise<{ month: string; rows: ReportRow[] }> {
  const from = calendar.startOfDay(`${month}-01`);
  const to = calendar.startOfDay(addDaysToDate(`${month}-01`, 32).slice(0, 8) + '01');
  const tickets = await db('tickets').where('received_at', '>=', from).where('received_at', '<', to);
  const events = await db('ticket_events')
    .whereIn(
      'ticket_id',
      tickets.map((t) => t.id),
    )
    .orderBy('id');
  const measured = tickets.map((t) => {
    const own = events.filter((e) => e.ticket_id === t.id);
    const classified = own.find((e) => e.kind === 'classified');
    const resolved = own.find((e) => e.kind === 'resolved');
    const pauses: Pause[] = [];
    for (const e of own) {
      if (e.kind === 'waiting_for_client') pauses.push({ start: e.at, end: e.at });
      if (e.kind === 'client_replied' && pauses.length) pauses[pauses.length - 1].end = e.at;
    }
    const minutes = (a: Date, b: Date, p: Pause[] = []) => calendar.workingTimeBetween(a, b, { pauses: p }) / 60_000;
    return {
      priority: t.priority as string | null,
      line: t.line as number,
      breached: !!(t.reaction_breached_at || t.resolution_breached_at),
      reaction: classified ? minutes(t.received_at, classified.at) : null,
      resolution: resolved
        ? minutes(
            t.received_at,
            resolved.at,
            pauses.filter((p) => new Date(p.end).getTime() > new Date(p.start).getTime()),
          )
        : null,
    };
  });
  const row = (
    group: ReportRow['group'],
    priority: string | null,
    line: number | null,
    items: typeof measured,
  ): ReportRow => {
    const breached = items.filter((i) => i.breached).length;
    return {
      group,
      priority,
      line,
      tickets: items.length,
      breached,
      breachRate: items.length ? breached / items.length : 0,
      medianReactionMinutes: median(items.flatMap((i) => (i.reaction === null ? [] : [i.reaction]))),
      medianResolutionMinutes: median(items.flatMap((i) => (i.resolution === null ? [] : [i.resolution]))),
    };
  };
  return {
    month,
    rows: [
      row('all', null, null, measured),
      ...['high', 'medium', 'low'].map((p) =>
        row(
          'priority',
          p,
          null,
          measured.filter((m) => m.priority === p),
        ),
      ),
      ...[1, 2, 3].map((l) =>
        row(
          'line',
          null,
          l,
          measured.filter((m) => m.line === l),
        ),
      ),
    ],
  };
}
