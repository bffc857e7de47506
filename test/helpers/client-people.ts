import type { Page } from 'playwright-core';
import type { Db } from '../../db/connection';
import type { TestApi } from './api';
import { signCms, type TestSigner } from './pki';

/**
 * A person of a client signing in to the cabinet with EDS through the API, as the sign-in page does: a
 * challenge, its text signed (CMS, attached) with `signer`, the signature sent from the back office's own
 * origin. Returns the answer and the session cookie ("name=value") for later requests.
 */
export async function signInPerson(
  api: Pick<TestApi, 'request' | 'url'>,
  signer: TestSigner,
  options: { binIin?: string; text?: (document: string) => string } = {},
) {
  const page = { origin: api.url, 'x-requested-with': 'ismet-console' };
  const challenge = await api.request('POST', '/v1/cabinet/sign-in/challenge', { headers: page });
  if (challenge.status !== 201) throw new Error(`challenge: ${challenge.status} ${JSON.stringify(challenge.body)}`);
  const text = options.text ? options.text(challenge.body.documentText) : challenge.body.documentText;
  const signature = Buffer.from(await signCms(signer, Buffer.from(text, 'utf8'))).toString('base64');
  const answer = await api.request('POST', '/v1/cabinet/sign-in', {
    headers: page,
    body: { challengeId: challenge.body.challengeId, signature, ...(options.binIin ? { binIin: options.binIin } : {}) },
  });
  const setCookie = answer.headers.get('set-cookie') ?? '';
  const cookie = /ismet_client_session=[^;]+/.exec(setCookie)?.[0];
  return { ...answer, cookie, challengeId: challenge.body.challengeId as string, signature };
}

/** Headers of a request from the cabinet's pages in a person's session. */
export const sessionHeaders = (api: Pick<TestApi, 'url'>, cookie: string) => ({
  cookie,
  origin: api.url,
  'x-requested-with': 'ismet-console',
});

/**
 * Records a joining application signed by the person with `signerIin` for the client (as the joining flow stores
 * its signature check), so that person may become the company's first administrator by signing in.
 */
export async function recordJoiningSigner(
  db: Db,
  client: { id: string; bin_iin: string; email: string },
  signerIin: string,
) {
  const [application] = await db('join_applications')
    .insert({
      number: `ЗП-TEST-${Math.random().toString(36).slice(2, 8)}`,
      bin_iin: client.bin_iin,
      email: client.email,
      form: {},
      document: Buffer.from('{}'),
      signature: Buffer.from('test'),
      signature_check: { valid: true, problems: [], signer: { iin: signerIin, bin: client.bin_iin } },
      signed_at: new Date(),
      joined_on: new Date().toISOString().slice(0, 10),
      effective_from: new Date().toISOString().slice(0, 10),
      status: 'approved',
      client_id: client.id,
    })
    .returning('id');
  await db('clients').where({ id: client.id }).update({ join_application_id: application.id });
}

/** The administrator removes a person on /cabinet/company (after the page's confirmation) and waits for the row to go. */
export async function removePersonInPage(page: Page, iin: string): Promise<void> {
  const row = page.locator(`#people-rows tr[data-iin="${iin}"]`);
  await row.locator('.remove').click();
  await row.locator('.confirm-remove').click();
  await page.waitForSelector(`#people-rows tr[data-iin="${iin}"]`, { state: 'detached' });
}
