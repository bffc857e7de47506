import type { TokenOwner } from '../../db/api-tokens';
import { listenForAuthChanges } from '../../db/auth-changes';
import type { Db } from '../../db/connection';

/** Beyond this many tokens the cache starts afresh: a bound on memory, not an eviction policy. */
const MAX_ENTRIES = 10_000;

/**
 * API tokens' owners as looked up (db/api-tokens.ts `tokenOwner`), kept `seconds` in this process so that a client's
 * hot reads cost one database round trip, not two (issue #20). Any change to what a token may do clears it at once
 * (PostgreSQL NOTIFY, migration 039); while that channel is down nothing is kept.
 */
export interface TokenCache {
  /** Changes heard so far: a lookup begun before one is not kept (`set` compares). */
  readonly generation: number;
  get(tokenHash: string): TokenOwner | undefined;
  set(tokenHash: string, owner: TokenOwner, generation: number): void;
  close(): Promise<void>;
}

export function startTokenCache(
  db: Db,
  options: { seconds: number; log: { warn(details: object, message: string): void }; now?: () => number },
): TokenCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { owner: TokenOwner; at: number }>();
  let generation = 0;
  const listener = listenForAuthChanges(
    db,
    () => {
      entries.clear();
      generation++;
    },
    options.log,
  );
  return {
    get generation() {
      return generation;
    },
    get(tokenHash) {
      if (!listener.listening) return undefined;
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (now() - entry.at < options.seconds * 1000) return entry.owner;
      entries.delete(tokenHash);
      return undefined;
    },
    set(tokenHash, owner, since) {
      if (!listener.listening || since !== generation) return;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(tokenHash, { owner, at: now() });
    },
    close: () => listener.close(),
  };
}
