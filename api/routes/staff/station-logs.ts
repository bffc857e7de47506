import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../http/deps';
import { authErrors, errorResponses, IsoInstant, Uuid } from '../../schemas/common';
import { stationLogFile, stationLogList } from '../../views/tickets';

const auth = { staff: ['support', 'admin'] as const };
const security = [{ staffToken: [] }];

const StationLog = Type.Object({
  id: Uuid,
  fileName: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: IsoInstant,
});

/** Logs a client's production software sent to the order station (`POST /api/v2/shoes/logs/upload`), for support. */
export const staffStationLogRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/clients/:clientId/station-logs',
      {
        config: { auth },
        schema: {
          tags: ['clients'],
          summary: 'Logs the client’s software uploaded to the order station, newest first (at most 200)',
          security,
          params: Type.Object({ clientId: Uuid }),
          response: { 200: Type.Object({ logs: Type.Array(StationLog) }), ...authErrors },
        },
      },
      async (request) => ({ logs: await stationLogList(db, request.params.clientId) }),
    );

    app.get(
      '/clients/:clientId/station-logs/:logId',
      {
        config: { auth },
        schema: {
          tags: ['clients'],
          summary: 'One uploaded log file, as uploaded (served as an attachment)',
          security,
          params: Type.Object({ clientId: Uuid, logId: Uuid }),
          produces: ['application/octet-stream'],
          response: { ...authErrors, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const log = await stationLogFile(db, request.params.clientId, request.params.logId);
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(log.file_name)}`)
          .header('x-content-sha256', log.sha256)
          .send(log.content);
      },
    );
  };
