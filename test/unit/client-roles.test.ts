import { personMay, roleForChange } from '../../lib/client-roles';

// Who of the company's people may change what (issue #17): reads are everyone's; each change needs its area's role or the administrator.
test.each([
  ['/api/v2/:extension/orders', 'ordering'],
  ['/client/v1/products', 'ordering'],
  ['/client/v1/circulation/introductions', 'ordering'],
  ['/client/v1/downloads', 'ordering'],
  ['/client/v1/acts/:actId/sign', 'accounting'],
  ['/client/v1/reconciliation-acts/:id/sign', 'accounting'],
  ['/client/v1/refunds', 'accounting'],
  ['/client/v1/claims', 'accounting'],
  ['/client/v1/tickets/:ticketId/messages', 'support'],
  ['/client/v1/profile', 'admin'],
  ['/client/v1/people', 'admin'],
  ['/client/v1/tokens', 'admin'],
  ['/client/v1/termination', 'admin'],
  ['/client/v1/notices/:noticeId/answer', 'admin'],
  ['/client/v1/productsX', 'admin'],
])('a change at %s needs %s', (route, role) => {
  expect(roleForChange(route)).toBe(role);
});

test('every person reads; a change needs the role of its area or admin', () => {
  expect(personMay(['support'], { method: 'GET', route: '/client/v1/acts' })).toEqual({ ok: true });
  expect(
    personMay(['support'], { method: 'POST', route: '/client/v1/downloads/preview', scope: 'cabinet_read' }),
  ).toEqual({ ok: true });
  expect(personMay(['support'], { method: 'POST', route: '/client/v1/acts/:actId/sign' })).toEqual({
    ok: false,
    needed: 'accounting',
  });
  expect(personMay(['accounting'], { method: 'POST', route: '/client/v1/acts/:actId/sign' })).toEqual({ ok: true });
  expect(personMay(['accounting'], { method: 'GET', route: '/api/v2/:extension/orders' })).toEqual({
    ok: false,
    needed: 'ordering',
  });
  expect(personMay(['admin'], { method: 'DELETE', route: '/client/v1/people/:personId' })).toEqual({ ok: true });
  expect(personMay(['ordering'], { method: 'DELETE', route: '/client/v1/people/:personId' })).toEqual({
    ok: false,
    needed: 'admin',
  });
});
