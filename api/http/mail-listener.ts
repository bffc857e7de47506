import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../lib/logger';
import { readAuthenticationResults } from '../../lib/mail-auth';
import type { AppDeps } from './deps';
import { DEFAULT_MAIL_POLICY, MailIntakePolicy, takeSupportMail } from '../intake/support-mail';

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
  },
): Promise<SupportMailListener> {
  const server = new SMTPServer({
    authOptional: true,
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
              name: sender.name || undefined,
              subject: (mail.subject ?? '').trim() || '(без темы)',
              body: (mail.text ?? '').trim() || '(пустое письмо)',
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
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
