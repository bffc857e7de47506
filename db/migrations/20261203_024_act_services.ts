import type { Knex } from 'knex';
import { DEFAULT_SETTINGS } from '../../lib/calendar/types';

/**
 * Every service lands in an act (6.5): each act records the charges (captures) it covers, so a
 * charge that reaches a month already acted — committed after the act, or by a correction — is
 * found and goes into a supplementary act of that month.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('act_services', (t) => {
    t.uuid('act_id').notNullable().references('acts.id').index();
    t.bigInteger('ledger_transaction_id').notNullable().references('ledger_transactions.id');
    t.primary(['ledger_transaction_id', 'act_id']);
  });
  await knex.schema.alterTable('acts', (t) => {
    t.uuid('supplements_act_id').references('acts.id');
    t.text('issue_key').unique();
  });
  // The acts issued so far covered the charges of their period.
  await knex.raw(
    `INSERT INTO act_services (act_id, ledger_transaction_id)
     SELECT a.id, t.id FROM acts a JOIN ledger_transactions t
       ON t.client_id = a.client_id AND t.kind = 'capture'
      AND t.created_at >= (a.period_from::timestamp AT TIME ZONE ?)
      AND t.created_at < ((a.period_to + 1)::timestamp AT TIME ZONE ?)`,
    [DEFAULT_SETTINGS.zone, DEFAULT_SETTINGS.zone],
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('acts', (t) => t.dropColumns('supplements_act_id', 'issue_key'));
  await knex.schema.dropTableIfExists('act_services');
}
