import Fastify from 'fastify';
import pino from 'pino';
import { Writable } from 'node:stream';
import { OneLinePerRequest } from '../../api/http/request-log';

// One line per request: what was asked, the answer and how long it took (api/http/request-log.ts).
test('a request is logged once, at its end, with its method, URL, status and time', async () => {
  const lines: any[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((line: string) => JSON.parse(line)),
      );
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level: 'info' }, sink), logController: new OneLinePerRequest() });
  app.get('/answer', async () => ({ ok: true }));
  app.get('/broken', async () => {
    throw new Error('boom');
  });
  await app.inject({ method: 'GET', url: '/answer?x=1' });
  const answered = lines.filter((l) => l.reqId);
  expect(answered).toEqual([
    expect.objectContaining({
      msg: 'request completed',
      req: expect.objectContaining({ method: 'GET', url: '/answer?x=1', remoteAddress: '127.0.0.1' }),
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    }),
  ]);
  lines.length = 0;
  await app.inject({ method: 'GET', url: '/broken' });
  expect(lines.map((l) => l.msg)).toContain('request completed');
  expect(lines.find((l) => l.msg === 'request completed')).toMatchObject({
    req: { url: '/broken' },
    res: { statusCode: 500 },
  });
  await app.close();
});
