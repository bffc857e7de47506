import { buildApp, type App } from '../../api/http/app';
import { requestIdFrom, SAFE_REQUEST_ID } from '../../api/http/request-id';
import { createLogger } from '../../lib/logger';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the caller’s x-request-id (issue #19)', () => {
  test('a safe short id is kept as it is', () => {
    for (const id of [
      'a',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
      '01HZX3Q9B7J8K5N2M4P6R8T0VW',
      'edge-7:1234.5_x',
      'x'.repeat(64),
    ])
      expect(requestIdFrom(id)).toBe(id);
  });

  test('anything else — too long, empty, spaces, quotes, slashes, control or non-ASCII characters, several headers — gets a fresh UUID', () => {
    for (const bad of [
      '',
      'x'.repeat(65),
      'two words',
      'quote"d',
      '<script>',
      'a/b',
      'line\nbreak',
      'tab\t',
      'nul\u0000',
      'ид-запроса',
      '${jndi:ldap://x}',
    ]) {
      const id = requestIdFrom(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(UUID);
    }
    expect(requestIdFrom(['a', 'b'])).toMatch(UUID);
    expect(requestIdFrom(undefined)).toMatch(UUID);
    expect(SAFE_REQUEST_ID.source).toBe('^[A-Za-z0-9._:-]{1,64}$');
  });

  describe('the API', () => {
    let app: App;
    beforeAll(async () => {
      // Nothing here reaches a database or Temporal: an unknown route answers from the app alone.
      app = await buildApp({
        config: {
          bodyLimit: 1048576,
          temporalTaskQueue: 'unit',
          publicUrl: 'http://127.0.0.1',
          operatorTimeZone: 'Asia/Almaty',
        },
        db: {} as never,
        temporal: {} as never,
        clock: { now: () => new Date('2026-06-01T06:00:00Z') } as never,
        logger: createLogger({ level: 'silent' }),
        eds: {} as never,
        operatorSigner: {} as never,
      });
    });
    afterAll(async () => {
      await app?.close();
    });

    test('answers with the caller’s id when it is safe, and with a fresh one instead of an unsafe one', async () => {
      const kept = await app.inject({ url: '/no-such-route', headers: { 'x-request-id': 'proxy-42:7.a_b' } });
      expect(kept.statusCode).toBe(404);
      expect(kept.headers['x-request-id']).toBe('proxy-42:7.a_b');

      for (const unsafe of ['x'.repeat(65), 'a b', 'a/b', '"quoted"', 'ид']) {
        const replaced = await app.inject({
          url: '/no-such-route',
          headers: { 'x-request-id': Buffer.from(unsafe).toString('latin1') },
        });
        expect(replaced.headers['x-request-id']).toMatch(UUID);
      }

      const none = await app.inject({ url: '/no-such-route' });
      expect(none.headers['x-request-id']).toMatch(UUID);
    });
  });
});
