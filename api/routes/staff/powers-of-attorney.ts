import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { localDateIn } from '../../../lib/calendar';
import { isValidBinIin } from '../../../lib/kz-identifiers';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';

/**
 * What a power of attorney may empower its holder to sign for the client: claims (9.4), and the
 * instructions that move money (api/intake/signed-instructions.ts): changes of the bank details and e-mail
 * of record (10.2.2), refund requests (6.11), notices of termination (4.1.1, 10.4).
 */
const SCOPES = ['claims', 'details', 'refunds', 'termination'] as const;
const LocalDate = (description: string) => Type.String({ format: 'date', description });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const StaffRef = Type.Object({ id: Uuid, name: Type.String() });

const PowerOfAttorney = Type.Object({
  id: Uuid,
  clientId: Uuid,
  attorneyIin: Type.String({ description: 'The IIN of the individual empowered; their personal EDS certificate names it' }),
  attorneyName: Type.String(),
  number: Type.String(),
  issuedOn: Type.String({ format: 'date' }),
  validFrom: Type.String({ format: 'date' }),
  validUntil: Type.String({ format: 'date' }),
  scopes: Type.Array(StringEnum(SCOPES)),
  note: Nullable(Type.String()),
  status: StringEnum(['valid', 'not_yet_valid', 'expired', 'revoked'] as const, { description: 'Today, in the operator’s time zone' }),
  recordedAt: IsoInstant,
  recordedBy: StaffRef,
  revokedAt: Nullable(IsoInstant),
  revokedBy: Type.Union([StaffRef, Type.Null()]),
  revocationReason: Nullable(Type.String()),
});

const RecordBody = Type.Object(
  {
    attorneyIin: Type.String({ pattern: '^[0-9]{12}$', description: 'IIN, 12 digits with a valid check digit' }),
    attorneyName: Type.String({ minLength: 3, maxLength: 300, description: 'Full name of the individual empowered' }),
    number: Type.String({ minLength: 1, maxLength: 100, description: 'The power of attorney’s number' }),
    issuedOn: LocalDate('The date the client issued it'),
    validFrom: Type.Optional(LocalDate('First day it is valid; the date of issue when left out')),
    validUntil: LocalDate('Last day it is valid'),
    scopes: Type.Array(StringEnum(SCOPES), {
      minItems: 1,
      uniqueItems: true,
      description:
        'claims: sign and present claims for the client (9.4); details: change its bank details and e-mail of record (10.2.2); refunds: ask for refunds (6.11); termination: give notice of termination (4.1.1, 10.4)',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'E.g. where the original or notarised copy is kept' })),
  },
  { additionalProperties: false },
);

/**
 * Powers of attorney of clients' representatives (9.4): an individual signing a claim with a personal
 * EDS proves the authority to sign for the client only by a power of attorney the operator's staff
 * have seen and recorded here, valid on the day the claim is received. Recorded and revoked, never
 * edited: each keeps who recorded and who revoked it, and when.
 */
export const staffPowerOfAttorneyRoutes =
  ({ db, clock, config }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const auth = { staff: ['admin', 'moderator'] as const };
    const security = [{ staffToken: [] }];
    const select = () =>
      db('powers_of_attorney as p')
        .join('staff_users as r', 'r.id', 'p.recorded_by')
        .leftJoin('staff_users as v', 'v.id', 'p.revoked_by')
        .select('p.*', 'r.name as recorded_by_name', 'v.name as revoked_by_name');
    const view = (p: Record<string, any>) => {
      const today = localDateIn(config.operatorTimeZone, clock.now());
      const status = p.revoked_at ? 'revoked' : today < p.valid_from ? 'not_yet_valid' : today > p.valid_until ? 'expired' : 'valid';
      return {
        id: p.id,
        clientId: p.client_id,
        attorneyIin: p.attorney_iin,
        attorneyName: p.attorney_name,
        number: p.number,
        issuedOn: p.issued_on,
        validFrom: p.valid_from,
        validUntil: p.valid_until,
        scopes: p.scopes,
        note: p.note ?? null,
        status: status as 'valid' | 'not_yet_valid' | 'expired' | 'revoked',
        recordedAt: new Date(p.recorded_at).toISOString(),
        recordedBy: { id: p.recorded_by, name: p.recorded_by_name },
        revokedAt: p.revoked_at ? new Date(p.revoked_at).toISOString() : null,
        revokedBy: p.revoked_by ? { id: p.revoked_by, name: p.revoked_by_name } : null,
        revocationReason: p.revocation_reason ?? null,
      };
    };
    const powerOfAttorney = async (id: string) => {
      const row = await select().where('p.id', id).first();
      if (!row) throw notFound('power of attorney', id);
      return view(row);
    };
    const client = async (id: string) => {
      if (!(await db('clients').where({ id }).first('id'))) throw notFound('client', id);
    };

    app.get(
      '/clients/:clientId/powers-of-attorney',
      {
        config: { auth },
        schema: {
          tags: ['claims'],
          summary: 'The powers of attorney recorded for the client’s representatives (9.4), the latest valid first',
          security,
          params: IdParams('clientId'),
          response: { 200: Type.Object({ powersOfAttorney: Type.Array(PowerOfAttorney) }), ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        await client(request.params.clientId);
        const rows = await select().where('p.client_id', request.params.clientId).orderByRaw('p.revoked_at IS NOT NULL, p.valid_until DESC, p.recorded_at DESC');
        return { powersOfAttorney: rows.map(view) };
      },
    );

    app.post(
      '/clients/:clientId/powers-of-attorney',
      {
        config: { auth },
        schema: {
          tags: ['claims'],
          summary: 'Record a power of attorney the client issued to an individual (9.4): claims that person signs with a personal EDS count as signed for the client while it is valid',
          description: 'Staff record it after seeing the original or a notarised copy. 400 INVALID_PERIOD when it would be valid before its issue or end before it starts; 409 POWER_OF_ATTORNEY_EXISTS for the same number and date of issue.',
          security,
          params: IdParams('clientId'),
          body: RecordBody,
          response: { 201: PowerOfAttorney, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const { clientId } = request.params;
        const b = request.body;
        if (!isValidBinIin(b.attorneyIin)) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'attorneyIin has an invalid check digit', [{ location: 'body', path: '/attorneyIin', message: 'invalid IIN check digit' }]);
        }
        const validFrom = b.validFrom ?? b.issuedOn;
        if (validFrom < b.issuedOn) throw new ApiError(400, 'INVALID_PERIOD', `A power of attorney issued on ${b.issuedOn} is not valid before it, from ${validFrom}`);
        if (b.validUntil < validFrom) throw new ApiError(400, 'INVALID_PERIOD', `The power of attorney would end on ${b.validUntil}, before it starts on ${validFrom}`);
        await client(clientId);
        const [row] = await db('powers_of_attorney')
          .insert({
            client_id: clientId,
            attorney_iin: b.attorneyIin,
            attorney_name: b.attorneyName.trim(),
            number: b.number.trim(),
            issued_on: b.issuedOn,
            valid_from: validFrom,
            valid_until: b.validUntil,
            scopes: b.scopes,
            note: b.note ?? null,
            recorded_by: requireStaff(request).staffUserId,
            recorded_at: clock.now(),
          })
          .returning('id')
          .catch((error) => {
            if (error.constraint === 'powers_of_attorney_one_per_number') {
              throw conflict('POWER_OF_ATTORNEY_EXISTS', `The client’s power of attorney № ${b.number.trim()} of ${b.issuedOn} is recorded already`);
            }
            throw error;
          });
        return reply.status(201).send(await powerOfAttorney(row.id));
      },
    );

    app.post(
      '/powers-of-attorney/:powerOfAttorneyId/revoke',
      {
        config: { auth },
        schema: {
          tags: ['claims'],
          summary: 'Revoke a power of attorney (the client withdrew it, or it proved false): claims its holder signs from now on are not considered (9.4)',
          description: 'Claims received before the revocation keep their standing. 409 ALREADY_REVOKED when it was revoked before.',
          security,
          params: IdParams('powerOfAttorneyId'),
          body: Type.Object({ reason: Type.String({ minLength: 5, maxLength: 2000 }) }, { additionalProperties: false }),
          response: { 200: PowerOfAttorney, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const { powerOfAttorneyId: id } = request.params;
        const existing = await powerOfAttorney(id);
        const [revoked] = await db('powers_of_attorney')
          .where({ id })
          .whereNull('revoked_at')
          .update({ revoked_at: clock.now(), revoked_by: requireStaff(request).staffUserId, revocation_reason: request.body.reason })
          .returning('id');
        if (!revoked) throw conflict('ALREADY_REVOKED', `The power of attorney № ${existing.number} was revoked already`);
        return powerOfAttorney(id);
      },
    );
  };
