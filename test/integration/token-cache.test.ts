import { issueToken } from '../../db/api-tokens';
import { startTestApi, useTestApi, type TestApi } from '../helpers/api';
import { eventually } from '../helpers/eventually';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';

// Two API processes keep API tokens' owners for a minute (AUTH_CACHE_SECONDS, api/http/token-cache.ts). Whatever
// changes what a token may do is honoured by both at once — within a second, not after the cache's minute — because
// the change notifies every process (migration 039, db/auth-changes.ts).
const CACHE_SECONDS = 60;
const ctx = useTestApi({ authCacheSeconds: CACHE_SECONDS });
let other: TestApi;

beforeAll(async () => {
  other = await startTestApi({ db: ctx.database.db, authCacheSeconds: CACHE_SECONDS });
  // Both processes listening: a change made from now on reaches them.
  await waitUntilListening();
});
afterAll(() => other?.stop());

async function waitUntilListening() {
  await eventually(async () => {
    const { rows } = await ctx.database.db.raw(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ismet-auth-changes' AND datname = current_database()`,
    );
    return rows[0].n >= 2;
  }, 10_000);
}

/** The status `api` answers the account with, polled until it is `status` for at most a second. */
async function answersWithin1s(api: TestApi, token: string, status: number, path = '/client/v1/account') {
  const started = Date.now();
  let last = 0;
  while (Date.now() - started < 1000) {
    last = (await api.request('GET', path, { token })).status;
    if (last === status) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`still ${last} a second later, not ${status}`);
}

const activeClient = async () => {
  const client = await insertClient(ctx.database.db);
  return { client, token: await clientToken(ctx.database.db, client.id) };
};

test('a token kept by the other process is refused there as soon as it is revoked here', async () => {
  const { token } = await activeClient();
  expect((await other.request('GET', '/client/v1/account', { token })).status).toBe(200);
  const [{ id }] = (await ctx.api.request('GET', '/client/v1/tokens', { token })).body.tokens;
  const revoked = await ctx.api.request('POST', `/client/v1/tokens/${id}/revoke`, { token, body: {} });
  expect(revoked.status).toBe(200);
  await answersWithin1s(other, token, 401);
});

test('the other process does keep the owner: a change that tells nobody is not seen until one that does', async () => {
  const { client, token } = await activeClient();
  expect((await other.request('GET', '/client/v1/account', { token })).status).toBe(200);
  // Revoked behind the triggers' back: the kept owner still answers…
  await ctx.database.db.transaction(async (trx) => {
    await trx.raw('ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_auth_changed');
    await trx('api_tokens').where({ client_id: client.id }).update({ revoked_at: trx.fn.now() });
    await trx.raw('ALTER TABLE api_tokens ENABLE TRIGGER api_tokens_auth_changed');
  });
  expect((await other.request('GET', '/client/v1/account', { token })).status).toBe(200);
  // …until any change that notifies: every process starts afresh.
  const { client: another } = await activeClient();
  await ctx.database.db('clients').where({ id: another.id }).update({ status: 'suspended' });
  await answersWithin1s(other, token, 401);
});

test("the client's contract ended, a staff user deactivated or a role taken: honoured at once", async () => {
  const { client, token } = await activeClient();
  const staff = await insertStaff(ctx.database.db, ['accountant', 'support']);
  const staffRoute = '/staff/v1/ledger/check';
  expect((await other.request('GET', '/client/v1/account', { token })).status).toBe(200);
  expect((await other.request('GET', staffRoute, { token: staff.token })).status).toBe(200);

  await ctx.database.db('clients').where({ id: client.id }).update({ status: 'terminated' });
  await answersWithin1s(other, token, 403);

  await ctx.database
    .db('staff_users')
    .where({ id: staff.id })
    .update({ roles: ['support'] });
  await answersWithin1s(other, staff.token, 403, staffRoute);
  await ctx.database.db('staff_users').where({ id: staff.id }).update({ active: false });
  await answersWithin1s(other, staff.token, 401, staffRoute);
});

test('a kept token that reaches its expiry is refused at it, without any notice', async () => {
  const client = await insertClient(ctx.database.db);
  const { token } = await issueToken(ctx.database.db, { clientId: client.id }, 'short', {
    expiresAt: new Date(Date.now() + 1500),
  });
  expect((await other.request('GET', '/client/v1/account', { token })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 1600));
  const answer = await other.request('GET', '/client/v1/account', { token });
  expect(answer).toMatchObject({ status: 401, body: { code: 'TOKEN_EXPIRED' } });
});

test('while the channel is lost nothing is kept; once back, keeping resumes', async () => {
  const { client, token } = await activeClient();
  expect((await other.request('GET', '/client/v1/account', { token })).status).toBe(200);
  // Every listener's connection cut, and the token revoked behind the triggers' back meanwhile: a process that lost
  // its channel has dropped what it kept.
  await ctx.database.db.raw(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ismet-auth-changes' AND datname = current_database()`,
  );
  await ctx.database.db.transaction(async (trx) => {
    await trx.raw('ALTER TABLE api_tokens DISABLE TRIGGER api_tokens_auth_changed');
    await trx('api_tokens').where({ client_id: client.id }).update({ revoked_at: trx.fn.now() });
    await trx.raw('ALTER TABLE api_tokens ENABLE TRIGGER api_tokens_auth_changed');
  });
  expect((await other.request('GET', '/client/v1/account', { token })).status).toBe(401);
  await waitUntilListening();
  const fresh = await activeClient();
  expect((await other.request('GET', '/client/v1/account', { token: fresh.token })).status).toBe(200);
});
