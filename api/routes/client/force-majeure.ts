import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import type { BusinessCalendar } from '../../../lib/calendar';
import { requireClient } from '../../http/auth';
import { signalDeadlineWaiters } from '../../intake/deadline-waiters';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { operatorCalendar } from '../../views/operator-calendar';
import { authErrors, errorResponses, IdParams, IsoInstant } from '../../schemas/common';
import { Declaration, DeclarationInput, EVIDENCE_COLUMNS, EvidenceInput, toDeclaration } from '../../schemas/force-majeure';

/** A client's clock a little ahead of the operator's is not a date in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type EvidenceFile = { kind: string; filename: string; contentType: string; contentBase64: string };

/** The files as stored: decoded, hashed; damaged or empty ones refused before anything is written. */
function decodeEvidence(files: readonly EvidenceFile[], addedAt: Date) {
  return files.map((f) => {
    const encoded = f.contentBase64.replace(/\s+/g, '');
    // Node decodes what it can and drops the rest: a damaged certificate would be kept silently.
    if (encoded.length % 4 === 1 || !BASE64.test(encoded)) throw new ApiError(400, 'INVALID_BASE64', `The file ${f.filename} is not valid base64`);
    const content = Buffer.from(encoded, 'base64');
    if (content.length === 0) throw new ApiError(400, 'EMPTY_DOCUMENT', `The file ${f.filename} is empty`);
    return { kind: f.kind, filename: f.filename, content_type: f.contentType, content, sha256: createHash('sha256').update(content).digest('hex'), added_at: addedAt };
  });
}

/** The evidence of declarations (without the files' content), by declaration. */
export async function evidenceOf(db: Knex, declarationIds: string[]): Promise<Map<string, Record<string, any>[]>> {
  const rows = declarationIds.length ? await db('force_majeure_evidence').whereIn('declaration_id', declarationIds).orderBy('id').select('declaration_id', ...EVIDENCE_COLUMNS) : [];
  const by = new Map<string, Record<string, any>[]>(declarationIds.map((id) => [id, []]));
  for (const r of rows) by.get(r.declaration_id)!.push(r);
  return by;
}

/** Declarations as views, each with its evidence. */
export async function declarationViews<T>(db: Knex, calendar: BusinessCalendar, rows: Record<string, any>[], view: (calendar: BusinessCalendar, d: Record<string, any>, evidence: Record<string, any>[]) => T): Promise<T[]> {
  const evidence = await evidenceOf(db, rows.map((r) => r.id));
  return rows.map((r) => view(calendar, r, evidence.get(r.id)!));
}

/**
 * Force majeure that hits the client (8.3-8.5): the client notifies the operator within 5 working
 * days of the start — the nature, the expected duration, the obligations it prevents — with the
 * proof (8.5: a certificate of a competent authority or organisation such as the NCE «Atameken»,
 * unless the event is a well-known fact), and the end when it comes. Staff review it; once
 * accepted, the client's deadlines of those obligations stand still while it lasts (8.4).
 */
export const clientForceMajeureRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, clock, temporal, config } = deps;
    const security = [{ clientToken: [] }];
    const inFuture = (at: string) => Date.parse(at) > clock.now().getTime() + CLOCK_SKEW_MS;
    /** The client's own declaration; in a transaction, locked against a review at the same time. */
    const own = async (clientId: string, id: string, trx?: Knex.Transaction) => {
      const row = await (trx ? trx('force_majeure_declarations').forUpdate() : db('force_majeure_declarations')).where({ id, client_id: clientId }).first();
      if (!row) throw notFound('force-majeure declaration', id);
      return row;
    };
    const view = async (row: Record<string, any>) => (await declarationViews(db, await operatorCalendar(deps), [row], toDeclaration))[0];

    app.post(
      '/force-majeure',
      {
        schema: {
          tags: ['force majeure'],
          summary: 'Notify the operator of force majeure (8.3): within 5 working days of its start, with the proof (8.5)',
          description:
            'Registered with the time of receipt, which the 5 working days are judged by (8.3). The proof — a certificate of a competent authority or organisation (e.g. the NCE «Atameken») — may follow later (POST …/evidence); a well-known fact needs none (8.5). ' +
            'Staff review it; accepted, it suspends the client’s deadlines of the obligations named while it lasts (8.4): signing the monthly act, applying codes, answering notices.',
          security,
          body: DeclarationInput,
          response: { 201: Declaration, ...authErrors },
        },
      },
      async (request, reply) => {
        const { clientId } = requireClient(request);
        const b = request.body;
        const now = clock.now();
        if (inFuture(b.startedAt)) throw new ApiError(400, 'START_IN_FUTURE', 'Force majeure is notified once it has begun: startedAt is in the future');
        if (b.expectedEndAt && Date.parse(b.expectedEndAt) <= Date.parse(b.startedAt)) throw new ApiError(400, 'BAD_PERIOD', 'expectedEndAt must be after startedAt');
        const files = decodeEvidence(b.evidence ?? [], now);
        const row = await db.transaction(async (trx) => {
          const [d] = await trx('force_majeure_declarations')
            .insert({ client_id: clientId, received_at: now, started_at: b.startedAt, expected_end_at: b.expectedEndAt, obligations: b.obligations, description: b.description, well_known: b.wellKnown ?? false })
            .returning('*');
          if (files.length) await trx('force_majeure_evidence').insert(files.map((f) => ({ ...f, declaration_id: d.id })));
          return d;
        });
        return reply.status(201).send(await view(row));
      },
    );

    app.get(
      '/force-majeure',
      { schema: { tags: ['force majeure'], summary: 'The client’s force-majeure declarations, newest first', security, response: { 200: Type.Object({ declarations: Type.Array(Declaration) }), ...authErrors } } },
      async (request) => {
        const rows = await db('force_majeure_declarations').where({ client_id: requireClient(request).clientId }).orderBy('received_at', 'desc');
        return { declarations: await declarationViews(db, await operatorCalendar(deps), rows, toDeclaration) };
      },
    );

    app.get(
      '/force-majeure/:declarationId',
      { schema: { tags: ['force majeure'], summary: 'A force-majeure declaration with its review', security, params: IdParams('declarationId'), response: { 200: Declaration, ...authErrors, ...errorResponses(404) } } },
      async (request) => view(await own(requireClient(request).clientId, request.params.declarationId)),
    );

    app.post(
      '/force-majeure/:declarationId/evidence',
      {
        schema: {
          tags: ['force majeure'],
          summary: 'Add proof to a declaration (8.5): the certificate of a competent authority or organisation, or other papers',
          security,
          params: IdParams('declarationId'),
          body: Type.Object({ evidence: Type.Array(EvidenceInput, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
          response: { 201: Declaration, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const { clientId } = requireClient(request);
        const files = decodeEvidence(request.body.evidence, clock.now());
        const row = await db.transaction(async (trx) => {
          const d = await own(clientId, request.params.declarationId, trx);
          if (d.status === 'rejected') throw conflict('DECLARATION_REJECTED', `The declaration was rejected: ${d.rejection_reason}`);
          await trx('force_majeure_evidence').insert(files.map((f) => ({ ...f, declaration_id: d.id })));
          return d;
        });
        return reply.status(201).send(await view(row));
      },
    );

    app.post(
      '/force-majeure/:declarationId/end',
      {
        schema: {
          tags: ['force majeure'],
          summary: 'Notify the end of the force majeure: the suspended deadlines run again from then (8.4)',
          security,
          params: IdParams('declarationId'),
          body: Type.Object({ endedAt: IsoInstant }, { additionalProperties: false }),
          response: { 200: Declaration, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        const { endedAt } = request.body;
        if (inFuture(endedAt)) throw new ApiError(400, 'END_IN_FUTURE', 'The end is notified once it has come: endedAt is in the future');
        const row = await db.transaction(async (trx) => {
          const d = await own(clientId, request.params.declarationId, trx);
          if (d.status === 'rejected') throw conflict('DECLARATION_REJECTED', `The declaration was rejected: ${d.rejection_reason}`);
          if (d.ended_at) throw conflict('ALREADY_ENDED', `The end was notified already: ${new Date(d.ended_at).toISOString()}`);
          if (Date.parse(endedAt) <= new Date(d.started_at).getTime()) throw new ApiError(400, 'BAD_PERIOD', 'endedAt must be after the start');
          const [updated] = await trx('force_majeure_declarations').where({ id: d.id }).update({ ended_at: endedAt, end_notified_at: clock.now() }).returning('*');
          return updated;
        });
        // An accepted one stood the client's deadlines still: they run again (8.4).
        if (row.status === 'accepted') await signalDeadlineWaiters(temporal, config.temporalTaskQueue);
        return view(row);
      },
    );
  };
