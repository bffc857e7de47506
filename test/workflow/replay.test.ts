// Workflows run for months: a change to their code must replay the histories they already have, or the
// worker fails their next task. These are histories recorded from the workflow tests of an earlier
// version (test/fixtures/histories/README.md); each must replay on today's code without nondeterminism.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../workflows/worker';

const DIR = path.resolve(__dirname, '../fixtures/histories');
const recorded = fs.readdirSync(DIR).filter((name) => name.endsWith('.json.gz'));

function history(name: string) {
  const json = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(DIR, name))).toString('utf8'));
  return temporal.api.history.v1.History.fromObject(json);
}

test('the recorded histories are there, of every long-lived process', () => {
  const types = new Set(
    recorded.map((name) => history(name).events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name),
  );
  expect([...types].sort()).toEqual(
    expect.arrayContaining([
      'claim',
      'clientLifecycle',
      'compensation',
      'contractAmendment',
      'contractTermination',
      'monthlyAct',
      'noticeDelivery',
      'onboarding',
      'orderEmission',
      'reconciliationAct',
      'refundRequest',
      'supportTicket',
      'tariffAnnouncement',
    ]),
  );
});

test.each(recorded)('%s replays on today’s workflow code', async (name) => {
  await Worker.runReplayHistory({ workflowBundle: await bundle() }, history(name), name.replace(/\.json\.gz$/, ''));
});

let bundled: ReturnType<typeof workflowBundle> | undefined;
const bundle = () => (bundled ??= workflowBundle());
