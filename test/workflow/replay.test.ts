// Workflows run for months: a change to their code must replay the histories they already have, or the
// worker fails their next task. These are histories recorded from the workflow and integration tests of
// earlier versions (test/fixtures/histories/README.md); each must replay on today's code without
// nondeterminism, and every workflow type the worker registers must have one.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import * as workflows from '../../workflows';
import { workflowBundle } from '../../workflows/worker';

const DIR = path.resolve(__dirname, '../fixtures/histories');
const recorded = fs.readdirSync(DIR).filter((name) => name.endsWith('.json.gz'));

function history(name: string) {
  const json = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(DIR, name))).toString('utf8'));
  return temporal.api.history.v1.History.fromObject(json);
}

/**
 * The workflow types the worker registers: `workflows/index.ts` is the bundle's entry, and every function
 * it exports is registered under its name. Its workflows are its exported async functions; the other
 * functions it exports (workflow ids such as `orderWorkflowId`, `previousMonth`) are plain synchronous
 * helpers, and its signal, query and update definitions are objects, not functions.
 */
const workflowTypes = Object.entries(workflows)
  .filter(([, value]) => typeof value === 'function' && value.constructor.name === 'AsyncFunction')
  .map(([name]) => name)
  .sort();

test('every workflow type the worker registers has a recorded history', () => {
  // The rule still finds the workflows (it would find none were async functions compiled down to generators).
  expect(workflowTypes).toEqual(expect.arrayContaining(['orderEmission', 'supportTicket', 'monthlyActs']));
  const types = new Set(
    recorded.map((name) => history(name).events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name),
  );
  expect(workflowTypes.filter((type) => !types.has(type))).toEqual([]);
});

test.each(recorded)('%s replays on today’s workflow code', async (name) => {
  await Worker.runReplayHistory({ workflowBundle: await bundle() }, history(name), name.replace(/\.json\.gz$/, ''));
});

let bundled: ReturnType<typeof workflowBundle> | undefined;
const bundle = () => (bundled ??= workflowBundle());
