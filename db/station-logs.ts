import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/** Logs a client's production software (АСУТП) uploads to the order station, kept for support. */
export async function storeStationLog(
  db: Knex,
  p: { clientId: string; fileName: string; contentType: string; content: Buffer; at: Date },
) {
  const [row] = await db('station_logs')
    .insert({
      client_id: p.clientId,
      file_name: p.fileName,
      content_type: p.contentType,
      size: p.content.length,
      sha256: createHash('sha256').update(p.content).digest('hex'),
      content: p.content,
      uploaded_at: p.at,
    })
    .returning(['id', 'size', 'sha256']);
  return row as { id: string; size: number; sha256: string };
}

/** A client's uploaded logs, newest first (without their content). */
export const stationLogs = (db: Knex, clientId: string, limit = 200) =>
  db('station_logs')
    .where({ client_id: clientId })
    .orderBy('uploaded_at', 'desc')
    .limit(limit)
    .select('id', 'file_name', 'content_type', 'size', 'sha256', 'uploaded_at');

/** One uploaded log with its content. */
export const stationLog = (db: Knex, clientId: string, logId: string) =>
  db('station_logs').where({ client_id: clientId, id: logId }).first();
