import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { keyAlgorithmName } from './algorithms';
import type { EdsSigner } from './types';

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SURNAME',
  '2.5.4.42': 'G',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.25': 'DC',
};

const KEY_USAGE_OID = '2.5.29.15';
const BASIC_CONSTRAINTS_OID = '2.5.29.19';
const SUBJECT_KEY_IDENTIFIER_OID = '2.5.29.14';
const AUTHORITY_KEY_IDENTIFIER_OID = '2.5.29.35';
const EXTENDED_KEY_USAGE_OID = '2.5.29.37';

function attributeValue(value: unknown): string {
  const block = (value as { valueBlock?: { value?: unknown } }).valueBlock;
  return typeof block?.value === 'string' ? block.value : '';
}

export function nameValues(name: pkijs.RelativeDistinguishedNames, oid: string): string[] {
  return name.typesAndValues.filter((tv) => tv.type === oid).map((tv) => attributeValue(tv.value));
}

/** "CN=..., SERIALNUMBER=IIN..., C=KZ" in the certificate's own order, as NCALayer shows it. */
export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${ATTRIBUTE_NAMES[tv.type] ?? tv.type}=${attributeValue(tv.value).replace(/([,+"\\<>;])/g, '\\$1')}`)
    .join(', ');
}

export function serialHex(certificate: pkijs.Certificate): string {
  return Buffer.from(certificate.serialNumber.valueBlock.valueHexView)
    .toString('hex')
    .replace(/^(00)+(?=.)/, '');
}

/** How a certificate is named in messages: its subject CN (or whole subject) and serial. */
export function label(certificate: pkijs.Certificate): string {
  const cn = nameValues(certificate.subject, '2.5.4.3')[0];
  return `"${cn ?? formatName(certificate.subject)}" (serial ${serialHex(certificate)})`;
}

export function binOf(certificate: pkijs.Certificate): string | undefined {
  for (const ou of nameValues(certificate.subject, '2.5.4.11')) {
    const match = /^BIN(\d{12})$/.exec(ou.trim());
    if (match) return match[1];
  }
  for (const id of nameValues(certificate.subject, '2.5.4.97')) {
    const match = /(?<!\d)(\d{12})(?!\d)/.exec(id);
    if (match) return match[1];
  }
  return undefined;
}

export function iinOf(certificate: pkijs.Certificate): string | undefined {
  for (const serial of nameValues(certificate.subject, '2.5.4.5')) {
    const match = /^IIN(\d{12})$/.exec(serial.trim());
    if (match) return match[1];
  }
  return undefined;
}

export function describeSigner(certificate: pkijs.Certificate): EdsSigner {
  return {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    serialNumber: serialHex(certificate),
    commonName: nameValues(certificate.subject, '2.5.4.3')[0],
    organization: nameValues(certificate.subject, '2.5.4.10')[0],
    iin: iinOf(certificate),
    bin: binOf(certificate),
    notBefore: certificate.notBefore.value.toISOString(),
    notAfter: certificate.notAfter.value.toISOString(),
    keyAlgorithm: keyAlgorithmName(certificate.subjectPublicKeyInfo.algorithm.algorithmId),
  };
}

function extension(certificate: pkijs.Certificate, oid: string): pkijs.Extension | undefined {
  return certificate.extensions?.find((e) => e.extnID === oid);
}

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** The keyUsage bits set, or undefined when the certificate has no keyUsage extension. */
export function keyUsages(certificate: pkijs.Certificate): string[] | undefined {
  const ext = extension(certificate, KEY_USAGE_OID);
  if (!ext) return undefined;
  const bits = ext.parsedValue instanceof asn1js.BitString ? ext.parsedValue.valueBlock.valueHexView : new Uint8Array();
  return KEY_USAGE_BITS.filter((_, i) => ((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
}

/** The extendedKeyUsage purposes (OIDs), or undefined when the certificate has no such extension. */
export function extendedKeyUsages(certificate: pkijs.Certificate): string[] | undefined {
  const parsed = extension(certificate, EXTENDED_KEY_USAGE_OID)?.parsedValue;
  return parsed instanceof pkijs.ExtKeyUsage ? parsed.keyPurposes : undefined;
}

export function basicConstraints(certificate: pkijs.Certificate): { cA: boolean; pathLenConstraint?: number } {
  const parsed = extension(certificate, BASIC_CONSTRAINTS_OID)?.parsedValue;
  if (!(parsed instanceof pkijs.BasicConstraints)) return { cA: false };
  const pathLen = parsed.pathLenConstraint;
  return { cA: parsed.cA, pathLenConstraint: typeof pathLen === 'number' ? pathLen : pathLen?.valueBlock.valueDec };
}

export function subjectKeyIdentifier(certificate: pkijs.Certificate): Uint8Array | undefined {
  const parsed = extension(certificate, SUBJECT_KEY_IDENTIFIER_OID)?.parsedValue;
  return parsed instanceof asn1js.OctetString ? parsed.valueBlock.valueHexView : undefined;
}

export function authorityKeyIdentifier(certificate: pkijs.Certificate): Uint8Array | undefined {
  const parsed = extension(certificate, AUTHORITY_KEY_IDENTIFIER_OID)?.parsedValue;
  return parsed instanceof pkijs.AuthorityKeyIdentifier ? parsed.keyIdentifier?.valueBlock.valueHexView : undefined;
}

export function sameBytes(a: Uint8Array | ArrayBuffer, b: Uint8Array | ArrayBuffer): boolean {
  return Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(
    Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)),
  );
}

export function certificateDer(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema().toBER());
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der);
}
