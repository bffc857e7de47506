import type { Db } from '../db/connection';
import { type Language, LANGUAGES } from '../lib/i18n/languages';

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

type NoticeText = { subject: string; body: string };
/** A notice's text, or its text for a client who reads `language` first (issue #21). */
export type NoticeTexts = NoticeText | ((language: Language) => NoticeText);

/**
 * Records one notice of a topic for each of `clients` (a query of clients), once: a retry adds
 * none twice; a text by language goes to each client in its language. Sent in batches by
 * workflows/shared/broadcast.ts. Returns how many the topic has.
 */
export async function recordNoticeToEach(
  db: Db,
  clients: ReturnType<Db>,
  topic: string,
  text: NoticeTexts,
): Promise<number> {
  const groups: Array<[ReturnType<Db>, NoticeText]> =
    typeof text === 'function'
      ? LANGUAGES.map((language) => [clients.clone().where('language', language), text(language)])
      : [[clients, text]];
  for (const [who, { subject, body }] of groups)
    await db.raw(
      `INSERT INTO notices (client_id, recipient, subject, body, topic) ?
       ON CONFLICT (client_id, topic) WHERE topic IS NOT NULL DO NOTHING`,
      [
        who
          .clone()
          .select('id', 'email', db.raw('?::text', [subject]), db.raw('?::text', [body]), db.raw('?::text', [topic])),
      ],
    );
  const [{ count }] = await db('notices').where({ topic }).count<{ count: number }[]>('* as count');
  return Number(count);
}
