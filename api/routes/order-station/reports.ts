import type { FastifyPluginAsync } from 'fastify';
import {
  AggregationRefusedError,
  aggregationReport,
  AggregationReportInput,
  aggregationUnit,
  recordAggregationReport,
} from '../../../db/aggregation';
import type { AppDeps } from '../../http/deps';
import { ApiError, notFound } from '../../http/errors';
import { receiptsFor } from '../../views/receipts';
import { stationSchema } from '../../http/order-station/route-schema';
import { clientStation, isUuid } from '../../views/orders';

/** A report of tens of thousands of full codes (~90 bytes each). */
const AGGREGATION_BODY_LIMIT = 16 * 1024 * 1024;

/** Aggregation of unit codes into sets and boxes, report status and receipts (СУЗ 4.5.3, 4.5.9, 4.5.10, 4.5.16). */
export const orderStationReportRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { db, clock } = deps;

    app.post<{ Querystring: { omsId: string }; Body: AggregationReportInput }>(
      '/aggregation',
      {
        bodyLimit: AGGREGATION_BODY_LIMIT,
        schema: stationSchema('post', '/aggregation', {
          body: true,
          description:
            'Puts footwear unit codes the client has received (downloaded and paid, 6.4) into a set or a box (`unitSerialNumber`, ' +
            'the code of the box). `AGGREGATION` makes a new unit; `UPDATE` replaces the content of the client’s own unit. ' +
            '`participantId` is the client’s BIN/IIN. The report is checked whole: any problem (a code not issued to the client, not ' +
            'yet downloaded, cancelled, already in another unit; a count that differs from the codes listed) refuses it with 400 and ' +
            'every problem in `fieldErrors`; otherwise it is recorded at once with status SENT. The same report again returns the same `reportId`.',
        }),
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        try {
          const { reportId } = await recordAggregationReport(db, {
            clientId: station.clientId,
            binIin: station.binIin,
            report: request.body,
            at: clock.now(),
          });
          return { omsId: station.omsId, reportId };
        } catch (error) {
          if (error instanceof AggregationRefusedError)
            throw new ApiError(400, 'AGGREGATION_REFUSED', error.message, error.problems);
          throw error;
        }
      },
    );

    app.get<{ Querystring: { omsId: string; unitSerialNumber: string } }>(
      '/aggregation/info',
      {
        schema: stationSchema('get', '/aggregation/info', {
          description: 'A unit this client aggregated: its codes in order and their products.',
        }),
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const found = await aggregationUnit(db, station.clientId, request.query.unitSerialNumber);
        if (!found) throw notFound('aggregation unit', request.query.unitSerialNumber);
        return {
          omsId: station.omsId,
          participantId: found.participantId,
          aggregationUnit: {
            unitSerialNumber: found.unit.unit_serial_number,
            aggregationUnitCapacity: found.unit.capacity,
            aggregatedItemsCount: found.unit.items_count,
            aggregationType: 'AGGREGATION',
            sntins: found.codes,
          },
          productsInfo: found.products,
        };
      },
    );

    app.get<{ Querystring: { omsId: string; reportId: string } }>(
      '/report/info',
      {
        schema: stationSchema('get', '/report/info', {
          description:
            'The status of a report this client sent (aggregation reports: SENT once recorded; footwear has no utilisation report here — codes are applied and paid at download, 6.4).',
        }),
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const { reportId } = request.query;
        const report = isUuid(reportId) ? await aggregationReport(db, station.clientId, reportId) : undefined;
        if (!report) throw notFound('report', reportId);
        return {
          omsId: station.omsId,
          reportId: report.id,
          reportStatus: report.status,
          ...(report.error_reason ? { errorReason: report.error_reason } : {}),
        };
      },
    );

    app.get<{ Querystring: { omsId: string; docId: string } }>(
      '/receipts',
      {
        schema: stationSchema('get', '/receipts', {
          description:
            'Receipts for a document of this client — an order (accepted; codes emitted or declined; closed or expired), a block of codes ' +
            '(delivered: quantity, amount charged, SHA-256 of the codes) or an aggregation report — each `content` canonical JSON signed ' +
            'by the operator (`signature`: base64 ECDSA P-256/SHA-256; key by `operatorKeyId` at /v1/operator/keys). Unknown → no receipts.',
        }),
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        return { receipts: await receiptsFor(deps, station, request.query.docId) };
      },
    );
  };
