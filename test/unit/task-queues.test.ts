import { contractTaskQueue, deploymentTaskQueues, parseWorkKinds, taskQueueOf } from '../../lib/task-queues';
import { loadConfig } from '../../lib/config';

test("orders have a queue of their own beside the deployment's base queue, and find their way back to it", () => {
  expect(taskQueueOf('ismet-backoffice', 'contract')).toBe('ismet-backoffice');
  expect(taskQueueOf('ismet-backoffice', 'orders')).toBe('ismet-backoffice-orders');
  expect(deploymentTaskQueues('q')).toEqual(['q', 'q-orders']);
  expect(contractTaskQueue('q-orders')).toBe('q');
  expect(contractTaskQueue('q')).toBe('q');
});

test('WORKER_KINDS names the kinds of work a worker process takes; every kind by default; an unknown one stops the start', () => {
  expect(parseWorkKinds('orders')).toEqual(['orders']);
  expect(parseWorkKinds(' contract , orders,contract')).toEqual(['contract', 'orders']);
  expect(() => parseWorkKinds('tickets')).toThrow(/unknown kinds of work \["tickets"\]/);
  expect(() => parseWorkKinds(' , ')).toThrow(RangeError);
  expect(loadConfig({}).workerKinds).toEqual(['contract', 'orders']);
  expect(loadConfig({ WORKER_KINDS: 'contract' }).workerKinds).toEqual(['contract']);
  expect(() => loadConfig({ WORKER_KINDS: 'everything' })).toThrow();
});
