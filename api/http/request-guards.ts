import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors';

/**
 * What every route refuses or declares the same way, in one place (issue #19, bad input):
 *
 * - **NUL characters.** PostgreSQL keeps no U+0000 in text, so a string holding one would fail deep in a query
 *   (a 500). Any NUL in the body, the query string or the path parameters — at any depth, keys included — is a
 *   400 `NUL_CHARACTER` before validation, and nothing changes.
 * - **Request schemas tightened**, once, where routes are registered (so validation and the OpenAPI document
 *   agree): every integer is bounded to ±(2^53 − 1) unless its schema says less (a bigger one would lose
 *   precision and overflow `bigint`: `?afterId=1e20` was a 500); a date — `format: date`, or a string with the
 *   bare pattern `^\d{4}-\d{2}-\d{2}$` — is a real calendar date (`format: date`: `0000-00-00` is refused) of the
 *   years 1900–2999 (PostgreSQL has no year 0; no date of this business is outside them).
 */

type Json = Record<string, unknown>;

export const NUL_CHARACTER = 'NUL_CHARACTER';

/** Where the first NUL is (`body/name`), or undefined. */
export function findNul(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}/${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value as Json)) {
    if (key.includes('\u0000')) return `${path}/${key.replace(/\u0000/g, '\\u0000')}`;
    const found = findNul(item, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** preValidation: a NUL anywhere in what the caller sent is refused with 400 NUL_CHARACTER. */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  const found =
    findNul(request.params, 'params') ?? findNul(request.query, 'querystring') ?? findNul(request.body, 'body');
  if (!found) return;
  const [location, ...rest] = found.split('/');
  throw new ApiError(
    400,
    NUL_CHARACTER,
    `The request holds a NUL character (\\u0000) in ${found}: text may not contain it`,
    [{ location, path: rest.length ? `/${rest.join('/')}` : '', message: 'must not contain the NUL character' }],
  );
}

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
const BARE_DATE_PATTERNS = new Set(['^\\d{4}-\\d{2}-\\d{2}$', '^[0-9]{4}-[0-9]{2}-[0-9]{2}$']);
/** A date of the years 1900–2999; `format: date` checks the month and the day. */
export const DATE_PATTERN = '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$';
const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties'];

/**
 * A request schema (params, querystring, body, headers) with the rules above applied; the same object when
 * nothing changed, else a copy (schemas are shared between routes: never changed in place).
 */
export function tightenRequestSchema<T>(schema: T): T {
  return tighten(schema, 0) as T;
}

function tighten(schema: unknown, depth: number): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema) || depth > 32) return schema;
  const node = schema as Json;
  let copy: Json | undefined;
  const set = (key: string, value: unknown) => {
    if (node[key] === value) return;
    copy ??= copyOf(node);
    copy[key] = value;
  };
  const types = [node.type].flat();
  if (types.includes('integer')) {
    if (node.maximum === undefined && node.exclusiveMaximum === undefined) set('maximum', SAFE_INTEGER);
    if (node.minimum === undefined && node.exclusiveMinimum === undefined) set('minimum', -SAFE_INTEGER);
  }
  const barePattern = typeof node.pattern === 'string' && BARE_DATE_PATTERNS.has(node.pattern);
  if (types.includes('string') && (barePattern || (node.format === 'date' && node.pattern === undefined))) {
    set('format', 'date');
    set('pattern', DATE_PATTERN);
  }
  for (const key of SUBSCHEMA_KEYS) set(key, tighten(node[key], depth + 1));
  for (const key of SUBSCHEMA_LISTS) {
    const list = node[key];
    if (!Array.isArray(list)) continue;
    const next = list.map((item) => tighten(item, depth + 1));
    if (next.some((item, i) => item !== list[i])) set(key, next);
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = node[key];
    if (!map || typeof map !== 'object') continue;
    const entries = Object.entries(map as Json);
    const next = entries.map(([name, item]) => [name, tighten(item, depth + 1)] as const);
    if (next.some(([, item], i) => item !== entries[i][1])) set(key, Object.fromEntries(next));
  }
  return copy ?? node;
}

/** A shallow copy keeping symbol-keyed members (TypeBox marks its schemas with them). */
function copyOf(node: Json): Json {
  const copy: Json = { ...node };
  for (const symbol of Object.getOwnPropertySymbols(node))
    (copy as Record<symbol, unknown>)[symbol] = (node as Record<symbol, unknown>)[symbol];
  return copy;
}

/**
 * A media type as an HTTP header carries it (RFC 9110 8.3.1: `type/subtype`, then `; name=value` parameters),
 * e.g. `application/pdf` or `text/plain; charset=utf-8`: a document's content type is sent back in
 * `Content-Type` when it is downloaded, so control characters and other bytes a header cannot hold are refused.
 */
export const MEDIA_TYPE_PATTERN =
  "^[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+" +
  '( *; *[!#$%&\'*+.^_`|~0-9A-Za-z-]+=([!#$%&\'*+.^_`|~0-9A-Za-z-]+|"[ !#-\\[\\]-~]*"))*$';
const MEDIA_TYPE = new RegExp(MEDIA_TYPE_PATTERN);

/** The media type to answer with: the stored one when a header can carry it, else application/octet-stream. */
export const safeMediaType = (stored: string | null | undefined) =>
  stored && MEDIA_TYPE.test(stored) ? stored : 'application/octet-stream';
