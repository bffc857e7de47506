import type { Knex } from 'knex';
import { clientBalance } from '../../db/ledger';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { refundRequest, refundWorkflowId } from '../../workflows/refund-request';
import { ApiError, conflict } from '../http/errors';
import { activeClient, Deps, lock, SignDeps, signing } from './request-checks';
import { checkSignedInstruction, instructionDocument, signedColumns } from './signed-instructions';

export interface RefundInstruction {
  clientId: string;
  amountTiyn?: number;
  note?: string;
}

/** 6.11: a refund is possible — no other pending, unused money, no more than it. */
async function refundable(trx: Knex.Transaction, p: RefundInstruction) {
  const client = await activeClient(trx, p.clientId);
  if (await trx('refund_requests').where({ client_id: p.clientId, status: 'pending' }).first('id'))
    throw conflict('REFUND_PENDING', 'A refund is already being considered; wait for its answer');
  const { available } = await clientBalance(trx, p.clientId);
  if (available <= 0) throw conflict('NOTHING_TO_REFUND', 'There is no unused money on the personal account');
  if (p.amountTiyn !== undefined && p.amountTiyn > available)
    throw new ApiError(400, 'AMOUNT_EXCEEDS_BALANCE', `At most ${available} tiyn is unused`, {
      availableTiyn: available,
    });
  return client;
}

/** 6.11: the signed refund request names the amount, the note and the bank account of record it is paid to. */
const refundDocument = (client: Record<string, any>, p: RefundInstruction) =>
  instructionDocument('refund', client.bin_iin, {
    amountTiyn: p.amountTiyn ?? null,
    note: p.note ?? null,
    payTo: {
      iik: client.details?.iik ?? null,
      bik: client.details?.bik ?? null,
      bankName: client.details?.bankName ?? null,
    },
  });

/** The exact bytes the client's signer signs for this refund request (6.11); refused as the request would be. */
export async function refundDocumentFor(deps: Deps, p: RefundInstruction): Promise<Buffer> {
  return deps.db.transaction(async (trx) => refundDocument(await refundable(trx, p), p));
}

/**
 * 6.11: the client asks for unused money back; an accountant answers within 15 calendar days. The
 * request moves money: it is the client's EDS-signed document (api/intake/signed-instructions.ts), kept with it.
 */
export async function requestRefund(deps: SignDeps, p: RefundInstruction & { signature?: string }) {
  return deps.db.transaction(async (trx) => {
    await lock(trx, `refunds:${p.clientId}`);
    const client = await refundable(trx, p);
    const now = deps.clock.now();
    const signed = await checkSignedInstruction(signing(deps, trx), {
      clientId: p.clientId,
      binIin: client.bin_iin,
      kind: 'refund',
      document: refundDocument(client, p),
      signature: p.signature,
      at: now,
      what: 'A refund request (6.11)',
      documentRoute: 'POST /client/v1/refunds/document',
    });
    const requestedAt = now.toISOString();
    const [row] = await trx('refund_requests')
      .insert({
        client_id: p.clientId,
        kind: 'request',
        amount_requested: p.amountTiyn ?? null,
        client_note: p.note ?? null,
        iik: client.details?.iik ?? null,
        requested_at: requestedAt,
        ...signedColumns(signed),
      })
      .returning('*');
    await deps.temporal.client.workflow.start(refundRequest, {
      taskQueue: deps.config.temporalTaskQueue,
      workflowId: refundWorkflowId(row.id),
      args: [{ refundId: row.id, clientId: p.clientId, requestedAt, kind: 'request' }],
      typedSearchAttributes: [
        { key: ClientId, value: p.clientId },
        { key: BusinessStatus, value: 'refund_pending' },
      ],
      staticSummary: `Refund on request (6.11) for ${client.name}`,
    });
    return row;
  });
}
