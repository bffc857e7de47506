import { specBody, specDoc, specQuery, specResponses } from './spec';

/**
 * A footwear operation's Fastify schema from the station's spec: its query parameters, body and
 * answers as published, plus the documented deviations (401 without a valid token, 413 for a
 * body over a POST route's limit, 429 over the rate limit with Retry-After, 503 while a backing service is
 * down), all in `RestResult`.
 */

type Json = Record<string, any>;

const REST_RESULT = { $ref: 'RestResult#' };
const DEVIATIONS: Json = {
  401: {
    description: 'No token, or a token that is unknown, expired or revoked (deviation: the spec lists no 401)',
    ...REST_RESULT,
  },
  503: { description: 'The database or the workflow engine is unavailable; retry later (deviation)', ...REST_RESULT },
};
const TOO_MANY = {
  description:
    'Too many requests: over the rate limit of the token (or, without one, of the address); the Retry-After header says when to retry (deviation)',
  ...REST_RESULT,
};

export const STATION_SECURITY = [{ omsClientToken: [] }, { clientToken: [] }];

export function stationSchema(
  method: 'get' | 'post',
  path: string,
  options: { description?: string; public?: boolean; body?: boolean | Json; ok?: Json } = {},
): Json {
  const responses = specResponses(method, path);
  if (options.ok) responses['200'] = { description: responses['200']?.description, ...options.ok };
  const query = specQuery(method, path);
  return {
    tags: ['order station'],
    ...specDoc(method, path),
    ...(options.description ? { description: options.description } : {}),
    ...(options.public ? {} : { security: STATION_SECURITY }),
    ...(Object.keys(query.properties).length ? { querystring: query } : {}),
    ...(options.body === true
      ? { body: specBody(method, path) }
      : typeof options.body === 'object'
        ? { body: options.body }
        : {}),
    response: {
      ...responses,
      ...(options.public ? { 503: DEVIATIONS[503] } : DEVIATIONS),
      429: TOO_MANY,
      ...(method === 'post'
        ? { 413: { description: 'The body is over this route’s limit (deviation)', ...REST_RESULT } }
        : {}),
    },
  };
}
