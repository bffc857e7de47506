import { BUNDLED_CALENDAR } from '../../lib/calendar/bundled';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { reliedOn } from '../../lib/force-majeure';

// 8.3: notice within 5 working days, or the party cannot rely on the event; 8.5: a well-known fact needs no notice.
const calendar = new BusinessCalendar(BUNDLED_CALENDAR, { ...DEFAULT_SETTINGS, zone: 'Asia/Almaty' });
const started = '2026-11-02T08:00:00+05:00'; // Monday; counted from the next day, 5 working days end with Monday 9 November, 24:00
const at = (iso: string) => new Date(iso);

describe('8.3, 8.5: may the operator rely on a force-majeure event?', () => {
  test('noticed within 5 working days: yes; noticed later: no', () => {
    expect(reliedOn(calendar, { startedAt: started, notifiedAt: '2026-11-09T23:00:00+05:00', wellKnown: false }, at('2026-12-01T00:00:00+05:00'))).toBe(true);
    expect(reliedOn(calendar, { startedAt: started, notifiedAt: '2026-11-10T09:00:00+05:00', wellKnown: false }, at('2026-12-01T00:00:00+05:00'))).toBe(false);
  });

  test('not noticed yet: yes while the 5 working days run, no after', () => {
    expect(reliedOn(calendar, { startedAt: started, notifiedAt: null, wellKnown: false }, at('2026-11-09T12:00:00+05:00'))).toBe(true);
    expect(reliedOn(calendar, { startedAt: started, notifiedAt: null, wellKnown: false }, at('2026-11-10T09:00:00+05:00'))).toBe(false);
  });

  test('a well-known fact needs no notice', () => {
    expect(reliedOn(calendar, { startedAt: started, notifiedAt: null, wellKnown: true }, at('2027-01-01T00:00:00+05:00'))).toBe(true);
  });
});
