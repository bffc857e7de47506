import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DownloadRequest } from '../activities/downloads';
import type { DeliveredBlock } from '../db/downloads';
import {
  BUFFER_LIFETIME_WORKING_DAYS,
  BufferStatus,
  EMISSION_CHUNK,
  EMISSION_HOURS,
  OrderStatus,
  takesBufferRequests,
} from '../lib/order-rules';
import { applicationDeadline, applicationWorkflowId } from './application-deadline';
import { advanceChangedSignal, clientWorkflowId } from './client-lifecycle';
import { supportTicket, SupportTicketInput, ticketWorkflowId } from './support-ticket';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { countBreach, countCodesEmitted, countDownload, countOrderEvent } from './shared/business-metrics';
import { CalendarForWaits, loadCalendarForWaits, waitForDecisionOrDeadline } from './shared/deadline';
import { startDetached } from './shared/detached';
import { deliverNotice } from './shared/notify';
import { ShownAttributes } from './shared/shown-attributes';
import { contractEndingSignal, orderWorkflowId } from './shared/order-handles';

/** Orders begun before the buffer's lifetime followed 4.1.6 (BUFFER_LIFETIME_WORKING_DAYS): 30 calendar days. */
const FORMER_LIFETIME_CALENDAR_DAYS = 30;

export interface OrderEmissionInput {
  orderId: string;
  clientId: string;
  registeredAt: string;
  products: { orderProductId: string; gtin: string; quantity: number }[];
  /** A READY order going on in a new run after a long history of downloads: where it stood. */
  resumed?: ResumedOrder;
  /** Events after which a READY order goes on in a new run (the server may suggest sooner); tests set it low. */
  historyLimit?: number;
}

export interface ResumedOrder {
  state: OrderEmissionState;
  readyAt: string;
  lifetimeOf4_1_6: boolean;
}

/** Well below Temporal's 51,200-event limit: a client paging one code at a time gets ~1,500 downloads per run. */
const HISTORY_LIMIT = 10_000;

export interface BufferState {
  orderProductId: string;
  gtin: string;
  quantity: number;
  emitted: number;
  passed: number;
  status: BufferStatus;
}

export interface OrderEmissionState {
  orderId: string;
  status: OrderStatus;
  totalCodes: number;
  emitted: number;
  buffers: BufferState[];
  deadlineAt?: string;
  deadlineMissedAt?: string;
  declineReason?: string;
  reservedTiyn?: number;
  expiresAt?: string;
  releasedTiyn?: number;
  /** The clause the contract is ending under (3.7): the order ends once its codes are emitted. */
  contractEnding?: string;
  /** The workflow was started but the order's row never committed: it ended without doing anything. */
  notRecorded?: boolean;
}

export { orderWorkflowId };
export const orderStateQuery = defineQuery<OrderEmissionState>('orderState');
/**
 * A download (3.2, 6.4): the next codes of a buffer are handed over, charged from the
 * reservation and APPLIED, in one step; the same request again returns the same block.
 */
export const downloadUpdate = defineUpdate<DeliveredBlock, [Omit<DownloadRequest, 'orderId'>]>('download');
/** The client closes a buffer (one GTIN) or the whole order: its codes not downloaded are given up. */
export const closeBufferUpdate = defineUpdate<OrderEmissionState, [{ gtin?: string }]>('closeBuffer');

/** An order's own steps from its registration to READY and its expiry, each a database transaction of its own. */
type OrderSteps = Pick<
  Activities,
  'reserveOrder' | 'declineOrder' | 'markOrderReady' | 'setOrderExpiry' | 'orderNotice' | 'emitCodes'
>;

const plain = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});
const heartbeating = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  // A chunk takes a second or two; a worker that died mid-chunk is noticed within this.
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});
const stepsOf = (a: OrderSteps, emitCodes: OrderSteps['emitCodes']): OrderSteps => ({
  reserveOrder: a.reserveOrder,
  declineOrder: a.declineOrder,
  markOrderReady: a.markOrderReady,
  setOrderExpiry: a.setOrderExpiry,
  orderNotice: a.orderNotice,
  emitCodes,
});
const remoteSteps = stepsOf(plain, heartbeating.emitCodes);
const { recordEmissionBreach, openRequestedTicket, closeBuffers, closeOrder } = plain;

/**
 * Since this patch an order's short steps run as local activities, inside its workflow task: no task of their own
 * to schedule, dispatch and record on the server (issue #20: most of an order's cost was the server's, ~5 workflow
 * tasks and 4 activity tasks to READY). Each step is idempotent, as before; a worker that dies mid-step leaves the
 * workflow task to time out and the next worker repeats it. A chunk larger than LOCAL_EMISSION_MAX still runs as an
 * activity of its own, heartbeating.
 */
const LOCAL_STEPS_PATCH = 'order-local-steps';
const LOCAL_EMISSION_MAX = 2_000;
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '1 minute',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});
const localSteps = stepsOf(local, (orderProductId, from, to) =>
  (to - from <= LOCAL_EMISSION_MAX ? local : heartbeating).emitCodes(orderProductId, from, to),
);

const { deliverCodes } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  // Delivery is one transaction, heartbeating; a worker that died mid-delivery is noticed within this.
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** How long a request that came between the database's READY and this workflow's waits for the latter. */
const READY_GAP = '1 minute';

const finished = (b: BufferState) => b.status === 'CLOSED' || b.status === 'EXHAUSTED';

/**
 * An order for marking codes (3.2, 4.3.7, 4.4.4, Прил. 2 п.3): at emission the balance is
 * compared with the price; short → declined, nothing reserved; enough → reserved, the codes
 * emitted (status EMITTED) and the client told, all within 4 hours of registration or the
 * breach is recorded. The order then lives until its codes are downloaded (6.4), its buffers
 * closed or its lifetime over; what was never downloaded is released.
 */
export async function orderEmission(input: OrderEmissionInput): Promise<OrderEmissionState> {
  const state: OrderEmissionState = input.resumed?.state ?? {
    orderId: input.orderId,
    status: 'CREATED',
    totalCodes: input.products.reduce((sum, p) => sum + p.quantity, 0),
    emitted: 0,
    buffers: input.products.map((p) => ({ ...p, emitted: 0, passed: 0, status: 'PENDING' })),
  };
  const stepsInTask = patched(LOCAL_STEPS_PATCH);
  const steps = stepsInTask ? localSteps : remoteSteps;
  // Since LOCAL_STEPS_PATCH the search attributes are upserted when they change (the API started the workflow with
  // the client and CREATED; a new run keeps its predecessor's).
  const attributes = () => [
    { key: ClientId, value: input.clientId },
    { key: BusinessStatus, value: state.status },
  ];
  const shown = new ShownAttributes(stepsInTask, attributes());
  // Defined before the handlers: an update buffered for a new run comes with its first activation.
  const show = (details?: string) => {
    shown.show(attributes());
    setCurrentDetails(
      [
        `Order ${input.orderId}: ${state.status}, ${state.emitted} of ${state.totalCodes} codes emitted.`,
        state.deadlineAt
          ? `Emission deadline (4.4.4): ${state.deadlineAt}${state.deadlineMissedAt ? ` — MISSED, recorded ${state.deadlineMissedAt}` : ''}.`
          : '',
        state.expiresAt ? `Codes to be downloaded by ${state.expiresAt}.` : '',
        details ?? '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  };
  setHandler(orderStateQuery, () => state);
  setHandler(contractEndingSignal, ({ clause }) => void (state.contractEnding = clause));
  setHandler(closeBufferUpdate, (request) => closeBuffer(input, state, request, show), {
    validator: (request) => validateClose(state, request),
  });
  setHandler(downloadUpdate, (request) => download(input, state, request, show), {
    validator: (request) => validateDownload(state, request),
  });
  show();

  let calendarForWaits: CalendarForWaits | undefined;
  if (!input.resumed) {
    try {
      // Local steps: the calendar first, once for both waits; then only emit() runs local activities, one at a time.
      calendarForWaits = stepsInTask ? await loadCalendarForWaits(input.clientId) : undefined;
      await Promise.all([emit(input, state, show, steps), watchEmissionDeadline(input, state, show, calendarForWaits)]);
    } catch (error) {
      if (!neverRecorded(error)) throw error;
      // The API's transaction failed after this workflow was started (the database went away at COMMIT):
      // there is no order, the client was answered an error, and a retry records the order anew.
      state.notRecorded = true;
      show("The order's transaction never committed: there is nothing to emit.");
      return state;
    }
    if (state.status === 'DECLINED') return state;
  }

  const readyAt = input.resumed ? new Date(input.resumed.readyAt) : new Date();
  const lifetimeOf4_1_6 = input.resumed?.lifetimeOf4_1_6 ?? patched('buffer-lifetime-at-least-4.1.6');
  const historyLong = patched('order-continues-as-new') ? () => historyIsLong(input) : () => false;
  const outcome = await waitForDecisionOrDeadline({
    compute: (calendar) =>
      lifetimeOf4_1_6
        ? calendar.addWorkingDays(readyAt, BUFFER_LIFETIME_WORKING_DAYS)
        : calendar.addCalendarDays(readyAt, FORMER_LIFETIME_CALENDAR_DAYS),
    done: () => state.buffers.every(finished) || Boolean(state.contractEnding) || historyLong(),
    onDeadline: async (expiresAt) => {
      const first = !state.expiresAt;
      state.expiresAt = expiresAt.toISOString();
      await steps.setOrderExpiry(input.orderId, state.expiresAt);
      if (first) await deliverNotice(await steps.orderNotice(input.orderId, 'ready'));
      show();
    },
    loaded: calendarForWaits,
    localCalendar: stepsInTask,
  });
  // A download that emptied the last buffer (or the last before a new run) finishes answering its caller first.
  await condition(allHandlersFinished);
  if (outcome === 'done' && !state.buffers.every(finished) && !state.contractEnding) {
    // Downloads filled the history: the order goes on, as it stands, in a new run.
    return continueAsNew<typeof orderEmission>({
      ...input,
      resumed: { state, readyAt: readyAt.toISOString(), lifetimeOf4_1_6 },
    });
  }
  const end = outcome === 'deadline' ? 'EXPIRED' : 'CLOSED';
  state.releasedTiyn = await closeOrder(input.orderId, end);
  state.status = end;
  countOrderEvent(end === 'EXPIRED' ? 'expired' : 'closed');
  for (const b of state.buffers) if (b.status === 'ACTIVE') b.status = end;
  show(
    `Released ${state.releasedTiyn} tiyn of the reservation.${state.contractEnding ? ` The contract is ending (${state.contractEnding}).` : ''}`,
  );
  return state;
}

/**
 * An activity found no order row, ever (activities/rows.ts `committedRow`): its transaction rolled back. A local
 * activity's failure comes as the activity raised it, an activity's wrapped in ActivityFailure.
 */
function neverRecorded(error: unknown): boolean {
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.type === 'OrderNotFound';
}

/** Whether the history has grown long enough that the order should go on in a new run. */
function historyIsLong(input: OrderEmissionInput): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? HISTORY_LIMIT);
}

/** The client closes a buffer, or every buffer: what was not downloaded is given up. */
async function closeBuffer(
  input: OrderEmissionInput,
  state: OrderEmissionState,
  { gtin }: { gtin?: string },
  show: (details?: string) => void,
) {
  // Asked between the database's READY and this workflow's (takesBufferRequests): the buffers become ACTIVE first.
  if (state.status === 'APPROVED' && !(await condition(() => state.status !== 'APPROVED', READY_GAP))) {
    throw ApplicationFailure.nonRetryable(
      `the order is ${state.status}: only a READY order's buffers can be closed`,
      'BUFFER_NOT_CLOSABLE',
    );
  }
  await closeBuffers(input.orderId, gtin);
  for (const b of state.buffers) if (b.status === 'ACTIVE' && (!gtin || b.gtin === gtin)) b.status = 'CLOSED';
  show();
  return state;
}

function validateClose(state: OrderEmissionState, { gtin }: { gtin?: string }) {
  if (!takesBufferRequests(state.status))
    throw new Error(`the order is ${state.status}: only a READY order's buffers can be closed`);
  const open = (b: BufferState) => b.status === 'ACTIVE' || (state.status === 'APPROVED' && b.status === 'PENDING');
  if (gtin && !state.buffers.some((b) => b.gtin === gtin && open(b)))
    throw new Error(`the order has no active buffer for GTIN ${gtin}`);
}

/** A download (3.2, 6.4): the delivery hands over and charges in one transaction; its follow-ups start here. */
async function download(
  input: OrderEmissionInput,
  state: OrderEmissionState,
  request: Omit<DownloadRequest, 'orderId'>,
  show: (details?: string) => void,
) {
  const block = await deliverCodes({ ...request, orderId: input.orderId });
  const buffer = state.buffers.find((b) => b.gtin === request.gtin)!;
  buffer.passed = block.bufferPassed;
  if (block.bufferPassed === buffer.quantity) buffer.status = 'EXHAUSTED';
  if (!block.replayed) {
    countDownload(block);
    await Promise.all([followApplication(input, block), tellLifecycleOfUse(input.clientId)]);
  }
  show(
    `Block ${block.blockId}: ${block.quantity} codes of ${request.gtin} downloaded and charged ${block.amountTiyn} tiyn.`,
  );
  return block;
}

/** Refused before it enters the history: what this workflow knows makes the download impossible. */
function validateDownload(state: OrderEmissionState, request: Omit<DownloadRequest, 'orderId'>) {
  if (!takesBufferRequests(state.status))
    throw new Error(`the order is ${state.status}: codes are downloaded from a READY order`);
  if (state.contractEnding)
    throw new Error(`the contract is ending (${state.contractEnding}): the order is being closed`);
  if (!state.buffers.some((b) => b.gtin === request.gtin))
    throw new Error(`the order has no buffer for GTIN ${request.gtin}`);
  if (!Number.isInteger(request.quantity) || request.quantity < 1)
    throw new Error('quantity must be a positive whole number');
}

/** A support ticket runs in its own workflow, left running. */
async function openTicket(ticket: SupportTicketInput) {
  await startDetached(supportTicket, {
    workflowId: ticketWorkflowId(ticket.ticketId),
    args: [ticket],
    typedSearchAttributes: [{ key: ClientId, value: ticket.clientId ?? '' }],
    staticSummary: `Ticket ${ticket.number}: ${ticket.subject}`,
  });
}

/** A charge at download is a use of the advance (3.7): the client's lifecycle looks at its date again. */
async function tellLifecycleOfUse(clientId: string) {
  // Orders begun before this signal existed replay without it.
  if (!patched('lifecycle-told-of-use')) return;
  await getExternalWorkflowHandle(clientWorkflowId(clientId))
    .signal(advanceChangedSignal)
    .catch(() => undefined); // a client without a lifecycle: it looks again within 30 days anyway
}

/** The 30-working-day application period of the downloaded codes (4.1.6) runs in its own workflow. */
async function followApplication(input: OrderEmissionInput, block: DeliveredBlock) {
  await startDetached(applicationDeadline, {
    workflowId: applicationWorkflowId(block.blockId),
    args: [
      {
        blockId: block.blockId,
        clientId: input.clientId,
        orderId: input.orderId,
        deliveredAt: block.deliveredAt,
        receivedAt: block.receivedAt,
      },
    ],
    staticSummary: `Application period (4.1.6) of ${block.quantity} codes, order ${input.orderId}`,
  });
}

/** Reserve, then emit buffer by buffer in chunks; declined when the balance is short (3.2, 4.3.7). */
async function emit(
  input: OrderEmissionInput,
  state: OrderEmissionState,
  show: (details?: string) => void,
  steps: OrderSteps,
) {
  state.status = 'PENDING';
  show('Comparing the balance with the price of the codes (3.2).');
  const reservation = await steps.reserveOrder(input.orderId);
  if (!reservation.ok) {
    state.declineReason = 'insufficient funds';
    await steps.declineOrder(input.orderId, state.declineReason);
    state.status = 'DECLINED';
    countOrderEvent('declined');
    for (const b of state.buffers) b.status = 'REJECTED';
    show(`Declined: ${reservation.neededTiyn} tiyn needed, ${reservation.availableTiyn} available (4.3.7).`);
    await deliverNotice(await steps.orderNotice(input.orderId, 'declined', reservation));
    return;
  }
  state.reservedTiyn = reservation.reservedTiyn;
  state.status = 'APPROVED';
  show(`Reserved ${reservation.reservedTiyn} tiyn; emitting.`);
  for (const buffer of state.buffers) {
    for (let from = 0; from < buffer.quantity; from += EMISSION_CHUNK) {
      const before = buffer.emitted;
      buffer.emitted = await steps.emitCodes(
        buffer.orderProductId,
        from,
        Math.min(from + EMISSION_CHUNK, buffer.quantity),
      );
      countCodesEmitted(buffer.emitted - before);
      state.emitted = state.buffers.reduce((sum, b) => sum + b.emitted, 0);
      show();
    }
  }
  await steps.markOrderReady(input.orderId);
  state.status = 'READY';
  countOrderEvent('ready');
  for (const b of state.buffers) if (b.status === 'PENDING') b.status = 'ACTIVE';
  show('All codes emitted (status EMITTED).');
}

/** The 4-hour deadline (4.4.4): if it passes before the codes are ready, the breach is recorded and the client told. */
async function watchEmissionDeadline(
  input: OrderEmissionInput,
  state: OrderEmissionState,
  show: (details?: string) => void,
  calendarForWaits?: CalendarForWaits,
) {
  const outcome = await waitForDecisionOrDeadline({
    process: 'emission',
    compute: (calendar) => calendar.addClockHours(input.registeredAt, EMISSION_HOURS),
    done: () => state.status === 'READY' || state.status === 'DECLINED',
    onDeadline: (deadline) => {
      state.deadlineAt = deadline.toISOString();
      show();
    },
    // Emission runs local activities meanwhile: this wait's own (re)loads stay activities of their own.
    loaded: calendarForWaits,
  });
  if (outcome !== 'deadline') return;
  state.deadlineMissedAt = new Date().toISOString();
  await recordEmissionBreach(input.orderId, state.deadlineMissedAt);
  countBreach('emission');
  await openTicket(await openRequestedTicket('emission_deadline', input.orderId));
  show(
    'The emission deadline passed before the codes were ready: breach recorded, a high-priority support ticket opened (7.3).',
  );
  await deliverNotice(await remoteSteps.orderNotice(input.orderId, 'late'));
}
