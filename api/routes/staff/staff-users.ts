import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { STAFF_ROLES } from '../../../lib/roles';
import { issueToken } from '../../../lib/api-tokens';
import { requireStaff } from '../../auth';
import type { AppDeps } from '../../deps';
import { conflict } from '../../errors';
import { authErrors, errorResponses } from '../../schemas/common';
import { CreateStaffUserBody, StaffUser, toStaffUser } from '../../schemas/staff';
import { Type } from 'typebox';

export const staffUserRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/me',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: { tags: ['staff'], summary: 'The staff user of the token', security: [{ staffToken: [] }], response: { 200: StaffUser, ...authErrors } },
      },
      async (request) => toStaffUser(await db('staff_users').where({ id: requireStaff(request).staffUserId }).first()),
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
          response: { 201: Type.Object({ staffUser: StaffUser, token: Type.String() }), ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => {
        const { name, email, roles } = request.body;
        const created = await db.transaction(async (trx) => {
          const [row] = await trx('staff_users')
            .insert({ name, email: email.toLowerCase(), roles })
            .onConflict('email')
            .ignore()
            .returning('*');
          if (!row) throw conflict('STAFF_USER_EXISTS', `A staff user with e-mail ${email} already exists`);
          const { token } = await issueToken(trx, { staffUserId: row.id }, 'first token');
          return { staffUser: toStaffUser(row), token };
        });
        return reply.status(201).send(created);
      },
    );
  };
