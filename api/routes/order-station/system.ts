import type { FastifyPluginAsync } from 'fastify';
import { storeStationLog } from '../../../db/station-logs';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import { stationSchema } from '../../http/order-station/route-schema';
import { clientStation } from '../../views/orders';

export const LOG_LIMIT = 10 * 1024 * 1024;
const VERSION = { apiVersion: '2.0.0', omsVersion: `ismet-backoffice ${process.env.npm_package_version ?? '0.1.0'}` };

/** Availability, versions, and the client's software logs (СУЗ 4.5.11, 4.5.13, logs/upload). */
export const orderStationSystemRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db } = deps;
    app.get<{ Querystring: { omsId: string } }>(
      '/ping',
      { schema: stationSchema('get', '/ping') },
      async (request) => ({
        omsId: (await clientStation(request, deps, request.query.omsId)).omsId,
      }),
    );

    app.get(
      '/version',
      {
        config: { public: true },
        schema: stationSchema('get', '/version', {
          public: true,
          description: 'No token needed, as at the national station.',
        }),
      },
      async () => VERSION,
    );

    app.post<{ Querystring: { omsId: string } }>(
      '/logs/upload',
      {
        schema: {
          ...stationSchema('post', '/logs/upload', {
            description: `The log file of the client’s production software (multipart field \`log\`, at most ${LOG_LIMIT / 1024 / 1024} MiB), kept for the operator’s support to read when a ticket needs it.`,
          }),
          consumes: ['multipart/form-data'],
        },
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        if (!request.isMultipart())
          throw new ApiError(400, 'LOG_FILE_REQUIRED', 'Send the log as multipart/form-data in the field `log`');
        const file = await request.file({ limits: { fileSize: LOG_LIMIT, files: 1 } });
        if (!file || file.fieldname !== 'log')
          throw new ApiError(400, 'LOG_FILE_REQUIRED', 'Send the log as multipart/form-data in the field `log`');
        const content = await file.toBuffer();
        await storeStationLog(db, {
          clientId: station.clientId,
          fileName: file.filename || 'log',
          contentType: file.mimetype || 'application/octet-stream',
          content,
          at: deps.clock.now(),
        });
        return { omsId: station.omsId };
      },
    );
  };
