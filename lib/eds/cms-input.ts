import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import './crypto-engine';

const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class MalformedSignatureError extends Error {}

/** DER bytes from DER, PEM (any label) or base64 text; bytes not starting with a SEQUENCE are read as text. */
export function signatureBytes(signature: Uint8Array | string): Uint8Array {
  if (typeof signature !== 'string') {
    if (signature[0] === 0x30) return signature;
    signature = Buffer.from(signature).toString('utf8');
  }
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(signature);
  const text = (pem ? pem[2] : signature).replace(/\s+/g, '');
  if (!text || text.length % 4 === 1 || !BASE64.test(text)) {
    throw new MalformedSignatureError(
      pem ? `the ${pem[1]} PEM block is not base64` : 'the signature is neither DER, PEM nor base64',
    );
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function parseSignedData(der: Uint8Array): pkijs.SignedData {
  let contentInfo: pkijs.ContentInfo;
  try {
    // asn1js reports most encoding errors in `offset`, but throws on some malformed strings and times.
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset === -1) throw new MalformedSignatureError(`not DER: ${asn1.result.error}`);
    contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
  } catch (error) {
    throw error instanceof MalformedSignatureError
      ? error
      : new MalformedSignatureError(`not a CMS ContentInfo: ${(error as Error).message}`);
  }
  if (contentInfo.contentType !== SIGNED_DATA_OID) {
    throw new MalformedSignatureError(
      `CMS content type is ${contentInfo.contentType}, not SignedData (${SIGNED_DATA_OID})`,
    );
  }
  try {
    return new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    throw new MalformedSignatureError(`SignedData does not parse: ${(error as Error).message}`);
  }
}
