import { Type } from 'typebox';

export const Product = Type.Object(
  {
    gtin: Type.String(),
    name: Type.String(),
    attributes: Type.Record(Type.String(), Type.String()),
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Product', title: 'Catalogue product' },
);

export const RegisterProductBody = Type.Object(
  {
    gtin: Type.String({ description: 'GTIN-8/12/13/14; stored as GTIN-14; the check digit is verified' }),
    name: Type.String({ minLength: 1, maxLength: 500, description: 'Product name as on the label' }),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 500 }), { description: 'E.g. brand, model, size, color, material, country' })),
  },
  { additionalProperties: false },
);

export const UpdateProductBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 500 }))),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const toProduct = (row: Record<string, any>) => ({
  gtin: row.gtin,
  name: row.name,
  attributes: row.attributes ?? {},
  active: row.active,
  createdAt: new Date(row.created_at).toISOString(),
});
