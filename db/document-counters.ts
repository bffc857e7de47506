import type { Knex } from 'knex';

/**
 * Numbers documents of a kind per year without gaps (invoices, acts, VAT invoices, reconciliation acts, tickets):
 * `lock` holds the counter row until the caller's transaction ends (so concurrent issuers queue, and a twin request
 * sees the first one's document), `take` uses the next number; a rolled-back document gives it back.
 */
export async function lockDocumentCounter(trx: Knex.Transaction, kind: string, year: number) {
  await trx('document_counters').insert({ kind, year, last: 0 }).onConflict(['kind', 'year']).ignore();
  const { last } = await trx('document_counters').where({ kind, year }).forUpdate().first('last');
  return {
    async take(): Promise<number> {
      await trx('document_counters')
        .where({ kind, year })
        .update({ last: last + 1 });
      return last + 1;
    },
  };
}
