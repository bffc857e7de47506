import { DefaultLogger, LogLevel, LogMetadata, Runtime } from '@temporalio/worker';
import type { Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** Sends the Temporal SDK's worker logs through pino; call before creating any worker. */
export function installTemporalRuntimeLogger(logger: Logger, level: LogLevel = 'WARN'): void {
  Runtime.install({
    logger: new DefaultLogger(
      level,
      ({ level: l, message, meta }: { level: LogLevel; message: string; meta?: LogMetadata }) =>
        logger[LEVELS[l]]({ ...meta, sdk: 'temporal' }, message),
    ),
  });
}
