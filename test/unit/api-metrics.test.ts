import knex from 'knex';
import { createApiMetrics, exposition } from '../../api/http/metrics';
import { createCopyPool } from '../../db/copy-pool';
import type { Db } from '../../db/connection';

test('with PostgreSQL out of reach, /metrics still answers: the outbox gauges keep their last values', async () => {
  const db = knex({
    client: 'pg',
    connection: 'postgres://nobody:nothing@127.0.0.1:1/none',
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 300,
  }) as unknown as Db;
  try {
    const downloads = createCopyPool(db, { streams: 3, waitMs: 100 });
    const registry = createApiMetrics({ db, clock: { now: () => new Date('2026-12-01T06:00:00Z') }, downloads });
    const text = await exposition(registry);
    expect(text).toMatch(/^ismet_outbox_pending 0$/m);
    expect(text).toMatch(/^ismet_outbox_oldest_seconds 0$/m);
    expect(text).toMatch(/^ismet_db_pool_connections\{state="used"\} 0$/m);
    expect(text).toMatch(/^ismet_download_streams\{state="streaming"\} 0$/m);
    expect(text).toMatch(/^ismet_download_streams\{state="limit"\} 3$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    await downloads.close();
  } finally {
    await db.destroy();
  }
});
