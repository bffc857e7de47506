import path from 'node:path';
import type { Config } from '../lib/config';

/** Where `npm start` keeps the embedded services' data, and the app database's name. */
export const embeddedPaths = (config: Config) => ({
  postgresDir: path.join(config.dataDir, 'postgres'),
  temporalDbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
  mailOutbox: path.join(config.dataDir, 'mail'),
});

export const APP_DATABASE = 'ismet';

export const embeddedDatabaseUrl = (config: Config) =>
  `postgres://postgres:postgres@127.0.0.1:${config.embeddedPostgresPort}/${APP_DATABASE}`;
