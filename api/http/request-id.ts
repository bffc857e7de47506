import { randomUUID } from 'node:crypto';

/**
 * The request id a caller may choose (`x-request-id`, e.g. a proxy's or an integrator's correlation id):
 * 1 to 64 characters of letters, digits and `. _ : -` — enough for a UUID, a ULID, a trace id or
 * `host:1234.5`, and nothing that could break a log line, a header or a path (no spaces, quotes, slashes,
 * control characters or non-ASCII). Anything else, or several headers, and the request gets a fresh UUID.
 */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The caller's id when it is safe, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
}
