import { BUNDLED_CALENDAR } from '../../lib/calendar/bundled';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import {
  CLIENT_OBLIGATIONS,
  declaredEvent,
  forceMajeurePauses,
  isSecondPerson,
  lateNoticeOutcome,
  missingProof,
  noticeDueAt,
  ongoingForceMajeure,
  reliedOn,
} from '../../lib/force-majeure';

// 8.3: notice within 5 working days, or the party cannot rely on the event; 8.5: a well-known fact needs no notice.
const calendar = new BusinessCalendar(BUNDLED_CALENDAR, { ...DEFAULT_SETTINGS, zone: 'Asia/Almaty' });
const started = '2026-11-02T08:00:00+05:00'; // Monday; counted from the next day, 5 working days end with Monday 9 November, 24:00
const at = (iso: string) => new Date(iso);

describe('8.3, 8.5: may the operator rely on a force-majeure event?', () => {
  test('noticed within 5 working days: yes; noticed later: no', () => {
    expect(
      reliedOn(
        calendar,
        { startedAt: started, notifiedAt: '2026-11-09T23:00:00+05:00', wellKnown: false },
        at('2026-12-01T00:00:00+05:00'),
      ),
    ).toBe(true);
    expect(
      reliedOn(
        calendar,
        { startedAt: started, notifiedAt: '2026-11-10T09:00:00+05:00', wellKnown: false },
        at('2026-12-01T00:00:00+05:00'),
      ),
    ).toBe(false);
  });

  test('not noticed yet: yes while the 5 working days run, no after', () => {
    expect(
      reliedOn(calendar, { startedAt: started, notifiedAt: null, wellKnown: false }, at('2026-11-09T12:00:00+05:00')),
    ).toBe(true);
    expect(
      reliedOn(calendar, { startedAt: started, notifiedAt: null, wellKnown: false }, at('2026-11-10T09:00:00+05:00')),
    ).toBe(false);
  });

  test('a well-known fact needs no notice', () => {
    expect(
      reliedOn(calendar, { startedAt: started, notifiedAt: null, wellKnown: true }, at('2027-01-01T00:00:00+05:00')),
    ).toBe(true);
  });
});

describe('8.3: a start earlier than the notice allows is relied on only with a reason and a second person', () => {
  const late = { startedAt: started, notifiedAt: '2026-11-16T09:00:00+05:00', wellKnown: false };
  const now = at('2026-11-20T12:00:00+05:00');

  test('the notice is due at the end of the 5th working day after the start', () => {
    expect(noticeDueAt(calendar, started).toISOString()).toBe(new Date('2026-11-10T00:00:00+05:00').toISOString());
  });

  test('a late notice with a reason needs confirmation; without one it is simply late', () => {
    expect(lateNoticeOutcome(calendar, late, now, 'Наводнение отключило связь до 13 ноября')).toBe(
      'needs_confirmation',
    );
    expect(lateNoticeOutcome(calendar, late, now, undefined)).toBe('late');
    expect(lateNoticeOutcome(calendar, late, now, '   ')).toBe('late');
  });

  test('a timely notice (or one that may still go out) or a well-known fact wants no reason', () => {
    expect(lateNoticeOutcome(calendar, { ...late, notifiedAt: '2026-11-05T09:00:00+05:00' }, now, undefined)).toBe(
      'in_time',
    );
    expect(lateNoticeOutcome(calendar, { ...late, notifiedAt: null }, at('2026-11-06T12:00:00+05:00'), undefined)).toBe(
      'in_time',
    );
    expect(
      lateNoticeOutcome(
        calendar,
        { ...late, notifiedAt: '2026-11-05T09:00:00+05:00' },
        now,
        'Причина, которая не нужна',
      ),
    ).toBe('reason_not_needed');
    expect(lateNoticeOutcome(calendar, { ...late, wellKnown: true }, now, 'Причина, которая не нужна')).toBe(
      'reason_not_needed',
    );
  });

  test('pending confirmation or rejected: not relied on; confirmed by the second admin: relied on though late', () => {
    expect(reliedOn(calendar, { ...late, status: 'recorded' }, now)).toBe(false);
    expect(reliedOn(calendar, { ...late, status: 'pending_confirmation' }, now)).toBe(false);
    expect(reliedOn(calendar, { ...late, status: 'rejected' }, now)).toBe(false);
    expect(reliedOn(calendar, { ...late, status: 'confirmed' }, now)).toBe(true);
  });

  test('the proposer is not the second person', () => {
    expect(isSecondPerson('staff-a', 'staff-b')).toBe(true);
    expect(isSecondPerson('staff-a', 'staff-a')).toBe(false);
    expect(isSecondPerson(null, 'staff-a')).toBe(false);
  });
});

describe('8.5: a client’s declaration is proven by a certificate, unless a well-known fact', () => {
  test('a certificate proves it; other papers alone do not; a well-known fact needs none', () => {
    expect(missingProof({ wellKnown: false, evidenceKinds: ['other', 'certificate'] })).toBeUndefined();
    expect(missingProof({ wellKnown: false, evidenceKinds: ['other'] })).toMatch(/8\.5/);
    expect(missingProof({ wellKnown: false, evidenceKinds: [] })).toMatch(/certificate/);
    expect(missingProof({ wellKnown: true, evidenceKinds: [] })).toBeUndefined();
  });
});

describe('8.4: a client’s accepted declaration extends the periods of its own obligations only', () => {
  const ongoing = declaredEvent({
    started_at: '2026-11-02T08:00:00+05:00',
    ended_at: null,
    obligations: ['acts', 'notices'],
  });
  const over = declaredEvent({
    started_at: '2026-11-02T08:00:00+05:00',
    ended_at: '2026-11-04T08:00:00+05:00',
    obligations: ['application'],
  });

  test('the client’s obligations are the act signature (6.7, 6.8), applying codes (4.1.6) and answering notices (10.2.1, 4.3.2)', () => {
    expect([...CLIENT_OBLIGATIONS]).toEqual(['acts', 'application', 'notices']);
  });

  test('ongoing: the act signing and notice answers are suspended; the operator’s deadlines are not', () => {
    expect(ongoingForceMajeure([ongoing], 'acts')).toBe(ongoing);
    expect(ongoingForceMajeure([ongoing], 'notices')).toBe(ongoing);
    for (const operators of ['emission', 'tickets', 'refunds', 'claims', 'onboarding'] as const)
      expect(ongoingForceMajeure([ongoing], operators)).toBeUndefined();
  });

  test('over: its time is a pause of the application period only', () => {
    expect(forceMajeurePauses([over], 'application')).toEqual([
      {
        start: new Date('2026-11-02T08:00:00+05:00').toISOString(),
        end: new Date('2026-11-04T08:00:00+05:00').toISOString(),
      },
    ]);
    expect(forceMajeurePauses([over], 'acts')).toEqual([]);
    const moved = calendar
      .withPauses(forceMajeurePauses([over], 'application'))
      .addWorkingDays('2026-11-02T08:00:00+05:00', 5);
    expect(moved.getTime()).toBeGreaterThan(calendar.addWorkingDays('2026-11-02T08:00:00+05:00', 5).getTime());
  });

  test('an obligation that is not the client’s never enters its event', () => {
    expect(
      declaredEvent({
        started_at: '2026-11-02T08:00:00+05:00',
        ended_at: null,
        obligations: ['acts', 'refunds', 'all'],
      }).processes,
    ).toEqual(['acts']);
  });
});
