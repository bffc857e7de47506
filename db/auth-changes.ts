import pg from 'pg';
import { connectionSettingsOf, type Db } from './connection';

/** The channel migration 039's triggers notify when what an API token may do changes. */
export const AUTH_CHANGED_CHANNEL = 'ismet_auth_changed';

export interface AuthChangeListener {
  /** The channel is open: a change committed from now on will be heard. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * Listens on AUTH_CHANGED_CHANNEL on a connection of its own (LISTEN cannot share the pool's), reconnecting after a
 * loss. `changed` is called on every change heard, and whenever the connection is lost or opened again: what happened
 * meanwhile was not heard.
 */
export function listenForAuthChanges(
  db: Db,
  changed: () => void,
  log: { warn(details: object, message: string): void },
  retryMs = 1000,
): AuthChangeListener {
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const drop = (c: pg.Client) => {
    c.removeAllListeners();
    c.on('error', () => undefined);
    void c.end().catch(() => undefined);
  };
  const lost = (c: pg.Client, error?: Error) => {
    if (client !== c) return;
    client = undefined;
    listening = false;
    changed();
    drop(c);
    if (closed) return;
    log.warn(
      { err: error },
      'the channel of API token changes was lost: tokens are looked up on every request until it is back',
    );
    retry = setTimeout(connect, retryMs);
  };
  const connect = async () => {
    retry = undefined;
    if (closed) return;
    const c = new pg.Client({ ...connectionSettingsOf(db), application_name: 'ismet-auth-changes' });
    client = c;
    c.on('error', (error) => lost(c, error));
    c.on('end', () => lost(c));
    c.on('notification', (message) => {
      if (message.channel === AUTH_CHANGED_CHANNEL) changed();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${AUTH_CHANGED_CHANNEL}`);
      if (client !== c) return;
      listening = true;
      changed();
    } catch (error) {
      lost(c, error as Error);
    }
  };
  void connect();

  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      listening = false;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners();
        c.on('error', () => undefined);
        await c.end().catch(() => undefined);
      }
    },
  };
}
