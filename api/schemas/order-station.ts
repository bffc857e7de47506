import { Type } from 'typebox';
import { StringEnum } from './common';

const NullableString = (options: { format?: string; description?: string } = {}) =>
  Type.Union([Type.String(options), Type.Null()]);

/** The operator's decision on the client's right to a GTIN (issue #16): codes are ordered only when `accepted`. */
export const ProductRights = Type.Object(
  {
    status: StringEnum(['pending', 'accepted', 'rejected'] as const, {
      description: 'pending: awaiting moderation; accepted: codes may be ordered; rejected: they may not',
    }),
    basis: Type.Union([StringEnum(['gs1_prefix', 'moderation', 'legacy'] as const), Type.Null()], {
      description:
        'gs1_prefix: under a GS1 company prefix recorded for the client; moderation: staff decided on the evidence; legacy: in the catalogue before rights were checked',
    }),
    gs1Prefix: NullableString({ description: 'The recorded prefix, for basis gs1_prefix' }),
    decidedAt: NullableString({ format: 'date-time' }),
    reason: NullableString({ description: 'Why it was rejected (or the moderator’s note)' }),
  },
  { title: 'Rights to the GTIN' },
);

/** The evidence attached for moderation, as kept (the document itself only for staff). */
export const ProductEvidence = Type.Object({
  text: NullableString(),
  document: Type.Union([
    Type.Object({ filename: Type.String(), contentType: Type.String(), sha256: Type.String(), bytes: Type.Integer() }),
    Type.Null(),
  ]),
  submittedAt: NullableString({ format: 'date-time' }),
});

export const Product = Type.Object(
  {
    gtin: Type.String(),
    name: Type.String(),
    attributes: Type.Record(Type.String(), Type.String()),
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    rights: ProductRights,
    evidence: Type.Union([ProductEvidence, Type.Null()]),
  },
  { $id: 'Product', title: 'Catalogue product' },
);

/** Evidence of the client's right to a GTIN, for moderation: a reference or explanation, and/or a document. */
export const EvidenceInput = (description: string) =>
  Type.Object(
    {
      text: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 5000,
          description:
            'E.g. the brand owner’s licence or distribution agreement number and date, a GS1 membership certificate reference, a link',
        }),
      ),
      document: Type.Optional(
        Type.Object(
          {
            filename: Type.String({ minLength: 1, maxLength: 200 }),
            contentType: Type.String({ minLength: 3, maxLength: 100 }),
            contentBase64: Type.String({
              minLength: 4,
              maxLength: 2_800_000,
              contentEncoding: 'base64',
              description: 'At most 2 MiB decoded',
            }),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false, minProperties: 1, description },
  );

export const RegisterProductBody = Type.Object(
  {
    gtin: Type.String({ description: 'GTIN-8/12/13/14; stored as GTIN-14; the check digit is verified' }),
    name: Type.String({ minLength: 1, maxLength: 500, description: 'Product name as on the label' }),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 500 }), {
        description: 'E.g. brand, model, size, color, material, country',
      }),
    ),
    evidence: Type.Optional(
      EvidenceInput(
        'Evidence of the client’s right to the GTIN for moderation; not needed under a GS1 company prefix recorded for the client',
      ),
    ),
  },
  { additionalProperties: false },
);

export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 500 }))),
    active: Type.Optional(Type.Boolean()),
    evidence: Type.Optional(EvidenceInput('New evidence: re-submits a pending or rejected product for moderation')),
  },
  { additionalProperties: false },
);

export const toProduct = (row: Record<string, any>) => ({
  gtin: row.gtin,
  name: row.name,
  attributes: row.attributes ?? {},
  active: row.active,
  createdAt: new Date(row.created_at).toISOString(),
  rights: toProductRights(row),
  evidence: toProductEvidence(row),
});

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

export const toProductRights = (row: Record<string, any>) => ({
  status: row.rights_status as 'pending' | 'accepted' | 'rejected',
  basis: (row.rights_basis ?? null) as 'gs1_prefix' | 'moderation' | 'legacy' | null,
  gs1Prefix: row.rights_prefix ?? null,
  decidedAt: iso(row.rights_decided_at),
  reason: row.rights_reason ?? null,
});

export const toProductEvidence = (row: Record<string, any>) =>
  row.evidence_submitted_at
    ? {
        text: row.evidence_text ?? null,
        document: row.evidence_filename
          ? {
              filename: row.evidence_filename,
              contentType: row.evidence_content_type,
              sha256: row.evidence_sha256,
              bytes: Number(row.evidence_bytes),
            }
          : null,
        submittedAt: iso(row.evidence_submitted_at),
      }
    : null;
