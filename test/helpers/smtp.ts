import type { AddressInfo } from 'node:net';
import { simpleParser, AddressObject, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpReceiver {
  url: string;
  /** The port it listens on, chosen by the system (it binds port 0). */
  port: number;
  /**
   * Every message accepted so far, parsed. A message is pushed here before the receiver answers
   * 250 to its DATA: once a sending call has resolved, its message is already in the list.
   */
  messages: ParsedMail[];
  waitFor(predicate: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  /** From now on refuse `address` at RCPT TO with `reply` (e.g. 451, a mailbox busy for a while), or accept it again (null). */
  setRefusal(address: string, reply: { code: number; message: string } | null): void;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  /**
   * Mailboxes the receiver refuses at RCPT TO with the given reply, as a real server refuses a dead
   * address (e.g. `{ 'dead@example.kz': { code: 550, message: 'mailbox unavailable' } }`): the
   * sender's SMTP client meets the refusal itself.
   */
  refuse?: Record<string, { code: number; message: string }>;
}

/** The addresses a message went to, lower-cased. */
export function recipientsOf(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((group: AddressObject) => group.value.map((a) => (a.address ?? '').toLowerCase()));
}

/** Whether a message went to `address` (case-insensitively): predicates of `waitFor` name their recipient. */
export const isTo = (mail: ParsedMail, address: string) => recipientsOf(mail).includes(address.toLowerCase());

/** A real SMTP server on loopback that keeps every message it receives, parsed. */
export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const messages: ParsedMail[] = [];
  const listeners = new Set<() => void>();
  const refused = new Map(
    Object.entries(options.refuse ?? {}).map(([address, reply]) => [address.toLowerCase(), reply]),
  );
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const reply = refused.get(address.address.toLowerCase());
      if (reply) return callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          listeners.forEach((notify) => notify());
          callback();
        })
        .catch(callback);
    },
  });
  // Port 0: the system picks a free port at bind time, so no other process can take it in between.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // A sender killed mid-message resets its connection: that connection's end, not the receiver's.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    setRefusal(address, reply) {
      if (reply) refused.set(address.toLowerCase(), reply);
      else refused.delete(address.toLowerCase());
    },
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (found) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching e-mail within ${timeoutMs} ms (received ${messages.length})`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
