import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { AppDeps } from '../http/deps';
import { ApiError, conflict } from '../http/errors';

/**
 * What the contract's long-lived requests (refunds, terminations, claims, compensations, contract
 * versions) check before they are recorded. Each is recorded and its workflow started in one
 * transaction, so a refused start leaves nothing behind (activities/rows.ts waits for the commit).
 */
export type Deps = Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>;
export type SignDeps = Deps & Pick<AppDeps, 'eds'>;

/** An instant staff enter as "now" on their own machine may run a little ahead of the server's clock. */
const CLOCK_SKEW_MS = 5 * 60_000;
export const inFuture = (deps: Pick<AppDeps, 'clock'>, at: string) =>
  new Date(at).getTime() > deps.clock.now().getTime() + CLOCK_SKEW_MS;
/** One request of its kind for the client at a time: held until the transaction ends. */
export const lock = (trx: Knex.Transaction, key: string) => trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [key]);
export const signing = (deps: SignDeps, trx: Knex.Transaction) => ({
  db: trx,
  eds: deps.eds,
  timeZone: deps.config.operatorTimeZone,
});

export async function activeClient(trx: Knex.Transaction, clientId: string) {
  const client = await trx('clients').where({ id: clientId }).first();
  if (!client) throw new ApiError(404, 'NOT_FOUND', `No client ${clientId}`);
  if (client.contract_ended_at || client.status === 'terminated')
    throw conflict('CONTRACT_ENDED', 'The contract has ended');
  return client;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A file sent as base64, decoded and hashed; a damaged or empty one refused (400) before anything is written. */
export function decodeFile(f: { filename: string; contentBase64: string }, what: 'document' | 'file') {
  // Node decodes what it can and drops the rest: a damaged document would be stored silently.
  const encoded = f.contentBase64.replace(/\s+/g, '');
  if (encoded.length % 4 === 1 || !BASE64.test(encoded))
    throw new ApiError(400, 'INVALID_BASE64', `The ${what} ${f.filename} is not valid base64`);
  const content = Buffer.from(encoded, 'base64');
  if (content.length === 0) throw new ApiError(400, 'EMPTY_DOCUMENT', `The ${what} ${f.filename} is empty`);
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}
