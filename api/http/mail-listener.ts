import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../lib/logger';
import { readAuthenticationResults } from '../../lib/mail-auth';
import type { AppDeps } from './deps';
import { DEFAULT_MAIL_POLICY, MailIntakePolicy, takeSupportMail } from '../intake/support-mail';

/** SMTP connections one address may open per hour unless the listener is told otherwise. */
export const DEFAULT_CONNECTIONS_PER_HOUR = 120;
const HOUR_MS = 3_600_000;

/**
 * Counts connections per address in hour-long windows: the first connection of an address opens its window,
 * and more than `limit` in it are refused until it ends. Forgets windows that have ended.
 */
export function connectionLimiter(limit: number, now: () => number = Date.now) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Whether this connection may go on; when not, the seconds until the address may connect again. */
    admit(address: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const at = now();
      if (windows.size > 10_000)
        for (const [key, window] of windows) if (at - window.start >= HOUR_MS) windows.delete(key);
      let window = windows.get(address);
      if (!window || at - window.start >= HOUR_MS) windows.set(address, (window = { start: at, count: 0 }));
      window.count += 1;
      if (window.count <= limit) return { ok: true };
      return { ok: false, retryAfterSeconds: Math.ceil((window.start + HOUR_MS - at) / 1000) };
    },
  };
}

/** Text as PostgreSQL keeps it: without NUL characters (an e-mail may carry them; the ticket keeps the rest). */
const withoutNul = (text: string) => text.replace(/\u0000/g, '');

export interface SupportMailListener {
  port: number;
  close(): Promise<void>;
}

/**
 * The support address's SMTP listener (Прил. 3 п.1b: requests by e-mail, accepted 24/7): each
 * message goes where api/intake/support-mail.ts says — a new ticket, the ticket it replies to, or the
 * quarantine. A message seen before (same Message-ID) is not taken twice; a failure answers 4xx
 * so the sending server tries again.
 */
export async function startSupportMailListener(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>,
  options: {
    host: string;
    port: number;
    logger: Logger;
    /** The operator's relay's authserv-id: only its `Authentication-Results` count, and senders it did not authenticate are not taken for a client. */
    authservId?: string;
    policy?: Partial<MailIntakePolicy>;
    /** Connections one address may open per hour (besides the per-sender limit of the intake); more get 421. */
    connectionsPerHourPerAddress?: number;
  },
): Promise<SupportMailListener> {
  const limiter = connectionLimiter(options.connectionsPerHourPerAddress ?? DEFAULT_CONNECTIONS_PER_HOUR);
  const server = new SMTPServer({
    authOptional: true,
    onConnect(session, callback) {
      const admitted = limiter.admit(session.remoteAddress);
      if (admitted.ok) return callback();
      options.logger.warn({ address: session.remoteAddress }, 'support SMTP: too many connections from one address');
      callback(
        Object.assign(
          new Error(`Too many connections from your address; try again in ${admitted.retryAfterSeconds} s`),
          { responseCode: 421 },
        ),
      );
    },
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const sender = mail.from?.value[0];
          if (!sender?.address) throw Object.assign(new Error('no sender address'), { responseCode: 550 });
          const authentication = readAuthenticationResults(
            mail.headerLines
              .filter((h) => h.key === 'authentication-results')
              .map((h) => h.line.slice(h.line.indexOf(':') + 1)),
            options.authservId,
          );
          await takeSupportMail(
            deps,
            {
              from: sender.address.toLowerCase(),
              name: withoutNul(sender.name ?? '') || undefined,
              subject: withoutNul(mail.subject ?? '').trim() || '(без темы)',
              body: withoutNul(mail.text ?? '').trim() || '(пустое письмо)',
              messageId: mail.messageId ?? undefined,
              authentication,
            },
            { ...DEFAULT_MAIL_POLICY, ...options.policy, requireAuthentication: Boolean(options.authservId) },
          );
        })
        .then(
          () => callback(),
          (error: Error & { responseCode?: number }) => {
            options.logger.warn({ err: error }, 'support e-mail not taken');
            callback(
              Object.assign(new Error(`Not taken now: ${error.message}`), { responseCode: error.responseCode ?? 451 }),
            );
          },
        );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  // A sender that drops its connection (a reset, a timeout) is that connection's end, not the process's:
  // without a listener the server's 'error' event would throw and take the API down (found by the soak).
  server.on('error', (error) => options.logger.warn({ err: error }, 'support SMTP: a connection failed'));
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
