import '../lib/telemetry/register';
import { createRequire } from 'node:module';
import { startApi } from '../api/http/server';
import { createDb } from '../db/connection';
import { loadConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { createMailer } from '../lib/mailer';
import { runMain, stopOnSignals } from '../lib/process';
import { createTemporalClient, ensureSearchAttributes } from '../lib/temporal';
import { installTemporalRuntime } from '../lib/temporal-runtime';
import { tracing } from '../lib/telemetry/tracing';
import { activityDepsFor, startWorker } from '../workflows/worker';
import { APP_DATABASE, embeddedPaths } from './embedded-defaults';
import { ensureDatabase, startEmbeddedPostgres } from './services/embedded-postgres';
import { startTemporalDevServer } from './services/temporal-dev-server';

/**
 * `npm start`: the whole back office on one machine. Starts PostgreSQL and the Temporal
 * dev server (with its Web UI) unless DATABASE_URL / TEMPORAL_ADDRESS name running ones,
 * then the API and the worker; prints the URLs; Ctrl-C stops everything in reverse order.
 */
async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs, name: 'start' });
  const paths = embeddedPaths(config);
  installTemporalRuntime(createLogger({ level: config.logLevel, pretty: config.prettyLogs, name: 'temporal-sdk' }), {
    metricsAddress: config.workerMetricsAddress,
  });
  const stops: Array<[string, () => Promise<void>]> = [];

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.info({ dir: paths.postgresDir, port: config.embeddedPostgresPort }, 'starting embedded PostgreSQL');
    const postgres = await startEmbeddedPostgres({
      dataDir: paths.postgresDir,
      port: config.embeddedPostgresPort,
      log: (line) => logger.debug({ service: 'postgres' }, line),
    });
    // embedded-postgres stops itself on SIGINT/SIGTERM and exits the process at once;
    // the shutdown below stops it last instead, after the API and worker have finished.
    const exitHook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook');
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);
    stops.unshift(['PostgreSQL', () => postgres.stop()]);
    await ensureDatabase(postgres.serverUrl, APP_DATABASE);
    databaseUrl = postgres.urlFor(APP_DATABASE);
  }

  let temporalAddress = config.temporalAddress;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    logger.info({ db: paths.temporalDbFile, port: config.temporalDevPort }, 'starting Temporal dev server');
    const temporal = await startTemporalDevServer({
      port: config.temporalDevPort,
      uiPort: config.temporalUiPort,
      dbFile: paths.temporalDbFile,
      namespace: config.temporalNamespace,
      log: (line) => logger.debug({ service: 'temporal' }, line),
    });
    stops.unshift(['Temporal dev server', () => temporal.stop()]);
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
  }
  const admin = createTemporalClient(temporalAddress, config.temporalNamespace);
  await ensureSearchAttributes(admin.connection, config.temporalNamespace);
  await admin.connection.close();

  const api = await startApi({ databaseUrl, temporalAddress });
  stops.unshift(['API', () => api.stop()]);

  const workerDb = createDb(databaseUrl);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: paths.mailOutbox });
  const worker = startWorker({
    address: temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.temporalTaskQueue,
    deps: activityDepsFor(config, { db: workerDb, mailer }),
    logger: createLogger({ level: config.logLevel, pretty: config.prettyLogs, name: 'worker' }),
  });
  stops.push(['traces', async () => void (await tracing()?.shutdown())]);
  stops.unshift([
    'worker',
    async () => {
      await worker.stop();
      mailer.close();
      await workerDb.destroy();
    },
  ]);

  const admins = await workerDb('staff_users').count<{ count: number }[]>('* as count');
  const lines = [
    '',
    'ismet-backoffice is running:',
    `  API              ${api.url}`,
    `  OpenAPI docs     ${api.url}/docs`,
    `  Health           ${api.url}/health`,
    `  Metrics          ${api.url}/metrics (Prometheus)${config.workerMetricsAddress ? `; worker http://${config.workerMetricsAddress}/metrics` : ''}`,
    ...(tracing()
      ? [
          `  Traces           OTLP to ${process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`,
        ]
      : []),
    `  Moderation       ${api.url}/console/moderation`,
    `  Client cabinet   ${api.url}/cabinet`,
    `  Accounting       ${api.url}/console/accounting`,
    `  Support          ${api.url}/console/support`,
    ...(config.supportSmtpPort
      ? [`  Support e-mail   smtp://${config.host}:${config.supportSmtpPort} (each message opens or joins a ticket)`]
      : []),
    temporalUi
      ? `  Temporal Web UI  ${temporalUi}`
      : `  Temporal         ${temporalAddress} (namespace ${config.temporalNamespace})`,
    config.databaseUrl
      ? '  PostgreSQL       DATABASE_URL'
      : `  PostgreSQL       ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`,
    config.smtpUrl
      ? `  SMTP             ${config.smtpUrl.replace(/:[^:@/]+@/, ':***@')}`
      : `  E-mail outbox    ${paths.mailOutbox} (.eml files; set SMTP_URL to send)`,
    ...(api.edsWarning ? ['', `Warning: ${api.edsWarning}`] : []),
    ...(admins[0].count === 0
      ? [
          '',
          'No staff user yet: create the first admin with',
          '  npm run create-admin -- --name "Full Name" --email admin@example.kz',
        ]
      : []),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  stopOnSignals(async (signal) => {
    logger.info({ signal }, 'stopping');
    for (const [name, stop] of stops) {
      try {
        await stop();
        logger.info(`${name} stopped`);
      } catch (error) {
        logger.error({ err: error }, `${name} did not stop cleanly`);
      }
    }
  });
}

runMain(main);
