import { createHash, randomUUID } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { codesCsvByCopy, codesJsonByCopy } from '../../../db/codes-copy';
import { blockCodes } from '../../../db/downloads';
import {
  codesCsv,
  codesZip,
  createRenderPool,
  DEFAULT_LABEL_LAYOUT,
  labelsPdf,
  LabelLayout,
  RenderPool,
} from '../../../lib/files';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { downloadConnections, endsWithResponse } from '../../http/download-streams';
import { download, recordCodeFile } from '../../intake/downloads';
import { ApiError } from '../../http/errors';
import { authErrors, errorResponses, IdParams, StringEnum, Uuid } from '../../schemas/common';
import { OptionalIdempotencyHeaders } from '../../schemas/invoices';
import { attachment } from '../../http/attachment';
import { blockProductNames, clientBlock, clientBlocks, clientOrderId } from '../../views/downloads';
import { inline } from '../../../lib/documents/bilingual';

const Block = Type.Object(
  {
    blockId: Uuid,
    orderId: Uuid,
    gtin: Type.String(),
    quantity: Type.Integer(),
    amountTiyn: Type.Integer({ description: 'Charged for these codes (VAT included), tiyn; 0 for a repeated request' }),
    codesSha256: Type.String({ description: 'SHA-256 of the codes, one per line in order' }),
    deliveredAt: Type.String({ format: 'date-time' }),
    applyBy: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
      description: 'Last day to apply the codes to the goods (4.1.6)',
    }),
    files: Type.Object({ csv: Type.String(), json: Type.String(), zip: Type.String(), pdf: Type.String() }),
  },
  { title: 'Downloaded block of codes' },
);

const CsvQuery = Type.Object(
  {
    gs: Type.Optional(
      StringEnum(['raw', 'escape', 'human'], {
        description: 'raw: the 0x1D byte; escape: the 6 characters \\u001d; human: (01)…(21)…(91)…(92)…',
      }),
    ),
    header: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ZipQuery = Type.Object({ format: Type.Optional(StringEnum(['png', 'svg'])) }, { additionalProperties: false });
const PdfQuery = Type.Object(
  {
    page: Type.Optional(StringEnum(['A4', 'A5', 'LETTER'])),
    columns: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 40 })),
    labelWidthMm: Type.Optional(Type.Number({ minimum: 10, maximum: 300 })),
    labelHeightMm: Type.Optional(Type.Number({ minimum: 10, maximum: 400 })),
    marginMm: Type.Optional(Type.Number({ minimum: 0, maximum: 50 })),
    symbolSizeMm: Type.Optional(Type.Number({ minimum: 8, maximum: 100 })),
  },
  { additionalProperties: false },
);

/** A large labels PDF logs its progress every this many labels (150,000 codes: 15 lines). */
const PROGRESS_LOG_LABELS = 10_000;

const links = (blockId: string) => ({
  csv: `/client/v1/downloads/${blockId}/codes.csv`,
  json: `/client/v1/downloads/${blockId}/codes.json`,
  zip: `/client/v1/downloads/${blockId}/datamatrix.zip`,
  pdf: `/client/v1/downloads/${blockId}/labels.pdf`,
});

/**
 * The cabinet's downloads (3.2, 6.4): taking codes from an order is a download — charged once,
 * the codes APPLIED — and makes a block; its files (CSV, JSON, DataMatrix ZIP, PDF labels) can
 * be fetched again and again for free. Files stream with bounded memory; symbols are rendered
 * on every core.
 */
export const clientDownloadRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    const security = [{ clientToken: [] }];
    let pool: RenderPool | undefined;
    const renderPool = () => (pool ??= createRenderPool());
    app.addHook('onClose', async () => pool?.close());
    const copyConnection = downloadConnections(deps);

    const ownBlock = (clientId: string, blockId: string) => clientBlock(db, clientId, blockId);

    /**
     * Streams a file to the client, recording its size and checksum once it has gone out whole.
     * The file's stream ends with the client's: a client that goes away (or a failed write)
     * destroys the reply's stream, pipeline() destroys the file's with it, and that stops reading
     * the codes and frees what the file held (a ZIP's temporary folder, its file handles).
     */
    const send = (
      reply: FastifyReply,
      blockId: string,
      format: string,
      type: string,
      filename: string,
      body: Readable,
    ) => {
      const disposition = attachment(filename);
      const hash = createHash('sha256');
      let bytes = 0;
      let sha256: string | undefined;
      const out = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          bytes += chunk.length;
          done(null, chunk);
        },
        flush(done) {
          sha256 = hash.digest('hex');
          done();
        },
      });
      // Errors reach Fastify through `out` (a 500 before the first byte, the connection cut after).
      pipeline(body, out, () => undefined);
      // Recorded when the last byte went out; a response closed before that is not a file handed over.
      reply.raw.once('finish', () => {
        if (sha256 === undefined) return;
        recordCodeFile(db, { blockId, format, bytes, sha256 }).catch((err) =>
          app.log.warn({ err }, 'file not recorded'),
        );
      });
      return reply.type(type).header('content-disposition', disposition).send(endsWithResponse(reply, out));
    };

    app.post(
      '/orders/:orderId/downloads',
      {
        schema: {
          tags: ['downloads'],
          summary:
            'Download codes of an order: all remaining of a GTIN, or N — charged from the reservation, codes APPLIED (3.2, 6.4)',
          description:
            'With the same Idempotency-Key the same block is returned and nothing charged again. The files of a block are then free.',
          security,
          params: IdParams('orderId'),
          headers: OptionalIdempotencyHeaders,
          body: Type.Object(
            { gtin: Type.String(), quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 150_000 })) },
            { additionalProperties: false },
          ),
          response: { 201: Block, 200: Block, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const { clientId } = requireClient(request);
        const orderId = await clientOrderId(db, clientId, request.params.orderId);
        const block = await download(deps, {
          orderId,
          gtin: request.body.gtin,
          quantity: request.body.quantity ?? 150_000,
          requestRef: `key:${request.headers['idempotency-key'] ?? randomUUID()}`,
          channel: 'cabinet',
        });
        const { bufferPassed: _passed, bufferQuantity: _total, replayed, ...rest } = block;
        return reply
          .status(replayed ? 200 : 201)
          .send({ ...rest, amountTiyn: replayed ? 0 : block.amountTiyn, files: links(block.blockId) });
      },
    );

    app.get(
      '/downloads',
      {
        schema: {
          tags: ['downloads'],
          summary: 'The client’s downloads, newest first',
          security,
          response: { 200: Type.Object({ downloads: Type.Array(Block) }), ...authErrors },
        },
      },
      async (request) => {
        const rows = await clientBlocks(db, requireClient(request).clientId);
        return {
          downloads: rows.map((b) => ({
            blockId: b.id,
            orderId: b.order_id,
            gtin: b.gtin,
            quantity: b.quantity,
            amountTiyn: b.amount,
            codesSha256: b.codes_sha256,
            deliveredAt: new Date(b.delivered_at).toISOString(),
            applyBy: b.apply_by,
            files: links(b.id),
          })),
        };
      },
    );

    const BlockParams = IdParams('blockId');

    app.get(
      '/downloads/:blockId/codes.csv',
      {
        schema: {
          tags: ['downloads'],
          summary: 'The block as CSV, one code per line; the GS separator as chosen',
          security,
          params: BlockParams,
          querystring: CsvQuery,
          produces: ['text/csv'],
          response: { ...authErrors, ...errorResponses(404, 503) },
        },
      },
      async (request, reply) => {
        const block = await ownBlock(requireClient(request).clientId, request.params.blockId);
        const gs = request.query.gs ?? 'raw';
        const header = request.query.header;
        // Written for people, the codes are parsed one by one; the machine forms stream from COPY.
        const body =
          gs === 'human'
            ? codesCsv(blockCodes(db, block.id), { gs, header })
            : codesCsvByCopy(await copyConnection(), block.id, { gs, header });
        return send(reply, block.id, `csv-${gs}`, 'text/csv; charset=utf-8', `codes_${block.id}.csv`, body);
      },
    );

    app.get(
      '/downloads/:blockId/codes.json',
      {
        schema: {
          tags: ['downloads'],
          summary: 'The block as JSON (GS written as \\u001d)',
          security,
          params: BlockParams,
          response: { ...authErrors, ...errorResponses(404, 503) },
        },
      },
      async (request, reply) => {
        const block = await ownBlock(requireClient(request).clientId, request.params.blockId);
        const body = codesJsonByCopy(await copyConnection(), block.id, { blockId: block.id });
        return send(reply, block.id, 'json', 'application/json; charset=utf-8', `codes_${block.id}.json`, body);
      },
    );

    app.get(
      '/downloads/:blockId/datamatrix.zip',
      {
        schema: {
          tags: ['downloads'],
          summary: 'The block as GS1 DataMatrix images (PNG or SVG) in a ZIP, with codes.csv listing them',
          security,
          params: BlockParams,
          querystring: ZipQuery,
          produces: ['application/zip'],
          response: { ...authErrors, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const block = await ownBlock(requireClient(request).clientId, request.params.blockId);
        const format = request.query.format ?? 'png';
        return send(
          reply,
          block.id,
          `zip-${format}`,
          'application/zip',
          `datamatrix_${block.id}.zip`,
          codesZip(blockCodes(db, block.id), { format, pool: renderPool() }),
        );
      },
    );

    app.get(
      '/downloads/:blockId/labels.pdf',
      {
        schema: {
          tags: ['downloads'],
          summary:
            "The block as a PDF label sheet: a DataMatrix, its human-readable code and the product's name (the client's product card) per label; layout configurable",
          description: `Default layout: ${JSON.stringify(DEFAULT_LABEL_LAYOUT)}. A layout that does not fit the page → 400 BAD_LAYOUT.`,
          security,
          params: BlockParams,
          querystring: PdfQuery,
          produces: ['application/pdf'],
          response: { ...authErrors, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const clientId = requireClient(request).clientId;
        const block = await ownBlock(clientId, request.params.blockId);
        const layout: Partial<LabelLayout> = request.query;
        // The product's name under each code: the client's product card for the block's GTIN.
        const productNames = await blockProductNames(db, clientId, block.id);
        let pdf: Readable;
        let logged = 0;
        // The PDF streams without a length, so the browser shows bytes but no total; the log tells how far it is.
        const onProgress = (labels: number) => {
          if (labels - logged < PROGRESS_LOG_LABELS && labels < block.quantity) return;
          logged = labels;
          request.log.info({ blockId: block.id, labels, total: block.quantity }, 'labels PDF progress');
        };
        try {
          pdf = labelsPdf(blockCodes(db, block.id), {
            layout,
            pool: renderPool(),
            title: inline('labels.titleOfBlock', { block: block.id }),
            createdAt: deps.clock.now(),
            productNames,
            onProgress,
          });
        } catch (error) {
          if (error instanceof RangeError) throw new ApiError(400, 'BAD_LAYOUT', error.message);
          throw error;
        }
        return send(reply, block.id, 'pdf', 'application/pdf', `labels_${block.id}.pdf`, pdf);
      },
    );
  };
