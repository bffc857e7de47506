import { DefaultLogger, LogLevel, LogMetadata, Runtime } from '@temporalio/worker';
import type { Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's runtime of this process; call before creating any worker. Its logs go through pino; with
 * `metricsAddress` (WORKER_METRICS_ADDRESS) it serves Prometheus metrics at http://<address>/metrics: the SDK's own
 * (task latencies, slots, sticky cache, polls) and the counters workflows add (workflows/shared/business-metrics.ts),
 * named in Prometheus's conventions (`_total` counters, durations in seconds).
 */
export function installTemporalRuntime(
  logger: Logger,
  options: { level?: LogLevel; metricsAddress?: string } = {},
): void {
  Runtime.install({
    logger: new DefaultLogger(
      options.level ?? 'WARN',
      ({ level: l, message, meta }: { level: LogLevel; message: string; meta?: LogMetadata }) =>
        logger[LEVELS[l]]({ ...meta, sdk: 'temporal' }, message),
    ),
    ...(options.metricsAddress
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: {
                bindAddress: options.metricsAddress,
                countersTotalSuffix: true,
                useSecondsForDurations: true,
              },
            },
          },
        }
      : {}),
  });
}
