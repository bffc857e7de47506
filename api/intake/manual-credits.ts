import type { Knex } from 'knex';
import { compensationCredit, correction } from '../../db/ledger';
import type { AppDeps } from '../http/deps';
import { ApiError, conflict, notFound } from '../http/errors';
import { TICKET_IN_BREACHES } from './compensation';

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

/** Above this (either way), money moved by hand waits for a second person: 100 000 ₸ unless configured. */
export const DEFAULT_APPROVAL_THRESHOLD_TIYN = 100_000_00;

export type ManualCredit =
  | { kind: 'correction'; clientId: string; amountTiyn: number; reason: string }
  | {
      kind: 'compensation';
      clientId: string;
      amountTiyn: number;
      clause: '7.2' | '7.3';
      reference: { type: 'claim' | 'order_breach' | 'ticket'; id: string };
      reason: string;
    };

/**
 * A compensation names the recorded case it settles (7.2, 7.3): a claim of this client decided in
 * its favour (9.3), a missed 4-hour emission deadline open to compensation, or a ticket of this
 * client with a missed Прил. 3 deadline — and no case is compensated twice.
 */
async function checkCompensationCase(trx: Knex, credit: Extract<ManualCredit, { kind: 'compensation' }>) {
  const { type, id } = credit.reference;
  const ofClient = { id, client_id: credit.clientId };
  const recorded =
    type === 'claim'
      ? await trx('claims').where(ofClient).whereIn('status', ['satisfied', 'partially_satisfied']).first('id')
      : type === 'order_breach'
        ? await trx('order_breaches').where(ofClient).where({ compensation_status: 'eligible' }).first('id')
        : await trx('tickets')
            .where(ofClient)
            .where((q) => q.whereNotNull('reaction_breached_at').orWhereNotNull('resolution_breached_at'))
            .first('id');
  const what = {
    claim: 'a claim of this client satisfied in full or in part',
    order_breach: 'a missed emission deadline of this client open to compensation',
    ticket: 'a ticket of this client with a missed deadline',
  }[type];
  if (!recorded)
    throw new ApiError(
      400,
      'NOT_A_RECORDED_CASE',
      `The reference ${type} ${id} is not ${what}: a compensation names the recorded case it settles`,
      { reference: credit.reference },
    );
  const paid = await trx('ledger_transactions')
    .where({ kind: 'compensation', reference_type: type, reference_id: id })
    .first('id');
  const claimed =
    type === 'ticket' &&
    (await trx('compensations')
      .where({ client_id: credit.clientId })
      .whereRaw(TICKET_IN_BREACHES, [id, id])
      .first('id'));
  if (paid || claimed)
    throw conflict('ALREADY_COMPENSATED', `The ${type} ${id} has been compensated already`, {
      reference: credit.reference,
    });
}

const book = (db: Knex, credit: ManualCredit, idempotencyKey: string, createdBy: string) =>
  credit.kind === 'correction'
    ? correction(db, {
        idempotencyKey,
        clientId: credit.clientId,
        amountTiyn: credit.amountTiyn,
        reason: credit.reason,
        createdBy,
      })
    : db.transaction(async (trx) => {
        const replay = await trx('ledger_transactions').where({ idempotency_key: idempotencyKey }).first('id');
        if (!replay) await checkCompensationCase(trx, credit);
        const booked = await compensationCredit(trx, {
          idempotencyKey,
          clientId: credit.clientId,
          amountTiyn: credit.amountTiyn,
          clause: credit.clause,
          reference: credit.reference,
          memo: credit.reason,
          createdBy,
        });
        if (credit.reference.type === 'order_breach')
          await trx('order_breaches').where({ id: credit.reference.id }).update({ compensation_status: 'paid' });
        return booked;
      });

const toCredit = (row: Record<string, any>) => ({
  id: row.id,
  kind: row.kind,
  clientId: row.client_id,
  amountTiyn: Number(row.amount),
  details: row.details,
  proposedBy: row.proposed_by,
  proposedAt: new Date(row.proposed_at).toISOString(),
  status: row.status,
  decidedBy: row.decided_by ?? null,
  decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
  decisionNote: row.decision_note ?? null,
  ledgerTransactionId: row.ledger_transaction_id === null ? null : Number(row.ledger_transaction_id),
});

/**
 * Money moved into (or out of) a personal account by hand: booked at once up to the threshold;
 * above it recorded as a proposal a second person approves or rejects. The same key again
 * answers with what it did the first time.
 */
export async function moveMoneyByHand(deps: Deps, staffId: string, idempotencyKey: string, credit: ManualCredit) {
  const threshold = deps.config.manualCreditApprovalTiyn ?? DEFAULT_APPROVAL_THRESHOLD_TIYN;
  const proposed = await deps.db('manual_credits').where({ idempotency_key: idempotencyKey }).first();
  if (proposed) return { pending: toCredit(proposed) };
  if (Math.abs(credit.amountTiyn) <= threshold) return { booked: await book(deps.db, credit, idempotencyKey, staffId) };
  if (credit.kind === 'compensation') await checkCompensationCase(deps.db, credit);
  const { kind, clientId, amountTiyn, ...details } = credit;
  const [row] = await deps
    .db('manual_credits')
    .insert({
      kind,
      client_id: clientId,
      amount: amountTiyn,
      details,
      idempotency_key: idempotencyKey,
      proposed_by: staffId,
      proposed_at: deps.clock.now(),
    })
    .onConflict('idempotency_key')
    .merge({ idempotency_key: idempotencyKey })
    .returning('*');
  return { pending: toCredit(row) };
}

export const manualCredits = async (deps: Deps, status?: string) =>
  (
    await deps
      .db('manual_credits')
      .modify((q) => void (status && q.where({ status })))
      .orderBy('proposed_at', 'desc')
      .limit(500)
  ).map(toCredit);

/** A second person approves (the money is booked, once) or rejects a proposal; the proposer cannot. */
export async function decideManualCredit(
  deps: Deps,
  staffId: string,
  id: string,
  approve: boolean,
  note: string | undefined,
) {
  const row = await deps.db('manual_credits').where({ id }).first();
  if (!row) throw notFound('manual credit', id);
  if (row.status !== 'pending') throw conflict('ALREADY_DECIDED', `The proposal was ${row.status} already`);
  if (row.proposed_by === staffId)
    throw new ApiError(
      403,
      'SAME_PERSON',
      'Money above the threshold is approved or rejected by a second person, not by the one who proposed it',
    );
  const decided = await deps.db.transaction(async (trx) => {
    const [locked] = await trx('manual_credits').where({ id, status: 'pending' }).forUpdate().select('*');
    if (!locked) throw conflict('ALREADY_DECIDED', 'The proposal was decided meanwhile');
    const update: Record<string, unknown> = {
      status: approve ? 'approved' : 'rejected',
      decided_by: staffId,
      decided_at: deps.clock.now(),
      decision_note: note ?? null,
    };
    if (approve) {
      const credit = {
        kind: row.kind,
        clientId: row.client_id,
        amountTiyn: Number(row.amount),
        ...row.details,
      } as ManualCredit;
      update.ledger_transaction_id = (await book(trx, credit, `manual-credit:${id}`, row.proposed_by)).transaction.id;
    }
    const [updated] = await trx('manual_credits').where({ id }).update(update).returning('*');
    return updated;
  });
  return toCredit(decided);
}
