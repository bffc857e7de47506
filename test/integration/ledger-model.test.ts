import fc from 'fast-check';
import type { Db } from '../../db/connection';
import {
  capture,
  checkLedger,
  clientBalance,
  compensationCredit,
  correction,
  deposit,
  LedgerError,
  refundPayout,
  release,
  reserve,
} from '../../db/ledger';
import { chargeForDelivery, priceOfCodes } from '../../lib/money';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertClient, insertStaff } from '../helpers/fixtures';

/**
 * A randomized model test: thousands of ledger operations on a real PostgreSQL, each checked
 * against a plain in-memory model of the personal accounts (balances, reservations), with
 * retries of earlier operations mixed in. After every step the balances agree; after every
 * run the ledger's own check finds no drift.
 */
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
const DAY = '2026-11-26';

interface Order {
  ref: string;
  clientIndex: number;
  codes: number;
  captured: number;
  amount: number;
  charged: number;
  open: boolean;
}
interface Model {
  clients: { available: number; reserved: number }[];
  orders: Order[];
  /** Operations done, to be retried with the same key. */
  done: { key: string; run: () => Promise<unknown> }[];
}
interface Real {
  db: Db;
  clientIds: string[];
  staffId: string;
  run: number;
}

let database: TestDatabase;
let staffId: string;
let runs = 0;
beforeAll(async () => {
  database = await createTestDatabase();
  staffId = (await insertStaff(database.db, ['accountant'])).id;
});
afterAll(() => database.drop());

let sequence = 0;
const nextKey = (real: Real, what: string) => `model-${real.run}-${what}-${++sequence}`;

async function refusedWith<T>(promise: Promise<T>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (error instanceof LedgerError) return error.code;
    throw error;
  }
}

async function assertAgrees(model: Model, real: Real) {
  for (const [i, id] of real.clientIds.entries()) {
    const balance = await clientBalance(real.db, id);
    expect({ available: balance.available, reserved: balance.reserved }).toEqual(model.clients[i]);
  }
}

class Deposit implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly client: number,
    readonly amount: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const key = nextKey(real, 'deposit');
    const op = () =>
      deposit(real.db, {
        idempotencyKey: key,
        clientId: real.clientIds[this.client],
        amountTiyn: this.amount,
        paymentId: key,
      });
    await op();
    model.clients[this.client].available += this.amount;
    model.done.push({ key, run: op });
    await assertAgrees(model, real);
  }
  toString = () => `deposit(${this.client}, ${this.amount})`;
}

class Reserve implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly client: number,
    readonly codes: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const ref = nextKey(real, 'order');
    const amount = priceOfCodes(this.codes, PRICE).total;
    const op = () =>
      reserve(real.db, {
        idempotencyKey: `reserve:${ref}`,
        clientId: real.clientIds[this.client],
        orderRef: ref,
        codes: this.codes,
        priceDate: DAY,
      });
    const refused = await refusedWith(op());
    const account = model.clients[this.client];
    if (account.available >= amount) {
      expect(refused).toBeUndefined();
      account.available -= amount;
      account.reserved += amount;
      model.orders.push({
        ref,
        clientIndex: this.client,
        codes: this.codes,
        captured: 0,
        amount,
        charged: 0,
        open: true,
      });
      model.done.push({ key: ref, run: op });
    } else {
      expect(refused).toBe('INSUFFICIENT_FUNDS');
    }
    await assertAgrees(model, real);
  }
  toString = () => `reserve(${this.client}, ${this.codes})`;
}

class Capture implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly order: number,
    readonly codes: number,
  ) {}
  check = (model: Readonly<Model>) => model.orders.length > 0;
  async run(model: Model, real: Real) {
    const order = model.orders[this.order % model.orders.length];
    const key = nextKey(real, 'download');
    const op = () =>
      capture(real.db, { idempotencyKey: key, orderRef: order.ref, codes: this.codes, downloadRef: key });
    const refused = await refusedWith(op());
    if (!order.open) expect(refused).toBe('RESERVATION_CLOSED');
    else if (order.captured + this.codes > order.codes) expect(refused).toBe('RESERVATION_EXCEEDED');
    else {
      expect(refused).toBeUndefined();
      const charge = chargeForDelivery(PRICE, order.captured, this.codes).total;
      order.captured += this.codes;
      order.charged += charge;
      model.clients[order.clientIndex].reserved -= charge;
      model.done.push({ key, run: op });
    }
    await assertAgrees(model, real);
  }
  toString = () => `capture(#${this.order}, ${this.codes})`;
}

class Release implements fc.AsyncCommand<Model, Real> {
  constructor(readonly order: number) {}
  check = (model: Readonly<Model>) => model.orders.length > 0;
  async run(model: Model, real: Real) {
    const order = model.orders[this.order % model.orders.length];
    const op = () => release(real.db, { idempotencyKey: `release:${order.ref}`, orderRef: order.ref });
    const result = await op();
    if (order.open) {
      const rest = order.amount - order.charged;
      expect(result.reservation.releasedAmount).toBe(rest);
      model.clients[order.clientIndex].reserved -= rest;
      model.clients[order.clientIndex].available += rest;
      order.open = false;
      model.done.push({ key: `release:${order.ref}`, run: op });
    } else {
      expect(result.replayed).toBe(true);
    }
    expect(result.reservation.capturedAmount + result.reservation.releasedAmount).toBe(order.amount);
    await assertAgrees(model, real);
  }
  toString = () => `release(#${this.order})`;
}

class Refund implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly client: number,
    readonly amount: number,
    readonly fee: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const key = nextKey(real, 'refund');
    const fee = Math.min(this.fee, this.amount);
    const op = () =>
      refundPayout(real.db, {
        idempotencyKey: key,
        clientId: real.clientIds[this.client],
        amountTiyn: this.amount,
        bankFeeTiyn: fee,
        refundRef: key,
      });
    const refused = await refusedWith(op());
    const account = model.clients[this.client];
    if (account.available >= this.amount) {
      expect(refused).toBeUndefined();
      account.available -= this.amount;
      model.done.push({ key, run: op });
    } else expect(refused).toBe('INSUFFICIENT_FUNDS');
    await assertAgrees(model, real);
  }
  toString = () => `refund(${this.client}, ${this.amount}, fee ${this.fee})`;
}

class Adjust implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly client: number,
    readonly amount: number,
    readonly compensation: boolean,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const key = nextKey(real, 'adjust');
    const clientId = real.clientIds[this.client];
    const amount = this.compensation ? Math.abs(this.amount) : this.amount;
    const op = () =>
      this.compensation
        ? compensationCredit(real.db, {
            idempotencyKey: key,
            clientId,
            amountTiyn: amount,
            clause: '7.3',
            reference: { type: 'claim', id: key },
            memo: 'model',
          })
        : correction(real.db, {
            idempotencyKey: key,
            clientId,
            amountTiyn: amount,
            reason: 'model',
            createdBy: real.staffId,
          });
    const refused = await refusedWith(op());
    const account = model.clients[this.client];
    if (account.available + amount >= 0) {
      expect(refused).toBeUndefined();
      account.available += amount;
      model.done.push({ key, run: op });
    } else expect(refused).toBe('INSUFFICIENT_FUNDS');
    await assertAgrees(model, real);
  }
  toString = () => `${this.compensation ? 'compensation' : 'correction'}(${this.client}, ${this.amount})`;
}

class Retry implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.done.length > 0;
  async run(model: Model, real: Real) {
    await model.done[this.index % model.done.length].run();
    await assertAgrees(model, real);
  }
  toString = () => `retry(#${this.index})`;
}

const CLIENTS = 3;
const client = fc.integer({ min: 0, max: CLIENTS - 1 });
const commands = [
  fc.tuple(client, fc.integer({ min: 1, max: 50_000 })).map(([c, a]) => new Deposit(c, a)),
  fc.tuple(client, fc.integer({ min: 1, max: 60 })).map(([c, n]) => new Reserve(c, n)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 25 })).map(([o, n]) => new Capture(o, n)),
  fc.nat().map((o) => new Release(o)),
  fc
    .tuple(client, fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 500 }))
    .map(([c, a, f]) => new Refund(c, a, f)),
  fc
    .tuple(
      client,
      fc.integer({ min: -20_000, max: 20_000 }).filter((a) => a !== 0),
      fc.boolean(),
    )
    .map(([c, a, comp]) => new Adjust(c, a, comp)),
  fc.nat().map((i) => new Retry(i)),
];

test('thousands of random operations agree with the model and leave no drift', async () => {
  let steps = 0;
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 250, size: 'max' }), async (cmds) => {
      const real: Real = { db: database.db, clientIds: [], staffId, run: ++runs };
      for (let i = 0; i < CLIENTS; i++) real.clientIds.push((await insertClient(database.db)).id);
      const model: Model = {
        clients: Array.from({ length: CLIENTS }, () => ({ available: 0, reserved: 0 })),
        orders: [],
        done: [],
      };
      await fc.asyncModelRun(() => ({ model, real }), cmds);
      steps += [...cmds].length;
      expect((await checkLedger(database.db)).problems).toEqual([]);
    }),
    { numRuns: 30 },
  );
  expect(steps).toBeGreaterThanOrEqual(2000);
}, 300_000);
