import { revokeSessions } from '../../../db/staff-sessions';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { STAFF_ROLES } from '../../../lib/roles';
import { issueToken, revokeTokens } from '../../../db/api-tokens';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
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
        if (request.params.staffUserId === adminId) throw conflict('CANNOT_DEACTIVATE_SELF', 'An admin cannot deactivate themselves: another admin does');
        const row = await db.transaction(async (trx) => {
          const [row] = await trx('staff_users').where({ id: request.params.staffUserId }).update({ active: false, deactivated_at: trx.fn.now(), deactivated_by: adminId }).returning('*');
          if (!row) throw notFound('staff user', request.params.staffUserId);
          await revokeTokens(trx, { staffUserId: row.id }, `staff:${adminId}`, 'staff user deactivated');
          await revokeSessions(trx, { staffUserId: row.id }, 'staff user deactivated');
          return row;
        });
        return toStaffUser(row);
      },
    );
  };
