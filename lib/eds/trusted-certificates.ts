import fs from 'node:fs';
import path from 'node:path';
import * as pkijs from 'pkijs';
import './crypto-engine';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
const CERTIFICATE_FILE = /\.(pem|crt|cer)$/i;

export function certificatesFromPem(pem: string): pkijs.Certificate[] {
  const blocks = [...pem.matchAll(PEM_CERTIFICATE)];
  if (blocks.length === 0) throw new Error('a trusted certificate string holds no "-----BEGIN CERTIFICATE-----" block');
  return blocks.map((block, i) => {
    try {
      return pkijs.Certificate.fromBER(Buffer.from(block[1].replace(/\s+/g, ''), 'base64'));
    } catch (error) {
      throw new Error(`trusted certificate #${i + 1} does not parse: ${(error as Error).message}`);
    }
  });
}

export function derToPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Every *.pem / *.crt / *.cer file of `dir` as PEM. NCA RK publishes its roots as DER .cer
 * files, so DER files are accepted and converted. A missing directory is an empty one: the
 * verifier then rejects every signature as untrusted, saying why.
 */
export function loadTrustedCertificates(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => CERTIFICATE_FILE.test(name))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const bytes = fs.readFileSync(file);
      const pem = bytes.toString('latin1').includes('-----BEGIN CERTIFICATE-----')
        ? bytes.toString('utf8')
        : derToPem(bytes);
      try {
        certificatesFromPem(pem);
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
      }
      return pem;
    });
}

export class InvalidCertificateError extends Error {}

/** One certificate given as PEM, base64 DER or DER bytes (as an admin pastes or uploads it). */
export function certificateFromInput(input: string | Uint8Array): { certificate: pkijs.Certificate; der: Uint8Array } {
  let der: Uint8Array;
  if (typeof input !== 'string' && input[0] === 0x30) der = input;
  else {
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    const blocks = [...text.matchAll(PEM_CERTIFICATE)];
    if (blocks.length > 1)
      throw new InvalidCertificateError('the text holds several certificates; add them one by one');
    if (/-----BEGIN /.test(text) && blocks.length === 0)
      throw new InvalidCertificateError('the PEM text holds no "-----BEGIN CERTIFICATE-----" block');
    const base64 = (blocks[0]?.[1] ?? text).replace(/\s+/g, '');
    if (!base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64))
      throw new InvalidCertificateError('the certificate is neither PEM nor base64 DER');
    der = new Uint8Array(Buffer.from(base64, 'base64'));
  }
  try {
    const certificate = pkijs.Certificate.fromBER(der);
    // Re-encoded, so that trailing bytes after the certificate are not kept.
    return { certificate, der: new Uint8Array(certificate.toSchema().toBER()) };
  } catch (error) {
    throw new InvalidCertificateError(`not an X.509 certificate: ${(error as Error).message}`);
  }
}
