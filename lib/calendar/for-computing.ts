import type { CalendarData, CalendarYear } from './types';

/**
 * The calendar with only what computing a deadline reads: each year's status and its days' dates and kinds; the
 * names, reasons and sources left empty. What workflows are given (a load is recorded in the workflow's history:
 * 3.5 KB instead of 38 for 2024–2027, issue #20).
 */
export function forComputing(data: CalendarData): CalendarData {
  const years: Record<string, CalendarYear> = {};
  for (const [year, content] of Object.entries(data.years)) {
    years[year] = {
      status: content.status,
      sources: [],
      days: content.days.map(({ date, kind }) => ({ date, kind, name: '', source: '' })),
    };
  }
  return { years };
}
