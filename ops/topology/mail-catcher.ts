import type { AddressInfo } from 'node:net';
import { AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the catcher accepted, as the soak checks it. */
export interface CaughtMail {
  messageId: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: Date;
}

export interface MailCatcher {
  url: string;
  port: number;
  /** Every accepted message, in arrival order (pushed before the 250 to DATA). */
  mails(): CaughtMail[];
  close(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined) =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]).flatMap((group) =>
    group.value.map((a) => (a.address ?? '').toLowerCase()),
  );

/**
 * The topology's outgoing mail server (Mailpit in docker-compose.yml): a real SMTP server on
 * loopback that keeps every message, parsed. Listens on port 0, so it reports the port it got.
 */
export async function startMailCatcher(): Promise<MailCatcher> {
  const caught: CaughtMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          caught.push({
            messageId: mail.messageId ?? '',
            to: addresses(mail.to),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            receivedAt: new Date(),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A worker killed mid-message resets its connection: that connection's end, not the catcher's.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails: () => [...caught],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
