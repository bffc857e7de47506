import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import { localDateIn } from '../../lib/calendar';
import type { EdsVerification } from '../../lib/eds';
import { CONTRACT_TITLE } from '../../lib/operator';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { claim, claimWorkflowId } from '../../workflows/claim';
import { ApiError, conflict } from '../http/errors';
import { decodeFile, Deps, inFuture, SignDeps } from './request-checks';
import { signerName, verifiedSignature } from './signed-instructions';

export interface ClaimContent {
  subject: string;
  demands: string;
  amountClaimedTiyn?: number;
  signerName: string;
  /** The day of the events the claim is about (local date); required once the contract has ended. */
  concernsDate?: string;
  documents: Array<{ kind: string; filename: string; contentType: string; contentBase64: string }>;
}

export interface NewClaim extends ClaimContent {
  clientId: string;
  channel: 'api' | 'email' | 'post';
  receivedAt: string;
  /** The EDS signature (CMS) over the claim's canonical document (9.4). */
  signature?: string;
  recordedBy?: string;
}

/**
 * A claim may be presented after the contract has ended, about the time it ran (the parties'
 * obligations of that time survive it): then the day it concerns is required and may not be
 * later than the day the contract ended.
 */
async function claimingClient(trx: Knex.Transaction, deps: Deps, c: NewClaim) {
  const client = await trx('clients').where({ id: c.clientId }).first();
  if (!client) throw new ApiError(404, 'NOT_FOUND', `No client ${c.clientId}`);
  if (!client.contract_ended_at && client.status !== 'terminated') return client;
  const endedOn = localDateIn(deps.config.operatorTimeZone, client.contract_ended_at ?? deps.clock.now());
  if (!c.concernsDate)
    throw new ApiError(
      400,
      'CONCERNS_DATE_REQUIRED',
      `The contract ended on ${endedOn}: a claim is about the time it ran — give the day it concerns (concernsDate)`,
    );
  if (c.concernsDate > endedOn)
    throw conflict(
      'CLAIM_AFTER_CONTRACT',
      `The contract ended on ${endedOn}; events of ${c.concernsDate} are outside it`,
    );
  return client;
}

const claimFiles = (documents: ClaimContent['documents']) =>
  documents.map((d) => ({ ...d, ...decodeFile(d, 'document') }));

export const CLAIM_DOCUMENT_TYPE = 'ismet-backoffice/claim';

/**
 * 9.4: what the signer signs with the EDS — the claim and the SHA-256 of each document sent with it
 * (so the signature covers them too), for the client named by its BIN/IIN, in a typed envelope
 * serialised by the JSON Canonicalization Scheme (RFC 8785), UTF-8: the same claim always gives the
 * same bytes, so the operator recomputes them to check the signature.
 */
function claimDocument(binIin: string, c: ClaimContent, files: ReturnType<typeof claimFiles>): Buffer {
  const envelope = {
    type: CLAIM_DOCUMENT_TYPE,
    version: 1,
    contract: CONTRACT_TITLE,
    clause: '9.2-9.4',
    client: { binIin },
    subject: c.subject,
    demands: c.demands,
    amountClaimedTiyn: c.amountClaimedTiyn ?? null,
    signerName: c.signerName,
    concernsDate: c.concernsDate ?? null,
    documents: files.map((d) => ({ kind: d.kind, filename: d.filename, contentType: d.contentType, sha256: d.sha256 })),
  };
  return Buffer.from(canonicalize(envelope)!, 'utf8');
}

async function claimantBinIin(deps: Deps, clientId: string): Promise<string> {
  const client = await deps.db('clients').where({ id: clientId }).first('bin_iin');
  if (!client) throw new ApiError(404, 'NOT_FOUND', `No client ${clientId}`);
  return client.bin_iin;
}

/** The exact bytes the client's signer signs for this claim (9.4). */
export async function claimDocumentFor(deps: Deps, clientId: string, c: ClaimContent): Promise<Buffer> {
  return claimDocument(await claimantBinIin(deps, clientId), c, claimFiles(c.documents));
}

/**
 * The signature must prove who signed what: it verifies over this claim's document with a trusted,
 * valid certificate (422 otherwise, nothing recorded). Only the signer may be someone other than
 * the client: whether that person may sign for it is the question of authority, answered next.
 */
async function verifiedClaimSignature(
  deps: SignDeps,
  binIin: string,
  document: Buffer,
  signature: string,
  receivedAt: string,
): Promise<EdsVerification> {
  return verifiedSignature(deps.eds, { document, signature, binIin, at: new Date(receivedAt) });
}

interface ClaimAuthority {
  basis: 'client_eds' | 'power_of_attorney' | 'paper_originals' | null;
  reason: 'NOT_SIGNED' | 'SIGNER_NOT_AUTHORISED' | null;
  note: string;
  powerOfAttorneyId?: string;
}

/**
 * 9.4: the claim counts as presented only with proof of its signer's authority. Signed with the
 * client's own EDS (its BIN; an individual entrepreneur's IIN), it is signed for the client. Signed
 * with an individual's EDS, it needs a power of attorney for that person to sign claims, recorded by
 * the operator's staff and valid on the day the claim was received (9.2). Received by post, the
 * originals or notarised copies the staff who record it examined. A label the client puts on a file
 * proves nothing.
 */
async function claimAuthority(
  trx: Knex.Transaction,
  deps: Deps,
  c: NewClaim,
  binIin: string,
  check: EdsVerification | undefined,
): Promise<ClaimAuthority> {
  const signer = check?.signer;
  if (check?.valid && signer)
    return {
      basis: 'client_eds',
      reason: null,
      note: `Signed with the client’s EDS: ${signerName(signer)}${signer.bin ? `, BIN ${signer.bin}` : ''}.`,
    };
  let refusal: ClaimAuthority | undefined;
  if (signer) {
    const receivedOn = localDateIn(deps.config.operatorTimeZone, c.receivedAt);
    if (signer.bin || !signer.iin) {
      refusal = {
        basis: null,
        reason: 'SIGNER_NOT_AUTHORISED',
        note: `Signed with ${signer.bin ? `the EDS of another organisation (BIN ${signer.bin})` : 'a certificate naming neither a BIN nor an IIN'}, not the client’s (BIN/IIN ${binIin}) nor an individual’s acting under a power of attorney (9.4).`,
      };
    } else {
      const powers = await trx('powers_of_attorney')
        .where({ client_id: c.clientId, attorney_iin: signer.iin })
        .whereRaw(`scopes @> ARRAY['claims']::text[]`)
        .orderBy('valid_until', 'desc')
        .forShare();
      const valid = powers.find(
        (p) =>
          p.valid_from <= receivedOn &&
          receivedOn <= p.valid_until &&
          (!p.revoked_at || new Date(p.revoked_at) > new Date(c.receivedAt)),
      );
      if (valid) {
        return {
          basis: 'power_of_attorney',
          reason: null,
          powerOfAttorneyId: valid.id,
          note: `Signed with the personal EDS of ${signerName(signer)} under power of attorney № ${valid.number} of ${valid.issued_on}, valid ${valid.valid_from} to ${valid.valid_until}.`,
        };
      }
      const why = powers.length
        ? `its power(s) of attorney for this person do not cover ${receivedOn}: ${powers.map((p) => `№ ${p.number} of ${p.issued_on}, valid ${p.valid_from} to ${p.valid_until}${p.revoked_at ? `, revoked ${new Date(p.revoked_at).toISOString()}` : ''}`).join('; ')}`
        : 'no power of attorney for this person to sign claims has been recorded';
      refusal = {
        basis: null,
        reason: 'SIGNER_NOT_AUTHORISED',
        note: `Signed with the personal EDS of ${signerName(signer)}, who is not the client; ${why} (9.4).`,
      };
    }
  }
  if (c.channel === 'post' && c.recordedBy && c.documents.some((d) => d.kind === 'authority')) {
    return {
      basis: 'paper_originals',
      reason: null,
      note: 'Received by post: the documents proving the signer’s authority, originals or notarised copies, were examined by the staff who recorded the claim (9.4).',
    };
  }
  return (
    refusal ?? {
      basis: null,
      reason: 'NOT_SIGNED',
      note: 'The claim carries no EDS signature of the client or of its representative (9.4).',
    }
  );
}

/** 9.2-9.4: a claim with its documents; without proof of the signer's authority it is recorded as not considered. */
export async function registerClaim(deps: SignDeps, c: NewClaim) {
  // The deadline runs from the receipt (9.3): a receipt in the future would stretch it.
  if (inFuture(deps, c.receivedAt))
    throw new ApiError(400, 'RECEIVED_IN_FUTURE', 'The claim cannot be received in the future');
  const files = claimFiles(c.documents);
  const binIin = await claimantBinIin(deps, c.clientId);
  const document = claimDocument(binIin, c, files);
  const check =
    c.signature === undefined
      ? undefined
      : await verifiedClaimSignature(deps, binIin, document, c.signature, c.receivedAt);
  return deps.db.transaction(async (trx) => {
    await claimingClient(trx, deps, c);
    const authority = await claimAuthority(trx, deps, c, binIin, check);
    const considered = authority.basis !== null;
    const [row] = await trx('claims')
      .insert({
        client_id: c.clientId,
        channel: c.channel,
        received_at: c.receivedAt,
        subject: c.subject,
        demands: c.demands,
        amount_claimed: c.amountClaimedTiyn ?? null,
        signer_name: c.signerName,
        concerns_date: c.concernsDate ?? null,
        status: considered ? 'under_review' : 'not_considered',
        recorded_by: c.recordedBy ?? null,
        signature: check ? c.signature : null,
        signed_document: check ? document : null,
        signature_check: check ? JSON.stringify({ problems: check.problems, checks: check.checks }) : null,
        signer: check?.signer ? JSON.stringify(check.signer) : null,
        signed_at: check?.signingTime ?? null,
        authority_basis: authority.basis,
        power_of_attorney_id: authority.powerOfAttorneyId ?? null,
        not_considered_reason: authority.reason,
        authority_note: authority.note,
      })
      .returning('*');
    if (files.length) {
      await trx('claim_documents').insert(
        files.map((d) => ({
          claim_id: row.id,
          kind: d.kind,
          filename: d.filename,
          content_type: d.contentType,
          content: d.content,
          sha256: d.sha256,
        })),
      );
    }
    await deps.temporal.client.workflow.start(claim, {
      taskQueue: deps.config.temporalTaskQueue,
      workflowId: claimWorkflowId(row.id),
      args: [
        {
          claimId: row.id,
          clientId: c.clientId,
          number: Number(row.number),
          receivedAt: new Date(row.received_at).toISOString(),
          considered,
        },
      ],
      typedSearchAttributes: [
        { key: ClientId, value: c.clientId },
        { key: BusinessStatus, value: considered ? 'claim_under_review' : 'claim_not_considered' },
      ],
      staticSummary: `Claim № ${row.number}: ${c.subject}`,
    });
    return row;
  });
}
