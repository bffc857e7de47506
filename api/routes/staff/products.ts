import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  acceptProduct,
  clientExists,
  clientPrefixes,
  evidenceDocument,
  recordPrefix,
  rejectProduct,
  revokePrefix,
  rightsDecisions,
  staffProduct,
  staffProducts,
} from '../../../db/products';
import { attachment } from '../../http/attachment';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { safeMediaType } from '../../http/request-guards';
import { notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { ProductEvidence, ProductRights, toProductEvidence, toProductRights } from '../../schemas/order-station';
import { asApiError } from '../client/products';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const StaffRef = Type.Object({ id: Uuid, name: Type.String() });
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

const StaffProduct = Type.Object({
  id: Uuid,
  clientId: Uuid,
  clientName: Type.String(),
  gtin: Type.String(),
  name: Type.String(),
  attributes: Type.Record(Type.String(), Type.String()),
  active: Type.Boolean(),
  createdAt: IsoInstant,
  rights: ProductRights,
  decidedBy: Type.Union([StaffRef, Type.Null()], {
    description:
      'Who accepted or rejected it (for gs1_prefix: who recorded the prefix); null while pending and for legacy',
  }),
  evidence: Type.Union([ProductEvidence, Type.Null()]),
  prefixOwner: Type.Union(
    [Type.Object({ prefixId: Uuid, prefix: Type.String(), clientId: Uuid, clientName: Type.String() }), Type.Null()],
    {
      description: 'The recorded GS1 company prefix the GTIN lies under, whoever’s it is',
    },
  ),
  sameGtin: Type.Array(
    Type.Object({ productId: Uuid, clientId: Uuid, clientName: Type.String(), status: Type.String() }),
    { description: 'Other clients that registered the same GTIN' },
  ),
});

const Decision = Type.Object({
  status: Type.String(),
  basis: Nullable(Type.String()),
  gs1Prefix: Nullable(Type.String()),
  decidedBy: Type.Union([StaffRef, Type.Null()]),
  decidedAt: IsoInstant,
  reason: Nullable(Type.String()),
});

const Gs1Prefix = Type.Object({
  id: Uuid,
  clientId: Uuid,
  prefix: Type.String(),
  evidenceNote: Type.String(),
  recordedAt: IsoInstant,
  recordedBy: StaffRef,
  revokedAt: Nullable(IsoInstant),
  revokedBy: Type.Union([StaffRef, Type.Null()]),
  revocationReason: Nullable(Type.String()),
});

const toStaffProduct = (r: Record<string, any>) => ({
  id: r.id,
  clientId: r.client_id,
  clientName: r.client_name,
  gtin: r.gtin,
  name: r.name,
  attributes: r.attributes ?? {},
  active: r.active,
  createdAt: iso(r.created_at)!,
  rights: toProductRights(r),
  decidedBy: r.rights_decided_by ? { id: r.rights_decided_by, name: r.rights_decided_by_name } : null,
  evidence: toProductEvidence(r),
  prefixOwner: r.prefix_owner
    ? {
        prefixId: r.prefix_owner.id,
        prefix: r.prefix_owner.prefix,
        clientId: r.prefix_owner.client_id,
        clientName: r.prefix_owner.client_name,
      }
    : null,
  sameGtin: r.same_gtin.map((o: Record<string, any>) => ({
    productId: o.id,
    clientId: o.client_id,
    clientName: o.client_name,
    status: o.rights_status,
  })),
});

const toGs1Prefix = (g: Record<string, any>) => ({
  id: g.id,
  clientId: g.client_id,
  prefix: g.prefix,
  evidenceNote: g.evidence_note,
  recordedAt: iso(g.recorded_at)!,
  recordedBy: { id: g.recorded_by, name: g.recorded_by_name },
  revokedAt: iso(g.revoked_at),
  revokedBy: g.revoked_by ? { id: g.revoked_by, name: g.revoked_by_name } : null,
  revocationReason: g.revocation_reason ?? null,
});

/**
 * The client's right to a GTIN (issue #16), for moderators and admins: the queue of products
 * awaiting moderation, their acceptance or rejection (who and when is kept), and the GS1 company
 * prefixes recorded for clients — a GTIN a client registers under its own prefix is accepted at
 * once, under another company's it is refused.
 */
export const staffProductRoutes =
  ({ db, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const auth = { staff: ['admin', 'moderator'] as const };
    const security = [{ staffToken: [] }];
    const tags = ['catalogue'];
    const product = async (id: string) => {
      const row = await staffProduct(db, id);
      if (!row) throw notFound('product', id);
      return toStaffProduct(row);
    };

    app.get(
      '/products',
      {
        config: { auth },
        schema: {
          tags,
          summary:
            'Products by the operator’s decision on the client’s right to the GTIN; by default the moderation queue (pending, oldest first)',
          security,
          querystring: Type.Object({
            status: Type.Optional(StringEnum(['pending', 'accepted', 'rejected'] as const)),
            clientId: Type.Optional(Uuid),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          }),
          response: { 200: Type.Object({ products: Type.Array(StaffProduct) }), ...authErrors },
        },
      },
      async (request) => {
        const { status, clientId, limit } = request.query;
        return {
          products: (
            await staffProducts(db, { status: status ?? (clientId ? undefined : 'pending'), clientId, limit })
          ).map(toStaffProduct),
        };
      },
    );

    app.get(
      '/products/:productId',
      {
        config: { auth },
        schema: {
          tags,
          summary: 'A product card with the evidence and every decision on the client’s right to its GTIN',
          security,
          params: IdParams('productId'),
          response: {
            200: Type.Intersect([StaffProduct, Type.Object({ decisions: Type.Array(Decision) })]),
            ...authErrors,
            ...errorResponses(404),
          },
        },
      },
      async (request) => {
        const card = await product(request.params.productId);
        const decisions = (await rightsDecisions(db, request.params.productId)).map((d) => ({
          status: d.status,
          basis: d.basis ?? null,
          gs1Prefix: d.prefix ?? null,
          decidedBy: d.decided_by ? { id: d.decided_by, name: d.decided_by_name } : null,
          decidedAt: iso(d.decided_at)!,
          reason: d.reason ?? null,
        }));
        return { ...card, decisions };
      },
    );

    app.get(
      '/products/:productId/evidence',
      {
        config: { auth },
        schema: {
          tags,
          summary: 'The evidence document the client attached, as sent',
          security,
          params: IdParams('productId'),
          response: {
            200: Type.Unsafe<Buffer>({
              type: 'string',
              format: 'binary',
              description: 'The file, with its content type',
            }),
            ...authErrors,
            ...errorResponses(404),
          },
        },
      },
      async (request, reply) => {
        const file = await evidenceDocument(db, request.params.productId);
        if (!file) throw notFound('evidence document of product', request.params.productId);
        return reply
          .header('content-disposition', attachment(file.evidence_filename))
          .type(safeMediaType(file.evidence_content_type))
          .send(file.evidence_document);
      },
    );

    app.post(
      '/products/:productId/accept',
      {
        config: { auth },
        schema: {
          tags,
          summary:
            'Accept the client’s right to the GTIN after moderating the product card and its evidence: codes may be ordered for it',
          description:
            '409 PRODUCT_NOT_PENDING: not awaiting moderation; 409 GTIN_OF_ANOTHER_COMPANY: under a GS1 company prefix recorded for another company; ' +
            '409 GTIN_ACCEPTED_FOR_ANOTHER_CLIENT: another client holds the accepted right to it.',
          security,
          params: IdParams('productId'),
          body: Type.Object(
            { note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'What was checked' })) },
            { additionalProperties: false },
          ),
          response: { 200: StaffProduct, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const row = await acceptProduct(db, {
          productId: request.params.productId,
          staffUserId: requireStaff(request).staffUserId,
          now: clock.now(),
          note: request.body.note,
        }).catch(asApiError);
        return toStaffProduct(row);
      },
    );

    app.post(
      '/products/:productId/reject',
      {
        config: { auth },
        schema: {
          tags,
          summary:
            'Reject the client’s right to the GTIN (or withdraw an accepted one), with the reason: codes cannot be ordered for it',
          description:
            'The client may give new evidence (PATCH /client/v1/products/{gtin}), which puts the product back in the queue. 409 PRODUCT_NOT_PENDING: rejected already.',
          security,
          params: IdParams('productId'),
          body: Type.Object(
            { reason: Type.String({ minLength: 5, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: StaffProduct, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const row = await rejectProduct(db, {
          productId: request.params.productId,
          staffUserId: requireStaff(request).staffUserId,
          now: clock.now(),
          reason: request.body.reason,
        }).catch(asApiError);
        return toStaffProduct(row);
      },
    );

    app.get(
      '/clients/:clientId/gs1-prefixes',
      {
        config: { auth },
        schema: {
          tags,
          summary: 'The GS1 company prefixes recorded for the client, unrevoked first',
          security,
          params: IdParams('clientId'),
          response: { 200: Type.Object({ gs1Prefixes: Type.Array(Gs1Prefix) }), ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        if (!(await clientExists(db, request.params.clientId))) throw notFound('client', request.params.clientId);
        return { gs1Prefixes: (await clientPrefixes(db, request.params.clientId)).map(toGs1Prefix) };
      },
    );

    app.post(
      '/clients/:clientId/gs1-prefixes',
      {
        config: { auth },
        schema: {
          tags,
          summary:
            'Record a GS1 company prefix for the client: GTINs under it are accepted at registration, and its pending ones now',
          description:
            'Staff record it after seeing the GS1 Kazakhstan membership certificate (or the GS1 registry entry). A prefix belongs to one company: ' +
            '409 PREFIX_OF_ANOTHER_COMPANY when it equals, extends or is extended by a prefix recorded for another client; 409 PREFIX_RECORDED when it overlaps one of the client’s own.',
          security,
          params: IdParams('clientId'),
          body: Type.Object(
            {
              prefix: Type.String({
                pattern: '^[0-9]{6,12}$',
                description: 'The GS1 company prefix, 6 to 12 digits, as in the GTIN-13',
              }),
              evidenceNote: Type.String({
                minLength: 5,
                maxLength: 2000,
                description: 'What was seen, e.g. the GS1 certificate number and date',
              }),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({
              gs1Prefix: Gs1Prefix,
              acceptedGtins: Type.Array(Type.String(), { description: 'The client’s pending GTINs accepted under it' }),
            }),
            ...authErrors,
            ...errorResponses(404, 409),
          },
        },
      },
      async (request, reply) => {
        const { clientId } = request.params;
        if (!(await clientExists(db, clientId))) throw notFound('client', clientId);
        const recorded = await recordPrefix(db, {
          clientId,
          prefix: request.body.prefix,
          evidenceNote: request.body.evidenceNote,
          staffUserId: requireStaff(request).staffUserId,
          now: clock.now(),
        }).catch(asApiError);
        return reply
          .status(201)
          .send({ gs1Prefix: toGs1Prefix(recorded.prefix), acceptedGtins: recorded.acceptedGtins });
      },
    );

    app.post(
      '/gs1-prefixes/:prefixId/revoke',
      {
        config: { auth },
        schema: {
          tags,
          summary: 'Revoke a recorded GS1 company prefix: GTINs under it are no longer accepted at registration',
          description:
            'Products already accepted under it keep their acceptance; reject them one by one where needed. 409 ALREADY_REVOKED.',
          security,
          params: IdParams('prefixId'),
          body: Type.Object(
            { reason: Type.String({ minLength: 5, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: Gs1Prefix, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        toGs1Prefix(
          await revokePrefix(db, {
            prefixId: request.params.prefixId,
            staffUserId: requireStaff(request).staffUserId,
            now: clock.now(),
            reason: request.body.reason,
          }).catch(asApiError),
        ),
    );
  };
