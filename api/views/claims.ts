import type { Db } from '../../db/connection';
import { notFound } from '../http/errors';
import { TICKET_IN_BREACHES } from '../intake/compensation';
import { toClaim, toCompensation } from '../schemas/lifecycle';

/** Claims (9.2-9.4) and compensations (7.2, 7.3) as the client and the staff who answer them see them. */

const claimDocuments = (db: Db, claimId: string) =>
  db('claim_documents')
    .where({ claim_id: claimId })
    .orderBy('id')
    .select('id', 'kind', 'filename', 'content_type', 'sha256');

/** A claim with the list of its documents (not their content). */
export const withDocuments = async (db: Db, claim: Record<string, any>) =>
  toClaim(claim, await claimDocuments(db, claim.id));

/** A claim as staff see it: with its documents and the client's name. */
export async function claimCase(db: Db, id: string) {
  const row = await db('claims as c')
    .join('clients as k', 'k.id', 'c.client_id')
    .where('c.id', id)
    .first('c.*', 'k.name as client_name');
  if (!row) throw notFound('claim', id);
  return { ...toClaim(row, await claimDocuments(db, id)), clientName: row.client_name };
}

/** A compensation as staff see it, with the client's name. */
export async function compensationCase(db: Db, id: string) {
  const row = await db('compensations as c')
    .join('clients as k', 'k.id', 'c.client_id')
    .where('c.id', id)
    .first('c.*', 'k.name as client_name');
  if (!row) throw notFound('compensation', id);
  return { ...toCompensation(row), clientName: row.client_name };
}
export type CompensationCase = Awaited<ReturnType<typeof compensationCase>>;

type CaseFilter = { status?: string; clientId?: string };

/** The ids of claims or compensations, the open ones (`open`) first by due date, then the newest by `newest`. */
const caseIds = (
  db: Db,
  table: 'claims' | 'compensations',
  open: string,
  newest: string,
  { status, clientId }: CaseFilter,
) =>
  db(table)
    .modify((q) => void (status && q.where({ status })))
    .modify((q) => void (clientId && q.where({ client_id: clientId })))
    .orderByRaw(`status = '${open}' DESC, due_at ASC NULLS LAST, ${newest} DESC`)
    .limit(500)
    .select('id');

/** Claims, the ones under review first by due date. */
export async function claimCases(db: Db, filter: CaseFilter) {
  return Promise.all(
    (await caseIds(db, 'claims', 'under_review', 'received_at', filter)).map((r: { id: string }) =>
      claimCase(db, r.id),
    ),
  );
}

/** Compensations, the pending ones first by due date. */
export async function compensationCases(db: Db, filter: CaseFilter) {
  return Promise.all(
    (await caseIds(db, 'compensations', 'pending', 'event_at', filter)).map((r: { id: string }) =>
      compensationCase(db, r.id),
    ),
  );
}

/** A document of a claim, with its content. */
export async function claimDocumentFile(db: Db, claimId: string, documentId: number) {
  const doc = await db('claim_documents').where({ claim_id: claimId, id: documentId }).first();
  if (!doc) throw notFound('document', String(documentId));
  return doc;
}

/** The client's claims, newest first. */
export async function clientClaims(db: Db, clientId: string) {
  return Promise.all(
    (await db('claims').where({ client_id: clientId }).orderBy('received_at', 'desc')).map((claim) =>
      withDocuments(db, claim),
    ),
  );
}

/** One of the client's claims. */
export async function clientClaim(db: Db, clientId: string, claimId: string) {
  const claim = await db('claims').where({ id: claimId, client_id: clientId }).first();
  if (!claim) throw notFound('claim', claimId);
  return withDocuments(db, claim);
}

/** The compensations owed to the client, newest first. */
export async function clientCompensations(db: Db, clientId: string) {
  return (await db('compensations').where({ client_id: clientId }).orderBy('event_at', 'desc')).map(toCompensation);
}

/** Issue 6's and 9's records of missed deadlines, open to a 7.3 demand. */
export async function eligibility(db: Db, clientId: string) {
  const orderBreaches = await db('order_breaches')
    .where({ client_id: clientId, compensation_status: 'eligible' })
    .orderBy('deadline_at', 'desc');
  const tickets = await db('tickets')
    .where({ client_id: clientId })
    .where((q) => q.whereNotNull('reaction_breached_at').orWhereNotNull('resolution_breached_at'))
    // A ticket backs one demand, as an order breach does (api/intake/compensation.ts).
    .whereNotExists(
      db('compensations')
        .where({ client_id: clientId })
        .whereRaw(TICKET_IN_BREACHES, [db.raw('tickets.id::text'), db.raw('tickets.number')]),
    )
    .orderBy('received_at', 'desc');
  return {
    orderBreaches: orderBreaches.map((b) => ({
      id: b.id,
      orderId: b.order_id,
      deadlineAt: new Date(b.deadline_at).toISOString(),
      codesReadyAt: b.codes_ready_at ? new Date(b.codes_ready_at).toISOString() : null,
    })),
    tickets: tickets.map((t) => ({
      id: t.id,
      number: t.number,
      subject: t.subject,
      missed: [
        ...(t.reaction_breached_at ? (['reaction'] as const) : []),
        ...(t.resolution_breached_at ? (['resolution'] as const) : []),
      ],
    })),
  };
}
