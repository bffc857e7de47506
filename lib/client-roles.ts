import { requiredScope, type TokenScope } from './api-tokens';

/**
 * What the company's people may do in the cabinet (issue #17): every person reads all the company's
 * cabinet; a change needs the role of its area — `ordering` (products, orders, codes, downloads,
 * introduction into circulation, the order station), `accounting` (account, invoices, acts, reconciliation
 * acts, refunds, claims and compensations), `support` (tickets) —, and anything else (the company's
 * details, people, integration tokens, notices, the contract and its termination, force majeure) its
 * administrator, who may do everything.
 */
export const CLIENT_PERSON_ROLES = ['admin', 'ordering', 'accounting', 'support'] as const;
export type ClientPersonRole = (typeof CLIENT_PERSON_ROLES)[number];

export const CLIENT_ROLE_NAMES_RU: Record<ClientPersonRole, string> = {
  admin: 'администратор',
  ordering: 'заказ кодов',
  accounting: 'бухгалтерия',
  support: 'обращения',
};

const AREAS: ReadonlyArray<readonly [RegExp, ClientPersonRole]> = [
  [/^\/api\/v2\//, 'ordering'],
  [/^\/client\/v1\/(products|codes|circulation|downloads|orders)(\/|$)/, 'ordering'],
  [
    /^\/client\/v1\/(account|invoices|acts|reconciliation-acts|refunds|claims|compensation-demands|compensation-eligibility|compensations)(\/|$)/,
    'accounting',
  ],
  [/^\/client\/v1\/tickets(\/|$)/, 'support'],
];

/** The role a change at `route` (as registered, e.g. /client/v1/acts/:actId/sign) needs. */
export function roleForChange(route: string): ClientPersonRole {
  return AREAS.find(([pattern]) => pattern.test(route))?.[1] ?? 'admin';
}

/**
 * Whether a person with `roles` may make this request: `scope` is what the route declares it needs
 * (a read sent as POST says `cabinet_read`), else what its method says.
 */
export function personMay(
  roles: readonly string[],
  p: { method: string; route: string; scope?: TokenScope },
): { ok: true } | { ok: false; needed: ClientPersonRole } {
  const scope = p.scope ?? requiredScope(p.method, p.route);
  if (scope === 'cabinet_read') return { ok: true };
  const needed = roleForChange(p.route);
  return roles.includes('admin') || roles.includes(needed) ? { ok: true } : { ok: false, needed };
}
