import { parseArgs } from 'node:util';
import { runMain, stopOnSignals } from '../../lib/process';
import { startTopology } from './topology';

/**
 * `npx tsx ops/topology/run.ts [--dir <folder>] [--workers 2] [--apis 2] [--fast]`: the production
 * topology (docker-compose.yml without Docker) on this machine until Ctrl-C. See docs/TOPOLOGY.md.
 */
async function main() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      workers: { type: 'string' },
      apis: { type: 'string' },
      fast: { type: 'boolean' },
      quiet: { type: 'boolean' },
    },
  });
  const topology = await startTopology({
    dir: values.dir,
    workers: values.workers ? Number(values.workers) : undefined,
    apis: values.apis ? Number(values.apis) : undefined,
    fastPostgres: values.fast,
    log: values.quiet ? undefined : (line) => console.log(`[topology] ${line}`),
  });
  const lines = [
    '',
    'The production topology is running:',
    ...topology.apiUrls.map(
      (url, i) => `  API ${i + 1}            ${url}   (support SMTP ${topology.supportSmtpPorts[i]})`,
    ),
    `  Temporal         ${topology.temporalAddress} (namespace ${topology.namespace}, task queue ${topology.taskQueue})`,
    `  PostgreSQL       ${topology.databaseUrl}`,
    `  Postgres admin   ${topology.postgresServerUrl}`,
    `  Outgoing SMTP    ${topology.smtpUrl} (caught in memory)`,
    ...topology.workers.map((w) => `  ${w.name}         pid ${w.pid}`),
    `  Logs             ${topology.logsDir}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  stopOnSignals(async () => {
    console.log('stopping');
    await topology.stop();
  });
}

runMain(main);
