import type { RouteAuth } from '../../api/http/auth';
import type { StaffRole } from '../../lib/roles';

import type { App } from '../../api/http/app';

/**
 * The route table as the running app declares it (`app.registeredRoutes`, recorded by its
 * `onRoute` hook): every route, HEAD ones included, with its method, URL, declared `config.auth`
 * and schema keys.
 */
export interface DeclaredRoute {
  method: string;
  /** As registered, e.g. `/client/v1/tickets/:ticketId`. */
  url: string;
  /** The declared `config.auth`; undefined: a public route. */
  auth?: RouteAuth;
  /** Left out of the OpenAPI document (`schema.hide`). */
  hidden: boolean;
  /** The path parameters' and the query's declared names (from the route's schema). */
  params: string[];
  query: string[];
  /** The body's JSON schema, if declared. */
  body?: unknown;
  /** The route schema's OpenAPI `security`, as declared. */
  security?: unknown;
}

const keysOf = (schema: unknown): string[] =>
  Object.keys((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});

export const routeTableOf = (app: App): DeclaredRoute[] =>
  app.registeredRoutes.map((r) => ({
    method: r.method,
    url: r.url,
    auth: r.auth,
    hidden: r.hidden,
    params: keysOf(r.schema?.params),
    query: keysOf(r.schema?.querystring),
    body: r.schema?.body,
    security: r.schema?.security,
  }));

// ---------------------------------------------------------------------------------------------
// Who calls, and what the declared auth says the gate answers.

export type Principal =
  | { name: 'anonymous'; kind: 'anonymous' }
  | { name: 'bad token'; kind: 'bad'; token: string }
  | { name: string; kind: 'expired'; token: string }
  | { name: string; kind: 'staff'; role: StaffRole; token: string }
  | {
      name: string;
      kind: 'client';
      scopes: readonly string[];
      status: 'active' | 'suspended' | 'terminated';
      token: string;
    };

export type Expected =
  | { kind: 'pass' }
  | {
      kind: 'deny';
      status: 401 | 403;
      code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'FORBIDDEN' | 'TOKEN_SCOPE' | 'CLIENT_SUSPENDED' | 'CONTRACT_ENDED';
    };

export const AUTH_CODES = new Set([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'TOKEN_SCOPE',
  'CLIENT_SUSPENDED',
  'CONTRACT_ENDED',
]);

/** The order station's API: a token in `clientToken`, errors in its RestResult shape. */
export const isStationRoute = (url: string) => url.startsWith('/api/v2/');

/**
 * The scope a client token needs, as the API's documentation states it (restated here, not
 * imported): the order station `station`; any other read `cabinet_read`; anything else `cabinet`,
 * which also covers reading.
 */
export function neededScope(method: string, url: string): 'station' | 'cabinet_read' | 'cabinet' {
  if (isStationRoute(url)) return 'station';
  return method === 'GET' || method === 'HEAD' ? 'cabinet_read' : 'cabinet';
}
const covers = (scopes: readonly string[], needed: string) =>
  scopes.includes(needed) || (needed === 'cabinet_read' && scopes.includes('cabinet'));

/**
 * What the gate answers `principal` on a route declaring `auth`. Precedence, as documented in
 * api/http/auth.ts: no token → 401 (unless optional); an unknown token → 401; an expired one → 401
 * TOKEN_EXPIRED, whoever it was for; a client whose contract
 * ended → CONTRACT_ENDED unless the route allows it; a principal the route does not allow →
 * FORBIDDEN; a client token without the scope (the route's declared `scope`, else the method's) →
 * TOKEN_SCOPE; a suspended client anything but a cabinet read → CLIENT_SUSPENDED.
 */
export function expectedAnswer(
  route: { method: string; url: string; auth?: RouteAuth },
  principal: Principal,
): Expected {
  const { auth } = route;
  if (!auth) return { kind: 'pass' };
  if (principal.kind === 'anonymous')
    return auth.optional ? { kind: 'pass' } : { kind: 'deny', status: 401, code: 'UNAUTHENTICATED' };
  if (principal.kind === 'bad') return { kind: 'deny', status: 401, code: 'UNAUTHENTICATED' };
  if (principal.kind === 'expired') return { kind: 'deny', status: 401, code: 'TOKEN_EXPIRED' };
  const refusal = gateRefusal(route, auth, principal);
  // A public route (a token optional) answers a valid token it would refuse as it answers anyone.
  return refusal && !auth.optional ? refusal : { kind: 'pass' };
}

function gateRefusal(
  route: { method: string; url: string },
  auth: RouteAuth,
  principal: Extract<Principal, { kind: 'staff' | 'client' }>,
): Expected | undefined {
  if (principal.kind === 'staff')
    return (auth.staff ?? []).includes(principal.role) ? undefined : { kind: 'deny', status: 403, code: 'FORBIDDEN' };
  if (principal.status === 'terminated' && !auth.afterContractEnd)
    return { kind: 'deny', status: 403, code: 'CONTRACT_ENDED' };
  if (!auth.client) return { kind: 'deny', status: 403, code: 'FORBIDDEN' };
  const needed = auth.scope ?? neededScope(route.method, route.url);
  if (!covers(principal.scopes, needed)) return { kind: 'deny', status: 403, code: 'TOKEN_SCOPE' };
  if (principal.status === 'suspended' && needed !== 'cabinet_read')
    return { kind: 'deny', status: 403, code: 'CLIENT_SUSPENDED' };
  return undefined;
}

/** The HTTP status of a refusal on `url`: the order station answers 403s as 400 (its published codes), with the machine code. */
export const denialStatus = (url: string, status: 401 | 403) => (isStationRoute(url) && status === 403 ? 400 : status);

export const describeExpected = (e: Expected) => (e.kind === 'pass' ? 'passes the gate' : `${e.status} ${e.code}`);

// ---------------------------------------------------------------------------------------------
// Requests.

export interface Answer {
  status: number;
  code?: string;
  body: unknown;
}

/**
 * One request as the matrix makes it: the token as a Bearer header, or in `clientToken` on the
 * order station; a body on anything but GET/HEAD — by default malformed JSON, which the gate
 * (an onRequest hook) never sees and the body parser refuses after it (400 INVALID_JSON), so an
 * allowed call changes nothing.
 */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.token) {
    if (isStationRoute(path)) headers.clientToken = options.token;
    else headers.authorization = `Bearer ${options.token}`;
  }
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    body = options.body ?? '{"authorizationMatrix":';
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (a page, a PDF, CSV, HEAD's empty body)
  }
  const code =
    parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'string'
      ? (parsed as { code: string }).code
      : undefined;
  return { status: response.status, code, body: parsed };
}

/** Whether an error answer of the order station has its RestResult shape. */
export function isRestResult(body: unknown): boolean {
  const b = body as { success?: unknown; globalErrors?: unknown; fieldErrors?: unknown } | undefined;
  return !!b && b.success === false && Array.isArray(b.globalErrors) && Array.isArray(b.fieldErrors);
}

/** Runs `tasks` with at most `limit` at once, results in order. */
export async function inPool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

/** A route's URL with its `:params` filled by `value(name)`. */
export const fillPath = (url: string, value: (param: string) => string) =>
  url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(value(name))).replace(/\*$/, 'matrix');

/**
 * A small body the schema accepts, where that is easy to tell (required members only; the first
 * choice of an enum or union; formats the API uses); a `pattern` is not honoured. The
 * own/other cells send it so that B's call reaches the handler's ownership check instead of
 * stopping at validation; where it still does not, the cell says so.
 */
export function sampleOf(schema: unknown, depth = 0): unknown {
  const s = schema as Record<string, any> | undefined;
  if (!s || typeof s !== 'object' || depth > 8) return undefined;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  const union = s.anyOf ?? s.oneOf;
  if (Array.isArray(union)) return sampleOf(union.find((u: any) => u?.type !== 'null') ?? union[0], depth + 1);
  if (Array.isArray(s.allOf))
    return Object.assign({}, ...s.allOf.map((part: unknown) => sampleOf(part, depth + 1) ?? {}));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of s.required ?? [])
        out[name] = /base64/i.test(name) ? 'TWF0cml4' : (sampleOf(s.properties?.[name], depth + 1) ?? 'matrix');
      // Nothing required (a PATCH): one member, so that the handler has something to do.
      const first = Object.keys(s.properties ?? {}).find(
        (name) => sampleOf(s.properties[name], depth + 1) !== undefined,
      );
      if (!Object.keys(out).length && first && depth === 0) out[first] = sampleOf(s.properties[first], depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(s.items, depth + 1));
    case 'string': {
      const byFormat: Record<string, string> = {
        uuid: '00000000-0000-4000-8000-00000000b0d1',
        date: '2025-01-15',
        'date-time': '2025-01-15T10:00:00Z',
        email: 'matrix@example.kz',
        uri: 'https://example.kz/matrix',
      };
      if (s.format && byFormat[s.format]) return byFormat[s.format];
      if (s.contentEncoding === 'base64') return 'TWF0cml4';
      return 'Матрица доступа'.padEnd(s.minLength ?? 0, '.').slice(0, s.maxLength ?? Infinity);
    }
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}
