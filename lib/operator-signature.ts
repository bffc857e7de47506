import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The operator's signature on the documents it issues (6.7: acts, VAT invoices): ECDSA P-256
 * with SHA-256 over the document's bytes, verifiable with the published public key. The key is
 * OPERATOR_SIGNING_KEY (PKCS#8 PEM) in production; otherwise one kept in DATA_DIR, made on first
 * start. A qualified EDS of the operator (NCA RK, GOST) plugs in here as another signer.
 */
export interface OperatorSigner {
  keyId: string;
  publicKeyPem: string;
  sign(document: Buffer): string;
  verify(document: Buffer, signature: string): boolean;
}

export function signerFromKey(privateKey: KeyObject): OperatorSigner {
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyId: createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex')
      .slice(0, 16),
    publicKeyPem,
    sign: (document) => sign('sha256', document, privateKey).toString('base64'),
    verify: (document, signature) => verify('sha256', document, publicKey, Buffer.from(signature, 'base64')),
  };
}

export function operatorSignerFor(options: { pem?: string; dataDir: string }): OperatorSigner {
  if (options.pem) return signerFromKey(createPrivateKey(options.pem));
  const file = path.join(options.dataDir, 'operator-signing-key.pem');
  if (!fs.existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return signerFromKey(createPrivateKey(fs.readFileSync(file, 'utf8')));
}
