import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { paymentCreditedNotice } from '../../activities/texts/account';
import { PaymentHooks, PaymentInput, recordPayment } from '../../db/payments';
import type { BankDocument, ParsedStatement } from '../../lib/bank-statements';
import { advanceChangedSignal } from '../../workflows/client-lifecycle';
import type { AppDeps } from '../http/deps';
import { tellLifecycle } from './lifecycle-signal';
import { startClientNotice } from './notices';

/** Top-ups (3.4, 6.2, Прил. 2 п.2): what follows a credited payment, and bank statements imported whole. */

/**
 * In the crediting transaction: the client is noticed by e-mail of the payment and the balance;
 * once it commits, the client's lifecycle is told that the advance changed (3.7).
 */
export const paymentHooks = (
  deps: Pick<AppDeps, 'temporal' | 'config'>,
  warn: (error: unknown) => void,
): PaymentHooks => ({
  async onCredited(trx: Knex.Transaction, payment) {
    const account = await trx('personal_accounts').where({ client_id: payment.client_id }).first('number');
    const available = await trx('ledger_accounts')
      .where({ client_id: payment.client_id, kind: 'client_available' })
      .first('balance');
    const client = await trx('clients').where({ id: payment.client_id }).first('language');
    const text = paymentCreditedNotice({
      language: client?.language,
      accountNumber: account?.number ?? '—',
      amountTiyn: payment.amount,
      documentNumber: payment.document_number,
      documentDate: payment.document_date,
      receivedOn: payment.received_on,
      payerName: payment.payer_name,
      availableTiyn: available?.balance ?? 0,
    });
    await startClientNotice(trx, deps, { clientId: payment.client_id, ...text, topic: `payment:${payment.id}` });
    // A new advance moves the date of the one-year rule (3.7): the lifecycle looks again once this is committed.
    void trx.executionPromise
      .then(() => tellLifecycle(deps.temporal, payment.client_id, (h) => h.signal(advanceChangedSignal), warn))
      .catch(() => undefined);
  },
});

const fromDocument = (d: BankDocument): PaymentInput => ({
  documentNumber: d.number,
  documentDate: d.date,
  receivedOn: d.receivedOn ?? d.date,
  amountTiyn: d.amountTiyn,
  payerName: d.payer.name,
  payerBinIin: d.payer.binIin && /^\d{12}$/.test(d.payer.binIin) ? d.payer.binIin : null,
  payerIik: d.payer.iik,
  payerBik: d.payer.bik,
  purpose: d.purpose,
  knp: d.knp,
});

/**
 * A parsed bank statement: the import recorded, each incoming payment recorded as by hand (a
 * duplicate changes nothing), the import marked completed with its summary — or failed, and the error rethrown.
 */
export async function importBankStatement(
  db: Knex,
  p: { file: Buffer; fileName: string | null; parsed: ParsedStatement; by: string },
  hooks: PaymentHooks,
) {
  const { file, parsed, by } = p;
  const [batch] = await db('bank_statement_imports')
    .insert({
      file_name: p.fileName,
      format: parsed.format,
      encoding: parsed.encoding,
      sha256: createHash('sha256').update(file).digest('hex'),
      size: file.length,
      imported_by: by,
    })
    .returning('*');
  const summary = {
    importId: batch.id,
    format: parsed.format,
    encoding: parsed.encoding,
    account: parsed.account,
    documents: parsed.documents.length,
    credited: 0,
    unassigned: 0,
    duplicates: 0,
    skipped: 0,
    problems: parsed.problems,
    payments: [] as {
      line: number;
      status: 'credited' | 'unassigned' | 'duplicate';
      paymentId: string;
      amountTiyn: number;
      clientId: string | null;
    }[],
  };
  try {
    for (const document of parsed.documents) {
      if (document.direction !== 'incoming') {
        summary.skipped++;
        continue;
      }
      const outcome = await recordPayment(
        db,
        { ...fromDocument(document), source: parsed.format, importId: batch.id, recordedBy: by },
        hooks,
      );
      summary[outcome.status === 'duplicate' ? 'duplicates' : outcome.status]++;
      summary.payments.push({
        line: document.line,
        status: outcome.status,
        paymentId: outcome.payment.id,
        amountTiyn: outcome.payment.amount,
        clientId: outcome.payment.client_id,
      });
    }
  } catch (error) {
    await db('bank_statement_imports').where({ id: batch.id }).update({ status: 'failed', summary });
    throw error;
  }
  await db('bank_statement_imports').where({ id: batch.id }).update({ status: 'completed', summary });
  return summary;
}
