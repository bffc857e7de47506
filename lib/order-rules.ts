import { APPLICATION_WORKING_DAYS } from './contract-periods';

/**
 * An order's rules without I/O: its statuses, periods and sizes, and why a buffer gives no codes. The order's
 * workflow imports them as they are; `db/order-state.ts` applies them to the rows.
 */

/** An order's statuses, as the order station names them (Прил. 2 п.3). */
export type OrderStatus = 'CREATED' | 'PENDING' | 'DECLINED' | 'APPROVED' | 'READY' | 'CLOSED' | 'EXPIRED';
/** A buffer's (one GTIN of an order) statuses. */
export type BufferStatus = 'PENDING' | 'ACTIVE' | 'EXHAUSTED' | 'REJECTED' | 'CLOSED' | 'EXPIRED';
/** Orders waiting for their codes: counted against the station's limit of queued orders. */
export const QUEUED_STATUSES = ['CREATED', 'PENDING', 'APPROVED'] as const satisfies readonly OrderStatus[];
/** How an order ends after its codes were emitted: closed (by the client, or every buffer done) or expired. */
export type OrderOutcome = 'CLOSED' | 'EXPIRED';

/** Codes are provided within 4 hours of the order's registration (4.4.4), round the clock. */
export const EMISSION_HOURS = 4;
/**
 * The operator's lifetime of a buffer: codes not downloaded by then are cancelled and their money
 * released. The contract has no such rule, so it is never shorter than the client's own period to
 * apply the codes (4.1.6: 30 working days of receipt — of access, 3.9), and the order station
 * reports it (`expiredDate`).
 */
export const BUFFER_LIFETIME_WORKING_DAYS = APPLICATION_WORKING_DAYS;
/** Codes emitted by one idempotent step: large orders are emitted this many at a time. */
export const EMISSION_CHUNK = 10_000;

export interface DownloadRefusal {
  code: 'BUFFER_EXHAUSTED' | 'BUFFER_NOT_ACTIVE';
  message: string;
}

/**
 * Why a buffer gives no codes now (3.2, 6.4: codes are handed over from a READY order's ACTIVE buffer while
 * some are left), or undefined when it gives them. `available` is how many are emitted and not yet handed over,
 * when known.
 */
export function downloadRefusal(p: {
  orderId: string;
  gtin: string;
  orderStatus: string;
  bufferStatus: string;
  available?: number;
}): DownloadRefusal | undefined {
  const exhausted = {
    code: 'BUFFER_EXHAUSTED',
    message: `Every code of GTIN ${p.gtin} in order ${p.orderId} has been downloaded`,
  } as const;
  if (p.bufferStatus === 'EXHAUSTED') return exhausted;
  if (p.orderStatus !== 'READY' || p.bufferStatus !== 'ACTIVE') {
    return {
      code: 'BUFFER_NOT_ACTIVE',
      message: `The buffer of GTIN ${p.gtin} is ${p.bufferStatus} (order ${p.orderStatus}): no codes to download`,
    };
  }
  if (p.available !== undefined && p.available <= 0) return exhausted;
  return undefined;
}

/**
 * Whether an order's workflow takes a request about its buffers (a download, a close). The database marks the
 * order READY (db/order-state.ts markOrderReady) a moment before its workflow hears of it, and a client who read
 * READY may ask in between: so APPROVED is taken too, and the database decides the rest — the delivery checks the
 * buffer's row (downloadRefusal), a close waits for the workflow's own READY.
 */
export const takesBufferRequests = (status: OrderStatus) => status === 'READY' || status === 'APPROVED';
