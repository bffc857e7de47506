import type { Page } from 'playwright-core';
import { createSession } from '../../db/staff-sessions';
import { startTestApi, TestApi } from '../helpers/api';
import { normal, text, useBrowser } from '../helpers/browser';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { logInAtProvider, startOidcProvider, TestOidcProvider } from '../helpers/oidc-provider';
import { freePort } from '../helpers/ports';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';

// Issue #16: staff sign in as people through an OpenID Connect provider — here a real, certified one
// (oidc-provider) run by the test — and work in the consoles on a short server-side session; API tokens
// stay for machines.

const ticketWorkflows: string[] = [];
const ctx = {} as { database: TestDatabase; smtp: SmtpReceiver; provider: TestOidcProvider; api: TestApi };

beforeAll(async () => {
  ctx.database = await createTestDatabase();
  ctx.smtp = await startSmtpReceiver();
  const port = await freePort();
  ctx.provider = await startOidcProvider({ redirectUri: `http://127.0.0.1:${port}/staff/sign-in/callback` });
  ctx.api = await startTestApi({
    db: ctx.database.db,
    smtpUrl: ctx.smtp.url,
    port,
    oidc: { issuer: ctx.provider.issuer, clientId: ctx.provider.clientId, clientSecret: ctx.provider.clientSecret },
  });
});
afterAll(async () => {
  for (const workflowId of ticketWorkflows)
    await ctx.api?.temporal.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
  await ctx.api?.stop();
  await ctx.provider?.close();
  await ctx.smtp?.close();
  await ctx.database?.drop();
});

const browser = useBrowser();
const SESSION = 'ismet_staff_session';

/** Opens the support console, signs in through the provider as `login`, and waits for where it lands. */
async function signInThroughProvider(login: string) {
  const { page, errors } = await browser.open(`${ctx.api.url}/console/support`);
  await page.click('#sso-signin');
  const callback = page.waitForResponse((response) =>
    response.url().startsWith(`${ctx.api.url}/staff/sign-in/callback`),
  );
  await logInAtProvider(page, ctx.provider.issuer, login);
  return { page, errors, callback: await callback };
}

async function sessionCookie(page: Page) {
  return (await page.context().cookies(ctx.api.url)).find((c) => c.name === SESSION);
}

/** A call with only the session cookie (no token), as a browser would send it — or another site. */
async function withCookie(
  method: string,
  path: string,
  cookie: string,
  options: { origin?: string; fromPage?: boolean; body?: unknown } = {},
) {
  const response = await fetch(ctx.api.url + path, {
    method,
    headers: {
      cookie: `${SESSION}=${cookie}`,
      ...(options.origin ? { origin: options.origin } : {}),
      ...(options.fromPage ? { 'x-requested-with': 'ismet-console' } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as any };
}

async function holdMail(sender: string, ticketId: string | null, subject = 'Re: смените реквизиты') {
  const [row] = await ctx.database
    .db('mail_quarantine')
    .insert({
      received_at: new Date(),
      sender,
      subject,
      body: 'Переведите оплату на новый счёт KZ00…',
      reason: ticketId ? 'NOT_A_TICKET_CONTACT' : 'SENDER_NOT_AUTHENTICATED',
      ticket_id: ticketId,
      auth_verdict: 'none',
    })
    .returning('*');
  return row;
}

test('an agent signs in through the OIDC provider, works a ticket and decides the mail quarantine; signing out ends the session', async () => {
  const { db } = ctx.database;
  const agent = await insertStaff(db, ['support'], `agent-${Date.now()}@ismet.local`);
  ctx.provider.addAccount('agent-aigerim', { email: agent.email.toUpperCase(), name: 'Айгерим' });
  const client = await insertClient(db);
  const opened = await ctx.api.request('POST', '/client/v1/tickets', {
    token: await clientToken(db, client.id),
    body: { subject: 'Коды не заказываются', body: 'Ошибка при заказе кодов' },
  });
  expect(opened.status).toBe(201);
  const ticket = opened.body;
  ticketWorkflows.push(`ticket-${ticket.id}`);
  const held = await holdMail('stranger@evil.example', ticket.id);

  const { page, errors, callback } = await signInThroughProvider('agent-aigerim');
  expect(callback.status()).toBe(303);
  await page.waitForURL(`${ctx.api.url}/console/support`);
  await page.waitForSelector('#console:not([hidden])');
  expect(await text(page, '#who')).toContain('единый вход');
  expect(await text(page, '#who')).toContain('support');
  // The session is the HttpOnly, SameSite=Strict cookie: no token anywhere the page's script reads.
  const cookie = await sessionCookie(page);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(await page.evaluate("sessionStorage.getItem('ismet-staff-token')")).toBeNull();
  expect(await page.evaluate('document.cookie')).not.toContain(SESSION);
  // The person is bound to the staff user by the provider's `sub`; the sign-in is recorded with the address.
  expect(await db('staff_users').where({ id: agent.id }).first()).toMatchObject({
    oidc_issuer: ctx.provider.issuer,
    oidc_subject: 'agent-aigerim',
  });
  expect(await db('staff_sign_ins').where({ staff_user_id: agent.id, outcome: 'signed_in' }).first()).toMatchObject({
    ip: '127.0.0.1',
    subject: 'agent-aigerim',
  });

  // The ticket: classify it, answer the client.
  const row = page.locator(`#queue tbody tr[data-id="${ticket.id}"]`);
  await row.click();
  await page.waitForSelector(`#ticket h2:has-text("${ticket.number}")`);
  await page.selectOption('#priority', 'medium');
  await page.click('#classify');
  await page.waitForSelector('#ticket-status:has-text("в работе")');
  await page.fill('#reply-text', 'Проверьте, пожалуйста, GTIN в заказе.');
  await page.click('#reply');
  await page.waitForSelector('#message.info:has-text("Ответ по обращению")');
  expect(normal(await page.textContent('#messages'))).toContain('Проверьте, пожалуйста, GTIN в заказе.');
  expect(await db('tickets').where({ id: ticket.id }).first()).toMatchObject({
    status: 'in_progress',
    priority: 'medium',
  });
  expect(await db('ticket_messages').where({ ticket_id: ticket.id, direction: 'out' }).first()).toMatchObject({
    author: `agent:${agent.id}`,
  });

  // The mail quarantine: the held message, discarded with a note.
  expect(await text(page, '#quarantine-count')).toBe('(1)');
  await page.click('#tab-quarantine');
  const heldRow = page.locator(`#quarantine tbody tr[data-id="${held.id}"]`);
  await heldRow.waitFor();
  const heldText = normal(await heldRow.textContent());
  for (const part of ['stranger@evil.example', 'Re: смените реквизиты', 'не от его контакта'])
    expect(heldText).toContain(part);
  await heldRow.locator('button.discard').click();
  await page.waitForSelector('#message.error:has-text("почему письмо отклоняется")');
  await heldRow.locator('.q-note').fill('Фишинг: чужой адрес');
  await heldRow.locator('button.discard').click();
  await page.waitForSelector('#message.info:has-text("отклонено")');
  expect(await db('mail_quarantine').where({ id: held.id }).first()).toMatchObject({
    status: 'discarded',
    decided_by: agent.id,
    decision_note: 'Фишинг: чужой адрес',
  });
  await page.selectOption('#quarantine-status', 'discarded');
  await page.waitForSelector(`#quarantine tbody tr[data-id="${held.id}"][data-status="discarded"]`);

  // Signing out ends the session at once; the page asks to sign in again.
  await page.click('#signout');
  await page.waitForSelector('#sso-signin');
  expect(await page.isHidden('#console')).toBe(true);
  expect(
    await db('staff_sessions').where({ staff_user_id: agent.id }).whereNull('revoked_at').count('* as n').first(),
  ).toMatchObject({ n: 0 });
  expect(await db('staff_sign_ins').where({ staff_user_id: agent.id, outcome: 'signed_out' }).first()).toBeTruthy();
  expect((await withCookie('GET', '/staff/v1/me', cookie!.value)).status).toBe(401);
  expect(errors).toEqual([]);
});

test('a session: staff routes only, nothing changed from another site, ends at once when the agent is deactivated or it expires', async () => {
  const { db } = ctx.database;
  const agent = await insertStaff(db, ['support']);
  const admin = await insertStaff(db, ['admin']);
  ctx.provider.addAccount('agent-bolat', { email: agent.email });
  const { page } = await signInThroughProvider('agent-bolat');
  await page.waitForSelector('#console:not([hidden])');
  const cookie = (await sessionCookie(page))!.value;
  const origin = ctx.api.url;

  expect((await withCookie('GET', '/staff/v1/me', cookie)).body).toMatchObject({ id: agent.id });
  // The token works as ever for machines, side by side.
  expect((await ctx.api.request('GET', '/staff/v1/me', { token: agent.token })).body.id).toBe(agent.id);

  // Never a client's route.
  expect(await withCookie('GET', '/client/v1/me', cookie)).toMatchObject({
    status: 401,
    body: { code: 'UNAUTHENTICATED' },
  });

  // A request that changes something: from the back office's own page only.
  const held = await holdMail('flood@spam.example', null);
  const discard = (options: { origin?: string; fromPage?: boolean }) =>
    withCookie('POST', `/staff/v1/mail-quarantine/${held.id}/discard`, cookie, { ...options, body: { note: 'Спам' } });
  expect(await discard({ origin: 'https://evil.example', fromPage: true })).toMatchObject({
    status: 403,
    body: { code: 'CROSS_SITE_REQUEST' },
  });
  expect(await discard({ fromPage: true })).toMatchObject({ status: 403, body: { code: 'CROSS_SITE_REQUEST' } });
  expect(await discard({ origin })).toMatchObject({ status: 403, body: { code: 'CROSS_SITE_REQUEST' } });
  expect((await db('mail_quarantine').where({ id: held.id }).first()).status).toBe('pending');
  expect(await discard({ origin, fromPage: true })).toMatchObject({
    status: 200,
    body: { status: 'discarded', decidedBy: agent.id },
  });
  // Signing out from another site is refused too.
  expect(
    (
      await fetch(`${origin}/staff/sign-out`, {
        method: 'POST',
        headers: { cookie: `${SESSION}=${cookie}`, origin: 'https://evil.example' },
      })
    ).status,
  ).toBe(403);

  // Deactivated: the session stops at once (and is revoked), and the person cannot sign in again.
  const deactivated = await ctx.api.request('POST', `/staff/v1/staff-users/${agent.id}/deactivate`, {
    token: admin.token,
  });
  expect(deactivated.status).toBe(200);
  expect(await withCookie('GET', '/staff/v1/me', cookie)).toMatchObject({
    status: 401,
    body: { code: 'UNAUTHENTICATED' },
  });
  expect(await db('staff_sessions').where({ staff_user_id: agent.id }).first()).toMatchObject({
    revoke_reason: 'staff user deactivated',
  });
  // The console open in the browser: its next call finds the session ended and goes back to the login form.
  await page.click('#refresh');
  await page.waitForSelector('#login-error:has-text("Сеанс завершён")');
  expect(await page.isHidden('#console')).toBe(true);
  const again = await signInThroughProvider('agent-bolat');
  expect(again.callback.status()).toBe(403);
  expect(await text(again.page, '#code')).toBe('STAFF_USER_DEACTIVATED');
  expect(await sessionCookie(again.page)).toBeUndefined();
  // The record, for an admin: who, when, from where, what came of it — newest first.
  const record = await ctx.api.request('GET', `/staff/v1/staff-sign-ins?staffUserId=${agent.id}`, {
    token: admin.token,
  });
  expect(record.body.signIns.map((e: { outcome: string }) => e.outcome)).toEqual(['refused_inactive', 'signed_in']);
  expect(record.body.signIns[1]).toMatchObject({
    staffUserId: agent.id,
    subject: 'agent-bolat',
    email: agent.email,
    ip: '127.0.0.1',
  });
  expect((await ctx.api.request('GET', '/staff/v1/staff-sign-ins', { token: agent.token })).status).toBe(401);

  // A session past its time opens nothing.
  const other = await insertStaff(db, ['support']);
  const expired = await createSession(db, other.id, { minutes: 5 });
  expect((await withCookie('GET', '/staff/v1/me', expired.secret)).status).toBe(200);
  await db('staff_sessions')
    .where({ id: expired.id })
    .update({ expires_at: db.raw("now() - interval '1 second'") });
  expect(await withCookie('GET', '/staff/v1/me', expired.secret)).toMatchObject({
    status: 401,
    body: { code: 'SESSION_EXPIRED' },
  });
});

test('an unknown person, or one whose e-mail the provider has not verified, is refused with a page saying why', async () => {
  const { db } = ctx.database;
  ctx.provider.addAccount('stranger', { email: 'stranger@example.kz' });
  const stranger = await signInThroughProvider('stranger');
  expect(stranger.callback.status()).toBe(403);
  expect(await text(stranger.page, '#code')).toBe('NOT_A_STAFF_USER');
  expect(await text(stranger.page, '#reason')).toContain('stranger@example.kz');
  expect(await sessionCookie(stranger.page)).toBeUndefined();
  expect(await db('staff_sign_ins').where({ subject: 'stranger', outcome: 'refused_unknown' }).first()).toMatchObject({
    email: 'stranger@example.kz',
    ip: '127.0.0.1',
  });

  // A staff user's address, but unverified at the provider: not taken for them (nor bound).
  const agent = await insertStaff(db, ['support']);
  ctx.provider.addAccount('impostor', { email: agent.email, emailVerified: false });
  const impostor = await signInThroughProvider('impostor');
  expect(impostor.callback.status()).toBe(403);
  expect(await text(impostor.page, '#code')).toBe('NOT_A_STAFF_USER');
  expect((await db('staff_users').where({ id: agent.id }).first()).oidc_subject).toBeNull();

  // Once bound, another provider account with the same (verified) address is refused.
  ctx.provider.addAccount('agent-real', { email: agent.email });
  const real = await signInThroughProvider('agent-real');
  expect(real.callback.status()).toBe(303);
  ctx.provider.addAccount('agent-second', { email: agent.email });
  const second = await signInThroughProvider('agent-second');
  expect(second.callback.status()).toBe(403);
  expect(await text(second.page, '#code')).toBe('STAFF_USER_BOUND_ELSEWHERE');

  // A callback the browser did not start is refused.
  const stray = await fetch(`${ctx.api.url}/staff/sign-in/callback?code=abc&state=def`);
  expect(stray.status).toBe(400);
  expect(await stray.text()).toContain('SIGN_IN_NOT_STARTED');
});

test('the consoles learn whether to offer the single sign-on; a sign-in returns only to a console', async () => {
  expect((await ctx.api.request('GET', '/staff/sign-in/config')).body).toEqual({
    oidc: true,
    signInUrl: '/staff/sign-in',
  });
  const redirect = await fetch(`${ctx.api.url}/staff/sign-in?returnTo=${encodeURIComponent('https://evil.example/')}`, {
    redirect: 'manual',
  });
  expect(redirect.status).toBe(302);
  const target = new URL(redirect.headers.get('location')!);
  expect(target.origin).toBe(ctx.provider.issuer);
  expect(Object.fromEntries(target.searchParams)).toMatchObject({
    client_id: ctx.provider.clientId,
    response_type: 'code',
    code_challenge_method: 'S256',
    redirect_uri: `${ctx.api.url}/staff/sign-in/callback`,
  });
  for (const name of ['state', 'nonce', 'code_challenge'])
    expect(target.searchParams.get(name)).toMatch(/^[\w-]{20,}$/);
  expect(redirect.headers.get('set-cookie')).toMatch(/ismet_staff_sign_in=[^;]+;.*HttpOnly.*SameSite=Lax/i);
  const pending = await ctx.database.db('staff_sign_in_requests').orderBy('created_at', 'desc').first();
  expect(pending.return_to).toBe('/console/support');
});
