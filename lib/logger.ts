import pino, { Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level: string; pretty?: boolean; name?: string }): Logger {
  return pino({
    name: options.name ?? 'ismet-backoffice',
    level: options.level,
    redact: { paths: ['req.headers.authorization', 'req.headers.clienttoken', '*.token'], censor: '[redacted]' },
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}
