import type { Knex } from 'knex';
import { CodeInput, KeyRing, readCodeInput, verifyMarkingCode } from '../lib/codes';
import { requestHash } from './ledger/book';

/**
 * Introduction into circulation (Прил. 2 п.4): only codes that are paid (APPLIED, «нанесён и
 * оплачен») may be introduced; EMITTED codes are refused, as is anything unknown. Each code
 * gets its own answer; the same request (idempotency key) again gets the same answers.
 */

export type IntroductionOutcome = 'INTRODUCED' | 'ALREADY_INTRODUCED' | 'REFUSED';

export interface IntroductionResult {
  input: string;
  ki: string | null;
  outcome: IntroductionOutcome;
  reason?: string;
}

export class IntroductionConflictError extends Error {}

const REFUSALS: Record<string, string> = {
  EMITTED: 'the code is «эмитирован», not paid: download it first (Прил. 2 п.4)',
  CANCELLED: 'the code was cancelled (its order closed before it was downloaded)',
};

export async function introduceCodes(
  db: Knex,
  p: {
    clientId: string;
    codes: string[];
    introducedOn: string;
    documentNumber?: string;
    idempotencyKey: string;
    keys?: KeyRing;
    at: Date;
  },
) {
  return db.transaction(async (trx) => {
    const hash = requestHash({
      codes: p.codes,
      introducedOn: p.introducedOn,
      documentNumber: p.documentNumber ?? null,
    });
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`introductions:${p.clientId}:${p.idempotencyKey}`]);
    const existing = await trx('introductions')
      .where({ client_id: p.clientId, idempotency_key: p.idempotencyKey })
      .first();
    if (existing) {
      if (existing.request_hash !== hash)
        throw new IntroductionConflictError(
          `The idempotency key ${p.idempotencyKey} was used for another introduction`,
        );
      return { introduction: existing, replayed: true };
    }
    const inputs = p.codes.map((raw) => ({ raw, code: readCodeInput(raw) }));
    const known = inputs.filter((i): i is { raw: string; code: CodeInput } => !!i.code);
    const rows = known.length
      ? await trx('marking_codes')
          .where({ client_id: p.clientId })
          .whereRaw('(gtin, serial) IN (SELECT * FROM unnest(?::text[], ?::text[]))', [
            known.map((i) => i.code.gtin),
            known.map((i) => i.code.serial),
          ])
          .forUpdate()
          .select('id', 'gtin', 'serial', 'status', 'introduced_at')
      : [];
    const byKi = new Map(rows.map((r) => [`01${r.gtin}21${r.serial}`, r]));
    const [introduction] = await trx('introductions')
      .insert({
        client_id: p.clientId,
        idempotency_key: p.idempotencyKey,
        request_hash: hash,
        introduced_on: p.introducedOn,
        document_number: p.documentNumber ?? null,
        result: '[]',
      })
      .returning('*');
    const seen = new Set<string>();
    const toIntroduce: number[] = [];
    const results: IntroductionResult[] = inputs.map(({ raw, code }) => {
      const refuse = (reason: string): IntroductionResult => ({
        input: raw,
        ki: code?.ki ?? null,
        outcome: 'REFUSED',
        reason,
      });
      if (!code) return refuse('not a footwear marking code');
      if (seen.has(code.ki)) return refuse('the code appears twice in the request');
      seen.add(code.ki);
      const row = byKi.get(code.ki);
      if (!row) return refuse('unknown code');
      if (
        code.full &&
        p.keys &&
        code.full.verification.length === 44 &&
        !verifyMarkingCode(code.full.code, p.keys).valid
      )
        return refuse('the verification code does not match');
      if (row.status === 'INTRODUCED')
        return {
          input: raw,
          ki: code.ki,
          outcome: 'ALREADY_INTRODUCED',
          reason: `introduced ${new Date(row.introduced_at).toISOString()}`,
        };
      if (row.status !== 'APPLIED') return refuse(REFUSALS[row.status] ?? `the code is ${row.status}`);
      toIntroduce.push(row.id);
      return { input: raw, ki: code.ki, outcome: 'INTRODUCED' };
    });
    if (toIntroduce.length) {
      await trx('marking_codes')
        .whereRaw('id = ANY(?::bigint[])', [toIntroduce])
        .update({ status: 'INTRODUCED', introduced_at: p.at, introduction_id: introduction.id });
    }
    const [stored] = await trx('introductions')
      .where({ id: introduction.id })
      .update({ result: JSON.stringify(results) })
      .returning('*');
    return { introduction: stored, replayed: false };
  });
}

/** What the system knows of a code, found by its КИ. */
export async function findCode(db: Knex, code: CodeInput) {
  return db('marking_codes as c')
    .join('order_products as p', 'p.id', 'c.order_product_id')
    .leftJoin('code_blocks as b', 'b.id', 'c.block_id')
    .where({ 'c.gtin': code.gtin, 'c.serial': code.serial })
    .first('c.*', 'p.order_id', 'b.apply_by');
}
