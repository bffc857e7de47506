import '../../lib/telemetry/register';
import { createDb } from '../../db/connection';
import {
  createStoreEdsVerifier,
  importTrustedDirectory,
  NO_TRUSTED_CA_WARNING,
  trustedCertificateCount,
} from '../../db/eds-trust';
import { prepareDatabase } from '../../db/migrate';
import { systemClock } from '../../lib/clock';
import { codeKeysFor } from '../../lib/code-keys';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { operatorSignerFor } from '../../lib/operator-signature';
import { runMain, stopOnSignals } from '../../lib/process';
import { createTemporalClient } from '../../lib/temporal';
import { tracing } from '../../lib/telemetry/tracing';
import { buildApp, App } from './app';
import { startSupportMailListener } from './mail-listener';
import { startOutboxRelay } from '../intake/outbox';
import { ensureSystemWorkflows } from '../intake/system-workflows';

/** Starts the API on DATABASE_URL / TEMPORAL_ADDRESS; migrations run first. */
export async function startApi(options: {
  databaseUrl: string;
  temporalAddress: string;
  env?: NodeJS.ProcessEnv;
}): Promise<{
  app: App;
  url: string;
  /** Set when no CA certificate is trusted: the start banner shows it. */ edsWarning?: string;
  stop(): Promise<void>;
}> {
  const config = loadConfig(options.env);
  const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs, name: 'api' });
  const db = createDb(options.databaseUrl);
  const { applied, calendarYearsAdded, calendarYearsUpdated, calendarYearsKept } = await prepareDatabase(db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (calendarYearsAdded.length) logger.info({ years: calendarYearsAdded }, 'calendar years seeded');
  if (calendarYearsUpdated.length)
    logger.info({ years: calendarYearsUpdated }, 'calendar years updated from the bundled data');
  if (calendarYearsKept.length)
    logger.warn(
      { years: calendarYearsKept },
      'bundled calendar data differs from a staff edit; the staff edit is kept',
    );
  const temporal = createTemporalClient(options.temporalAddress, config.temporalNamespace);
  // EDS_TRUSTED_CA_DIR is read once, at the first start with certificates there; the trust store counts afterwards.
  const directory = await importTrustedDirectory(db, config.edsTrustedCaDir);
  if (directory.imported !== undefined)
    logger.info(
      { dir: config.edsTrustedCaDir, imported: directory.imported },
      'trusted CA certificates imported into the EDS trust store',
    );
  if (directory.skipped.length)
    logger.warn(
      { dir: config.edsTrustedCaDir, skipped: directory.skipped },
      'certificates of the trusted CA directory that are not CAs were not imported',
    );
  const eds = createStoreEdsVerifier(db);
  const edsWarning = (await trustedCertificateCount(db)) === 0 ? NO_TRUSTED_CA_WARNING : undefined;
  if (edsWarning) logger.warn(edsWarning);
  const app = await buildApp({
    config,
    db,
    temporal,
    clock: systemClock,
    logger,
    eds,
    codeKeys: codeKeysFor(config),
    operatorSigner: operatorSignerFor({ pem: config.operatorSigningKey, dataDir: config.dataDir }),
  });
  await app.listen({ host: config.host, port: config.port });
  const supportMail = config.supportSmtpPort
    ? await startSupportMailListener(
        { db, temporal, config, clock: systemClock },
        {
          host: config.host,
          port: config.supportSmtpPort,
          logger,
          authservId: config.supportMailAuthservId,
          policy: { hourlyLimitPerSender: config.supportMailHourlyLimit },
          connectionsPerHourPerAddress: config.supportSmtpConnectionsPerHour,
        },
      )
    : undefined;
  const calendarChanged = calendarYearsAdded.length + calendarYearsUpdated.length > 0;
  const system = ensureSystemWorkflows(
    temporal,
    { taskQueue: config.temporalTaskQueue, zone: config.operatorTimeZone, calendarChanged },
    logger,
  );
  // What requests wrote but could not tell their workflows at once (Temporal away, a crash).
  const outbox = startOutboxRelay({ db, temporal, config, clock: systemClock }, logger);
  return {
    app,
    url: config.publicUrl,
    edsWarning,
    async stop() {
      system.stop();
      await outbox.stop();
      await supportMail?.close();
      app.startDraining();
      await app.close();
      await temporal.connection.close().catch(() => undefined);
      await db.destroy();
    },
  };
}

/** `node dist/api/server.js`: the API process of a deployment. */
async function main() {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress) {
    throw new Error('DATABASE_URL and TEMPORAL_ADDRESS are required for a standalone API (npm start runs one for you)');
  }
  const api = await startApi({ databaseUrl: config.databaseUrl, temporalAddress: config.temporalAddress });
  stopOnSignals(async () => {
    await api.stop();
    await tracing()?.shutdown();
  });
}

if (require.main === module) runMain(main);
