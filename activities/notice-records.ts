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
export async function recordNotice(db: Db, clientId: string, topic: string, text: { subject: string; body: string }): Promise<RecordedNotice> {
  const client = await db('clients').where({ id: clientId }).first('email');
  await db('notices').insert({ client_id: clientId, recipient: client.email, subject: text.subject, body: text.body, topic }).onConflict(db.raw('(client_id, topic) WHERE topic IS NOT NULL')).ignore();
  const row = await db('notices').where({ client_id: clientId, topic }).first('id', 'subject');
  return { noticeId: row.id, clientId, subject: row.subject };
}
