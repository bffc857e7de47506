import { defineSignal } from '@temporalio/workflow';

/** How other workflows reach an order's: its ID and the signals it takes from them. */
export const orderWorkflowId = (orderId: string) => `order-${orderId}`;
/** The contract is ending (3.7): the order's buffers close, codes not downloaded are given up. */
export const contractEndingSignal = defineSignal<[{ clause: string }]>('contractEnding');
