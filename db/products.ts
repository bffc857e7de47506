import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * The client's product catalogue and its right to each GTIN (issue #16). A GTIN is ordered only
 * once the operator has accepted the client's right to it:
 *  - `gs1_prefix`: the GTIN lies under a GS1 company prefix staff recorded for the client — accepted
 *    at registration (or when the prefix is recorded), traced to the prefix and who recorded it;
 *  - `moderation`: staff (moderator, admin) looked at the product card and the evidence the client
 *    attached and accepted it — or rejected it, with a reason;
 *  - `legacy`: the product was in the catalogue before rights were checked.
 * A GTIN under another client's recorded prefix is refused outright. Every decision is kept in
 * `product_rights_decisions`.
 */

export type RightsStatus = 'pending' | 'accepted' | 'rejected';
export type RightsBasis = 'gs1_prefix' | 'moderation' | 'legacy';

/** A refusal the API answers with `status` and `code`; nothing was written. */
export class ProductRightsError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ProductRightsError';
  }
}

/** The evidence a client attaches for moderation: a reference or explanation, and/or a document. */
export interface EvidenceInput {
  text?: string;
  document?: { filename: string; contentType: string; contentBase64: string };
}

/** The largest evidence document kept (decoded); bigger ones are referenced in `text`. */
export const EVIDENCE_MAX_BYTES = 2 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The evidence as stored: the document decoded and hashed; a damaged or empty one refused. */
export function evidenceColumns(evidence: EvidenceInput, submittedAt: Date) {
  const columns: Record<string, unknown> = {
    evidence_text: evidence.text?.trim() || null,
    evidence_filename: null,
    evidence_content_type: null,
    evidence_sha256: null,
    evidence_bytes: null,
    evidence_document: null,
    evidence_submitted_at: submittedAt,
  };
  const d = evidence.document;
  if (d) {
    const encoded = d.contentBase64.replace(/\s+/g, '');
    if (encoded.length % 4 === 1 || !BASE64.test(encoded))
      throw new ProductRightsError(400, 'INVALID_BASE64', `The document ${d.filename} is not valid base64`);
    const content = Buffer.from(encoded, 'base64');
    if (content.length === 0)
      throw new ProductRightsError(400, 'EMPTY_DOCUMENT', `The document ${d.filename} is empty`);
    if (content.length > EVIDENCE_MAX_BYTES)
      throw new ProductRightsError(
        400,
        'DOCUMENT_TOO_LARGE',
        `The document ${d.filename} has ${content.length} bytes; at most ${EVIDENCE_MAX_BYTES}: give a reference instead`,
      );
    Object.assign(columns, {
      evidence_filename: d.filename,
      evidence_content_type: d.contentType,
      evidence_sha256: createHash('sha256').update(content).digest('hex'),
      evidence_bytes: content.length,
      evidence_document: content,
    });
  }
  if (!columns.evidence_text && !d) return {};
  return columns;
}

/**
 * The digits a GS1 company prefix is compared with: the GTIN-13 (a GTIN-14 without its indicator
 * digit; a GTIN-12 with its leading zero). GTIN-8s carry no company prefix: they go to moderation.
 */
export function companyPrefixDigits(gtin14: string): string | undefined {
  if (!/^[0-9]{14}$/.test(gtin14) || gtin14.startsWith('000000')) return undefined;
  return gtin14.slice(1);
}

/** The unrevoked recorded prefix the GTIN lies under, whoever's it is (prefixes of different clients never overlap). */
async function prefixOf(db: Knex, gtin14: string): Promise<Record<string, any> | undefined> {
  const digits = companyPrefixDigits(gtin14);
  if (!digits) return undefined;
  return db('client_gs1_prefixes as g')
    .join('clients as c', 'c.id', 'g.client_id')
    .whereNull('g.revoked_at')
    .whereRaw('left(?, length(g.prefix)) = g.prefix', [digits])
    .orderByRaw('length(g.prefix) DESC')
    .first('g.*', 'c.name as client_name');
}

/** Of `gtins`, those under a GS1 company prefix recorded (unrevoked) for another client than `clientId`. */
export async function gtinsOfOtherCompanies(db: Knex, clientId: string, gtins: string[]): Promise<Set<string>> {
  const digits = gtins
    .map((g) => [g, companyPrefixDigits(g)] as const)
    .filter((d): d is readonly [string, string] => d[1] !== undefined);
  if (!digits.length) return new Set();
  const rows = await db
    .from(db.raw('unnest(?::text[], ?::text[]) AS t(gtin, digits)', [digits.map((d) => d[0]), digits.map((d) => d[1])]))
    .whereExists((q) =>
      q
        .from('client_gs1_prefixes as g')
        .whereNull('g.revoked_at')
        .whereNot('g.client_id', clientId)
        .whereRaw('left(t.digits, length(g.prefix)) = g.prefix'),
    )
    .select('t.gtin');
  return new Set(rows.map((r: { gtin: string }) => r.gtin));
}

const otherCompany = (gtin: string) =>
  new ProductRightsError(
    409,
    'GTIN_OF_ANOTHER_COMPANY',
    `GTIN ${gtin} lies under a GS1 company prefix recorded for another company: it cannot be registered or ordered by this client`,
  );

async function decision(
  db: Knex,
  productId: string,
  d: {
    status: RightsStatus;
    basis?: RightsBasis | null;
    prefixId?: string | null;
    decidedBy?: string | null;
    at: Date;
    reason?: string | null;
  },
) {
  await db('product_rights_decisions').insert({
    product_id: productId,
    status: d.status,
    basis: d.basis ?? null,
    prefix_id: d.prefixId ?? null,
    decided_by: d.decidedBy ?? null,
    decided_at: d.at,
    reason: d.reason ?? null,
  });
}

/** Columns of a product without its evidence document. */
const PRODUCT_COLUMNS = [
  'p.id',
  'p.client_id',
  'p.gtin',
  'p.name',
  'p.attributes',
  'p.active',
  'p.created_at',
  'p.rights_status',
  'p.rights_basis',
  'p.rights_prefix_id',
  'p.rights_decided_by',
  'p.rights_decided_at',
  'p.rights_reason',
  'p.evidence_text',
  'p.evidence_filename',
  'p.evidence_content_type',
  'p.evidence_sha256',
  'p.evidence_bytes',
  'p.evidence_submitted_at',
];
const products = (db: Knex) =>
  db('products as p')
    .leftJoin('client_gs1_prefixes as g', 'g.id', 'p.rights_prefix_id')
    .leftJoin('staff_users as s', 's.id', 'p.rights_decided_by')
    .select(...PRODUCT_COLUMNS, 'g.prefix as rights_prefix', 's.name as rights_decided_by_name');

/** A client's product by GTIN. */
export const clientProduct = (db: Knex, clientId: string, gtin: string) =>
  products(db).where({ 'p.client_id': clientId, 'p.gtin': gtin }).first();

/** The client's catalogue, by GTIN. */
export const clientProducts = (db: Knex, clientId: string) =>
  products(db).where('p.client_id', clientId).orderBy('p.gtin');

/**
 * Registers a product: accepted at once under the client's own recorded GS1 prefix, refused under
 * another company's, otherwise pending moderation with the evidence attached.
 */
export async function registerProduct(
  db: Knex,
  p: {
    clientId: string;
    gtin: string;
    name: string;
    attributes?: Record<string, string>;
    evidence?: EvidenceInput;
    now: Date;
  },
): Promise<Record<string, any>> {
  const evidence = p.evidence ? evidenceColumns(p.evidence, p.now) : {};
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`gtin-rights:${p.gtin}`]);
    const prefix = await prefixOf(trx, p.gtin);
    if (prefix && prefix.client_id !== p.clientId) throw otherCompany(p.gtin);
    const rights = prefix
      ? {
          rights_status: 'accepted',
          rights_basis: 'gs1_prefix',
          rights_prefix_id: prefix.id,
          rights_decided_by: prefix.recorded_by,
          rights_decided_at: p.now,
        }
      : { rights_status: 'pending' };
    const [row] = await trx('products')
      .insert({
        client_id: p.clientId,
        gtin: p.gtin,
        name: p.name,
        attributes: p.attributes ?? {},
        ...evidence,
        ...rights,
      })
      .onConflict(['client_id', 'gtin'])
      .ignore()
      .returning('id');
    if (!row) throw new ProductRightsError(409, 'PRODUCT_EXISTS', `GTIN ${p.gtin} is already in the catalogue`);
    await decision(
      trx,
      row.id,
      prefix
        ? { status: 'accepted', basis: 'gs1_prefix', prefixId: prefix.id, decidedBy: prefix.recorded_by, at: p.now }
        : { status: 'pending', at: p.now },
    );
    return (await clientProduct(trx, p.clientId, p.gtin))!;
  });
}

/**
 * Renames, describes, (de)activates a product; new evidence re-submits a pending or rejected
 * product for moderation (an accepted one needs none).
 */
export async function updateProduct(
  db: Knex,
  p: {
    clientId: string;
    gtin: string;
    changes: { name?: string; attributes?: Record<string, string>; active?: boolean };
    evidence?: EvidenceInput;
    now: Date;
  },
): Promise<Record<string, any> | undefined> {
  const evidence = p.evidence ? evidenceColumns(p.evidence, p.now) : undefined;
  return db.transaction(async (trx) => {
    const existing = await trx('products')
      .where({ client_id: p.clientId, gtin: p.gtin })
      .forUpdate()
      .first('id', 'rights_status');
    if (!existing) return undefined;
    const update: Record<string, unknown> = { ...p.changes };
    if (evidence && Object.keys(evidence).length) {
      if (existing.rights_status === 'accepted')
        throw new ProductRightsError(
          409,
          'RIGHTS_ALREADY_ACCEPTED',
          `The client’s right to GTIN ${p.gtin} is accepted already: no evidence is needed`,
        );
      Object.assign(update, evidence, {
        rights_status: 'pending',
        rights_basis: null,
        rights_prefix_id: null,
        rights_decided_by: null,
        rights_decided_at: null,
        rights_reason: null,
      });
      await decision(trx, existing.id, { status: 'pending', at: p.now, reason: 'evidence submitted' });
    }
    if (Object.keys(update).length) await trx('products').where({ id: existing.id }).update(update);
    return clientProduct(trx, p.clientId, p.gtin);
  });
}

/** Products for staff, with their client and the other clients that registered the same GTIN. */
export async function staffProducts(
  db: Knex,
  f: { status?: RightsStatus; clientId?: string; productId?: string; limit?: number },
) {
  const q = products(db).join('clients as c', 'c.id', 'p.client_id').select('c.name as client_name');
  if (f.status) q.where('p.rights_status', f.status);
  if (f.clientId) q.where('p.client_id', f.clientId);
  if (f.productId) q.where('p.id', f.productId);
  const rows = await q.orderBy([{ column: 'p.created_at', order: 'asc' }, { column: 'p.id' }]).limit(f.limit ?? 500);
  const gtins = [...new Set(rows.map((r) => r.gtin))];
  const others = gtins.length
    ? await db('products as p')
        .join('clients as c', 'c.id', 'p.client_id')
        .whereIn('p.gtin', gtins)
        .select('p.id', 'p.gtin', 'p.client_id', 'c.name as client_name', 'p.rights_status')
    : [];
  const prefixes = new Map<string, Record<string, any> | undefined>();
  for (const gtin of gtins) prefixes.set(gtin, await prefixOf(db, gtin));
  return rows.map((r) => ({
    ...r,
    prefix_owner: prefixes.get(r.gtin),
    same_gtin: others.filter((o) => o.gtin === r.gtin && o.id !== r.id),
  }));
}

export async function staffProduct(db: Knex, productId: string) {
  const [row] = await staffProducts(db, { productId });
  return row;
}

/** The evidence document of a product, if one was attached. */
export const evidenceDocument = (db: Knex, productId: string) =>
  db('products')
    .where({ id: productId })
    .whereNotNull('evidence_document')
    .first('evidence_filename', 'evidence_content_type', 'evidence_document');

const notFound = (productId: string) => new ProductRightsError(404, 'NOT_FOUND', `product ${productId} was not found`);

/** Staff accept the client's right to a pending product after moderation. */
export async function acceptProduct(db: Knex, p: { productId: string; staffUserId: string; now: Date; note?: string }) {
  await db.transaction(async (trx) => {
    const product = await trx('products').where({ id: p.productId }).first('id', 'gtin', 'client_id');
    if (!product) throw notFound(p.productId);
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`gtin-rights:${product.gtin}`]);
    const current = await trx('products').where({ id: p.productId }).forUpdate().first('rights_status');
    if (current.rights_status !== 'pending')
      throw new ProductRightsError(
        409,
        'PRODUCT_NOT_PENDING',
        `The right to GTIN ${product.gtin} is ${current.rights_status}, not awaiting moderation`,
      );
    const prefix = await prefixOf(trx, product.gtin);
    if (prefix && prefix.client_id !== product.client_id) throw otherCompany(product.gtin);
    const holder = await trx('products as p')
      .join('clients as c', 'c.id', 'p.client_id')
      .where({ 'p.gtin': product.gtin, 'p.rights_status': 'accepted' })
      .whereNot('p.client_id', product.client_id)
      .first('c.id', 'c.name');
    if (holder) {
      throw new ProductRightsError(
        409,
        'GTIN_ACCEPTED_FOR_ANOTHER_CLIENT',
        `GTIN ${product.gtin} is accepted for another client (${holder.name}); reject that product first`,
        { clientId: holder.id },
      );
    }
    await trx('products')
      .where({ id: p.productId })
      .update({
        rights_status: 'accepted',
        rights_basis: 'moderation',
        rights_prefix_id: null,
        rights_decided_by: p.staffUserId,
        rights_decided_at: p.now,
        rights_reason: p.note ?? null,
      });
    await decision(trx, p.productId, {
      status: 'accepted',
      basis: 'moderation',
      decidedBy: p.staffUserId,
      at: p.now,
      reason: p.note,
    });
  });
  return staffProduct(db, p.productId);
}

/** Staff reject the client's right to a pending product, or withdraw an accepted one: it can no longer be ordered. */
export async function rejectProduct(
  db: Knex,
  p: { productId: string; staffUserId: string; now: Date; reason: string },
) {
  await db.transaction(async (trx) => {
    const product = await trx('products').where({ id: p.productId }).forUpdate().first('id', 'gtin', 'rights_status');
    if (!product) throw notFound(p.productId);
    if (product.rights_status === 'rejected')
      throw new ProductRightsError(
        409,
        'PRODUCT_NOT_PENDING',
        `The right to GTIN ${product.gtin} was rejected already`,
      );
    await trx('products').where({ id: p.productId }).update({
      rights_status: 'rejected',
      rights_basis: 'moderation',
      rights_prefix_id: null,
      rights_decided_by: p.staffUserId,
      rights_decided_at: p.now,
      rights_reason: p.reason,
    });
    await decision(trx, p.productId, {
      status: 'rejected',
      basis: 'moderation',
      decidedBy: p.staffUserId,
      at: p.now,
      reason: p.reason,
    });
  });
  return staffProduct(db, p.productId);
}

/** The decisions on a product's rights, in order. */
export const rightsDecisions = (db: Knex, productId: string) =>
  db('product_rights_decisions as d')
    .leftJoin('staff_users as s', 's.id', 'd.decided_by')
    .leftJoin('client_gs1_prefixes as g', 'g.id', 'd.prefix_id')
    .where('d.product_id', productId)
    .orderBy('d.id')
    .select('d.*', 's.name as decided_by_name', 'g.prefix');

const prefixes = (db: Knex) =>
  db('client_gs1_prefixes as g')
    .join('staff_users as r', 'r.id', 'g.recorded_by')
    .leftJoin('staff_users as v', 'v.id', 'g.revoked_by')
    .select('g.*', 'r.name as recorded_by_name', 'v.name as revoked_by_name');

export const clientExists = async (db: Knex, clientId: string) =>
  Boolean(await db('clients').where({ id: clientId }).first('id'));

/** The GS1 company prefixes recorded for a client, unrevoked first. */
export const clientPrefixes = (db: Knex, clientId: string) =>
  prefixes(db).where('g.client_id', clientId).orderByRaw('g.revoked_at IS NOT NULL, g.recorded_at DESC');

export const prefixById = (db: Knex, prefixId: string) => prefixes(db).where('g.id', prefixId).first();

/**
 * Records a GS1 company prefix for a client. A prefix overlapping one recorded for another company
 * (equal, longer or shorter) is refused. The client's pending products under it are accepted.
 */
export async function recordPrefix(
  db: Knex,
  p: { clientId: string; prefix: string; evidenceNote: string; staffUserId: string; now: Date },
) {
  return db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['gs1-prefixes']);
    const overlapping = await trx('client_gs1_prefixes as g')
      .join('clients as c', 'c.id', 'g.client_id')
      .whereNull('g.revoked_at')
      .where((q) =>
        q
          .whereRaw('left(?, length(g.prefix)) = g.prefix', [p.prefix])
          .orWhereRaw('left(g.prefix, ?) = ?', [p.prefix.length, p.prefix]),
      )
      .first('g.id', 'g.prefix', 'g.client_id', 'c.name');
    if (overlapping && overlapping.client_id !== p.clientId) {
      throw new ProductRightsError(
        409,
        'PREFIX_OF_ANOTHER_COMPANY',
        `The prefix ${p.prefix} overlaps ${overlapping.prefix}, recorded for another company (${overlapping.name})`,
        { prefixId: overlapping.id, clientId: overlapping.client_id },
      );
    }
    if (overlapping)
      throw new ProductRightsError(
        409,
        'PREFIX_RECORDED',
        `The client has the prefix ${overlapping.prefix} recorded already, overlapping ${p.prefix}`,
        { prefixId: overlapping.id },
      );
    const [row] = await trx('client_gs1_prefixes')
      .insert({
        client_id: p.clientId,
        prefix: p.prefix,
        evidence_note: p.evidenceNote,
        recorded_by: p.staffUserId,
        recorded_at: p.now,
      })
      .returning('id');
    const pending = await trx('products')
      .where({ client_id: p.clientId, rights_status: 'pending' })
      .whereRaw(`gtin !~ '^000000' AND left(substr(gtin, 2), ?) = ?`, [p.prefix.length, p.prefix])
      .forUpdate()
      .select('id', 'gtin');
    for (const product of pending) {
      await trx('products').where({ id: product.id }).update({
        rights_status: 'accepted',
        rights_basis: 'gs1_prefix',
        rights_prefix_id: row.id,
        rights_decided_by: p.staffUserId,
        rights_decided_at: p.now,
        rights_reason: null,
      });
      await decision(trx, product.id, {
        status: 'accepted',
        basis: 'gs1_prefix',
        prefixId: row.id,
        decidedBy: p.staffUserId,
        at: p.now,
      });
    }
    return { prefix: (await prefixById(trx, row.id))!, acceptedGtins: pending.map((r) => r.gtin as string).sort() };
  });
}

/**
 * Revokes a recorded prefix: GTINs under it are no longer accepted at registration. Products
 * already accepted under it keep their acceptance; staff reject them one by one where needed.
 */
export async function revokePrefix(db: Knex, p: { prefixId: string; staffUserId: string; now: Date; reason: string }) {
  const existing = await prefixById(db, p.prefixId);
  if (!existing) throw new ProductRightsError(404, 'NOT_FOUND', `GS1 prefix ${p.prefixId} was not found`);
  const [revoked] = await db('client_gs1_prefixes')
    .where({ id: p.prefixId })
    .whereNull('revoked_at')
    .update({ revoked_at: p.now, revoked_by: p.staffUserId, revocation_reason: p.reason })
    .returning('id');
  if (!revoked)
    throw new ProductRightsError(409, 'ALREADY_REVOKED', `The prefix ${existing.prefix} was revoked already`);
  return (await prefixById(db, p.prefixId))!;
}
