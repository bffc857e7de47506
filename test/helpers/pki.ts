import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import '../../lib/eds/crypto-engine';

// A throwaway PKI shaped like NCA RK's: root and intermediate CAs, and signer certificates
// whose subjects carry IIN in SERIALNUMBER and BIN in OU.

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA is P-256 with SHA-256; ECDSA-P384 signs with SHA-384. */
type Algorithm = 'RSA' | 'ECDSA' | 'ECDSA-P384';
type KeyPair = webcrypto.CryptoKeyPair;

export interface TestCa {
  name: string;
  certificatePem: string;
  certificateDer: Uint8Array;
  keys: KeyPair;
  algorithm: Algorithm;
}

export interface TestSigner {
  certificatePem: string;
  certificateDer: Uint8Array;
  privateKey: webcrypto.CryptoKey;
  algorithm: Algorithm;
}

const DAY = 86_400_000;
let caCount = 0;

const KEY_ALGORITHMS = {
  RSA: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 },
  ECDSA: { name: 'ECDSA', namedCurve: 'P-256' },
  'ECDSA-P384': { name: 'ECDSA', namedCurve: 'P-384' },
};
const SIGNING_ALGORITHMS = {
  RSA: { name: 'RSASSA-PKCS1-v1_5' },
  ECDSA: { name: 'ECDSA', hash: 'SHA-256' },
  'ECDSA-P384': { name: 'ECDSA', hash: 'SHA-384' },
};

function generateKeys(algorithm: Algorithm): Promise<KeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHMS[algorithm], true, ['sign', 'verify']) as Promise<KeyPair>;
}

async function issue(options: {
  subject: x509.JsonName;
  publicKey: webcrypto.CryptoKey;
  issuer?: TestCa;
  selfKeys?: KeyPair;
  algorithm: Algorithm;
  notBefore: Date;
  notAfter: Date;
  extensions: x509.Extension[];
}) {
  const signingKey = options.issuer?.keys.privateKey ?? options.selfKeys!.privateKey;
  const signingAlgorithm = SIGNING_ALGORITHMS[options.issuer?.algorithm ?? options.algorithm];
  const authority = options.issuer ? new x509.X509Certificate(options.issuer.certificateDer) : undefined;
  const certificate = await x509.X509CertificateGenerator.create({
    subject: options.subject,
    issuer: authority ? authority.subject : options.subject,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    publicKey: options.publicKey as never,
    signingKey: signingKey as never,
    signingAlgorithm,
    extensions: [
      ...options.extensions,
      await x509.SubjectKeyIdentifierExtension.create(options.publicKey as never),
      await x509.AuthorityKeyIdentifierExtension.create((authority?.publicKey ?? options.publicKey) as never),
    ],
  });
  return { certificatePem: certificate.toString('pem'), certificateDer: new Uint8Array(certificate.rawData) };
}

/** A root CA, or an intermediate one when `issuer` is given. */
export async function createTestCa(
  options: { name?: string; algorithm?: Algorithm; notBefore?: Date; notAfter?: Date; issuer?: TestCa } = {},
): Promise<TestCa> {
  const algorithm = options.algorithm ?? 'ECDSA';
  const name = options.name ?? `ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (TEST ${++caCount})`;
  const keys = await generateKeys(algorithm);
  const certificate = await issue({
    subject: [{ '2.5.4.3': [name] }, { '2.5.4.6': ['KZ'] }],
    publicKey: keys.publicKey,
    issuer: options.issuer,
    selfKeys: keys,
    algorithm,
    notBefore: options.notBefore ?? new Date(Date.now() - 365 * DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 5 * 365 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { name, keys, algorithm, ...certificate };
}

/** A signer certificate: with `bin` an organisation's employee, with only `iin` an individual entrepreneur. */
export async function issueSignerCertificate(
  ca: TestCa,
  options: {
    iin?: string;
    bin?: string;
    commonName?: string;
    algorithm?: Algorithm;
    notBefore?: Date;
    notAfter?: Date;
    /** 'authentication': as NCA RK's AUTH_ certificates — digitalSignature + keyEncipherment, extendedKeyUsage clientAuth. */
    keyUsage?: 'signing' | 'encipherment-only' | 'authentication';
  },
): Promise<TestSigner> {
  const algorithm = options.algorithm ?? 'ECDSA';
  const keys = await generateKeys(algorithm);
  const subject: x509.JsonName = [{ '2.5.4.3': [options.commonName ?? 'ТЕСТОВ ТЕСТ'] }, { '2.5.4.4': ['ТЕСТОВ'] }];
  if (options.iin) subject.push({ '2.5.4.5': [`IIN${options.iin}`] });
  subject.push({ '2.5.4.6': ['KZ'] });
  if (options.bin) subject.push({ '2.5.4.10': ['ТОО «ТЕСТОВАЯ ОБУВЬ»'] }, { '2.5.4.11': [`BIN${options.bin}`] });
  const usage =
    options.keyUsage === 'encipherment-only'
      ? x509.KeyUsageFlags.keyEncipherment
      : options.keyUsage === 'authentication'
        ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;
  const certificate = await issue({
    subject,
    publicKey: keys.publicKey,
    issuer: ca,
    algorithm,
    notBefore: options.notBefore ?? new Date(Date.now() - 30 * DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
    extensions: [
      new x509.KeyUsagesExtension(usage, true),
      ...(options.keyUsage === 'authentication'
        ? [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]
        : []),
    ],
  });
  return { privateKey: keys.privateKey, algorithm, ...certificate };
}

const DATA_OID = '1.2.840.113549.1.7.1';

/** DER CMS SignedData over `document` with contentType, messageDigest and signingTime signed attributes. */
export async function signCms(
  signer: TestSigner,
  document: Uint8Array,
  options: { detached?: boolean; signingTime?: Date | null; includeChain?: TestCa[]; rsaPss?: boolean } = {},
): Promise<Uint8Array> {
  const certificate = pkijs.Certificate.fromBER(signer.certificateDer);
  const hash = signer.algorithm === 'ECDSA-P384' ? 'SHA-384' : 'SHA-256';
  const digest = await webcrypto.subtle.digest(hash, document);
  const attributes = [
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: DATA_OID })] }),
    new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
  ];
  if (options.signingTime !== null) {
    attributes.push(
      new pkijs.Attribute({
        type: '1.2.840.113549.1.9.5',
        values: [new asn1js.UTCTime({ valueDate: options.signingTime ?? new Date() })],
      }),
    );
  }
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: DATA_OID,
      ...(options.detached ? {} : { eContent: new asn1js.OctetString({ valueHex: document }) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [
      certificate,
      ...(options.includeChain ?? []).map((ca) => pkijs.Certificate.fromBER(ca.certificateDer)),
    ],
  });
  await signedData.sign((options.rsaPss ? await asRsaPss(signer.privateKey) : signer.privateKey) as never, 0, hash);
  const contentInfo = new pkijs.ContentInfo({
    contentType: pkijs.ContentInfo.SIGNED_DATA,
    content: signedData.toSchema(true),
  });
  return new Uint8Array(contentInfo.toSchema().toBER());
}

async function asRsaPss(key: webcrypto.CryptoKey): Promise<webcrypto.CryptoKey> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
}

/** PEM armour for DER bytes, e.g. toPem(cms, 'CMS'). */
export function toPem(der: Uint8Array, label: string): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * An individual's personal certificate: an IIN and no BIN, valid for decades (the time-skipping
 * clock may run years ahead) — e.g. a representative signing for a client under a power of attorney (9.4).
 */
export function issuePersonalCertificate(
  ca: TestCa,
  iin: string,
  options: Omit<Parameters<typeof issueSignerCertificate>[1], 'iin' | 'bin'> = {},
): Promise<TestSigner> {
  return issueSignerCertificate(ca, {
    commonName: 'САПАРОВА АЙГЕРИМ',
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2089-01-01T00:00:00Z'),
    ...options,
    iin,
  });
}

/** The serial number of a certificate as CRLs list it (hex). */
export const serialOf = (certificate: { certificateDer: Uint8Array }) =>
  new x509.X509Certificate(certificate.certificateDer).serialNumber;

/**
 * A CRL signed by `ca` (as NCA RK publishes them), revoking the given certificates. Defaults:
 * issued an hour ago, next update in a day, each revoked an hour ago.
 */
export async function issueCrl(
  ca: TestCa,
  options: {
    revoked?: Array<{ certificate: { certificateDer: Uint8Array }; revokedAt?: Date }>;
    thisUpdate?: Date;
    nextUpdate?: Date;
    signingKey?: webcrypto.CryptoKey;
    /** A delta CRL (deltaCRLIndicator naming base CRL number 1). */
    delta?: boolean;
  } = {},
): Promise<{ der: Uint8Array; pem: string }> {
  const authority = new x509.X509Certificate(ca.certificateDer);
  const crl = await x509.X509CrlGenerator.create({
    issuer: authority.subject,
    thisUpdate: options.thisUpdate ?? new Date(Date.now() - 3_600_000),
    nextUpdate: options.nextUpdate ?? new Date(Date.now() + DAY),
    signingKey: (options.signingKey ?? ca.keys.privateKey) as never,
    signingAlgorithm: SIGNING_ALGORITHMS[ca.algorithm],
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey as never),
      ...(options.delta ? [new x509.Extension('2.5.29.27', true, new Uint8Array([0x02, 0x01, 0x01]))] : []),
    ],
    // With a reason code, as NCA RK lists them (an entry without one gets an empty extensions SEQUENCE from @peculiar/x509, which pkijs refuses).
    entries: (options.revoked ?? []).map((r) => ({
      serialNumber: serialOf(r.certificate),
      revocationDate: r.revokedAt ?? new Date(Date.now() - 3_600_000),
      reason: x509.X509CrlReason.keyCompromise,
    })),
  });
  return { der: new Uint8Array(crl.rawData), pem: crl.toString('pem') };
}
