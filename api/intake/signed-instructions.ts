import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import { localDateIn } from '../../lib/calendar';
import type { EdsSigner, EdsVerification, EdsVerifier } from '../../lib/eds';
import { isValidBinIin } from '../../lib/kz-identifiers';
import { CONTRACT_TITLE } from '../../lib/operator';
import type { AppDeps } from '../http/deps';
import { ApiError, conflict } from '../http/errors';
import { knownClient } from '../views/powers-of-attorney';

/**
 * Instructions of the client that move money or redirect it are EDS-signed documents, as joining
 * is (10.5) and as claims are (9.4): a change of the bank details or of the e-mail of record
 * (10.2.2), a request for a refund of unused money (6.11), a notice of termination (4.1.1, 10.4).
 * A token that may call the route is not the client's signature: without the signature nothing
 * changes.
 *
 * What is signed is a typed envelope serialised by the JSON Canonicalization Scheme (RFC 8785),
 * UTF-8, naming the client by its BIN/IIN: the same instruction always gives the same bytes, so the
 * operator recomputes them to check the signature (the `.../document` routes give them to sign).
 */
export type InstructionKind = 'details' | 'refund' | 'termination';

/** The power-of-attorney scope (powers_of_attorney.scopes) that lets a representative sign each kind. */
export const INSTRUCTION_SCOPES: Record<InstructionKind, string> = {
  details: 'details',
  refund: 'refunds',
  termination: 'termination',
};
const CLAUSES: Record<InstructionKind, string> = { details: '10.2.2', refund: '6.11', termination: '4.1.1, 10.4' };
export const instructionType = (kind: InstructionKind) => `ismet-backoffice/${kind}`;

/** The exact bytes the client's signer signs for an instruction. */
export function instructionDocument(kind: InstructionKind, binIin: string, content: Record<string, unknown>): Buffer {
  const envelope = {
    type: instructionType(kind),
    version: 1,
    contract: CONTRACT_TITLE,
    clause: CLAUSES[kind],
    client: { binIin },
    ...content,
  };
  return Buffer.from(canonicalize(envelope)!, 'utf8');
}

/** The answer of a `.../document` route. */
export const documentAnswer = (document: Buffer) => ({
  documentBase64: document.toString('base64'),
  documentText: document.toString('utf8'),
  sha256: createHash('sha256').update(document).digest('hex'),
});

/**
 * The signature must prove who signed what: it verifies over this document with a trusted, valid
 * certificate (422 BAD_SIGNATURE otherwise). Only the signer may be someone other than the client:
 * whether that person may sign for it is the question of authority.
 */
export async function verifiedSignature(
  eds: EdsVerifier,
  p: { document: Buffer; signature: string; binIin: string; at: Date; freshWithinMs?: number },
): Promise<EdsVerification> {
  const check = await eds.verify({
    document: p.document,
    signature: p.signature,
    expectedBinIin: p.binIin,
    at: p.at,
    ...(p.freshWithinMs === undefined ? {} : { freshWithinMs: p.freshWithinMs }),
  });
  const problems = check.problems.filter((x) => x.code !== 'SIGNER_MISMATCH');
  if (problems.length > 0 || !check.signer) {
    const why = problems.map((x) => x.message).join('; ') || 'its signer cannot be identified';
    throw new ApiError(422, 'BAD_SIGNATURE', `The EDS signature is not accepted: ${why}`, {
      problems: check.problems,
      checks: check.checks,
    });
  }
  return check;
}

export const signerName = (s: EdsSigner) =>
  [s.commonName, s.iin && `IIN ${s.iin}`].filter(Boolean).join(', ') || s.subject;

export interface SignerAuthority {
  basis: 'client_eds' | 'power_of_attorney';
  powerOfAttorneyId?: string;
  note: string;
}

/**
 * A recorded power of attorney of the client to the individual `iin`, covering `scope`, valid on the
 * local day of `at` and not revoked before it (9.4 for claims; the same rule for signed instructions).
 */
export async function powersOfAttorney(
  db: Knex | Knex.Transaction,
  p: { clientId: string; iin: string; scope: string; at: Date | string; timeZone: string },
) {
  const on = localDateIn(p.timeZone, p.at);
  const powers = await db('powers_of_attorney')
    .where({ client_id: p.clientId, attorney_iin: p.iin })
    .whereRaw('scopes @> ARRAY[?]::text[]', [p.scope])
    .orderBy('valid_until', 'desc')
    .forShare();
  const valid = powers.find(
    (x) => x.valid_from <= on && on <= x.valid_until && (!x.revoked_at || new Date(x.revoked_at) > new Date(p.at)),
  );
  return { on, powers, valid };
}

/**
 * Who may sign the client's instruction (as 9.4 for claims): the client's own EDS (the certificate
 * names its BIN; an individual entrepreneur's, its IIN), or the personal EDS of an individual under a
 * power of attorney for this kind of instruction, recorded by the operator's staff and valid on the
 * day of receipt. Anyone else → 422 SIGNER_NOT_AUTHORISED.
 */
export async function signerAuthority(
  db: Knex | Knex.Transaction,
  p: { clientId: string; binIin: string; kind: InstructionKind; check: EdsVerification; at: Date; timeZone: string },
): Promise<SignerAuthority> {
  const signer = p.check.signer!;
  if (p.check.valid)
    return {
      basis: 'client_eds',
      note: `Signed with the client’s EDS: ${signerName(signer)}${signer.bin ? `, BIN ${signer.bin}` : ''}.`,
    };
  const details = {
    signer: { commonName: signer.commonName ?? null, iin: signer.iin ?? null, bin: signer.bin ?? null },
  };
  if (signer.bin || !signer.iin) {
    throw new ApiError(
      422,
      'SIGNER_NOT_AUTHORISED',
      `Signed with ${signer.bin ? `the EDS of another organisation (BIN ${signer.bin})` : 'a certificate naming neither a BIN nor an IIN'}, not the client’s (BIN/IIN ${p.binIin}) nor an individual’s acting under a power of attorney`,
      details,
    );
  }
  const scope = INSTRUCTION_SCOPES[p.kind];
  const { on, powers, valid } = await powersOfAttorney(db, {
    clientId: p.clientId,
    iin: signer.iin,
    scope,
    at: p.at,
    timeZone: p.timeZone,
  });
  if (valid) {
    return {
      basis: 'power_of_attorney',
      powerOfAttorneyId: valid.id,
      note: `Signed with the personal EDS of ${signerName(signer)} under power of attorney № ${valid.number} of ${valid.issued_on}, valid ${valid.valid_from} to ${valid.valid_until}.`,
    };
  }
  const why = powers.length
    ? `its power(s) of attorney for this person (scope ${scope}) do not cover ${on}`
    : `no power of attorney for this person to sign ${scope === 'details' ? 'changes of details' : scope} for the client has been recorded`;
  throw new ApiError(
    422,
    'SIGNER_NOT_AUTHORISED',
    `Signed with the personal EDS of ${signerName(signer)}, who is not the client; ${why}`,
    details,
  );
}

/**
 * An instruction takes effect on receipt, like joining (10.5): it is signed just before it is sent —
 * a signature made more than this before its receipt is SIGNING_TIME_TOO_OLD (an old signed document
 * sent again does not instruct anew), and the certificate must be valid at the receipt.
 */
export const INSTRUCTION_FRESH_WITHIN_MS = 60 * 60_000;

export interface SignedInstruction {
  document: Buffer;
  signature: string;
  check: EdsVerification;
  authority: SignerAuthority;
}

/**
 * The client's signed instruction, checked: 422 SIGNATURE_REQUIRED without a signature, 422
 * BAD_SIGNATURE when it does not verify over `document`, 422 SIGNER_NOT_AUTHORISED when the signer
 * may not sign it for the client. Nothing is recorded here: the caller stores `signedColumns`.
 */
export async function checkSignedInstruction(
  deps: { db: Knex | Knex.Transaction; eds: EdsVerifier; timeZone: string },
  p: {
    clientId: string;
    binIin: string;
    kind: InstructionKind;
    document: Buffer;
    signature: string | undefined;
    at: Date;
    what: string;
    documentRoute: string;
  },
): Promise<SignedInstruction> {
  if (!p.signature) {
    throw new ApiError(
      422,
      'SIGNATURE_REQUIRED',
      `${p.what} must be signed with the client’s EDS: sign the document of ${p.documentRoute} (CMS) and send it in \`signature\``,
      { documentRoute: p.documentRoute },
    );
  }
  const check = await verifiedSignature(deps.eds, {
    document: p.document,
    signature: p.signature,
    binIin: p.binIin,
    at: p.at,
    freshWithinMs: INSTRUCTION_FRESH_WITHIN_MS,
  });
  const authority = await signerAuthority(deps.db, {
    clientId: p.clientId,
    binIin: p.binIin,
    kind: p.kind,
    check,
    at: p.at,
    timeZone: deps.timeZone,
  });
  return { document: p.document, signature: p.signature, check, authority };
}

/** The columns (migration 20261203_028) that keep the signed document with the row it authorised. */
export const signedColumns = (s: SignedInstruction) => ({
  signed_document: s.document,
  signature: s.signature,
  signer: JSON.stringify(s.check.signer),
  signed_at: s.check.signingTime,
  signature_basis: s.authority.basis,
  power_of_attorney_id: s.authority.powerOfAttorneyId ?? null,
  signature_note: s.authority.note,
});

/**
 * 10.2.2: the details a refund is paid to and the address notices go to — the bank details and the
 * e-mail of record — change only by the client's signed document. Other details (phone, addresses,
 * names) may be reported unsigned.
 */
export const SIGNED_DETAIL_FIELDS = ['iik', 'bik', 'bankName', 'kbe', 'email'] as const;
export const needsSignature = (patch: Record<string, unknown>) =>
  SIGNED_DETAIL_FIELDS.some((f) => patch[f] !== undefined);

/** The signed change of details names every field changed, normalised, and the day the change occurred. */
export const detailsDocument = (binIin: string, patch: Record<string, unknown>, occurredOn: string | undefined) =>
  instructionDocument('details', binIin, { details: patch, occurredOn: occurredOn ?? null });

export interface NewPowerOfAttorney {
  attorneyIin: string;
  attorneyName: string;
  number: string;
  issuedOn: string;
  validFrom?: string;
  validUntil: string;
  scopes: string[];
  note?: string;
}

/**
 * Records a power of attorney the client issued to an individual (9.4), as staff saw it: valid from
 * its issue at the earliest, one per number and date of issue. Returns its id.
 */
export async function recordPowerOfAttorney(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  clientId: string,
  b: NewPowerOfAttorney,
  staffId: string,
): Promise<string> {
  if (!isValidBinIin(b.attorneyIin)) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'attorneyIin has an invalid check digit', [
      { location: 'body', path: '/attorneyIin', message: 'invalid IIN check digit' },
    ]);
  }
  const validFrom = b.validFrom ?? b.issuedOn;
  if (validFrom < b.issuedOn)
    throw new ApiError(
      400,
      'INVALID_PERIOD',
      `A power of attorney issued on ${b.issuedOn} is not valid before it, from ${validFrom}`,
    );
  if (b.validUntil < validFrom)
    throw new ApiError(
      400,
      'INVALID_PERIOD',
      `The power of attorney would end on ${b.validUntil}, before it starts on ${validFrom}`,
    );
  await knownClient(deps.db, clientId);
  const [row] = await deps
    .db('powers_of_attorney')
    .insert({
      client_id: clientId,
      attorney_iin: b.attorneyIin,
      attorney_name: b.attorneyName.trim(),
      number: b.number.trim(),
      issued_on: b.issuedOn,
      valid_from: validFrom,
      valid_until: b.validUntil,
      scopes: b.scopes,
      note: b.note ?? null,
      recorded_by: staffId,
      recorded_at: deps.clock.now(),
    })
    .returning('id')
    .catch((error) => {
      if (error.constraint === 'powers_of_attorney_one_per_number') {
        throw conflict(
          'POWER_OF_ATTORNEY_EXISTS',
          `The client’s power of attorney № ${b.number.trim()} of ${b.issuedOn} is recorded already`,
        );
      }
      throw error;
    });
  return row.id;
}

/** Revokes a power of attorney not revoked yet; false when it was revoked before. */
export async function revokePowerOfAttorney(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  id: string,
  staffId: string,
  reason: string,
): Promise<boolean> {
  const [revoked] = await deps
    .db('powers_of_attorney')
    .where({ id })
    .whereNull('revoked_at')
    .update({ revoked_at: deps.clock.now(), revoked_by: staffId, revocation_reason: reason })
    .returning('id');
  return !!revoked;
}
