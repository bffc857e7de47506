import canonicalize from 'canonicalize';
import type { Db } from '../../db/connection';
import type { OperatorSigner } from '../../lib/operator-signature';
import { isUuid } from './orders';

/**
 * Receipts (СУЗ «Получение квитанций по уникальному идентификатору документа»): for a document
 * the client sent or received — an order, a block of codes, an aggregation report — the
 * station's account of what became of it, as canonical JSON signed by the operator (ECDSA
 * P-256 over the UTF-8 bytes; the key is published at /v1/operator/keys by `operatorKeyId`).
 * A document of another client, or none, has no receipts.
 */

type Row = Record<string, any>;
const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : undefined);

async function documentOf(db: Db, clientId: string, docId: string): Promise<Row[]> {
  const order = await db('orders').where({ id: docId, client_id: clientId }).first();
  if (order) {
    const buffers = await db('order_products')
      .where({ order_id: order.id })
      .orderBy('gtin')
      .select('gtin', 'quantity', 'emitted', 'passed', 'status');
    const accepted = {
      docId,
      docType: 'ORDER',
      event: 'ACCEPTED',
      at: iso(order.registered_at),
      totalCodes: order.total_codes,
      emissionDeadline: iso(order.emission_deadline_at),
    };
    const outcome =
      order.status === 'DECLINED'
        ? { docId, docType: 'ORDER', event: 'DECLINED', at: iso(order.closed_at), declineReason: order.decline_reason }
        : order.ready_at
          ? {
              docId,
              docType: 'ORDER',
              event: 'CODES_EMITTED',
              at: iso(order.ready_at),
              deadlineMissed: !!order.deadline_missed_at,
              buffers: buffers.map((b) => ({ gtin: b.gtin, quantity: b.quantity, emitted: b.emitted })),
            }
          : undefined;
    const closed = ['CLOSED', 'EXPIRED'].includes(order.status)
      ? {
          docId,
          docType: 'ORDER',
          event: order.status,
          at: iso(order.closed_at),
          buffers: buffers.map((b) => ({ gtin: b.gtin, passed: b.passed, status: b.status })),
        }
      : undefined;
    return [accepted, outcome, closed].filter((r): r is NonNullable<typeof r> => !!r);
  }
  const block = await db('code_blocks as b')
    .join('order_products as p', 'p.id', 'b.order_product_id')
    .where({ 'b.id': docId, 'b.client_id': clientId })
    .first('b.*', 'p.order_id', 'p.gtin');
  if (block) {
    return [
      {
        docId,
        docType: 'CODE_BLOCK',
        event: 'DELIVERED',
        at: iso(block.delivered_at),
        orderId: block.order_id,
        gtin: block.gtin,
        quantity: block.quantity,
        amountTiyn: block.amount,
        codesSha256: block.codes_sha256,
        applyBy: block.apply_by ?? undefined,
      },
    ];
  }
  const report = await db('aggregation_reports').where({ id: docId, client_id: clientId }).first();
  if (report) {
    return [
      {
        docId,
        docType: 'AGGREGATION_REPORT',
        event: report.status,
        at: iso(report.received_at),
        participantId: report.participant_id,
        units: report.units,
        codes: report.codes,
        errorReason: report.error_reason ?? undefined,
      },
    ];
  }
  return [];
}

export async function receiptsFor(
  deps: { db: Db; operatorSigner: OperatorSigner },
  client: { clientId: string; omsId: string },
  docId: string,
) {
  if (!isUuid(docId)) return [];
  const events = await documentOf(deps.db, client.clientId, docId);
  if (events.length) {
    await deps
      .db('operator_keys')
      .insert({ key_id: deps.operatorSigner.keyId, public_key_pem: deps.operatorSigner.publicKeyPem })
      .onConflict('key_id')
      .ignore();
  }
  return events.map((event) => {
    const content = canonicalize({ ...event, omsId: client.omsId, operatorKeyId: deps.operatorSigner.keyId })!;
    return { content, signature: deps.operatorSigner.sign(Buffer.from(content, 'utf8')) };
  });
}
