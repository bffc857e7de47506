import { downloadRefusal } from '../../lib/order-rules';

// Why a buffer gives no codes (3.2, 6.4): the one answer the API, the delivery and the station's views share.

const buffer = (orderStatus: string, bufferStatus: string, available?: number) =>
  downloadRefusal({ orderId: 'o-1', gtin: '04870000000017', orderStatus, bufferStatus, available });

test('a READY order’s ACTIVE buffer with codes left gives them', () => {
  expect(buffer('READY', 'ACTIVE', 5)).toBeUndefined();
  expect(buffer('READY', 'ACTIVE')).toBeUndefined();
});

test('every code handed over: BUFFER_EXHAUSTED, whether the buffer says so yet or not', () => {
  expect(buffer('READY', 'EXHAUSTED')).toEqual({
    code: 'BUFFER_EXHAUSTED',
    message: 'Every code of GTIN 04870000000017 in order o-1 has been downloaded',
  });
  expect(buffer('CLOSED', 'EXHAUSTED')?.code).toBe('BUFFER_EXHAUSTED');
  expect(buffer('READY', 'ACTIVE', 0)?.code).toBe('BUFFER_EXHAUSTED');
});

test.each([
  ['APPROVED', 'PENDING'],
  ['PENDING', 'PENDING'],
  ['DECLINED', 'REJECTED'],
  ['READY', 'CLOSED'],
  ['CLOSED', 'CLOSED'],
  ['EXPIRED', 'EXPIRED'],
])('order %s, buffer %s: BUFFER_NOT_ACTIVE naming both', (order, status) => {
  expect(buffer(order, status, 3)).toEqual({
    code: 'BUFFER_NOT_ACTIVE',
    message: `The buffer of GTIN 04870000000017 is ${status} (order ${order}): no codes to download`,
  });
});
