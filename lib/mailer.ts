import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable id so a retried send is recognisable as the same message. */
  messageId?: string;
  /** Where the reader's «Reply» goes (e.g. the support address, for e-mails about a ticket). */
  replyTo?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
  /** The From the messages carry (MAIL_FROM). */
  readonly from?: string;
}

/**
 * The support address (the mailbox whose SMTP listener, api/http/mail-listener.ts, takes tickets) when
 * no setting names it: `support@` the domain of MAIL_FROM, e.g. «ИС МПТ <noreply@ismet.kz>» →
 * support@ismet.kz. Undefined when MAIL_FROM has no address.
 */
export function supportAddressFor(mailFrom: string | undefined): string | undefined {
  const domain = /@([^\s>@]+)>?\s*$/.exec(mailFrom ?? '')?.[1];
  return domain ? `support@${domain}` : undefined;
}

/**
 * SMTP when a URL is given; otherwise each message is written as an .eml file into
 * `outboxDir` (the embedded default of `npm start`, readable by any mail client).
 */
export function createMailer(options: { smtpUrl?: string; from: string; outboxDir: string }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      from: options.from,
      async send(mail) {
        const info = await transport.sendMail({ from: options.from, ...mail });
        return { messageId: info.messageId };
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    from: options.from,
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail });
      await fs.promises.mkdir(options.outboxDir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^A-Za-z0-9.-]/g, '')}.eml`;
      await fs.promises.writeFile(path.join(options.outboxDir, name), info.message as Buffer);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
