import type { Db } from '../db/connection';

export interface RecordedNotice {
  noticeId: string;
  clientId: string;
  subject: string;
}

/**
 * Records a notice to the client under a topic, once: a retry finds the one recorded before.
 * The workflow then delivers it (workflows/shared/notify.ts); the cabinet lists it.
 */
export async function recordNotice(
  db: Db,
  clientId: string,
  topic: string,
  text: { subject: string; body: string },
): Promise<RecordedNotice> {
  const client = await db('clients').where({ id: clientId }).first('email');
  await db('notices')
    .insert({ client_id: clientId, recipient: client.email, subject: text.subject, body: text.body, topic })
    .onConflict(db.raw('(client_id, topic) WHERE topic IS NOT NULL'))
    .ignore();
  const row = await db('notices').where({ client_id: clientId, topic }).first('id', 'subject');
  return { noticeId: row.id, clientId, subject: row.subject };
}

/** Every client whose contract runs: those a change of the contract (10.3.2) or force majeure (8.3) is told to. */
export const clientsWithContract = (db: Db) =>
  db('clients').whereIn('status', ['active', 'suspended']).whereNull('contract_ended_at');

/**
 * Records one notice of a topic for each of `clients` (a query of clients), once: a retry adds
 * none twice. Sent in batches by workflows/shared/broadcast.ts. Returns how many the topic has.
 */
export async function recordNoticeToEach(
  db: Db,
  clients: ReturnType<Db>,
  topic: string,
  text: { subject: string; body: string },
): Promise<number> {
  await db.raw(
    `INSERT INTO notices (client_id, recipient, subject, body, topic) ?
     ON CONFLICT (client_id, topic) WHERE topic IS NOT NULL DO NOTHING`,
    [
      clients
        .clone()
        .select(
          'id',
          'email',
          db.raw('?::text', [text.subject]),
          db.raw('?::text', [text.body]),
          db.raw('?::text', [topic]),
        ),
    ],
  );
  const [{ count }] = await db('notices').where({ topic }).count<{ count: number }[]>('* as count');
  return Number(count);
}
