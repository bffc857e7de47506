import { Type, Static } from 'typebox';

/** The one error shape of every 4xx/5xx answer. */
export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: 'Machine-readable error code, e.g. VALIDATION_FAILED' }),
    message: Type.String({ description: 'Human-readable explanation' }),
    details: Type.Optional(Type.Unknown({ description: 'Structured details, e.g. the invalid fields' })),
  },
  { $id: 'ErrorResponse', title: 'Error' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

const errorRef = Type.Unsafe<ErrorResponse>(Type.Ref('ErrorResponse'));

/** Error answers every authenticated route may give, for its OpenAPI `response` map. */
export const authErrors = {
  400: errorRef,
  401: errorRef,
  403: errorRef,
} as const;
export const errorResponses = <C extends number>(...codes: C[]) =>
  Object.fromEntries(codes.map((c) => [c, errorRef])) as Record<C, typeof errorRef>;

/** A string enum as a union of literals (OpenAPI `enum`). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Uuid = Type.String({ format: 'uuid', description: 'Lower-case UUID' });
export const IsoInstant = Type.String({ format: 'date-time' });
export const IdParams = (name: string) => Type.Object({ [name]: Uuid });
