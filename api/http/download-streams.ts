import { DOWNLOAD_RETRY_SECONDS, DownloadsBusyError } from '../../db/codes-copy';
import type { AppDeps } from './deps';
import { ApiError } from './errors';

/**
 * A connection of the downloads' own (db/codes-copy.ts) for one codes file streamed by COPY: the cabinet's CSV and
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
