import type { Knex } from 'knex';
import { BusinessStatus, ClientId } from '../../lib/search-attributes';
import { compensation, compensationWorkflowId } from '../../workflows/compensation';
import { ApiError } from '../http/errors';
import { activeClient, Deps, inFuture, lock } from './request-checks';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewCompensation {
  clientId: string;
  basis: 'defect_act' | 'late_service';
  description: string;
  amountTiyn: number;
  eventAt: string;
  payTo: 'account' | 'bank';
  breaches?: Array<{ type: 'order_breach' | 'ticket'; id: string }>;
  claimId?: string;
  recordedBy?: string;
}

/**
 * A ticket of the client with a missed Прил. 3 deadline that no demand rested on yet: like an
 * order breach, it backs one demand (paid or refused), named by the ticket's id or number.
 */
async function openTicketBreach(trx: Knex.Transaction, clientId: string, ref: string) {
  const ticket = await trx('tickets')
    .where({ client_id: clientId })
    .where((q) => q.whereNotNull('reaction_breached_at').orWhereNotNull('resolution_breached_at'))
    .where(UUID.test(ref) ? { id: ref } : { number: ref })
    .first('id', 'number');
  if (!ticket) return undefined;
  const claimed = await trx('compensations')
    .where({ client_id: clientId })
    .whereRaw(TICKET_IN_BREACHES, [ticket.id, ticket.number])
    .first('id');
  return claimed ? undefined : ticket;
}

/** Whether a compensation's breaches name the ticket (bound: its id, its number). */
export const TICKET_IN_BREACHES = `(breaches @> jsonb_build_array(jsonb_build_object('type', 'ticket', 'id', ?::text)) OR breaches @> jsonb_build_array(jsonb_build_object('type', 'ticket', 'id', ?::text)))`;

/**
 * 7.2: a signed defect act; 7.3: a demand for damage from late service, resting on recorded
 * breaches of the client — the 4-hour emission deadline (issue 6) or a Прил. 3 deadline (issue 9).
 */
export async function openCompensation(deps: Deps, c: NewCompensation) {
  const breaches = c.breaches ?? [];
  if (c.basis === 'late_service' && breaches.length === 0)
    throw new ApiError(400, 'NO_BREACH', 'A demand under 7.3 names the missed deadlines it rests on');
  if (c.basis === 'defect_act' && c.payTo !== 'account')
    throw new ApiError(400, 'PAY_TO_ACCOUNT', 'A defect act is compensated to the personal account (7.2)');
  // The deadline runs from the act's signing or the demand's receipt (7.2, 7.3): not from a day to come.
  if (inFuture(deps, c.eventAt))
    throw new ApiError(
      400,
      'EVENT_IN_FUTURE',
      'The defect act cannot be signed, nor the demand received, in the future',
    );
  return deps.db.transaction(async (trx) => {
    // One demand of the client at a time: two at once may not both rest on the same missed deadline.
    await lock(trx, `compensations:${c.clientId}`);
    await activeClient(trx, c.clientId);
    for (const b of breaches) {
      const found =
        b.type === 'order_breach'
          ? UUID.test(b.id) &&
            (await trx('order_breaches')
              .where({ id: b.id, client_id: c.clientId })
              .whereIn('compensation_status', ['eligible'])
              .first('id'))
          : await openTicketBreach(trx, c.clientId, b.id);
      if (!found)
        throw new ApiError(
          400,
          'NOT_A_BREACH',
          `${b.type} ${b.id} is not a recorded missed deadline of this client open to compensation`,
          { breach: b },
        );
    }
    if (c.claimId && !(await trx('claims').where({ id: c.claimId, client_id: c.clientId }).first('id')))
      throw new ApiError(400, 'CLAIM_NOT_FOUND', `No claim ${c.claimId} of this client`);
    const [row] = await trx('compensations')
      .insert({
        client_id: c.clientId,
        basis: c.basis,
        description: c.description,
        breaches: JSON.stringify(breaches),
        claim_id: c.claimId ?? null,
        event_at: c.eventAt,
        amount_claimed: c.amountTiyn,
        pay_to: c.payTo,
        recorded_by: c.recordedBy ?? null,
      })
      .returning('*');
    const orderBreaches = breaches.filter((b) => b.type === 'order_breach').map((b) => b.id);
    if (orderBreaches.length)
      await trx('order_breaches').whereIn('id', orderBreaches).update({ compensation_status: 'claimed' });
    await deps.temporal.client.workflow.start(compensation, {
      taskQueue: deps.config.temporalTaskQueue,
      workflowId: compensationWorkflowId(row.id),
      args: [
        {
          compensationId: row.id,
          clientId: c.clientId,
          basis: c.basis,
          eventAt: new Date(row.event_at).toISOString(),
          amountTiyn: c.amountTiyn,
        },
      ],
      typedSearchAttributes: [
        { key: ClientId, value: c.clientId },
        { key: BusinessStatus, value: 'compensation_pending' },
      ],
      staticSummary:
        `${c.basis === 'defect_act' ? 'Defect act (7.2)' : 'Late-service damage (7.3)'}: ${c.description}`.slice(
          0,
          200,
        ),
    });
    return row;
  });
}
