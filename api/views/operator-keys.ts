import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { Static, Type } from 'typebox';

/** The operator's signature of a document it issued (6.7) with what verifies it; acts and reconciliation acts serve it. */
export const OperatorSignature = Type.Object({
  keyId: Type.String(),
  signature: Type.String({ description: 'base64 DER' }),
  publicKeyPem: Type.String(),
  pdfSha256: Type.String({ description: 'SHA-256 of the signed PDF, hex' }),
});

export async function operatorSignatureOf(
  db: Knex,
  s: { keyId: string; signature: string; document: Buffer },
): Promise<Static<typeof OperatorSignature>> {
  const key = await db('operator_keys').where({ key_id: s.keyId }).first('public_key_pem');
  return {
    keyId: s.keyId,
    signature: s.signature,
    publicKeyPem: key?.public_key_pem ?? '',
    pdfSha256: createHash('sha256').update(s.document).digest('hex'),
  };
}

/** Every public key of the operator's document signatures, oldest first. */
export const operatorKeys = async (db: Knex) =>
  (await db('operator_keys').orderBy('first_used_at')).map((k) => ({
    keyId: k.key_id,
    publicKeyPem: k.public_key_pem,
    firstUsedAt: new Date(k.first_used_at).toISOString(),
  }));
