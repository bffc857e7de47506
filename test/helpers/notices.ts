import type { Db } from '../../db/connection';
import { eventually } from './eventually';

/**
 * Waits until every notice recorded for a client has left the queue — sent, or given up — and
 * returns them. The notice-delivery workflow records `sent` only after the SMTP server accepted
 * the message (and the test receiver keeps a message before it answers 250): from then on every
 * e-mail of those notices, a second copy a retry may have sent included, is in the receiver's
 * list. The positive sign to count e-mails after, instead of a sleep.
 */
export function noticesSettled(db: Db, clientId: string, timeoutMs?: number): Promise<Record<string, any>[]> {
  return eventually(async () => {
    const notices = await db('notices').where({ client_id: clientId }).orderBy('created_at');
    return notices.length > 0 && notices.every((n) => n.status !== 'queued') && notices;
  }, timeoutMs);
}
