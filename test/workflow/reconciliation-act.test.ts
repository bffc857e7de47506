import { generateKeyPairSync } from 'node:crypto';
import { issueReconciliationAct } from '../../activities/reconciliation';
import { readCalendar } from '../../db/calendar-store';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { signerFromKey } from '../../lib/operator-signature';
import {
  reconciliationAct,
  reconciliationActStateQuery,
  reconciliationActWorkflowId,
} from '../../workflows/reconciliation-act';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { fundedClient } from '../helpers/orders';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { workerPerTest } from '../helpers/time-skipping';

// The reconciliation act (6.6-6.8) on the time-skipping server with the real 2026-2027 calendar:
// with no answer it counts as signed exactly at the end of the 5th working day after issue,
// across holidays, and not a minute before.
const operatorSigner = signerFromKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
const TASK_QUEUE = 'reconciliation-act-tests';

let database: TestDatabase;
let smtp: SmtpReceiver;
beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
});
afterAll(async () => {
  await Promise.all([database?.drop(), smtp?.close()]);
});

// A server and worker of its own for each test, its clock starting a minute before the scenario's first instant.
const server = workerPerTest(TASK_QUEUE, () => ({ db: database.db, smtpUrl: smtp.url }));

/** A reconciliation act of the third quarter of 2026 issued at `issuedAt`, as the API issues it. */
async function issuedAct(issuedAt: string) {
  const client = await fundedClient(database.db, 0);
  const calendar = new BusinessCalendar(await readCalendar(database.db), DEFAULT_SETTINGS);
  return database.db.transaction((trx) =>
    issueReconciliationAct(
      trx,
      { signer: operatorSigner, calendar },
      { clientId: client.id, from: '2026-07-01', to: '2026-09-30', issuedAt: new Date(issuedAt) },
    ),
  );
}

describe('6.8: with no signature and no motivated refusal the reconciliation act counts as signed at the end of the 5th working day, not before', () => {
  test.each([
    // Issued Monday 14 December 2026: 16 December (Independence Day) does not count → Tuesday 22 December, 24:00.
    ['2026-12-14T10:00:00+05:00', '2026-12-23T00:00:00+05:00'],
    // Issued on 1 January 2027 at 00:30: 1, 2 January, 4 January (moved), 7 January do not count → Tuesday 12 January, 24:00.
    ['2027-01-01T00:30:00+05:00', '2027-01-13T00:00:00+05:00'],
  ])(
    'issued %s → due %s',
    async (issueAt, due) => {
      const act = await issuedAct(issueAt);
      const dueAt = new Date(due).toISOString();
      expect({
        status: act.status,
        dueAt: new Date(act.due_at).toISOString(),
        signed: operatorSigner.verify(act.pdf, act.operator_signature),
      }).toEqual({ status: 'issued', dueAt, signed: true });

      await server.sleepUntil(issueAt);
      const handle = await server.env.client.workflow.start(reconciliationAct, {
        taskQueue: TASK_QUEUE,
        workflowId: reconciliationActWorkflowId(act.id),
        args: [
          {
            reconciliationActId: act.id,
            clientId: act.client_id,
            number: act.number,
            issuedAt: new Date(act.issued_at).toISOString(),
            dueAt,
          },
        ],
      });
      await smtp.waitFor((m) => m.subject === `Акт сверки взаиморасчётов № ${act.number} на подписание`);
      expect(await handle.query(reconciliationActStateQuery)).toMatchObject({ status: 'issued', dueAt });

      // A minute before the end it still awaits the client, reminded a working day before.
      await server.sleepUntil(new Date(Date.parse(due) - 60_000).toISOString());
      expect((await handle.query(reconciliationActStateQuery)).status).toBe('issued');
      expect((await database.db('reconciliation_acts').where({ id: act.id }).first('status')).status).toBe('issued');
      await eventually(
        async () => !!(await database.db('reconciliation_acts').where({ id: act.id }).first('reminded_at')).reminded_at,
        30_000,
      );

      expect((await handle.result()).status).toBe('auto_accepted');
      const accepted = await database.db('reconciliation_acts').where({ id: act.id }).first();
      expect(accepted.status).toBe('auto_accepted');
      expect(new Date(accepted.accepted_at).getTime()).toBeGreaterThanOrEqual(Date.parse(due));
      expect(new Date(accepted.accepted_at).getTime()).toBeLessThan(Date.parse(due) + 60_000);
      await smtp.waitFor((m) => m.subject === `Акт сверки № ${act.number} считается подписанным`);
    },
    120_000,
  );
});
