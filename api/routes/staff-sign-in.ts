import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import * as oidc from 'openid-client';
import { Type } from 'typebox';
import {
  bindPerson,
  createSession,
  listSignIns,
  recordSignIn,
  revokeSessions,
  saveSignInRequest,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  SIGN_IN_REQUEST_MINUTES,
  staffUserByEmail,
  staffUserOfPerson,
  takeSignInRequest,
} from '../../db/staff-sessions';
import type { AppDeps } from '../http/deps';
import { ApiError } from '../http/errors';
import { authErrors, errorResponses, IsoInstant, StringEnum, Uuid } from '../schemas/common';

/**
 * Staff sign in as people through the operator's OpenID Connect provider (Keycloak or another certified
 * one) — the authorization code flow with PKCE, state and nonce, the ID token verified by openid-client:
 *
 * - GET /staff/sign-in?returnTo=/console/support — to the provider;
 * - GET /staff/sign-in/callback — back from it: the code exchanged, the person mapped to a staff user
 *   (by `iss`+`sub`; on the first sign-in by a verified e-mail, which binds the `sub` for good), a
 *   short server-side session opened in an HttpOnly, SameSite=Strict cookie (Secure behind https);
 * - POST /staff/sign-out — ends the session;
 * - GET /staff/sign-in/config — whether the consoles offer it;
 * - GET /staff/v1/staff-sign-ins — the record of sign-ins, refusals and sign-outs (admin).
 *
 * Roles stay the operator's (staff_users.roles), never the provider's. API tokens keep working for machines.
 * Without OIDC_ISSUER none of this is on: the consoles sign in with tokens.
 */

const CONSOLE_PATH = /^\/console\/[a-z]+$/;
const DEFAULT_RETURN = '/console/support';
const CALLBACK_PATH = '/staff/sign-in/callback';

/** What a page of this flow may do: show text and links, no script, no framing. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The characters of an authorization response's parameters (RFC 6749 Appendix A). */
const PRINTABLE_ASCII = '^[\\x20-\\x7E]*$';

/** The answer of the callback when no session is opened: a short page that says why, with the way back. */
function refusalPage(reply: FastifyReply, status: number, code: string, text: string, returnTo = DEFAULT_RETURN) {
  const html = `<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>Вход не выполнен — ИС МПТ</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:640px;margin:60px auto;color:#1d2733}h1{font-size:20px}.code{color:#5b6875;font-size:13px}</style></head>
<body><h1 id="refusal">Вход не выполнен</h1>
<p id="reason">${escapeHtml(text)}</p>
<p class="code">Код: <span id="code">${escapeHtml(code)}</span></p>
<p><a id="back" href="${escapeHtml(returnTo)}">Вернуться в консоль</a> · <a id="again" href="/staff/sign-in?returnTo=${encodeURIComponent(returnTo)}">Войти снова</a></p>
</body></html>`;
  return reply.status(status).type('text/html; charset=utf-8').headers(PAGE_HEADERS).send(html);
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

export const staffSignInRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config } = deps;
    const issuer = config.oidcIssuer;
    const publicUrl = new URL(config.publicUrl);
    const secure = publicUrl.protocol === 'https:';
    const redirectUri = `${config.publicUrl}${CALLBACK_PATH}`;
    const sessionMinutes = config.staffSessionMinutes ?? 480;

    /** The provider's metadata, discovered on the first sign-in (and again after a failure): the API starts without the provider. */
    let discovered: Promise<oidc.Configuration> | undefined;
    const provider = () => {
      if (!issuer)
        throw new ApiError(
          404,
          'OIDC_NOT_CONFIGURED',
          'Sign-in through an OpenID Connect provider is not configured (OIDC_ISSUER): use a staff API token',
        );
      discovered ??= (async () => {
        const issuerUrl = new URL(issuer);
        const auth = config.oidcClientSecret ? oidc.ClientSecretBasic(config.oidcClientSecret) : oidc.None();
        // http:// only for a provider on this host (the config refuses it elsewhere).
        const options =
          issuerUrl.protocol === 'http:' && isLoopback(issuerUrl)
            ? { execute: [oidc.allowInsecureRequests] }
            : undefined;
        return oidc.discovery(issuerUrl, config.oidcClientId ?? 'ismet-backoffice', undefined, auth, options);
      })().catch((error) => {
        discovered = undefined;
        throw new ApiError(
          503,
          'OIDC_PROVIDER_UNAVAILABLE',
          `The OpenID Connect provider did not answer its discovery: ${(error as Error).message}`,
        );
      });
      return discovered;
    };

    const cookieBase = (path: string, maxAgeSeconds: number): CookieSerializeOptions => ({
      path,
      httpOnly: true,
      secure,
      maxAge: maxAgeSeconds,
    });
    const who = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] });

    app.get(
      '/staff/sign-in/config',
      {
        schema: {
          tags: ['staff'],
          summary:
            'Whether staff consoles sign in through an OpenID Connect provider (then «Войти через единый вход»); API tokens work either way',
          response: { 200: Type.Object({ oidc: Type.Boolean(), signInUrl: Type.Union([Type.String(), Type.Null()]) }) },
        },
      },
      async () => ({ oidc: !!issuer, signInUrl: issuer ? '/staff/sign-in' : null }),
    );

    app.get(
      '/staff/sign-in',
      {
        schema: {
          tags: ['staff'],
          summary:
            'Sign a staff member in through the OpenID Connect provider: a redirect to it (authorization code flow, PKCE, state, nonce)',
          querystring: Type.Object({
            returnTo: Type.Optional(
              Type.String({ maxLength: 100, description: 'The console to come back to, e.g. /console/support' }),
            ),
          }),
          response: { 302: Type.Null({ description: 'To the provider' }), ...errorResponses(404, 503) },
        },
      },
      async (request, reply) => {
        const configuration = await provider();
        const returnTo =
          request.query.returnTo && CONSOLE_PATH.test(request.query.returnTo) ? request.query.returnTo : DEFAULT_RETURN;
        const codeVerifier = oidc.randomPKCECodeVerifier();
        const state = oidc.randomState();
        const nonce = oidc.randomNonce();
        const key = await saveSignInRequest(db, { state, nonce, codeVerifier, returnTo });
        const target = oidc.buildAuthorizationUrl(configuration, {
          redirect_uri: redirectUri,
          scope: 'openid email profile',
          response_type: 'code',
          code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        // Lax, not Strict: it must come back with the provider's (cross-site) redirect to the callback.
        reply.setCookie(SIGN_IN_COOKIE, key, {
          ...cookieBase('/staff/sign-in', SIGN_IN_REQUEST_MINUTES * 60),
          sameSite: 'lax',
        });
        return reply.header('cache-control', 'no-store').redirect(target.href, 302);
      },
    );

    app.get(
      CALLBACK_PATH,
      {
        schema: {
          tags: ['staff'],
          summary:
            'Back from the OpenID Connect provider: the code exchanged, the ID token verified, the person mapped to an active staff user, a console session opened — or a page saying why not (HTML, 400/403)',
          // What the provider sends back (RFC 6749 4.1.2, OpenID Connect Core 3.1.2.5: printable ASCII); anything else
          // is ignored. Bounded so that the URL, percent-encoded, stays within what the HTTP server reads (16 KiB).
          querystring: Type.Object(
            {
              code: Type.Optional(Type.String({ maxLength: 2048, pattern: PRINTABLE_ASCII })),
              state: Type.Optional(Type.String({ maxLength: 512, pattern: PRINTABLE_ASCII })),
              iss: Type.Optional(Type.String({ maxLength: 512, pattern: PRINTABLE_ASCII })),
              session_state: Type.Optional(Type.String({ maxLength: 256, pattern: PRINTABLE_ASCII })),
              error: Type.Optional(Type.String({ maxLength: 128, pattern: PRINTABLE_ASCII })),
              error_description: Type.Optional(Type.String({ maxLength: 512, pattern: PRINTABLE_ASCII })),
            },
            { additionalProperties: true },
          ),
          response: {
            303: Type.Null({ description: 'Signed in: to the console, with the session cookie' }),
            ...errorResponses(400, 403, 404, 503),
          },
        },
      },
      async (request, reply) => {
        const configuration = await provider();
        const key = request.cookies[SIGN_IN_COOKIE];
        reply.clearCookie(SIGN_IN_COOKIE, { path: '/staff/sign-in', httpOnly: true, secure, sameSite: 'lax' });
        const pending = key ? await takeSignInRequest(db, key) : undefined;
        if (!pending) {
          return refusalPage(
            reply,
            400,
            'SIGN_IN_NOT_STARTED',
            'Вход не был начат в этом браузере или занял больше 10 минут. Начните вход снова.',
          );
        }
        const { returnTo } = pending;
        // The URL the provider redirected to, on the registered redirect URI (not on whatever Host the request named).
        const currentUrl = new URL(redirectUri);
        currentUrl.search = new URL(request.url, 'http://x').search;
        let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
        try {
          tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
            pkceCodeVerifier: pending.codeVerifier,
            expectedState: pending.state,
            expectedNonce: pending.nonce,
            idTokenExpected: true,
          });
        } catch (error) {
          const denied = error instanceof oidc.AuthorizationResponseError;
          await recordSignIn(db, { outcome: 'failed', ...who(request), detail: (error as Error).message });
          request.log.warn({ err: error }, 'staff sign-in: the provider’s answer was not accepted');
          return denied
            ? refusalPage(
                reply,
                403,
                'PROVIDER_REFUSED',
                `Провайдер единого входа не выдал вход: ${(error as oidc.AuthorizationResponseError).error}.`,
                returnTo,
              )
            : refusalPage(
                reply,
                400,
                'PROVIDER_ANSWER_REJECTED',
                `Ответ провайдера единого входа не принят: ${(error as Error).message}`,
                returnTo,
              );
        }
        const claims = tokens.claims()!;
        const person = { issuer: claims.iss, subject: claims.sub };
        let email = typeof claims.email === 'string' ? claims.email : undefined;
        let emailVerified = claims.email_verified === true;

        let user = await staffUserOfPerson(db, person);
        if (!user) {
          // First sign-in: the person is bound to the staff user with their verified e-mail (the ID token's, or the UserInfo's).
          if (!email) {
            const info = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
            email = typeof info.email === 'string' ? info.email : undefined;
            emailVerified = info.email_verified === true;
          }
          if (email && emailVerified) {
            const byEmail = await staffUserByEmail(db, email);
            if (byEmail && byEmail.oidc_subject) {
              await recordSignIn(db, {
                outcome: 'refused_conflict',
                staffUserId: byEmail.id,
                ...person,
                email,
                ...who(request),
              });
              return refusalPage(
                reply,
                403,
                'STAFF_USER_BOUND_ELSEWHERE',
                `Сотрудник с адресом ${email} уже входит под другой учётной записью провайдера. Обратитесь к администратору.`,
                returnTo,
              );
            }
            if (byEmail) {
              user = await bindPerson(db, byEmail.id, person);
            }
          }
        }
        if (!user) {
          await recordSignIn(db, { outcome: 'refused_unknown', ...person, email: email ?? null, ...who(request) });
          return refusalPage(
            reply,
            403,
            'NOT_A_STAFF_USER',
            `${email ? `${email}${emailVerified ? '' : ' (адрес не подтверждён у провайдера)'}` : 'Эта учётная запись'} — не сотрудник оператора в ИС МПТ. Обратитесь к администратору.`,
            returnTo,
          );
        }
        if (!user.active) {
          await recordSignIn(db, {
            outcome: 'refused_inactive',
            staffUserId: user.id,
            ...person,
            email: email ?? user.email,
            ...who(request),
          });
          return refusalPage(
            reply,
            403,
            'STAFF_USER_DEACTIVATED',
            'Учётная запись сотрудника отключена. Обратитесь к администратору.',
            returnTo,
          );
        }
        const session = await createSession(db, user.id, { minutes: sessionMinutes, ...who(request) });
        await recordSignIn(db, {
          outcome: 'signed_in',
          staffUserId: user.id,
          sessionId: session.id,
          ...person,
          email: email ?? user.email,
          ...who(request),
        });
        reply.setCookie(SESSION_COOKIE, session.secret, {
          ...cookieBase('/', sessionMinutes * 60),
          sameSite: 'strict',
        });
        return reply.header('cache-control', 'no-store').redirect(returnTo, 303);
      },
    );

    app.get(
      '/staff/v1/staff-sign-ins',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['staff'],
          summary:
            'The record of staff sign-ins through the OpenID Connect provider, refusals and sign-outs: who, when, from which address (admin), newest first',
          security: [{ staffToken: [] }],
          querystring: Type.Object(
            {
              staffUserId: Type.Optional(Uuid),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              signIns: Type.Array(
                Type.Object({
                  at: IsoInstant,
                  outcome: StringEnum([
                    'signed_in',
                    'signed_out',
                    'refused_unknown',
                    'refused_inactive',
                    'refused_conflict',
                    'failed',
                  ]),
                  staffUserId: Type.Union([Uuid, Type.Null()]),
                  issuer: Type.Union([Type.String(), Type.Null()]),
                  subject: Type.Union([Type.String(), Type.Null()]),
                  email: Type.Union([Type.String(), Type.Null()]),
                  ip: Type.Union([Type.String(), Type.Null()]),
                  userAgent: Type.Union([Type.String(), Type.Null()]),
                  detail: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            }),
            ...authErrors,
          },
        },
      },
      async (request) => {
        return {
          signIns: await listSignIns(db, { staffUserId: request.query.staffUserId, limit: request.query.limit ?? 100 }),
        };
      },
    );

    app.post(
      '/staff/sign-out',
      {
        schema: {
          tags: ['staff'],
          summary:
            'End the console session (its cookie); from the back office’s own pages only (Origin and x-requested-with)',
          response: { 200: Type.Object({ signedOut: Type.Boolean() }), ...errorResponses(403) },
        },
      },
      async (request, reply) => {
        const secret = request.cookies[SESSION_COOKIE];
        if (secret) {
          if (request.headers.origin !== publicUrl.origin || !request.headers['x-requested-with']) {
            throw new ApiError(
              403,
              'CROSS_SITE_REQUEST',
              'A console session is ended only from the back office’s own pages (same Origin and the x-requested-with header)',
            );
          }
          const [ended] = await revokeSessions(db, { secret }, 'signed out');
          if (ended)
            await recordSignIn(db, {
              outcome: 'signed_out',
              staffUserId: ended.staffUserId,
              sessionId: ended.id,
              ...who(request),
            });
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'strict' });
        return { signedOut: !!secret };
      },
    );
  };
