import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict } from '../../http/errors';
import { recordPowerOfAttorney, revokePowerOfAttorney } from '../../intake/signed-instructions';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { clientPowersOfAttorney, powerOfAttorney } from '../../views/powers-of-attorney';

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
  attorneyIin: Type.String({
    description: 'The IIN of the individual empowered; their personal EDS certificate names it',
  }),
  attorneyName: Type.String(),
  number: Type.String(),
  issuedOn: Type.String({ format: 'date' }),
  validFrom: Type.String({ format: 'date' }),
  validUntil: Type.String({ format: 'date' }),
  scopes: Type.Array(StringEnum(SCOPES)),
  note: Nullable(Type.String()),
  status: StringEnum(['valid', 'not_yet_valid', 'expired', 'revoked'] as const, {
    description: 'Today, in the operator’s time zone',
  }),
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
    note: Type.Optional(
      Type.String({ maxLength: 2000, description: 'E.g. where the original or notarised copy is kept' }),
    ),
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
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const auth = { staff: ['admin', 'moderator'] as const };
    const security = [{ staffToken: [] }];

    app.get(
      '/clients/:clientId/powers-of-attorney',
      {
        config: { auth },
        schema: {
          tags: ['claims'],
          summary: 'The powers of attorney recorded for the client’s representatives (9.4), the latest valid first',
          security,
          params: IdParams('clientId'),
          response: {
            200: Type.Object({ powersOfAttorney: Type.Array(PowerOfAttorney) }),
            ...authErrors,
            ...errorResponses(404),
          },
        },
      },
      async (request) => ({ powersOfAttorney: await clientPowersOfAttorney(deps, request.params.clientId) }),
    );

    app.post(
      '/clients/:clientId/powers-of-attorney',
      {
        config: { auth },
        schema: {
          tags: ['claims'],
          summary:
            'Record a power of attorney the client issued to an individual (9.4): claims that person signs with a personal EDS count as signed for the client while it is valid',
          description:
            'Staff record it after seeing the original or a notarised copy. 400 INVALID_PERIOD when it would be valid before its issue or end before it starts; 409 POWER_OF_ATTORNEY_EXISTS for the same number and date of issue.',
          security,
          params: IdParams('clientId'),
          body: RecordBody,
          response: { 201: PowerOfAttorney, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const id = await recordPowerOfAttorney(
          deps,
          request.params.clientId,
          request.body,
          requireStaff(request).staffUserId,
        );
        return reply.status(201).send(await powerOfAttorney(deps, id));
      },
    );

    app.post(
      '/powers-of-attorney/:powerOfAttorneyId/revoke',
      {
        config: { auth },
        schema: {
          tags: ['claims'],
          summary:
            'Revoke a power of attorney (the client withdrew it, or it proved false): claims its holder signs from now on are not considered (9.4)',
          description:
            'Claims received before the revocation keep their standing. 409 ALREADY_REVOKED when it was revoked before.',
          security,
          params: IdParams('powerOfAttorneyId'),
          body: Type.Object(
            { reason: Type.String({ minLength: 5, maxLength: 2000 }) },
            { additionalProperties: false },
          ),
          response: { 200: PowerOfAttorney, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const { powerOfAttorneyId: id } = request.params;
        const existing = await powerOfAttorney(deps, id);
        const revoked = await revokePowerOfAttorney(deps, id, requireStaff(request).staffUserId, request.body.reason);
        if (!revoked)
          throw conflict('ALREADY_REVOKED', `The power of attorney № ${existing.number} was revoked already`);
        return powerOfAttorney(deps, id);
      },
    );
  };
