import type { TestApi } from './api';
import type { TestPki } from './joining';
import { signCms, type TestSigner } from './pki';

/** The `.../document` route that gives the bytes to sign for each signed instruction (api/intake/signed-instructions.ts). */
export const DOCUMENT_ROUTES = {
  details: '/client/v1/profile/document',
  refund: '/client/v1/refunds/document',
  termination: '/client/v1/termination/document',
} as const;
export type Instruction = keyof typeof DOCUMENT_ROUTES;

/** The document the API gives to sign for the instruction (the body without its signature). */
export async function instructionDocument(
  api: TestApi,
  token: string,
  kind: Instruction,
  body: Record<string, unknown>,
): Promise<Buffer> {
  const answer = await api.request('POST', DOCUMENT_ROUTES[kind], { token, body });
  if (answer.status !== 200)
    throw new Error(`${DOCUMENT_ROUTES[kind]} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return Buffer.from(answer.body.documentBase64, 'base64');
}

/** The body with `signature`: CMS (base64) by `signer` over the document the API gives for it. */
export async function signedBy(
  api: TestApi,
  signer: TestSigner,
  token: string,
  kind: Instruction,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return {
    ...body,
    signature: Buffer.from(await signCms(signer, await instructionDocument(api, token, kind, body))).toString('base64'),
  };
}

/** The body signed with the client's own EDS (a certificate naming its BIN, from the trusted test CA). */
export async function signedInstructionBody(
  api: TestApi,
  pki: TestPki,
  token: string,
  binIin: string,
  kind: Instruction,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return signedBy(api, await pki.signerFor(binIin), token, kind, body);
}
