import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { DOWNLOAD_RETRY_SECONDS, DownloadsBusyError } from '../../db/copy-pool';
import type { AppDeps } from './deps';
import { ApiError } from './errors';

/**
 * A connection of the downloads' own (db/copy-pool.ts) for one codes file streamed by COPY: the cabinet's CSV and
 * JSON, the order station's codes. All busy for a few seconds: 503 DOWNLOADS_BUSY with Retry-After.
 */
export function downloadConnections(deps: Pick<AppDeps, 'downloads'>) {
  const downloads = deps.downloads;
  if (!downloads) throw new Error('buildApp gives the download routes their connections');
  return async () => {
    try {
      return await downloads.acquire();
    } catch (error) {
      if (!(error instanceof DownloadsBusyError)) throw error;
      throw new ApiError(
        503,
        'DOWNLOADS_BUSY',
        `All ${error.streams} download streams of this server are busy; try again in a few seconds`,
        undefined,
        { 'retry-after': String(DOWNLOAD_RETRY_SECONDS) },
      );
    }
  };
}

/**
 * `body` ends with the response: destroyed when the client has gone before its last byte (or before it was sent at
 * all), which stops reading the codes and frees what the file held — not left to Fastify alone.
 */
export function endsWithResponse<T extends Readable>(reply: FastifyReply, body: T): T {
  const response = reply.raw;
  if (response.destroyed) body.destroy();
  else
    response.once('close', () => {
      if (!response.writableFinished) body.destroy();
    });
  return body;
}
