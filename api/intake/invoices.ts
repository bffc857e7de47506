import type { Knex } from 'knex';
import { issueInvoice } from '../../activities/invoices';
import { InvoiceConflictError, type InvoiceRequest } from '../../db/invoices';
import { NoPriceError } from '../../db/prices';
import { ApiError, conflict } from '../http/errors';

/**
 * An invoice for payment the client asks for (Прил. 2 п.6), issued at today's prices; the same
 * idempotency key again returns it (`replayed`), with another request a 409; no price in force → 422.
 */
export async function requestInvoice(
  db: Knex,
  p: { clientId: string; request: InvoiceRequest; idempotencyKey: string; issuedOn: string },
) {
  try {
    return await issueInvoice(db, p);
  } catch (error) {
    if (error instanceof InvoiceConflictError) throw conflict('IDEMPOTENCY_CONFLICT', error.message);
    if (error instanceof NoPriceError) throw new ApiError(422, 'NO_PRICE', error.message);
    throw error;
  }
}
