import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { STAFF_ROLES } from '../../../lib/roles';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict } from '../../http/errors';
import { createStaffUser, deactivateStaffUser } from '../../intake/staff-users';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { CreateStaffUserBody, StaffUser, toStaffUser } from '../../schemas/staff';
import { Type } from 'typebox';
import { staffUserById } from '../../views/staff-users';
import { setStaffUserLanguage } from '../../../db/user-language-store';
import { LanguageBody } from '../../schemas/profile';

export const staffUserRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/me',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['staff'],
          summary: 'The staff user of the token',
          security: [{ staffToken: [] }],
          response: { 200: StaffUser, ...authErrors },
        },
      },
      async (request) => toStaffUser(await staffUserById(db, requireStaff(request).staffUserId)),
    );

    app.put(
      '/me/language',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['staff'],
          summary: 'The language the staff user reads the consoles in (kk or ru), kept for wherever they sign in',
          security: [{ staffToken: [] }],
          body: LanguageBody,
          response: { 200: StaffUser, ...authErrors },
        },
      },
      async (request) => {
        const { staffUserId } = requireStaff(request);
        await setStaffUserLanguage(db, staffUserId, request.body.language);
        return toStaffUser(await staffUserById(db, staffUserId));
      },
    );

    app.post(
      '/staff-users',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['staff'],
          summary: 'Create a staff user with roles and a first API token (admin)',
          security: [{ staffToken: [] }],
          body: CreateStaffUserBody,
          response: {
            201: Type.Object({ staffUser: StaffUser, token: Type.String() }),
            ...authErrors,
            ...errorResponses(409),
          },
        },
      },
      async (request, reply) => {
        const { staffUser, token } = await createStaffUser(db, request.body);
        return reply.status(201).send({ staffUser: toStaffUser(staffUser), token });
      },
    );

    app.post(
      '/staff-users/:staffUserId/deactivate',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['staff'],
          summary: 'Deactivate a staff user (admin): every token of theirs stops working at once',
          security: [{ staffToken: [] }],
          params: IdParams('staffUserId'),
          response: { 200: StaffUser, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const adminId = requireStaff(request).staffUserId;
        if (request.params.staffUserId === adminId)
          throw conflict('CANNOT_DEACTIVATE_SELF', 'An admin cannot deactivate themselves: another admin does');
        return toStaffUser(await deactivateStaffUser(db, request.params.staffUserId, adminId));
      },
    );
  };
