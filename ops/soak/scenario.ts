/**
 * What the soak's clients, accountant and support agent do, through the API only (staff users and
 * client tokens are made in the database, as `npm run create-admin` and a client's token page do).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { issueToken } from '../../db/api-tokens';
import type { Db } from '../../db/connection';
import { randomBinIin, randomGtin } from '../sample-data';
import { Answer, Http, sleep } from './http';

/** Open orders at which a client closes its oldest before ordering: under the station's 100, orders in flight included. */
const OPEN_ORDERS_BEFORE_CLOSING = 80;

/** The station's refusal to close an order not READY (still emitted; or closed by a retried request). */
const notClosable = (answer: Answer) => answer.outcome === 400 && answer.body?.code === 'BUFFER_NOT_CLOSABLE';

export interface SoakClient {
  index: number;
  id: string;
  omsId: string;
  email: string;
  token: string;
  accountNumber: string;
  gtins: string[];
}

export interface PlacedOrder {
  orderId: string;
  client: SoakClient;
  lines: { gtin: string; quantity: number }[];
  burst: boolean;
  attempts: number;
}

export interface BufferState {
  order: PlacedOrder;
  gtin: string;
  quantity: number;
  /** Codes received in blocks so far. */
  received: number;
  /** The order station's chain: the last block received from this buffer ('0' before the first). */
  lastBlockId: string;
  busy: boolean;
  exhausted: boolean;
}

export interface Download {
  orderId: string;
  gtin: string;
  channel: 'order_station' | 'cabinet';
  /** `after:<lastBlockId>` or `key:<Idempotency-Key>`, as code_blocks.request_ref records it. */
  requestRef: string;
  blockId: string;
  quantity: number;
  attempts: number;
}

export interface PaymentSent {
  documentNumber: string;
  clientId: string;
  amountTiyn: number;
  status: string;
  attempts: number;
}

export interface TicketOpened {
  id: string;
  client: SoakClient;
  /** When the API answered 201 (ms since the epoch). */
  answeredAt: number;
  duringBurst: boolean;
  /** Tickets opened during the burst are left alone until their reaction deadline is measured. */
  measuring: boolean;
  stage: TicketStage;
  /** A step the API answered 503 PROCESS_BUSY for: it may still have been carried out (api/http/workflow-errors.ts). */
  maybe?: TicketStage;
}

type TicketStage = 'new' | 'classified' | 'resolved' | 'confirmed';

/** Where a ticket's status puts it in the soak's steps. */
const STAGE_OF: Record<string, TicketStage> = {
  new: 'new',
  in_progress: 'classified',
  waiting_client: 'classified',
  resolved: 'resolved',
  closed: 'confirmed',
};

export interface Failure {
  what: string;
  outcome: string;
  detail?: string;
  at: number;
}

const REQUISITES = {
  companyName: 'ТОО «Нагрузка»',
  legalAddress: 'г. Астана, пр. Мангилик Ел, 55',
  iik: 'KZ86125KZT5004100100',
  bankName: 'АО «Народный банк Казахстана»',
  bik: 'HSBKKZKX',
  kbe: '17',
};

const today = () => new Date().toISOString().slice(0, 10);

export class Scenario {
  readonly clients: SoakClient[] = [];
  readonly orders: PlacedOrder[] = [];
  readonly buffers: BufferState[] = [];
  readonly downloads: Download[] = [];
  readonly payments: PaymentSent[] = [];
  readonly tickets: TicketOpened[] = [];
  /** Operations that did not succeed after the client's retries. */
  readonly failures: Failure[] = [];
  /** Steps refused with 409 after a retry because the first attempt had been applied (its answer lost). */
  readonly retriedStepsFoundDone: string[] = [];
  /** Set while PostgreSQL is down on purpose: the soak's own polling waits. */
  dbDown = false;
  staff!: { admin: string; moderator: string; accountant: string; support: string };
  private documentSeq = 0;

  constructor(
    readonly http: Http,
    readonly db: Db,
    readonly options: { maxCodesPerLine: number },
  ) {}

  private fail(what: string, answer: Answer, detail?: string) {
    this.failures.push({
      what,
      outcome: String(answer.outcome),
      detail: detail ?? (typeof answer.body === 'object' ? JSON.stringify(answer.body)?.slice(0, 300) : undefined),
      at: Date.now(),
    });
  }

  /** Staff users with tokens, as `npm run create-admin` makes the first admin. */
  async createStaff(): Promise<void> {
    const make = async (role: string) => {
      const [user] = await this.db('staff_users')
        .insert({ name: `Soak ${role}`, email: `soak-${role}-${randomInt(1e9)}@ismet.local`, roles: [role] })
        .returning('*');
      return (await issueToken(this.db, { staffUserId: user.id }, 'soak')).token;
    };
    this.staff = {
      admin: await make('admin'),
      moderator: await make('moderator'),
      accountant: await make('accountant'),
      support: await make('support'),
    };
  }

  /** A client registered by staff (proposed by the admin, approved by the moderator), its products accepted, its account funded. */
  async createClient(index: number, fundsTiyn: number): Promise<SoakClient> {
    const binIin = randomBinIin();
    const email = `soak-client-${index}-${binIin}@example.kz`;
    const proposed = await this.http.persist('setup', 'POST', '/staff/v1/clients', {
      token: this.staff.admin,
      body: {
        grounds: 'Бумажное заявление о присоединении (нагрузочный тест)',
        binIin,
        name: `ТОО «Нагрузка ${index}»`,
        email,
        requisites: REQUISITES,
      },
    });
    if (proposed.outcome !== 202)
      throw new Error(`client proposal: ${proposed.outcome} ${JSON.stringify(proposed.body)}`);
    const approved = await this.http.persist(
      'setup',
      'POST',
      `/staff/v1/client-registrations/${proposed.body.id}/approve`,
      { token: this.staff.moderator, body: {} },
    );
    if (approved.outcome !== 201)
      throw new Error(`client approval: ${approved.outcome} ${JSON.stringify(approved.body)}`);
    const id = approved.body.id as string;
    const token = (await issueToken(this.db, { clientId: id }, 'soak')).token;
    const gtins = [randomGtin(), randomGtin()];
    for (const gtin of gtins) {
      const prefix = await this.http.persist('setup', 'POST', `/staff/v1/clients/${id}/gs1-prefixes`, {
        token: this.staff.admin,
        body: { prefix: gtin.slice(1, 13), evidenceNote: 'Свидетельство GS1 Kazakhstan (нагрузочный тест)' },
      });
      if (prefix.outcome !== 201) throw new Error(`GS1 prefix: ${prefix.outcome} ${JSON.stringify(prefix.body)}`);
      const product = await this.http.persist('setup', 'POST', '/client/v1/products', {
        token,
        body: { gtin, name: `Кроссовки ${gtin}`, attributes: { size: '42' } },
      });
      if (product.outcome !== 201) throw new Error(`product: ${product.outcome} ${JSON.stringify(product.body)}`);
    }
    const account = await this.http.persist('setup', 'GET', '/client/v1/account', { token });
    if (!account.ok || !account.body.accountNumber)
      throw new Error(`account: ${account.outcome} ${JSON.stringify(account.body)}`);
    const client: SoakClient = {
      index,
      id,
      omsId: approved.body.omsId,
      email,
      token,
      accountNumber: account.body.accountNumber,
      gtins,
    };
    this.clients.push(client);
    await this.pay(client, fundsTiyn);
    return client;
  }

  /** A bank payment recorded by the accountant, the account number in its purpose; retried as the same document. */
  async pay(client: SoakClient, amountTiyn: number): Promise<void> {
    const documentNumber = `SOAK-${process.pid}-${++this.documentSeq}`;
    const answer = await this.http.persist('payment', 'POST', '/staff/v1/payments', {
      token: this.staff.accountant,
      body: {
        documentNumber,
        documentDate: today(),
        amountTiyn,
        payerName: `ТОО «Нагрузка ${client.index}»`,
        purpose: `Предоплата за коды маркировки, лицевой счёт ${client.accountNumber}`,
      },
    });
    if (answer.outcome === 201 || answer.outcome === 200)
      this.payments.push({
        documentNumber,
        clientId: client.id,
        amountTiyn,
        status: answer.body.status,
        attempts: answer.attempts,
      });
    else this.fail(`payment ${documentNumber}`, answer);
  }

  /** The client's orders with codes left to download, oldest first: the station allows 100 (TOO_MANY_ACTIVE_ORDERS). */
  private openOrders(client: SoakClient): PlacedOrder[] {
    const open = this.buffers.filter((b) => b.order.client === client && !b.exhausted && b.received < b.quantity);
    return [...new Set(open.map((b) => b.order))];
  }

  /**
   * What an integrator near the station's limit does: closes its oldest order whose codes it no longer needs (the
   * codes left are given up, their reservation released). An order still being emitted cannot be closed
   * (BUFFER_NOT_CLOSABLE): the next oldest is tried.
   */
  private async closeOldestOrder(client: SoakClient): Promise<void> {
    for (const order of this.openOrders(client)) {
      const buffers = this.buffers.filter((b) => b.order === order);
      if (buffers.some((b) => b.busy)) continue;
      for (const b of buffers) b.busy = true;
      const answer = await this.http.persist(
        'close',
        'POST',
        `/api/v2/shoes/buffer/close?omsId=${client.omsId}&orderId=${order.orderId}`,
        { headers: { clientToken: client.token } },
      );
      for (const b of buffers) [b.busy, b.exhausted] = [false, b.exhausted || answer.outcome === 200];
      if (answer.outcome === 200) return;
      if (!notClosable(answer)) return this.fail(`close ${order.orderId}`, answer);
    }
  }

  /** An order through the order station (СУЗ), with an Idempotency-Key so a retry is the same order. */
  async order(client: SoakClient, burst = false, quantity?: number): Promise<PlacedOrder | undefined> {
    if (this.openOrders(client).length >= OPEN_ORDERS_BEFORE_CLOSING) await this.closeOldestOrder(client);
    const lines = client.gtins
      .slice(0, randomInt(1, 3))
      .map((gtin) => ({ gtin, quantity: quantity ?? randomInt(1, this.options.maxCodesPerLine + 1) }));
    const answer = await this.http.persist('order', 'POST', `/api/v2/shoes/orders?omsId=${client.omsId}`, {
      headers: { clientToken: client.token, 'idempotency-key': randomUUID() },
      body: {
        contactPerson: 'Нагрузочный тест',
        releaseMethodType: 'PRODUCTION',
        createMethodType: 'SELF_MADE',
        products: lines.map((l) => ({ ...l, serialNumberType: 'OPERATOR', templateId: 1 })),
      },
    });
    if (answer.outcome !== 200) {
      this.fail('order', answer);
      return undefined;
    }
    const order: PlacedOrder = { orderId: answer.body.orderId, client, lines, burst, attempts: answer.attempts };
    this.orders.push(order);
    for (const line of lines)
      this.buffers.push({
        order,
        gtin: line.gtin,
        quantity: line.quantity,
        received: 0,
        lastBlockId: '0',
        busy: false,
        exhausted: false,
      });
    return order;
  }

  /**
   * A download from a buffer that has codes left, alternately through the order station (the
   * `lastBlockId` chain) and the cabinet (an Idempotency-Key); a retry is the same request.
   * Returns false when no buffer was ready.
   */
  async download(): Promise<boolean> {
    const candidates = this.buffers.filter((b) => !b.busy && !b.exhausted && b.received < b.quantity);
    if (candidates.length === 0) return false;
    const buffer = candidates[randomInt(candidates.length)];
    buffer.busy = true;
    try {
      const { order, gtin } = buffer;
      const headers = { clientToken: order.client.token };
      const status = await this.http.request(
        'buffer-status',
        'GET',
        `/api/v2/shoes/buffer/status?omsId=${order.client.omsId}&orderId=${order.orderId}&gtin=${gtin}`,
        { headers },
      );
      if (!status.ok || status.body.bufferStatus !== 'ACTIVE' || !(status.body.availableCodes > 0)) return false;
      const quantity = Math.min(randomInt(1, 200), buffer.quantity - buffer.received);
      if (this.downloads.length % 2 === 0) {
        const requestRef = `after:${buffer.lastBlockId}`;
        const answer = await this.http.persist(
          'download',
          'GET',
          `/api/v2/shoes/codes?omsId=${order.client.omsId}&orderId=${order.orderId}&gtin=${gtin}&quantity=${quantity}&lastBlockId=${buffer.lastBlockId}`,
          { headers },
        );
        if (!answer.ok) {
          this.fail(`station download ${order.orderId}/${gtin}`, answer);
          return true;
        }
        buffer.lastBlockId = answer.body.blockId;
        buffer.received += answer.body.codes.length;
        this.downloads.push({
          orderId: order.orderId,
          gtin,
          channel: 'order_station',
          requestRef,
          blockId: answer.body.blockId,
          quantity: answer.body.codes.length,
          attempts: answer.attempts,
        });
      } else {
        const key = randomUUID();
        const answer = await this.http.persist('download', 'POST', `/client/v1/orders/${order.orderId}/downloads`, {
          token: order.client.token,
          headers: { 'idempotency-key': key },
          body: { gtin, quantity },
        });
        if (!answer.ok) {
          this.fail(`cabinet download ${order.orderId}/${gtin}`, answer);
          return true;
        }
        buffer.received += answer.body.quantity;
        this.downloads.push({
          orderId: order.orderId,
          gtin,
          channel: 'cabinet',
          requestRef: `key:${key}`,
          blockId: answer.body.blockId,
          quantity: answer.body.quantity,
          attempts: answer.attempts,
        });
        // The block's file, as a client fetches it after the download (free of charge).
        const file = await this.http.persist('file', 'GET', `/client/v1/downloads/${answer.body.blockId}/codes.csv`, {
          token: order.client.token,
        });
        if (!file.ok) this.fail(`codes.csv of ${answer.body.blockId}`, file);
      }
      if (buffer.received >= buffer.quantity) buffer.exhausted = true;
      return true;
    } finally {
      buffer.busy = false;
    }
  }

  /** A client opens a ticket (no idempotency key in this API: only a 2xx counts as opened). */
  async openTicket(client: SoakClient, duringBurst = false): Promise<TicketOpened | undefined> {
    const answer = await this.http.persist('ticket', 'POST', '/client/v1/tickets', {
      token: client.token,
      body: { subject: `Вопрос по заказу ${randomInt(1e6)}`, body: 'Не приходят коды в СУЗ, проверьте, пожалуйста.' },
    });
    if (answer.outcome !== 201) {
      this.fail('ticket', answer);
      return undefined;
    }
    const ticket: TicketOpened = {
      id: answer.body.id,
      client,
      answeredAt: Date.now(),
      duringBurst,
      measuring: duringBurst,
      stage: 'new',
    };
    this.tickets.push(ticket);
    return ticket;
  }

  /**
   * The agent's next step on a ticket: classify a new one, resolve a classified one; the client confirms a
   * resolved one. A 409 re-reads the ticket: a step whose answer was lost in an outage is found done.
   */
  async supportStep(): Promise<boolean> {
    const open = this.tickets.filter((t) => t.stage !== 'confirmed' && !t.measuring);
    if (open.length === 0) return false;
    const ticket = open[randomInt(open.length)];
    const staffStep = (step: string, body: unknown) =>
      this.http.persist('support', 'POST', `/staff/v1/tickets/${ticket.id}/${step}`, {
        token: this.staff.support,
        body,
      });
    const [answer, next, what]: [Answer & { attempts: number }, TicketStage, string] =
      ticket.stage === 'new'
        ? [
            await staffStep('classify', { priority: (['high', 'medium', 'low'] as const)[randomInt(3)] }),
            'classified',
            'classify',
          ]
        : ticket.stage === 'classified'
          ? [
              await staffStep('resolve', { kind: 'solution', text: 'Коды доступны в СУЗ, повторите запрос.' }),
              'resolved',
              'resolve',
            ]
          : [
              await this.http.persist('support', 'POST', `/client/v1/tickets/${ticket.id}/confirm`, {
                token: ticket.client.token,
              }),
              'confirmed',
              'confirm',
            ];
    // A step answered 503 PROCESS_BUSY, or retried after one, may still be carried out after the answer.
    if (!answer.ok && (answer.outcome === 503 || answer.attempts > 1)) ticket.maybe = next;
    if (answer.ok) ticket.stage = next;
    else if (answer.outcome === 503 && answer.body?.code === 'PROCESS_BUSY') return true;
    else if (answer.outcome === 409) {
      // Not registered by its workflow yet (try later), or this step was applied by an attempt whose answer was lost.
      const read = await this.http.persist('support', 'GET', `/staff/v1/tickets/${ticket.id}`, {
        token: this.staff.support,
      });
      const stage = read.ok ? STAGE_OF[read.body.status] : undefined;
      if (stage === next && answer.attempts > 1) this.retriedStepsFoundDone.push(`${what} ${ticket.id}`);
      if (stage) ticket.stage = stage;
    } else this.fail(`${what} ${ticket.id}`, answer);
    return true;
  }

  /** What clients read: their account, their orders, the health page. */
  async read(client: SoakClient): Promise<void> {
    const which = randomInt(3);
    if (which === 0) await this.http.request('read', 'GET', '/client/v1/account', { token: client.token });
    else if (which === 1)
      await this.http.request('read', 'GET', `/api/v2/shoes/orders?omsId=${client.omsId}`, {
        headers: { clientToken: client.token },
      });
    else await this.http.request('read', 'GET', '/client/v1/tickets', { token: client.token });
  }

  /**
   * The time from a ticket's 201 until its reaction deadline is recorded (tickets.reaction_due_at,
   * written by the ticket workflow's activity), polled every 20 ms; undefined after `timeoutMs`.
   */
  async reactionRecordedMs(ticket: TicketOpened, timeoutMs = 60_000): Promise<number | undefined> {
    for (;;) {
      if (this.dbDown) {
        await sleep(100);
        continue;
      }
      const row = await this.db('tickets')
        .where({ id: ticket.id })
        .first('reaction_due_at')
        .catch(() => undefined);
      if (row?.reaction_due_at) return Date.now() - ticket.answeredAt;
      if (Date.now() - ticket.answeredAt > timeoutMs) return undefined;
      await sleep(20);
    }
  }

  randomClient(): SoakClient {
    return this.clients[randomInt(this.clients.length)];
  }
}
