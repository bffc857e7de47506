import type { TestApi } from './api';
import type { TestPki } from './joining';
import { signCms } from './pki';

/** A claim body signed with the client's own EDS (its BIN) over the document the API gives to sign (9.4). */
export async function signedClaimBody(
  api: TestApi,
  pki: TestPki,
  token: string,
  binIin: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { body: document } = await api.request('POST', '/client/v1/claims/document', { token, body });
  return {
    ...body,
    signature: Buffer.from(
      await signCms(await pki.signerFor(binIin), Buffer.from(document.documentBase64, 'base64')),
    ).toString('base64'),
  };
}
