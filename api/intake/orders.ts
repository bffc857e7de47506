import { OrderRefusedError, OrderRequest, registerOrder } from '../../db/orders';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { EMISSION_HOURS } from '../../lib/order-rules';
import { taskQueueOf } from '../../lib/task-queues';
import { orderEmission, orderWorkflowId } from '../../workflows/order-emission';
import { zoneCalendar } from '../views/account';
import type { AppDeps } from '../http/deps';
import { ApiError } from '../http/errors';

/**
 * An order as the station takes it (СУЗ «Создать заказ на эмиссию КМ», Прил. 2 п.3): recorded
 * with its 4-hour deadline (4.4.4) and its `orderEmission` workflow started in one transaction,
 * so an order is never recorded without its process. The same idempotency key returns the
 * same order.
 */
export async function takeOrder(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>,
  station: { clientId: string; omsId: string },
  request: OrderRequest,
  idempotencyKey?: string,
) {
  const calendar = zoneCalendar(deps.config);
  const now = deps.clock.now();
  try {
    const { order, products } = await deps.db.transaction(async (trx) => {
      const registered = await registerOrder(trx, {
        clientId: station.clientId,
        omsId: station.omsId,
        request,
        registeredAt: now,
        today: calendar.localDate(now),
        idempotencyKey,
        deadline: (at) => calendar.addClockHours(at, EMISSION_HOURS),
      });
      if (!registered.existing) {
        await deps.temporal.client.workflow.start(orderEmission, {
          workflowId: orderWorkflowId(registered.order.id),
          taskQueue: taskQueueOf(deps.config.temporalTaskQueue, 'orders'),
          args: [
            {
              orderId: registered.order.id,
              clientId: station.clientId,
              registeredAt: new Date(registered.order.registered_at).toISOString(),
              products: registered.products.map((p) => ({ orderProductId: p.id, gtin: p.gtin, quantity: p.quantity })),
            },
          ],
          typedSearchAttributes: [
            { key: ClientId, value: station.clientId },
            { key: BusinessStatus, value: 'CREATED' },
          ],
          staticSummary: `Order ${registered.order.id}: ${registered.order.total_codes} codes, ${registered.products.length} GTIN(s)`,
          staticDetails: `GTINs: ${registered.products.map((p) => `${p.gtin} × ${p.quantity}`).join(', ')}`,
        });
      }
      return registered;
    });
    // The station's estimate of the time to emission, ms.
    const expectedCompleteTimestamp = 2000 + Math.ceil(order.total_codes / 10_000) * 1500 + products.length * 500;
    return { omsId: station.omsId, orderId: order.id as string, expectedCompleteTimestamp };
  } catch (error) {
    if (error instanceof OrderRefusedError) throw new ApiError(error.status, error.code, error.message, error.details);
    throw error;
  }
}
