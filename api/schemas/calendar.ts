import { Type, Static } from 'typebox';
import { DAY_KINDS } from '../../lib/calendar';
import { IsoInstant, StringEnum } from './common';

export const DEADLINE_UNITS = ['working_days', 'working_hours', 'working_minutes', 'calendar_days'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Local date, YYYY-MM-DD' });
const Year = Type.Integer({ minimum: 2000, maximum: 2100 });

export const DeadlineQuery = Type.Object(
  {
    from: Type.String({
      format: 'date-time',
      description: 'The event, an ISO 8601 instant with offset, e.g. 2026-03-06T17:30:00+05:00',
    }),
    add: Type.Integer({ minimum: 0, maximum: 10000, description: 'How many units' }),
    unit: StringEnum(DEADLINE_UNITS),
    endsAt: Type.Optional(
      StringEnum(['midnight', 'close_of_business'], {
        description:
          'Day units only: the last day ends at 24:00 (default) or at 18:00, for an act done at the operator (Civil Code art. 176)',
      }),
    ),
    pause: Type.Optional(
      Type.Array(Type.String({ pattern: '^[^/]+/[^/]+$' }), {
        description:
          'Intervals that do not count, each `start/end` as ISO instants (waiting for the client, force majeure); repeatable',
        maxItems: 100,
      }),
    ),
  },
  { additionalProperties: false },
);

export const DeadlineAnswer = Type.Object({
  from: IsoInstant,
  add: Type.Integer(),
  unit: StringEnum(DEADLINE_UNITS),
  deadline: Type.String({ description: 'ISO 8601 instant with the operator zone offset' }),
  lastDay: Type.Optional(IsoDate),
  zone: Type.String(),
  provisional: Type.Boolean({
    description:
      'The period runs through a year without official data (derived from the Law on holidays, or provisional): the deadline may move when staff enter the official year',
  }),
  provisionalYears: Type.Array(Type.Integer(), {
    description: 'The provisional years the deadline depends on, e.g. [2028]',
  }),
});

const DayInfo = Type.Object({
  date: IsoDate,
  kind: StringEnum([...DAY_KINDS, 'weekend', 'weekday']),
  name: Type.String({ description: 'The reason, in Russian as the production calendar states it' }),
  source: Type.Optional(Type.String()),
});

const Source = Type.Object(
  { title: Type.String({ minLength: 1, maxLength: 1000 }), url: Type.Optional(Type.String({ format: 'uri' })) },
  { additionalProperties: false },
);

export const NonWorkingDaysQuery = Type.Object({ year: Year }, { additionalProperties: false });

export const NonWorkingDays = Type.Object({
  year: Type.Integer(),
  status: StringEnum(['official', 'provisional']),
  derived: Type.Boolean({
    description:
      'No data for the year: derived from the Law on holidays (fixed holidays, art. 5 moves, Kurban ait by Umm al-Qura), without transfers of rest days',
  }),
  provisional: Type.Boolean({ description: 'The year is not official yet (derived, or entered as provisional)' }),
  provisionalYears: Type.Array(Type.Integer(), { description: 'The year itself when provisional, else empty' }),
  sources: Type.Array(Source),
  nonWorkingDays: Type.Array(DayInfo),
  workingWeekendDays: Type.Array(DayInfo),
  updatedAt: Type.Union([IsoInstant, Type.Null()], {
    description: 'When the year was last saved; null for a derived year',
  }),
});

export const CalendarDayInput = Type.Object(
  {
    date: IsoDate,
    kind: StringEnum(DAY_KINDS),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    source: Type.String({ minLength: 1, maxLength: 1000 }),
    category: Type.Optional(StringEnum(['national', 'state', 'religious'])),
    movedFrom: Type.Optional(IsoDate),
    pairedWith: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

export const PutCalendarYearBody = Type.Object(
  {
    status: StringEnum(['official', 'provisional']),
    sources: Type.Array(Source, { minItems: 1, maxItems: 20 }),
    days: Type.Array(CalendarDayInput, { maxItems: 366 }),
    reason: Type.String({
      minLength: 3,
      maxLength: 2000,
      description: 'Why the year changes, e.g. the decree that was published',
    }),
  },
  { additionalProperties: false },
);
export type PutCalendarYearBody = Static<typeof PutCalendarYearBody>;

export const YearParams = Type.Object({ year: Year });

export const PutCalendarYearAnswer = Type.Object({
  year: Type.Integer(),
  created: Type.Boolean(),
  changed: Type.Boolean(),
  workflowsSignalled: Type.Integer({ description: 'Running workflows with a deadline told to recompute it' }),
});

export const CalendarYearSummary = Type.Object({
  year: Type.Integer(),
  status: StringEnum(['official', 'provisional']),
  days: Type.Integer(),
  updatedAt: IsoInstant,
});

export const CalendarChange = Type.Object({
  id: Type.Integer(),
  year: Type.Integer(),
  reason: Type.String(),
  changedBy: Type.Union([Type.Object({ id: Type.String(), name: Type.String() }), Type.Null()]),
  changedAt: IsoInstant,
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const CalendarHorizonWarning = Type.Object({
  code: Type.Literal('CALENDAR_YEAR_NOT_OFFICIAL'),
  year: Type.Integer(),
  status: StringEnum(['missing', 'provisional'], {
    description: 'missing: no data (derived from the Law on holidays); provisional: only provisional data',
  }),
  message: Type.String(),
});

export const CalendarWarnings = Type.Object({ warnings: Type.Array(CalendarHorizonWarning) });
