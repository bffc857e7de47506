import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, describeError, inRequestLanguage } from '../errors';

/**
 * Errors of the order station (`/api/v2/*`) in the station's `RestResult` shape:
 * `{ success: false, globalErrors: [message], fieldErrors: [{ fieldName, fieldError }] }`, with
 * this project's machine `code` and the request id as extra members. The spec declares 400,
 * 404 and 500: a refusal the client can act on (a conflict, a wrong `omsId`, a business rule)
 * is 400, as at the national station (an unsupported media type too); 401 (no or unknown token),
 * 413, 429 (too many requests, with Retry-After) and 503 keep their HTTP meaning (documented deviations).
 */

const KEPT = new Set([400, 401, 404, 413, 429, 500, 503]);

interface FieldError {
  fieldName: string;
  fieldError: string;
}

/** Per-field problems from schema validation or from the order's line checks. */
function fieldErrors(details: unknown): FieldError[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d): FieldError[] => {
    if (d && typeof d === 'object' && 'problem' in d && 'field' in d) {
      const line = d as { line?: number; field: string; problem: string };
      return [
        {
          fieldName: line.line === undefined ? line.field : `products[${line.line}].${line.field}`,
          fieldError: line.problem,
        },
      ];
    }
    if (d && typeof d === 'object' && 'message' in d) {
      const v = d as { location?: string; path?: string; message?: string };
      const path = (v.path ?? '')
        .replace(/^\//, '')
        .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
        .replace(/\//g, '.');
      return [
        {
          fieldName: [v.location, path].filter(Boolean).join('.') || (v.location ?? ''),
          fieldError: v.message ?? 'invalid',
        },
      ];
    }
    return [];
  });
}

export function restResult(code: string, message: string, details?: unknown, requestId?: string) {
  const fields = fieldErrors(details);
  return { success: false, globalErrors: [message], fieldErrors: fields, code, ...(requestId ? { requestId } : {}) };
}

export function restResultErrorHandler(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) {
  const described = describeError(error, request);
  const status = KEPT.has(described.status) ? described.status : described.status >= 500 ? 500 : 400;
  return reply
    .status(status)
    .headers(described.headers ?? {})
    .send(
      restResult(
        described.code,
        inRequestLanguage(request, reply, described.code, described.message),
        described.details,
        request.id,
      ),
    );
}

export function restResultNotFound(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .status(404)
    .send(
      restResult(
        'ROUTE_NOT_FOUND',
        inRequestLanguage(
          request,
          reply,
          'ROUTE_NOT_FOUND',
          `No operation ${request.method} ${request.url.split('?')[0]} at this order station`,
        ),
        undefined,
        request.id,
      ),
    );
}
