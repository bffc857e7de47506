import type { OutboxMessage } from '../../db/outbox';
import { clientMessageSignal, ticketWorkflowId } from '../../workflows/support-ticket';

/** The calendar or a force-majeure event changed: every workflow waiting on a deadline recomputes it. */
export const DEADLINES_CHANGED: OutboxMessage = { kind: 'deadlines-changed' };

/** The client wrote on a ticket (recorded as message `messageId`): its workflow takes it up. */
export function clientMessage(ticketId: string, messageId: number): OutboxMessage {
  return {
    kind: 'signal',
    workflowId: ticketWorkflowId(ticketId),
    signal: clientMessageSignal.name,
    args: [{ messageId }],
  };
}
