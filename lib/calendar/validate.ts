import { DateTime } from 'luxon';
import { CalendarYear, DAY_KINDS } from './types';

/**
 * Checks one year's calendar data before it is accepted (seed file or staff edit).
 * Returns the problems, each naming the date; an empty list means the year is sound.
 */
export function validateCalendarYear(year: number, data: CalendarYear): string[] {
  const problems: string[] = [];
  const seen = new Map<string, CalendarYear['days'][number]>();
  if (!(Number.isInteger(year) && year >= 2000 && year <= 2100)) problems.push(`year ${year} is out of range`);
  if (!['official', 'provisional'].includes(data.status)) problems.push(`status must be official or provisional`);
  if (!data.sources?.length) problems.push('at least one source (the law or decree) is required');
  for (const day of data.days) {
    const parsed = DateTime.fromISO(day.date, { zone: 'utc' });
    const at = `${day.date}:`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day.date) || !parsed.isValid) {
      problems.push(`${at} not a valid date`);
      continue;
    }
    if (parsed.year !== year) problems.push(`${at} does not belong to ${year}`);
    if (seen.has(day.date)) problems.push(`${at} listed twice`);
    seen.set(day.date, day);
    if (!DAY_KINDS.includes(day.kind)) problems.push(`${at} unknown kind ${JSON.stringify(day.kind)}`);
    if (!day.name?.trim()) problems.push(`${at} a name (reason) is required`);
    if (!day.source?.trim()) problems.push(`${at} a source is required`);
    const weekend = parsed.weekday >= 6;
    if (day.kind === 'working_day_transfer' && !weekend)
      problems.push(`${at} a working-day transfer must fall on a weekend`);
    if ((day.kind === 'rest_day_transfer' || day.kind === 'holiday_moved') && weekend) {
      problems.push(`${at} a ${day.kind} must fall on a weekday`);
    }
    if (day.kind === 'holiday_moved' && !day.movedFrom)
      problems.push(`${at} movedFrom (the holiday it replaces) is required`);
    if ((day.kind === 'rest_day_transfer' || day.kind === 'working_day_transfer') && !day.pairedWith) {
      problems.push(`${at} pairedWith (the other day of the transfer) is required`);
    }
  }
  for (const day of data.days) {
    if (day.kind === 'holiday_moved' && day.movedFrom?.startsWith(String(year))) {
      const holiday = seen.get(day.movedFrom);
      const dow = DateTime.fromISO(day.movedFrom, { zone: 'utc' }).weekday;
      if (holiday?.kind !== 'holiday' || dow < 6)
        problems.push(`${day.date}: movedFrom ${day.movedFrom} is not a holiday on a weekend`);
      if (day.movedFrom >= day.date)
        problems.push(`${day.date}: a holiday is moved to a later day, not from ${day.movedFrom}`);
    }
    if (
      (day.kind === 'rest_day_transfer' || day.kind === 'working_day_transfer') &&
      day.pairedWith?.startsWith(String(year))
    ) {
      const pair = seen.get(day.pairedWith);
      const expected = day.kind === 'rest_day_transfer' ? 'working_day_transfer' : 'rest_day_transfer';
      if (pair?.kind !== expected || pair.pairedWith !== day.date)
        problems.push(`${day.date}: its pair ${day.pairedWith} is not a matching ${expected}`);
    }
  }
  return problems;
}
