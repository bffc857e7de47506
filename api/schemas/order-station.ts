import { Type } from 'typebox';
import { CREATE_METHODS, RELEASE_METHODS } from '../../db/orders';
import { StringEnum, Uuid } from './common';

/**
 * The order station (СУЗ-Облако v2 family, footwear extension `shoes`) as integrators know it.
 * Deviations from the CRPT API, stated in each operation's description: errors use this API's
 * one shape `{code, message, details}` (per-line problems in `details`) instead of
 * `{success, globalErrors, fieldErrors}`; an optional `Idempotency-Key` header makes order
 * creation safe to retry; extension fields (`emittedCodes`, `emissionDeadline`,
 * `deadlineMissed`) report progress and the contract's 4-hour deadline (4.4.4).
 */

export const OmsQuery = Type.Object({ omsId: Uuid }, { additionalProperties: true });

export const OrderProduct = Type.Object(
  {
    gtin: Type.String({ description: 'GTIN-14 registered in the client’s product catalogue' }),
    quantity: Type.Integer({ description: '1..150000 codes' }),
    serialNumberType: StringEnum(['OPERATOR', 'SELF_MADE'], { description: 'OPERATOR: the operator generates serials; SELF_MADE: the client sends them' }),
    serialNumbers: Type.Optional(Type.Array(Type.String(), { maxItems: 150_000, description: 'SELF_MADE only: quantity serials of 13 characters of GS1 AI 82' })),
    templateId: Type.Integer({ description: '1 = footwear (01 + GTIN + 21 + 13-character serial)' }),
    cisType: Type.String({ description: 'UNIT' }),
    exporterTaxpayerId: Type.Optional(Type.String()),
    stickerId: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const CreateOrderBody = Type.Object(
  {
    contactPerson: Type.String({ minLength: 1, maxLength: 500 }),
    releaseMethodType: StringEnum([...RELEASE_METHODS, 'REMAINS']),
    createMethodType: StringEnum(CREATE_METHODS),
    productionOrderId: Type.Optional(Type.String({ maxLength: 128 })),
    remainsAvailable: Type.Optional(Type.Boolean()),
    serviceProviderId: Type.Optional(Type.String()),
    products: Type.Array(OrderProduct, { minItems: 1, maxItems: 100, description: 'At most 10 GTINs are accepted (TOO_MANY_PRODUCTS)' }),
  },
  { additionalProperties: false },
);

export const CreateOrderAnswer = Type.Object({
  omsId: Uuid,
  orderId: Uuid,
  expectedCompleteTimestamp: Type.Integer({ description: 'Estimated time to emission, ms (CRPT semantics)' }),
});

export const BufferInfo = Type.Object(
  {
    omsId: Uuid,
    orderId: Uuid,
    gtin: Type.String(),
    bufferStatus: StringEnum(['PENDING', 'ACTIVE', 'EXHAUSTED', 'REJECTED', 'CLOSED', 'EXPIRED']),
    totalCodes: Type.Integer({ description: 'Codes ordered' }),
    availableCodes: Type.Integer({ description: 'Emitted and not yet downloaded; -1 before emission' }),
    leftInBuffer: Type.Integer({ description: 'Codes still to be downloaded; -1 before emission' }),
    totalPassed: Type.Integer({ description: 'Codes downloaded (charged, status APPLIED)' }),
    unavailableCodes: Type.Integer({ description: 'Codes not emitted yet' }),
    poolsExhausted: Type.Boolean(),
    expiredDate: Type.Union([Type.Integer({ description: 'Unix time, ms: codes not downloaded by then are cancelled' }), Type.Null()]),
    rejectionReason: Type.Optional(Type.String()),
    emittedCodes: Type.Integer({ description: 'Extension: codes emitted so far (progress of a big order)' }),
  },
  { $id: 'BufferInfo', title: 'Buffer (sub-order for one GTIN)' },
);

export const OrderInfo = Type.Object({
  orderId: Uuid,
  orderStatus: StringEnum(['CREATED', 'PENDING', 'DECLINED', 'APPROVED', 'READY', 'CLOSED', 'EXPIRED']),
  createdTimestamp: Type.Integer({ description: 'Registration, Unix time ms' }),
  declineReason: Type.Optional(Type.String()),
  productionOrderId: Type.Optional(Type.String()),
  buffers: Type.Array(BufferInfo),
  totalCodes: Type.Integer(),
  emittedCodes: Type.Integer({ description: 'Extension: codes emitted so far' }),
  emissionDeadline: Type.String({ format: 'date-time', description: 'Extension: registration + 4 hours (4.4.4)' }),
  deadlineMissed: Type.Boolean({ description: 'Extension: the codes were not ready by the deadline' }),
});

export const OrderList = Type.Object({ omsId: Uuid, orderInfos: Type.Array(OrderInfo) });

export const BufferQuery = Type.Object({ omsId: Uuid, orderId: Uuid, gtin: Type.String() }, { additionalProperties: false });

export const CloseBufferBody = Type.Object(
  { orderId: Uuid, gtin: Type.Optional(Type.String()), lastBlockId: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

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
