import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CLIENT_SESSION_COOKIE, revokeClientSessions } from '../../../db/client-people';
import { newChallenge, signInWithSignature } from '../../http/client-sign-in';
import { refuseCrossSite, requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { SignedInAnswer, SignInBody, SignInChallenge } from '../../schemas/client-people';
import { authErrors, errorResponses } from '../../schemas/common';

/**
 * A person of a client signs in to the cabinet with EDS (through NCALayer on their computer): a challenge, its
 * text signed, a session in an HttpOnly SameSite=Strict cookie that opens the client's routes only. Sign-in and
 * sign-out come from the back office's own pages only (same Origin and x-requested-with).
 */
export const clientSignInRoutes =
  ({ db, eds, clock, config }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const secure = new URL(config.publicUrl).protocol === 'https:';
    const sessionMinutes = config.clientSessionMinutes ?? 480;

    app.post(
      '/sign-in/challenge',
      {
        schema: {
          tags: ['clients'],
          summary: 'A fresh text to sign with EDS to sign in to the cabinet (valid 5 minutes, used once)',
          response: { 201: SignInChallenge, ...errorResponses(403) },
        },
      },
      async (request, reply) => {
        refuseCrossSite(request, config.publicUrl);
        return reply.status(201).send(await newChallenge(db, config.publicUrl, clock.now()));
      },
    );

    app.post(
      '/sign-in',
      {
        schema: {
          tags: ['clients'],
          summary:
            'Sign in with the challenge signed by the person’s EDS: a cabinet session cookie for the company that lists them',
          body: SignInBody,
          response: { 200: SignedInAnswer, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        refuseCrossSite(request, config.publicUrl);
        const signedIn = await signInWithSignature(db, eds, {
          ...request.body,
          now: clock.now(),
          sessionMinutes,
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
        reply.setCookie(CLIENT_SESSION_COOKIE, signedIn.session.secret, {
          path: '/',
          httpOnly: true,
          secure,
          sameSite: 'strict',
          maxAge: sessionMinutes * 60,
        });
        return {
          person: signedIn.person,
          client: signedIn.client,
          expiresAt: signedIn.session.expiresAt.toISOString(),
          firstAdministrator: signedIn.firstAdministrator,
        };
      },
    );
  };

/** Ending a person's session: under /client/v1, with the session it ends. */
export const clientSignOutRoutes =
  ({ db, config }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const secure = new URL(config.publicUrl).protocol === 'https:';
    app.post(
      '/sign-out',
      {
        // Anyone of the company may end their own session (a read's scope: no role needed).
        config: { auth: { scope: 'cabinet_read' as const } },
        schema: {
          tags: ['clients'],
          summary: 'End this cabinet session',
          security: [{ clientToken: [] }],
          response: { 200: Type.Object({ signedOut: Type.Boolean() }), ...authErrors },
        },
      },
      async (request, reply) => {
        const principal = requireClient(request);
        const secret = request.cookies[CLIENT_SESSION_COOKIE];
        if (principal.person && secret) {
          await revokeClientSessions(db, { secret }, 'signed out');
        }
        reply.clearCookie(CLIENT_SESSION_COOKIE, { path: '/', httpOnly: true, secure, sameSite: 'strict' });
        return { signedOut: !!principal.person };
      },
    );
  };
