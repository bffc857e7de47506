import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { appendClientMessage } from '../db/tickets';
import type { Logger } from '../lib/logger';
import { TICKET_NUMBER } from '../lib/support';
import { clientMessageSignal, ticketWorkflowId } from '../workflows/support-ticket';
import type { AppDeps } from './deps';
import { openTicket } from './tickets';

export interface SupportMailListener {
  port: number;
  close(): Promise<void>;
}

/**
 * The support address's SMTP listener (Прил. 3 п.1b: requests by e-mail, accepted 24/7): a new
 * message opens a ticket (its number goes back by e-mail); a message whose subject carries a
 * ticket's number is added to that ticket. A message seen before (same Message-ID) is not
 * added twice; a failure answers 4xx so the sending server tries again.
 */
export async function startSupportMailListener(deps: Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>, options: { host: string; port: number; logger: Logger }): Promise<SupportMailListener> {
  const { db, temporal, clock } = deps;
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
          const from = sender.address.toLowerCase();
          const subject = (mail.subject ?? '').trim() || '(без темы)';
          const body = (mail.text ?? '').trim() || '(пустое письмо)';
          const messageId = mail.messageId ?? undefined;
          if (messageId && (await db('ticket_messages').where({ email_message_id: messageId }).first('id'))) return;
          const number = TICKET_NUMBER.exec(subject)?.[0];
          const existing = number ? await db('tickets').where({ number }).whereNot({ status: 'closed' }).first() : undefined;
          if (existing) {
            const id = await appendClientMessage(db, existing.id, body, `email:${from}`, messageId);
            if (id) await temporal.client.workflow.getHandle(ticketWorkflowId(existing.id)).signal(clientMessageSignal, { messageId: id });
            return;
          }
          const client = await db('clients').whereRaw('lower(email) = ?', [from]).first('id', 'name');
          await db.transaction((trx) =>
            openTicket(trx, deps, { clientId: client?.id ?? null, contactEmail: from, contactName: sender.name || client?.name, channel: 'email', subject, body, receivedAt: clock.now(), emailMessageId: messageId, author: `email:${from}` }),
          );
        })
        .then(
          () => callback(),
          (error: Error & { responseCode?: number }) => {
            options.logger.warn({ err: error }, 'support e-mail not taken');
            callback(Object.assign(new Error(`Not taken now: ${error.message}`), { responseCode: error.responseCode ?? 451 }));
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
