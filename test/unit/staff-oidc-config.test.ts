import { loadConfig } from '../../lib/config';

// Staff sign-in through an OpenID Connect provider (issue #16) is off unless OIDC_ISSUER is set.
const load = (env: NodeJS.ProcessEnv) => loadConfig(env, '/srv/app');

test('off by default: the consoles sign in with API tokens', () => {
  expect(load({})).toMatchObject({
    oidcIssuer: undefined,
    oidcClientId: 'ismet-backoffice',
    oidcClientSecret: undefined,
    staffSessionMinutes: 480,
  });
});

test('the provider, its client and the session life are taken from the environment', () => {
  expect(
    load({
      OIDC_ISSUER: 'https://sso.example.kz/realms/ismet/',
      OIDC_CLIENT_ID: 'backoffice',
      OIDC_CLIENT_SECRET: 's3cret',
      STAFF_SESSION_MINUTES: '60',
    }),
  ).toMatchObject({
    oidcIssuer: 'https://sso.example.kz/realms/ismet',
    oidcClientId: 'backoffice',
    oidcClientSecret: 's3cret',
    staffSessionMinutes: 60,
  });
  // http:// only for a provider on this host (development, tests).
  expect(load({ OIDC_ISSUER: 'http://127.0.0.1:8080/realms/dev' }).oidcIssuer).toBe('http://127.0.0.1:8080/realms/dev');
  expect(load({ OIDC_ISSUER: 'http://localhost:8080/realms/dev' }).oidcIssuer).toBe('http://localhost:8080/realms/dev');
});

// A bad OIDC_ISSUER or STAFF_SESSION_MINUTES is refused like every variable (config.test.ts).
