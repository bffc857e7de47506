import { createHash, randomInt } from 'node:crypto';
import { deposit } from '../../db/ledger';
import { openPersonalAccount } from '../../db/personal-accounts';
import { gtinCheckDigit } from '../../lib/codes';
import { expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { randomGtin } from '../helpers/orders';
import { expectStationError } from '../helpers/station';

// Issue #16: a GTIN is ordered only after the operator accepted the client's right to it — under a
// GS1 company prefix recorded for the client, or by moderating the product card with its evidence.
const ctx = useTestApi();

interface Company {
  id: string;
  omsId: string;
  token: string;
  name: string;
}

let admin: { id: string; token: string; name: string };
let moderator: { id: string; token: string; name: string };
beforeAll(async () => {
  [admin, moderator] = await Promise.all([
    insertStaff(ctx.database.db, ['admin']),
    insertStaff(ctx.database.db, ['moderator']),
  ]);
});

/** An active client with a personal account, funded so orders are not refused for money. */
async function company(name: string): Promise<Company> {
  const { db } = ctx.database;
  const client = await insertClient(db, { name });
  await openPersonalAccount(db, client.id, new Date());
  await deposit(db, {
    idempotencyKey: `fund-${client.id}`,
    clientId: client.id,
    amountTiyn: 1_000_000_00,
    paymentId: `fund-${client.id}`,
  });
  return { id: client.id, omsId: client.oms_id, token: await clientToken(db, client.id), name };
}

/** A random GS1 company prefix (9 digits, Kazakhstan's 487) unused by other tests. */
const randomPrefix = () => `487${String(randomInt(10 ** 6)).padStart(6, '0')}`;
/** A GTIN-14 under `prefix`, with indicator digit `indicator` (0: a GTIN-13 item). */
function gtinUnder(prefix: string, indicator = '0') {
  const gtin13data = prefix + String(randomInt(10 ** (12 - prefix.length))).padStart(12 - prefix.length, '0');
  const first13 = indicator + gtin13data;
  return first13 + gtinCheckDigit(first13);
}

const register = (c: Company, gtin: string, body: Record<string, unknown> = {}) =>
  ctx.api.request('POST', '/client/v1/products', {
    token: c.token,
    body: { gtin, name: 'Кроссовки «Бренд»', ...body },
  });
const recordPrefix = (c: Company, prefix: string, token = moderator.token) =>
  ctx.api.request('POST', `/staff/v1/clients/${c.id}/gs1-prefixes`, {
    token,
    body: { prefix, evidenceNote: 'Свидетельство GS1 Kazakhstan № 123 от 01.02.2025' },
  });
const order = (c: Company, gtin: string) =>
  ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${c.omsId}`, {
    headers: { clientToken: c.token },
    body: {
      contactPerson: 'Иванов И.И.',
      releaseMethodType: 'PRODUCTION',
      createMethodType: 'SELF_MADE',
      products: [{ gtin, quantity: 5, serialNumberType: 'OPERATOR', templateId: 1 }],
    },
  });
const ordersOf = async (c: Company) =>
  Number((await ctx.database.db('orders').where({ client_id: c.id }).count('* as n'))[0].n);
/** The moderation queue (pending products), of one client. */
const queue = async (c: Company) =>
  (await ctx.api.request('GET', `/staff/v1/products?status=pending&clientId=${c.id}`, { token: moderator.token })).body
    .products as any[];

describe('tried from outside: a client orders codes for another brand’s GTIN', () => {
  test('client B registers client A’s GTIN: it is only pending, and B’s order for it is refused with nothing recorded; rejected, still refused', async () => {
    const brand = await company('ТОО «Бренд»');
    const outsider = await company('ТОО «Чужой»');
    const gtin = randomGtin();
    // The brand's own product, accepted under its prefix.
    expect((await recordPrefix(brand, gtin.slice(1, 13))).status).toBe(201);
    expect((await register(brand, gtin)).body.rights).toMatchObject({ status: 'accepted', basis: 'gs1_prefix' });

    // A GTIN of a brand the operator has no prefix for: registering it is allowed but waits for moderation.
    const foreign = randomGtin();
    const registered = await register(outsider, foreign, { evidence: { text: 'Мы продаём эту обувь' } });
    expect(registered.status).toBe(201);
    expect(registered.body.rights).toEqual({
      status: 'pending',
      basis: null,
      gs1Prefix: null,
      decidedAt: null,
      reason: null,
    });
    // Before issue #16 this order was registered and emitted.
    const refused = await order(outsider, foreign);
    expectStationError(refused, 400, 'INVALID_ORDER_LINES');
    expect(refused.body.fieldErrors).toEqual([
      {
        fieldName: 'products[0].gtin',
        fieldError: `GTIN ${foreign} is awaiting the operator’s acceptance of the client’s right to it`,
      },
    ]);
    expect(await ordersOf(outsider)).toBe(0);

    // The moderator rejects it: the order is refused with the rejection.
    const product = (await queue(outsider)).find((p) => p.gtin === foreign);
    expect(product).toMatchObject({
      clientName: 'ТОО «Чужой»',
      rights: { status: 'pending' },
      evidence: { text: 'Мы продаём эту обувь', document: null },
    });
    const rejected = await ctx.api.request('POST', `/staff/v1/products/${product.id}/reject`, {
      token: moderator.token,
      body: { reason: 'Нет документов правообладателя' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      rights: { status: 'rejected', basis: 'moderation', reason: 'Нет документов правообладателя' },
      decidedBy: { id: moderator.id },
    });
    const again = await order(outsider, foreign);
    expectStationError(again, 400, 'INVALID_ORDER_LINES');
    expect(again.body.fieldErrors[0].fieldError).toBe(
      `the operator rejected the client’s right to GTIN ${foreign}: codes cannot be ordered for it`,
    );
    expect(await ordersOf(outsider)).toBe(0);

    // The brand's GTIN under its recorded prefix: the outsider cannot even register it.
    expectApiError(await register(outsider, gtin), 409, 'GTIN_OF_ANOTHER_COMPANY');
    expect(await ctx.database.db('products').where({ client_id: outsider.id, gtin }).first()).toBeUndefined();
  });
});

describe('GS1 company prefixes', () => {
  test('a GTIN-13 or GTIN-14 under the client’s recorded prefix is accepted at once and can be ordered; recording a prefix accepts the pending ones under it', async () => {
    const c = await company('ТОО «Префикс»');
    const prefix = randomPrefix();
    const before = gtinUnder(prefix);
    expect((await register(c, before)).body.rights.status).toBe('pending');

    const recorded = await recordPrefix(c, prefix);
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({
      gs1Prefix: { clientId: c.id, prefix, recordedBy: { id: moderator.id }, revokedAt: null },
      acceptedGtins: [before],
    });
    expectApiError(await recordPrefix(c, `${prefix}5`), 409, 'PREFIX_RECORDED');

    const item = gtinUnder(prefix);
    const pack = gtinUnder(prefix, '1');
    const itemAnswer = await register(c, item.slice(1)); // sent as GTIN-13
    expect(itemAnswer.status).toBe(201);
    expect(itemAnswer.body).toMatchObject({
      gtin: item,
      rights: {
        status: 'accepted',
        basis: 'gs1_prefix',
        gs1Prefix: prefix,
        decidedAt: expect.any(String),
        reason: null,
      },
      evidence: null,
    });
    expect((await register(c, pack)).body.rights).toMatchObject({
      status: 'accepted',
      basis: 'gs1_prefix',
      gs1Prefix: prefix,
    });
    expect((await register(c, randomGtin())).body.rights.status).toBe('pending');

    const ordered = await order(c, item);
    expect(ordered.status).toBe(200);
    expect((await order(c, before)).status).toBe(200);

    const card = await ctx.api.request(
      'GET',
      `/staff/v1/products/${(await ctx.database.db('products').where({ client_id: c.id, gtin: before }).first('id')).id}`,
      { token: admin.token },
    );
    expect(card.body.decisions).toEqual([
      expect.objectContaining({ status: 'pending', decidedBy: null }),
      expect.objectContaining({
        status: 'accepted',
        basis: 'gs1_prefix',
        gs1Prefix: prefix,
        decidedBy: { id: moderator.id, name: moderator.name },
      }),
    ]);
  });

  test('a GTIN under another client’s prefix is refused (409), and so are an overlapping prefix and accepting it by moderation', async () => {
    const owner = await company('ТОО «Владелец»');
    const other = await company('ТОО «Другой»');
    const prefix = randomPrefix();
    const gtin = gtinUnder(prefix);
    // Registered before the owner's prefix was known: pending; another one even accepted by moderation.
    expect((await register(other, gtin)).body.rights.status).toBe('pending');
    const earlier = gtinUnder(prefix);
    expect((await register(other, earlier)).status).toBe(201);
    const earlierId = (await queue(other)).find((p) => p.gtin === earlier).id;
    expect(
      (await ctx.api.request('POST', `/staff/v1/products/${earlierId}/accept`, { token: moderator.token, body: {} }))
        .body.rights.status,
    ).toBe('accepted');
    expect((await recordPrefix(owner, prefix)).body.acceptedGtins).toEqual([]);
    // The prefix outweighs the earlier acceptance: the other company's order for it is refused.
    const underPrefix = await order(other, earlier);
    expectStationError(underPrefix, 400, 'INVALID_ORDER_LINES');
    expect(underPrefix.body.fieldErrors).toEqual([
      {
        fieldName: 'products[0].gtin',
        fieldError: `GTIN ${earlier} lies under a GS1 company prefix recorded for another company`,
      },
    ]);

    const refused = await register(other, gtinUnder(prefix, '3'));
    expectApiError(refused, 409, 'GTIN_OF_ANOTHER_COMPANY');
    for (const overlapping of [prefix, prefix.slice(0, 7), `${prefix}12`])
      expectApiError(await recordPrefix(other, overlapping), 409, 'PREFIX_OF_ANOTHER_COMPANY');

    const pending = (await queue(other)).find((p) => p.gtin === gtin);
    expect(pending.prefixOwner).toMatchObject({ prefix, clientId: owner.id, clientName: 'ТОО «Владелец»' });
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/products/${pending.id}/accept`, { token: moderator.token, body: {} }),
      409,
      'GTIN_OF_ANOTHER_COMPANY',
    );
    expectStationError(await order(other, gtin), 400, 'INVALID_ORDER_LINES');
    expect(await ordersOf(other)).toBe(0);
  });

  test('a revoked prefix no longer accepts GTINs at registration; those accepted before stay accepted', async () => {
    const c = await company('ТОО «Отозванный»');
    const prefix = randomPrefix();
    const recorded = await recordPrefix(c, prefix);
    const early = gtinUnder(prefix);
    expect((await register(c, early)).body.rights.status).toBe('accepted');

    const revoke = (token: string) =>
      ctx.api.request('POST', `/staff/v1/gs1-prefixes/${recorded.body.gs1Prefix.id}/revoke`, {
        token,
        body: { reason: 'Членство в GS1 прекращено' },
      });
    expectApiError(await revoke((await insertStaff(ctx.database.db, ['support'])).token), 403, 'FORBIDDEN');
    const revoked = await revoke(admin.token);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      prefix,
      revokedAt: expect.any(String),
      revokedBy: { id: admin.id },
      revocationReason: 'Членство в GS1 прекращено',
    });
    expectApiError(await revoke(admin.token), 409, 'ALREADY_REVOKED');

    const after = await register(c, gtinUnder(prefix));
    expect({ status: after.status, rights: after.body.rights }).toMatchObject({
      status: 201,
      rights: { status: 'pending', basis: null },
    });
    const listed = (await ctx.api.request('GET', '/client/v1/products', { token: c.token })).body.products;
    expect(listed.find((p: { gtin: string }) => p.gtin === early).rights.status).toBe('accepted');
    const prefixes = await ctx.api.request('GET', `/staff/v1/clients/${c.id}/gs1-prefixes`, { token: moderator.token });
    expect(prefixes.body.gs1Prefixes).toEqual([
      expect.objectContaining({ prefix, revokedBy: { id: admin.id, name: admin.name } }),
    ]);
    // Free again: another company may record it.
    expect((await recordPrefix(await company('ТОО «Новый владелец»'), prefix)).status).toBe(201);
  });
});

describe('moderation', () => {
  test('the evidence document reaches the moderator; acceptance and rejection are recorded with who and when; re-submitted evidence puts it back in the queue', async () => {
    const c = await company('ТОО «Дистрибьютор»');
    const document = Buffer.from('%PDF-1.4 лицензионный договор');
    const gtin = randomGtin();
    const registered = await register(c, gtin, {
      evidence: {
        text: 'Лицензионный договор № 5 от 01.03.2025',
        document: {
          filename: 'Договор.pdf',
          contentType: 'application/pdf',
          contentBase64: document.toString('base64'),
        },
      },
    });
    expect(registered.status).toBe(201);
    const sha256 = createHash('sha256').update(document).digest('hex');
    expect(registered.body.evidence).toEqual({
      text: 'Лицензионный договор № 5 от 01.03.2025',
      document: { filename: 'Договор.pdf', contentType: 'application/pdf', sha256, bytes: document.length },
      submittedAt: expect.any(String),
    });
    expectApiError(
      await register(c, randomGtin(), {
        evidence: { document: { filename: 'x.pdf', contentType: 'application/pdf', contentBase64: '@@@@' } },
      }),
      400,
      'INVALID_BASE64',
    );

    expectApiError(
      await ctx.api.request('GET', '/staff/v1/products', {
        token: (await insertStaff(ctx.database.db, ['accountant'])).token,
      }),
      403,
      'FORBIDDEN',
    );
    const inQueue = (await queue(c)).find((p) => p.gtin === gtin);
    expect(inQueue).toMatchObject({
      clientId: c.id,
      rights: { status: 'pending' },
      decidedBy: null,
      prefixOwner: null,
      sameGtin: [],
    });
    const file = await fetch(`${ctx.api.url}/staff/v1/products/${inQueue.id}/evidence`, {
      headers: { authorization: `Bearer ${moderator.token}` },
    });
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(document);

    const accepted = await ctx.api.request('POST', `/staff/v1/products/${inQueue.id}/accept`, {
      token: moderator.token,
      body: { note: 'Договор с правообладателем проверен' },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      rights: {
        status: 'accepted',
        basis: 'moderation',
        decidedAt: expect.any(String),
        reason: 'Договор с правообладателем проверен',
      },
      decidedBy: { id: moderator.id, name: moderator.name },
    });
    expect((await queue(c)).some((p) => p.id === inQueue.id)).toBe(false);
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/products/${inQueue.id}/accept`, { token: moderator.token, body: {} }),
      409,
      'PRODUCT_NOT_PENDING',
    );
    expect((await order(c, gtin)).status).toBe(200);

    // Another client claiming the same GTIN cannot have it accepted while c holds it.
    const rival = await company('ТОО «Соперник»');
    expect((await register(rival, gtin)).body.rights.status).toBe('pending');
    const rivalsProduct = (await queue(rival)).find((p) => p.gtin === gtin);
    expect(rivalsProduct.sameGtin).toEqual([expect.objectContaining({ clientId: c.id, status: 'accepted' })]);
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/products/${rivalsProduct.id}/accept`, { token: admin.token, body: {} }),
      409,
      'GTIN_ACCEPTED_FOR_ANOTHER_CLIENT',
    );

    // Rejected, then re-submitted with new evidence: pending again.
    const rejected = await ctx.api.request('POST', `/staff/v1/products/${rivalsProduct.id}/reject`, {
      token: admin.token,
      body: { reason: 'Право принадлежит другому клиенту' },
    });
    expect(rejected.body).toMatchObject({
      rights: { status: 'rejected', reason: 'Право принадлежит другому клиенту' },
      decidedBy: { id: admin.id },
    });
    const seen = (await ctx.api.request('GET', '/client/v1/products', { token: rival.token })).body.products[0];
    expect(seen.rights).toMatchObject({
      status: 'rejected',
      basis: 'moderation',
      reason: 'Право принадлежит другому клиенту',
    });
    expectApiError(
      await ctx.api.request('PATCH', `/client/v1/products/${gtin}`, {
        token: c.token,
        body: { evidence: { text: 'ещё' } },
      }),
      409,
      'RIGHTS_ALREADY_ACCEPTED',
    );
    const resubmitted = await ctx.api.request('PATCH', `/client/v1/products/${gtin}`, {
      token: rival.token,
      body: { evidence: { text: 'Договор поставки с правообладателем № 9' } },
    });
    expect(resubmitted.body).toMatchObject({
      rights: { status: 'pending', reason: null },
      evidence: { text: 'Договор поставки с правообладателем № 9', document: null },
    });
    const card = await ctx.api.request('GET', `/staff/v1/products/${rivalsProduct.id}`, { token: moderator.token });
    expect(card.body.decisions.map((d: { status: string }) => d.status)).toEqual(['pending', 'rejected', 'pending']);
    expect(card.body.decisions[1]).toMatchObject({
      decidedBy: { id: admin.id },
      reason: 'Право принадлежит другому клиенту',
      decidedAt: expect.any(String),
    });
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/products/00000000-0000-4000-8000-000000000000/accept`, {
        token: moderator.token,
        body: {},
      }),
      404,
      'NOT_FOUND',
    );
  });
});
