import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type Provider from 'oidc-provider';
import type { Page } from 'playwright-core';
import { freePort } from './ports';

/**
 * A real, certified OpenID Connect provider (panva's oidc-provider) run in the test process on a free
 * port: one confidential client (the back office, with PKCE required), and the people the test adds.
 * Its development interaction pages ask for any login (the account id, hence the `sub`) and a password
 * (not checked), then for consent.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds a person who can sign in with `login`; the provider tells their e-mail (verified unless said otherwise). */
  addAccount(login: string, claims: { email?: string; emailVerified?: boolean; name?: string }): void;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUri: string }): Promise<TestOidcProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'ismet-backoffice-test';
  const clientSecret = randomBytes(24).toString('base64url');
  const accounts = new Map<string, { email?: string; emailVerified?: boolean; name?: string }>();
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  // oidc-provider asks for Node 22 (it runs on 20) and warns of its development-only parts (in-memory adapter,
  // interaction pages): that is what a test provider is for.
  const warn = console.warn;
  console.warn = () => undefined;
  let provider: Provider;
  try {
    const { default: OidcProvider } = await import('oidc-provider');
    provider = new OidcProvider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [options.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      jwks: { keys: [{ ...signingKey, kid: 'test-signing-key', use: 'sig', alg: 'RS256' } as never] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      pkce: { required: () => true },
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      features: { devInteractions: { enabled: true } },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      async findAccount(_ctx, id) {
        const account = accounts.get(id);
        if (!account) return undefined;
        return {
          accountId: id,
          async claims() {
            return {
              sub: id,
              ...(account.email ? { email: account.email, email_verified: account.emailVerified ?? true } : {}),
              ...(account.name ? { name: account.name } : {}),
            };
          },
        };
      },
    });
  } finally {
    console.warn = warn;
  }
  const server = await new Promise<Server>((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    addAccount(login, claims) {
      accounts.set(login, claims);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** At the provider's pages (after «Войти через единый вход»): logs in as `login` and consents; the browser then goes back to the API. */
export async function logInAtProvider(page: Page, issuer: string, login: string) {
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/interaction/`));
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any password');
  await page.click('button[type="submit"]');
  // Consent (the first time this person signs in to this client); then the provider redirects back.
  const consent = page.locator('input[name="prompt"][value="consent"]');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!page.url().startsWith(issuer)) return;
    if ((await consent.count().catch(() => 0)) > 0) {
      await page.click('button[type="submit"]');
      await page.waitForURL((url) => !url.href.startsWith(issuer));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still at the provider: ${page.url()}`);
}
