import { DateTime } from 'luxon';
import { kurbanAitDates } from './kurban-ait';
import type { CalendarDay, CalendarSource, CalendarYear } from './types';

/**
 * A provisional year derived from the law, for a year whose production calendar is not in the
 * data yet (the decree or order comes late in the year before, or a back office runs past the
 * years its data file covers): the deadlines of such a year are computed, and say they are
 * provisional, instead of stopping on 1 January. Staff replace it with the official year
 * (PUT /staff/v1/calendar/years/{year}) when it is published.
 *
 * What is derived:
 * - the national and state holidays of the Law «О праздниках в Республике Казахстан»
 *   No. 267-II (art. 2 national, art. 3 state), as amended in 2022 and by the 2026 Constitution;
 * - the day off replacing a national or state holiday that falls on a Saturday or Sunday: the
 *   next working day after the holiday (art. 5); for a block of holidays (Nauryz 21-23 March,
 *   New Year 1-2 January) the replacements are the consecutive working days after the block;
 * - the religious days off (Labour Code art. 84 p. 5): 7 January and the first day of Kurban
 *   ait, estimated by the Umm al-Qura calendar (./kurban-ait.ts); they are not moved.
 * What is not: transfers of rest days (Labour Code art. 85 p. 3), which only a Minister's
 * order makes, and the moon-sighting correction of Kurban ait.
 *
 * Pure: no Node built-ins, safe in workflow code.
 */

/**
 * The first year the rules below describe: the Law on holidays as amended in September 2022
 * (Law No. 143-VII: 25 October a national holiday again, 1 December and 17 December no longer
 * days off) in force for a whole year. Earlier years are not derived.
 */
export const FIRST_DERIVABLE_YEAR = 2023;

const LAW = 'Закон РК от 13 декабря 2001 года № 267-II «О праздниках в Республике Казахстан»';
const STATE = `${LAW}, ст. 3 (государственные праздники)`;
const NATIONAL = `${LAW}, ст. 2 (национальный праздник; в ред. Закона РК № 143-VII, сентябрь 2022)`;
const CONSTITUTION_2026 =
  'Конституция РК, принятая на референдуме 15 марта 2026 г. (вступает в силу 1 июля 2026 г.), п. 2 ст. 94; Закон РК «О праздниках в РК», ст. 3 в ред. 2026 г.';
const RELIGIOUS = 'Трудовой кодекс РК от 23 ноября 2015 года № 414-V, п. 5 ст. 84 (выходной день, не переносится)';
const MOVED = `${LAW}, ст. 5 (при совпадении выходного и праздничного дней выходным днём является следующий после праздничного рабочий день)`;
const LAW_URL = 'https://adilet.zan.kz/rus/docs/Z010000267_';

interface FixedHoliday {
  /** MM-DD */
  day: string;
  name: string;
  category: NonNullable<CalendarDay['category']>;
  source: string;
  /** The first and last years the holiday is a day off, when it is not always. */
  since?: number;
  until?: number;
}

/** Law on holidays arts. 2-3 and Labour Code art. 84 p. 5, as in force since 2023. */
const FIXED_HOLIDAYS: readonly FixedHoliday[] = [
  { day: '01-01', name: 'Новый год', category: 'state', source: STATE },
  { day: '01-02', name: 'Новый год', category: 'state', source: STATE },
  { day: '01-07', name: 'Православное Рождество', category: 'religious', source: RELIGIOUS },
  { day: '03-08', name: 'Международный женский день', category: 'state', source: STATE },
  // The 2026 Constitution, art. 94 p. 2: the day of its adoption at the referendum; celebrated from 2027.
  {
    day: '03-15',
    name: 'День Конституции Республики Казахстан',
    category: 'state',
    source: CONSTITUTION_2026,
    since: 2027,
  },
  { day: '03-21', name: 'Наурыз мейрамы', category: 'state', source: STATE },
  { day: '03-22', name: 'Наурыз мейрамы', category: 'state', source: STATE },
  { day: '03-23', name: 'Наурыз мейрамы', category: 'state', source: STATE },
  { day: '05-01', name: 'Праздник единства народа Казахстана', category: 'state', source: STATE },
  { day: '05-07', name: 'День защитника Отечества', category: 'state', source: STATE },
  { day: '05-09', name: 'День Победы', category: 'state', source: STATE },
  { day: '07-06', name: 'День Столицы', category: 'state', source: STATE },
  // Constitution Day of the 1995 Constitution; not a holiday from 2026 (Ministry of Labour, 18.03.2026).
  { day: '08-30', name: 'День Конституции Республики Казахстан', category: 'state', source: STATE, until: 2025 },
  { day: '10-25', name: 'День Республики', category: 'national', source: NATIONAL },
  { day: '12-16', name: 'День Независимости', category: 'state', source: STATE },
];

const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];
const WEEKEND_NAMES: Record<number, string> = { 6: 'суббота', 7: 'воскресенье' };

const parse = (date: string) => DateTime.fromISO(date, { zone: 'utc' });
const isWeekend = (date: string) => parse(date).weekday >= 6;
const nextDate = (date: string) => parse(date).plus({ days: 1 }).toISODate()!;
/** 2 января, суббота */
const spelled = (date: string) => {
  const d = parse(date);
  return `${d.day} ${MONTHS_GENITIVE[d.month - 1]}, ${WEEKEND_NAMES[d.weekday] ?? ''}`.replace(/, $/, '');
};

/** The sources a derived year names: the law and how the year was derived. */
export function provisionalSources(year: number): CalendarSource[] {
  return [
    {
      title:
        `${LAW} (ст. 2, 3; ст. 5 — перенос выходного дня при совпадении с праздником) и Трудовой кодекс РК, п. 5 ст. 84 ` +
        `(религиозные выходные дни): ${year} год выведен по правилам закона, постановление (приказ) на год ещё не внесено`,
      url: LAW_URL,
    },
    {
      title:
        'Курбан айт: ожидаемая дата — 10 зуль-хиджа по календарю Умм аль-Кура (ICU, islamic-umalqura); ' +
        'дату утверждает МТСЗН РК по представлению ДУМК, возможен сдвиг на день',
    },
    { title: 'Переносы дней отдыха (Трудовой кодекс РК, п. 3 ст. 85, приказ МТСЗН РК) не известны и не учтены' },
  ];
}

/** The holidays and days off of a year by the law, without art. 5 replacements. */
function holidaysOf(year: number): CalendarDay[] {
  const byDate = new Map<string, CalendarDay>();
  for (const h of FIXED_HOLIDAYS) {
    if ((h.since && year < h.since) || (h.until && year > h.until)) continue;
    const date = `${year}-${h.day}`;
    byDate.set(date, { date, kind: 'holiday', category: h.category, name: h.name, source: h.source });
  }
  for (const { date, hijriYear } of kurbanAitDates(year)) {
    const name = 'Курбан айт (первый день)';
    const source =
      `НЕ ОФИЦИАЛЬНО: ожидаемая дата — 10 зуль-хиджа ${hijriYear} г.х. по календарю Умм аль-Кура; дата утверждается ` +
      `МТСЗН РК по представлению ДУМК; ${RELIGIOUS}`;
    const same = byDate.get(date);
    // A state holiday the same day stays the day's reason (and is moved if on a weekend); the day off is one.
    if (same) same.name = `${same.name}; ${name}`;
    else byDate.set(date, { date, kind: 'holiday', category: 'religious', name, source });
  }
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * The year as the law makes it, status `provisional`. Throws a RangeError for a year before
 * FIRST_DERIVABLE_YEAR (other holidays were in force).
 */
export function provisionalYear(year: number): CalendarYear {
  if (!Number.isInteger(year) || year < FIRST_DERIVABLE_YEAR) {
    throw new RangeError(
      `${year} cannot be derived: the holidays of the Law on holidays as in force since ${FIRST_DERIVABLE_YEAR} do not describe it`,
    );
  }
  const holidays = holidaysOf(year);
  const off = new Set(holidays.map((d) => d.date));
  const moved: CalendarDay[] = [];
  // Art. 5: a national or state holiday on a Saturday or Sunday gives the next working day off.
  // Going through the holidays in order, a block's replacements follow one another after it.
  for (const holiday of holidays) {
    if (holiday.category === 'religious' || !isWeekend(holiday.date)) continue;
    let date = nextDate(holiday.date);
    while (isWeekend(date) || off.has(date)) date = nextDate(date);
    if (!date.startsWith(String(year)))
      throw new Error(`unreachable: the day off for ${holiday.date} falls in the next year`);
    off.add(date);
    const name = holiday.name.split('; ')[0];
    moved.push({
      date,
      kind: 'holiday_moved',
      name: `Выходной за праздник «${name}» (${spelled(holiday.date)})`,
      movedFrom: holiday.date,
      source: MOVED,
    });
  }
  return {
    status: 'provisional',
    sources: provisionalSources(year),
    days: [...holidays, ...moved].sort((a, b) => a.date.localeCompare(b.date)),
  };
}
