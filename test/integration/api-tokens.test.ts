import { hashToken } from '../../lib/api-tokens';
import { expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { expectStationError } from '../helpers/station';

// Tokens with a purpose and a life: the token an integrator pastes into its order-station client
// opens the order station only; a read-only one reads; each expires, is listed with its last use,
// revoked by the client or the operator at once; a deactivated staff user's tokens stop at once;
// a suspended client's token only reads.
const ctx = useTestApi();

async function clientWithToken() {
  const client = await insertClient(ctx.database.db);
  return { client, token: await clientToken(ctx.database.db, client.id) };
}
const issue = async (token: string, body: Record<string, unknown>) => {
  const issued = await ctx.api.request('POST', '/client/v1/tokens', { token, body });
  expect(issued.status).toBe(201);
  return issued.body as { id: string; token: string; scopes: string[]; expiresAt: string };
};

test('a station-only token opens the order station and nothing of the cabinet: not the bank details, not a refund', async () => {
  const { client, token } = await clientWithToken();
  const station = await issue(token, { label: 'Интеграция 1С', scopes: ['station'] });
  expect(station).toMatchObject({ scopes: ['station'], expiresAt: expect.any(String) });
  const ping = await ctx.api.request('GET', `/api/v2/shoes/ping?omsId=${client.oms_id}`, {
    headers: { clientToken: station.token },
    offSpec: true,
  });
  expect(ping.status).toBe(200);
  expectApiError(await ctx.api.request('GET', '/client/v1/account', { token: station.token }), 403, 'TOKEN_SCOPE');
  expectApiError(
    await ctx.api.request('PATCH', '/client/v1/profile', {
      token: station.token,
      body: { iik: 'KZ86125KZT5004100100' },
    }),
    403,
    'TOKEN_SCOPE',
  );
  expectApiError(
    await ctx.api.request('POST', '/client/v1/refunds', { token: station.token, body: {} }),
    403,
    'TOKEN_SCOPE',
  );
  expectApiError(
    await ctx.api.request('POST', '/client/v1/tokens', {
      token: station.token,
      body: { label: 'ещё', scopes: ['cabinet'] },
    }),
    403,
    'TOKEN_SCOPE',
  );
});

test('a read-only cabinet token reads and changes nothing', async () => {
  const { token } = await clientWithToken();
  const reader = await issue(token, { label: 'Бухгалтер', scopes: ['cabinet_read'], expiresInDays: 30 });
  expect(Date.parse(reader.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
  expect((await ctx.api.request('GET', '/client/v1/account', { token: reader.token })).status).toBe(200);
  expectApiError(
    await ctx.api.request('POST', '/client/v1/tickets', {
      token: reader.token,
      body: { subject: 'Тема', body: 'Текст' },
    }),
    403,
    'TOKEN_SCOPE',
  );
  expectStationError(
    await ctx.api.request('GET', `/api/v2/shoes/ping?omsId=00000000-0000-4000-8000-000000000000`, {
      headers: { clientToken: reader.token },
      offSpec: true,
    }),
    400,
    'TOKEN_SCOPE',
  );
});

test('rotation without downtime: the client issues a new token, both work, it revokes the old one, which stops at once; the list shows last use', async () => {
  const { client, token } = await clientWithToken();
  const fresh = await issue(token, { label: 'Новый', scopes: ['cabinet'] });
  expect((await ctx.api.request('GET', '/client/v1/me', { token })).status).toBe(200);
  expect((await ctx.api.request('GET', '/client/v1/me', { token: fresh.token })).status).toBe(200);
  const listed = (await ctx.api.request('GET', '/client/v1/tokens', { token: fresh.token })).body.tokens;
  const old = listed.find((t: { current: boolean; id: string }) => t.id !== fresh.id);
  expect(old).toMatchObject({ lastUsedAt: expect.any(String), revokedAt: null });
  expect(JSON.stringify(listed)).not.toContain(token);
  const revoked = await ctx.api.request('POST', `/client/v1/tokens/${old.id}/revoke`, {
    token: fresh.token,
    body: { reason: 'ротация' },
  });
  expect(revoked.body).toMatchObject({ revokedAt: expect.any(String), revokedBy: 'client' });
  expectApiError(await ctx.api.request('GET', '/client/v1/me', { token }), 401, 'UNAUTHENTICATED');
  // Another client's token is not found, whatever its id.
  const other = await clientWithToken();
  const othersId = (
    await ctx.database
      .db('api_tokens')
      .where({ token_hash: hashToken(other.token) })
      .first('id')
  ).id;
  expectApiError(
    await ctx.api.request('POST', `/client/v1/tokens/${othersId}/revoke`, { token: fresh.token, body: {} }),
    404,
    'NOT_FOUND',
  );
  // Staff see the list and revoke too.
  const admin = await insertStaff(ctx.database.db, ['admin']);
  expect(
    (await ctx.api.request('GET', `/staff/v1/clients/${client.id}/tokens`, { token: admin.token })).body.tokens,
  ).toHaveLength(2);
  expect(
    (
      await ctx.api.request('POST', `/staff/v1/client-tokens/${fresh.id}/revoke`, {
        token: admin.token,
        body: { reason: 'утечка' },
      })
    ).body,
  ).toMatchObject({ revokedBy: `staff:${admin.id}` });
  expectApiError(await ctx.api.request('GET', '/client/v1/me', { token: fresh.token }), 401, 'UNAUTHENTICATED');
});

test('an expired token is refused with its reason', async () => {
  const { token } = await clientWithToken();
  await ctx.database
    .db('api_tokens')
    .where({ token_hash: hashToken(token) })
    .update({ expires_at: new Date(Date.now() - 1000) });
  expectApiError(await ctx.api.request('GET', '/client/v1/me', { token }), 401, 'TOKEN_EXPIRED');
});

test('a deactivated staff user’s tokens stop at once; an admin cannot deactivate themselves', async () => {
  const admin = await insertStaff(ctx.database.db, ['admin']);
  const agent = await insertStaff(ctx.database.db, ['support']);
  expect((await ctx.api.request('GET', '/staff/v1/me', { token: agent.token })).status).toBe(200);
  const deactivated = await ctx.api.request('POST', `/staff/v1/staff-users/${agent.id}/deactivate`, {
    token: admin.token,
  });
  expect(deactivated.status).toBe(200);
  expectApiError(await ctx.api.request('GET', '/staff/v1/me', { token: agent.token }), 401, 'UNAUTHENTICATED');
  expect(await ctx.database.db('api_tokens').where({ staff_user_id: agent.id }).whereNull('revoked_at')).toHaveLength(
    0,
  );
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/staff-users/${admin.id}/deactivate`, { token: admin.token }),
    409,
    'CANNOT_DEACTIVATE_SELF',
  );
});

test('a suspended client’s token reads the cabinet and does nothing else', async () => {
  const { client, token } = await clientWithToken();
  await ctx.database.db('clients').where({ id: client.id }).update({ status: 'suspended' });
  expect((await ctx.api.request('GET', '/client/v1/account', { token })).status).toBe(200);
  expectApiError(
    await ctx.api.request('POST', '/client/v1/tickets', { token, body: { subject: 'Тема', body: 'Текст' } }),
    403,
    'CLIENT_SUSPENDED',
  );
});
