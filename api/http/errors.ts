import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { validationMessage } from '../../lib/i18n/validation-messages';
import { LedgerError, LedgerErrorCode } from '../../db/ledger/book';
import { apiLanguageOf, type ApiLanguage } from '../../lib/i18n/languages';
import { hasMessage, message as catalogued } from '../../lib/i18n/messages';

/** A failure the client can act on; serialised as the one error shape `{code, message, details}`. */
export class ApiError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
    /** Headers the answer carries besides the body (`retry-after` of a 429). */
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'NOT_FOUND', `${what} ${id} was not found`);
export const conflict = (code: string, message: string, details?: unknown) => new ApiError(409, code, message, details);

/** The ledger's refusals: nothing was booked. */
const LEDGER_STATUS: Record<LedgerErrorCode, number> = {
  INSUFFICIENT_FUNDS: 409,
  IDEMPOTENCY_CONFLICT: 409,
  RESERVATION_NOT_FOUND: 404,
  RESERVATION_CLOSED: 409,
  RESERVATION_EXCEEDED: 409,
  NO_PRICE: 422,
  INVALID_AMOUNT: 400,
};

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'BODY_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_CONTENT_LENGTH'],
};

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08006',
]);

/** PostgreSQL or Temporal out of reach: the request may succeed later (503, not 500). */
function backingServiceDown(error: unknown): string | undefined {
  const e = error as { code?: unknown; message?: string; cause?: unknown; name?: string };
  if (typeof e?.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return 'database';
  if (
    e?.name === 'KnexTimeoutError' ||
    /Timeout acquiring a connection|Connection terminated|connection error and is not queryable/.test(e?.message ?? '')
  )
    return 'database';
  // gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4) from Temporal, possibly wrapped.
  if ((e?.code === 14 || e?.code === 4) && /UNAVAILABLE|DEADLINE/.test(e?.message ?? '')) return 'workflow engine';
  return e?.cause && e.cause !== error ? backingServiceDown(e.cause) : undefined;
}

/**
 * An Update the workflow never took, so nothing was done and the caller may simply retry: Temporal aborts an
 * Update a workflow task carried when that task failed unexpectedly — its worker killed, say — with gRPC
 * FAILED_PRECONDITION and a `WorkflowNotReadyFailure` ("unexpected workflow task failure").
 */
export function updateNotTaken(error: unknown): boolean {
  for (let cause: unknown = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const grpc = cause as { code?: unknown; details?: unknown; metadata?: { get(key: string): unknown[] } };
    if (grpc.code !== 9) continue;
    const statusDetails = grpc.metadata?.get?.('grpc-status-details-bin') ?? [];
    if (
      statusDetails.some((d) => Buffer.isBuffer(d) && d.includes('WorkflowNotReadyFailure')) ||
      /workflow task failure/i.test(String(grpc.details ?? ''))
    )
      return true;
  }
  return false;
}

/** An error as the API reports it: status, machine code, human message, details, extra headers. */
export interface DescribedError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  headers?: Record<string, string>;
}

/** Classifies any error thrown by a route or a hook; logs what the client cannot act on. */
export function describeError(error: FastifyError | ApiError, request: FastifyRequest): DescribedError {
  if (error instanceof ApiError)
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      details: error.details,
      headers: error.headers,
    };
  if (error instanceof LedgerError)
    return { status: LEDGER_STATUS[error.code], code: error.code, message: error.message, details: error.details };
  if (error.validation) {
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: `Invalid request ${error.validationContext ?? ''}: ${error.message}`.replace('  ', ' '),
      details: error.validation.map((v) => ({
        location: error.validationContext,
        path: v.instancePath || (v.params as { missingProperty?: string })?.missingProperty || '',
        message: validationMessage(apiLanguageOf(request.headers['accept-language']), v),
      })),
    };
  }
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return { status: mapped[0], code: mapped[1], message: error.message };
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, code: 'INVALID_JSON', message: `The body is not valid JSON: ${error.message}` };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, code: error.code ?? 'BAD_REQUEST', message: error.message };
  }
  if (updateNotTaken(error)) {
    request.log.warn({ err: error }, 'update not taken by the workflow');
    return {
      status: 503,
      code: 'PROCESS_BUSY',
      message: `The process could not take the request now (its worker went away); nothing was done: retry (request id ${request.id})`,
      headers: { 'retry-after': '5' },
    };
  }
  const down = backingServiceDown(error);
  if (down) {
    request.log.warn({ err: error }, `${down} unavailable`);
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: `The ${down} is unavailable; retry later (request id ${request.id})`,
      headers: { 'retry-after': '5' },
    };
  }
  request.log.error({ err: error }, 'unhandled error');
  return { status: 500, code: 'INTERNAL_ERROR', message: `Internal error; quote request id ${request.id} to support` };
}

/**
 * The message in the language the request asks for (`Accept-Language`: kk, ru or en): Kazakh and Russian from the
 * catalogues by the error's code, English as the code wrote it (also for a code not catalogued yet). The `code` never
 * changes. Sets `Content-Language` to the language answered and `Vary: Accept-Language`.
 */
export function inRequestLanguage(request: FastifyRequest, reply: FastifyReply, code: string, english: string): string {
  const asked = apiLanguageOf(request.headers['accept-language']);
  const key = `errors.${code}`;
  const language: ApiLanguage = asked !== 'en' && hasMessage(asked, key) ? asked : 'en';
  const vary = String(reply.getHeader('vary') ?? '');
  reply.header('content-language', language);
  if (!/(^|,)\s*(accept-language|\*)\s*(,|$)/i.test(vary))
    reply.header('vary', vary ? `${vary}, Accept-Language` : 'Accept-Language');
  return language === 'en' ? english : catalogued(language, key);
}

export function errorHandler(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) {
  const { status, code, message, details, headers } = describeError(error, request);
  return reply
    .status(status)
    .headers(headers ?? {})
    .send({
      code,
      message: inRequestLanguage(request, reply, code, message),
      ...(details !== undefined ? { details } : {}),
    });
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  const message = `No route ${request.method} ${request.url.split('?')[0]}`;
  return reply
    .status(404)
    .send({ code: 'ROUTE_NOT_FOUND', message: inRequestLanguage(request, reply, 'ROUTE_NOT_FOUND', message) });
}
