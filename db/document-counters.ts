import type { Knex } from 'knex';

/**
 * Numbers documents of a kind per year without gaps (invoices, acts, VAT invoices, reconciliation acts):
 * `lock` holds the counter row until the caller's transaction ends (so concurrent issuers queue, and a twin request
 * sees the first one's document), `take` uses the next number; a rolled-back document gives it back.
 *
 * The row is one per kind and year, shared by every client: lock it in a short transaction that only takes the
 * number and inserts the document's row, as late in it as possible — never while a PDF renders or a remote call
 * waits (issue #19: activities/invoices.ts, activities/reconciliation.ts and activities/acts.ts render after the
 * commit). Tickets, which need no gap-free numbers, take theirs from a sequence (db/tickets.ts); their rows here are
 * the years before that.
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
