import pg from 'pg';
import { connectionSettingsOf, type Db } from './connection';

/**
 * The downloads' own connections (#20): a codes file streamed by COPY (db/codes-copy.ts) holds its connection until
 * the file's last byte has gone out — back-pressure reaches PostgreSQL — so downloads never take the pool every
 * request shares, and how many stream at once per API process is capped (DOWNLOAD_STREAMS).
 */

/** How long a download waits for a stream of its own, and when one refused is told to come back. */
export const DOWNLOAD_WAIT_MS = 5_000;
export const DOWNLOAD_RETRY_SECONDS = 5;
/** Streams at once per API process when the configuration names none (DOWNLOAD_STREAMS' default in lib/config.ts). */
export const DEFAULT_DOWNLOAD_STREAMS = 4;

export interface CopyPool {
  /** A connection for one download; DownloadsBusyError when all are streaming for longer than the wait allowed. */
  acquire(): Promise<pg.PoolClient>;
  /** Connections streaming now, of `limit`. */
  readonly streaming: number;
  readonly limit: number;
  /** Cuts every stream (their HTTP answers end with them): a server going down does not wait on slow readers. */
  abort(): void;
  close(): Promise<void>;
}

export class DownloadsBusyError extends Error {
  constructor(readonly streams: number) {
    super(`all ${streams} download streams are busy`);
    this.name = 'DownloadsBusyError';
  }
}

type Socketed = { connection?: { stream?: { destroy(): void } } };
/** Closes a connection both ways at once: PostgreSQL may be blocked sending a COPY nobody reads. */
export const cut = (client: pg.PoolClient) => (client as unknown as Socketed).connection?.stream?.destroy();

export function createCopyPool(db: Db, { streams, waitMs }: { streams: number; waitMs: number }): CopyPool {
  // Made at the first download: an API that never streams one opens no connection for it.
  let made: pg.Pool | undefined;
  const lent = new Set<pg.PoolClient>();
  const pool = () => {
    if (made) return made;
    made = new pg.Pool({
      ...connectionSettingsOf(db),
      application_name: 'ismet-downloads',
      max: streams,
      connectionTimeoutMillis: waitMs,
      idleTimeoutMillis: 10_000,
    });
    made.on('error', () => undefined); // an idle connection lost: the pool drops it
    made.on('release', (_error: Error | undefined, client: pg.PoolClient) => lent.delete(client));
    made.on('remove', (client: pg.PoolClient) => lent.delete(client));
    return made;
  };
  return {
    async acquire() {
      try {
        const client = await pool().connect();
        lent.add(client);
        return client;
      } catch (error) {
        if (/timeout exceeded when trying to connect/.test((error as Error).message))
          throw new DownloadsBusyError(streams);
        throw error;
      }
    },
    get streaming() {
      return lent.size;
    },
    limit: streams,
    abort() {
      for (const client of lent) cut(client);
    },
    async close() {
      this.abort();
      await made?.end();
    },
  };
}
