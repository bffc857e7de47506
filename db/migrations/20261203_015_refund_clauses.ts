import type { Knex } from 'knex';

/**
 * A refund records the clause it was paid under (6.11, 3.7, 4.1.2, 10.4) and, under 4.1.2, the
 * client's bank fees reimbursed with it and the client's document showing them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('refund_requests', (t) => {
    t.text('clause');
    t.bigInteger('client_bank_fees');
    t.text('client_bank_fees_document');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('refund_requests', (t) => {
    t.dropColumn('clause');
    t.dropColumn('client_bank_fees');
    t.dropColumn('client_bank_fees_document');
  });
}
