import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  crlById,
  listCrls,
  listTrustedCertificates,
  readTrustState,
  removeTrustedCertificate,
  staffNames,
  trustedCertificateById,
  updateTrustSettings,
  type TrustState,
} from '../../../db/eds-trust-store';
import { addTrustedCa, importCrl, type TrustStoreRefusal } from '../../../db/eds-trust';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';

const ADMINS = { staff: ['admin'] as const };
const security = [{ staffToken: [] }];
const tags = ['eds'];
/** NCA RK's full CRLs run to megabytes; base64 in JSON adds a third. */
const CRL_BODY_LIMIT = 64 * 1024 * 1024;

const StaffRef = Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]);

const TrustedCertificate = Type.Object(
  {
    id: Uuid,
    subject: Type.String(),
    issuer: Type.String(),
    serialNumber: Type.String({ description: 'Lower-case hex' }),
    subjectKeyIdentifier: Type.Union([Type.String(), Type.Null()]),
    sha256: Type.String({
      description: 'SHA-256 of the DER, hex: the fingerprint to compare with NCA RK’s published one',
    }),
    notBefore: IsoInstant,
    notAfter: IsoInstant,
    selfSigned: Type.Boolean({ description: 'A root; otherwise an intermediate' }),
    source: StringEnum(['api', 'directory'] as const, {
      description: 'Added through the API, or imported from EDS_TRUSTED_CA_DIR at the first start',
    }),
    addedBy: StaffRef,
    addedAt: IsoInstant,
    removedBy: StaffRef,
    removedAt: Type.Union([IsoInstant, Type.Null()]),
    note: Type.Union([Type.String(), Type.Null()]),
    pem: Type.String(),
  },
  { title: 'Trusted CA certificate' },
);

const Crl = Type.Object(
  {
    id: Uuid,
    issuer: Type.String(),
    issuerCertificateId: Uuid,
    crlNumber: Type.Union([Type.String(), Type.Null()]),
    thisUpdate: IsoInstant,
    nextUpdate: Type.Union([IsoInstant, Type.Null()]),
    revokedCount: Type.Integer(),
    status: StringEnum(['current', 'expired', 'superseded'] as const, {
      description:
        'current: the latest of its issuer, before its nextUpdate; expired: the latest, past its nextUpdate (revocation status unknown); superseded: a later one was imported',
    }),
    importedBy: StaffRef,
    importedAt: IsoInstant,
    note: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'Imported CRL' },
);

const Settings = Type.Object(
  {
    strictRevocation: Type.Boolean({
      description:
        'Refuse signatures whose revocation status no current CRL gives (REVOCATION_UNKNOWN); otherwise they pass with a note',
    }),
    signingTimeToleranceMinutes: Type.Integer({
      description:
        'How long before its receipt a document may have been signed (joining: 15 minutes whatever this says)',
    }),
    version: Type.Integer({ description: 'Bumped by every change of the store' }),
    changedAt: IsoInstant,
  },
  { title: 'EDS trust settings' },
);

const AddCertificateBody = Type.Object(
  {
    certificate: Type.String({
      minLength: 32,
      maxLength: 200_000,
      description: 'One X.509 CA certificate: PEM or base64 DER (NCA RK publishes .cer files)',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const RemoveQuery = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) });
const ListQuery = Type.Object({ includeRemoved: Type.Boolean({ default: false }) });
const ImportCrlBody = Type.Object(
  {
    crl: Type.String({
      minLength: 32,
      maxLength: CRL_BODY_LIMIT,
      description: 'An X.509 CRL: PEM ("-----BEGIN X509 CRL-----") or base64 DER, signed by a trusted CA',
    }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const SettingsBody = Type.Object(
  {
    strictRevocation: Type.Optional(Type.Boolean()),
    signingTimeToleranceMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
const pemOf = (base64: string) =>
  `-----BEGIN CERTIFICATE-----\n${(base64.replace(/\s+/g, '').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;

function refusal(r: TrustStoreRefusal): ApiError {
  switch (r.code) {
    case 'ALREADY_TRUSTED':
    case 'CRL_ALREADY_IMPORTED':
      return conflict(r.code, r.message);
    case 'CRL_NOT_SIGNED_BY_TRUSTED_CA':
      return new ApiError(422, r.code, r.message);
    default:
      return new ApiError(400, r.code, r.message);
  }
}

/**
 * The EDS trust store (docs/EDS.md), admins only: the CA certificates signatures must chain to
 * (NCA RK's roots and intermediates) and the CRLs they publish. Effective at the next check, in the
 * API and the worker, without a restart.
 */
export const staffTrustStoreRoutes =
  ({ db, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    async function certificates(rows: Record<string, any>[]) {
      const names = await staffNames(
        db,
        rows.flatMap((r) => [r.added_by, r.removed_by]),
      );
      const ref = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
      return rows.map((r) => ({
        id: r.id,
        subject: r.subject,
        issuer: r.issuer,
        serialNumber: r.serial_number,
        subjectKeyIdentifier: r.subject_key_identifier ?? null,
        sha256: r.sha256,
        notBefore: iso(r.not_before)!,
        notAfter: iso(r.not_after)!,
        selfSigned: r.self_signed,
        source: r.source,
        addedBy: ref(r.added_by),
        addedAt: iso(r.added_at)!,
        removedBy: ref(r.removed_by),
        removedAt: iso(r.removed_at),
        note: r.note ?? null,
        pem: pemOf(r.der_base64),
      }));
    }

    async function crls(rows: Record<string, any>[]) {
      const names = await staffNames(
        db,
        rows.map((r) => r.imported_by),
      );
      const now = clock.now();
      return rows.map((r) => ({
        id: r.id,
        issuer: r.issuer,
        issuerCertificateId: r.issuer_certificate_id,
        crlNumber: r.crl_number ?? null,
        thisUpdate: iso(r.this_update)!,
        nextUpdate: iso(r.next_update),
        revokedCount: r.revoked_count,
        status: !r.latest
          ? ('superseded' as const)
          : r.next_update && new Date(r.next_update) < now
            ? ('expired' as const)
            : ('current' as const),
        importedBy: r.imported_by ? { id: r.imported_by, name: names.get(r.imported_by) ?? '' } : null,
        importedAt: iso(r.imported_at)!,
        note: r.note ?? null,
      }));
    }

    const settings = (s: TrustState) => ({
      strictRevocation: s.strictRevocation,
      signingTimeToleranceMinutes: s.signingTimeToleranceMinutes,
      version: s.version,
      changedAt: iso(s.changedAt)!,
    });

    app.get(
      '/eds/trusted-certificates',
      {
        config: { auth: ADMINS },
        schema: {
          tags,
          summary:
            'The trusted CA certificates (NCA RK roots and intermediates); with includeRemoved=true the removed ones too',
          security,
          querystring: ListQuery,
          response: { 200: Type.Object({ certificates: Type.Array(TrustedCertificate) }), ...authErrors },
        },
      },
      async (request) => ({
        certificates: await certificates(
          await listTrustedCertificates(db, { includeRemoved: request.query.includeRemoved }),
        ),
      }),
    );

    app.post(
      '/eds/trusted-certificates',
      {
        config: { auth: ADMINS },
        schema: {
          tags,
          summary:
            'Trust a CA certificate (PEM or base64 DER); effective at the next signature check, without a restart',
          description:
            'Only CA certificates: 400 NOT_A_CA_CERTIFICATE for one without basicConstraints cA or keyCertSign; 400 INVALID_CERTIFICATE when it does not parse; ' +
            '409 ALREADY_TRUSTED when the same certificate is trusted. Compare the answer’s sha256 with the fingerprint NCA RK publishes.',
          security,
          body: AddCertificateBody,
          response: { 201: TrustedCertificate, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => {
        const added = await addTrustedCa(db, request.body.certificate, {
          addedBy: requireStaff(request).staffUserId,
          note: request.body.note,
        });
        if ('refused' in added) throw refusal(added.refused);
        return reply.status(201).send((await certificates([await trustedCertificateById(db, added.id)]))[0]);
      },
    );

    app.delete(
      '/eds/trusted-certificates/:certificateId',
      {
        config: { auth: ADMINS },
        schema: {
          tags,
          summary:
            'Stop trusting a CA certificate (kept in the list as removed); effective at the next signature check',
          security,
          params: IdParams('certificateId'),
          querystring: RemoveQuery,
          response: { 200: TrustedCertificate, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const id = request.params.certificateId;
        const removed = await removeTrustedCertificate(db, id, requireStaff(request).staffUserId, request.query.note);
        if (removed === 'not_found') throw notFound('trusted certificate', id);
        if (removed === 'already_removed')
          throw conflict('ALREADY_REMOVED', `Trusted certificate ${id} was removed already`);
        return (await certificates([await trustedCertificateById(db, id)]))[0];
      },
    );

    app.get(
      '/eds/crls',
      {
        config: { auth: ADMINS },
        schema: {
          tags,
          summary: 'Imported CRLs, newest first; the latest of each issuer is the one signatures are checked against',
          security,
          response: { 200: Type.Object({ crls: Type.Array(Crl) }), ...authErrors },
        },
      },
      async () => ({ crls: await crls(await listCrls(db)) }),
    );

    app.post(
      '/eds/crls',
      {
        config: { auth: ADMINS },
        bodyLimit: CRL_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Import a CRL NCA RK publishes (PEM or base64 DER); it must be signed by a trusted CA certificate',
          description:
            '400 INVALID_CRL when it does not parse; 400 DELTA_CRL for a delta CRL (only full CRLs: the latest of an issuer must list every revocation); 422 CRL_NOT_SIGNED_BY_TRUSTED_CA when no trusted CA certificate’s key verifies it (add the CA first); ' +
            '409 CRL_ALREADY_IMPORTED for the same CRL again. A certificate on the latest CRL of its issuer, revoked before the receipt, is refused (CERTIFICATE_REVOKED).',
          security,
          body: ImportCrlBody,
          response: { 201: Crl, ...authErrors, ...errorResponses(409, 413, 422) },
        },
      },
      async (request, reply) => {
        const imported = await importCrl(db, request.body.crl, {
          importedBy: requireStaff(request).staffUserId,
          note: request.body.note,
        });
        if ('refused' in imported) throw refusal(imported.refused);
        return reply.status(201).send((await crls([await crlById(db, imported.id)]))[0]);
      },
    );

    app.get(
      '/eds/settings',
      {
        config: { auth: ADMINS },
        schema: {
          tags,
          summary: 'The revocation policy and the signing-time tolerance',
          security,
          response: { 200: Settings, ...authErrors },
        },
      },
      async () => settings(await readTrustState(db)),
    );

    app.put(
      '/eds/settings',
      {
        config: { auth: ADMINS },
        schema: {
          tags,
          summary:
            'Change the revocation policy (strict: refuse when no current CRL gives the status) or the signing-time tolerance',
          security,
          body: SettingsBody,
          response: { 200: Settings, ...authErrors },
        },
      },
      async (request) =>
        settings(await updateTrustSettings(db, { ...request.body, by: requireStaff(request).staffUserId })),
    );
  };
