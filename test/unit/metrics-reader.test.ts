import type { FastifyRequest } from 'fastify';
import { metricsReader } from '../../api/http/metrics';

const request = (remoteAddress: string, headers: Record<string, string> = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as FastifyRequest;

test('without METRICS_TOKEN, /metrics answers a loopback peer that no proxy forwarded', () => {
  const mayRead = metricsReader(undefined);
  expect(mayRead(request('127.0.0.1'))).toBe(true);
  expect(mayRead(request('::1'))).toBe(true);
  expect(mayRead(request('::ffff:127.0.0.1'))).toBe(true);
  expect(mayRead(request('10.0.0.5'))).toBe(false);
  expect(mayRead(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' }))).toBe(false);
  expect(mayRead(request('127.0.0.1', { forwarded: 'for=203.0.113.7' }))).toBe(false);
});

test('with METRICS_TOKEN, only its bearer reads — from anywhere, loopback included', () => {
  const mayRead = metricsReader('s3cret-scrape-token');
  expect(mayRead(request('10.0.0.5', { authorization: 'Bearer s3cret-scrape-token' }))).toBe(true);
  expect(mayRead(request('10.0.0.5', { authorization: 'Bearer s3cret-scrape-tokeN' }))).toBe(false);
  expect(mayRead(request('10.0.0.5', { authorization: 's3cret-scrape-token' }))).toBe(false);
  expect(mayRead(request('127.0.0.1'))).toBe(false);
});
