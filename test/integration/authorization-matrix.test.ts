// The route table is read from the app itself: `app.registeredRoutes`, with every route's declared
// `config.auth` and schema (test/helpers/route-table.ts).

import { createActActivities } from '../../activities/acts';
import { issueToken } from '../../db/api-tokens';
import type { TokenScope } from '../../lib/api-tokens';
import { localDateIn } from '../../lib/calendar';
import { systemClock } from '../../lib/clock';
import { STAFF_ROLES } from '../../lib/roles';
import { TEST_CODE_KEYS, TEST_OPERATOR_SIGNER, useTestApi } from '../helpers/api';
import { insertClient, insertStaff } from '../helpers/fixtures';
import { clientWithServices, fundedClient } from '../helpers/orders';
import {
  Answer,
  AUTH_CODES,
  DeclaredRoute,
  denialStatus,
  describeExpected,
  Expected,
  expectedAnswer,
  fillPath,
  inPool,
  isRestResult,
  isStationRoute,
  Principal,
  routeTableOf,
  sampleOf,
  send,
} from '../helpers/route-table';

// Issue #16: every route × every role and scope × own/other client's object, generated from the
// route table, with the expected answer of each cell computed from the route's declared auth.
const ctx = useTestApi();
const ZONE = 'Asia/Almaty';
/** A well-formed id nothing has: the gate cells' path parameters. */
const NOBODY = '00000000-0000-4000-8000-00000000a11c';

interface ClientParty {
  id: string;
  omsId: string;
  token: string;
}

let routes: readonly DeclaredRoute[];
let principals: Principal[];
let owner: ClientParty & { gtin: string };
let stranger: ClientParty;
/** Client A's objects by the path or query parameter naming them. */
const ownersObjects: Record<string, string> = {};
const setupNotes: string[] = [];

beforeAll(async () => {
  const { db } = ctx.database;
  routes = routeTableOf(ctx.api.app);

  const staff = await Promise.all(
    STAFF_ROLES.map(async (role) => ({ role, token: (await insertStaff(db, [role])).token })),
  );
  const scoped = await insertClient(db, { name: 'ТОО «Токены по областям»' });
  const scopedTokens = await Promise.all(
    (['station', 'cabinet_read', 'cabinet'] as TokenScope[]).map(async (scope) => ({
      scope,
      token: (await issueToken(db, { clientId: scoped.id }, `matrix ${scope}`, { scopes: [scope] })).token,
    })),
  );
  const suspended = await insertClient(db, { name: 'ТОО «Приостановлен»' });
  await db('clients').where({ id: suspended.id }).update({ status: 'suspended' });
  const terminated = await insertClient(db, { name: 'ТОО «Договор расторгнут»' });
  await db('clients').where({ id: terminated.id }).update({ status: 'terminated' });
  const fullScopes = ['station', 'cabinet'] as TokenScope[];
  const full = async (clientId: string, label: string) =>
    (await issueToken(db, { clientId }, label, { scopes: fullScopes })).token;

  principals = [
    { name: 'anonymous', kind: 'anonymous' },
    { name: 'bad token', kind: 'bad', token: 'ismet_client_not-a-token-of-anybody-0000000000000000000000' },
    {
      name: 'expired client token [station,cabinet]',
      kind: 'expired',
      token: (
        await issueToken(db, { clientId: scoped.id }, 'matrix expired', {
          scopes: fullScopes,
          expiresAt: new Date(Date.now() - 60_000),
        })
      ).token,
    },
    ...staff.map(({ role, token }): Principal => ({ name: `staff ${role}`, kind: 'staff', role, token })),
    ...scopedTokens.map(({ scope, token }): Principal => ({
      name: `client [${scope}]`,
      kind: 'client',
      scopes: [scope],
      status: 'active',
      token,
    })),
    {
      name: 'suspended client [station,cabinet]',
      kind: 'client',
      scopes: fullScopes,
      status: 'suspended',
      token: await full(suspended.id, 'matrix suspended'),
    },
    {
      name: 'terminated client [station,cabinet]',
      kind: 'client',
      scopes: fullScopes,
      status: 'terminated',
      token: await full(terminated.id, 'matrix terminated'),
    },
  ];

  // Client A owns an order with its buffer and a delivered block, an act, an invoice, a ticket, a
  // reconciliation act, a notice, a claim, a force-majeure declaration and a second token; client B
  // owns nothing of those. Each must be made: own/other fails on a setup note.
  const { client, order, block } = await clientWithServices(db, 3, TEST_CODE_KEYS.current);
  owner = { id: client.id, omsId: client.oms_id, gtin: client.gtins[0], token: await full(client.id, 'matrix owner') };
  const other = await fundedClient(db, 100_000_00);
  stranger = { id: other.id, omsId: other.oms_id, token: await full(other.id, 'matrix stranger') };
  Object.assign(ownersObjects, {
    orderId: order.orderId,
    blockId: (block as { blockId: string }).blockId,
    gtin: owner.gtin,
  });
  ownersObjects.tokenId = (
    await issueToken(db, { clientId: owner.id }, 'matrix: a token of A', { scopes: ['cabinet_read'] })
  ).id;

  const asOwner = (method: string, path: string, body: unknown) =>
    send(ctx.api.url, method, path, { token: owner.token, body: JSON.stringify(body) });
  const made = async (
    what: string,
    param: string,
    answer: Answer | Promise<Answer>,
    id: (body: any) => string | undefined,
  ) => {
    const a = await answer;
    const value = a.status < 300 ? id(a.body) : undefined;
    if (value) ownersObjects[param] = value;
    else setupNotes.push(`${what}: not made (${a.status} ${a.code ?? ''}); its routes are left out of own/other`);
  };
  await made(
    'ticket',
    'ticketId',
    asOwner('POST', '/client/v1/tickets', { subject: 'Матрица доступа', body: 'Проверка' }),
    (b) => b.id,
  );
  await made('invoice', 'invoiceId', asOwner('POST', '/client/v1/invoices', { amountTiyn: 116_000_00 }), (b) => b.id);
  await made(
    'notice',
    'noticeId',
    send(ctx.api.url, 'POST', `/staff/v1/clients/${owner.id}/notices`, {
      token: staff.find((s) => s.role === 'support')!.token,
      body: JSON.stringify({ subject: 'Матрица', body: 'Уведомление для проверки доступа' }),
    }),
    (b) => b.id,
  );
  const lastYear = Number(localDateIn(ZONE, new Date()).slice(0, 4)) - 1;
  await made(
    'reconciliation act',
    'reconciliationId',
    asOwner('POST', '/client/v1/reconciliation-acts', { quarter: `${lastYear}-Q4` }),
    (b) => b.id,
  );
  // A claim recorded from paper originals and a force-majeure declaration under review: rows as their routes store them.
  const now = new Date();
  const [claim] = await db('claims')
    .insert({
      client_id: owner.id,
      channel: 'post',
      received_at: now,
      subject: 'Матрица доступа',
      demands: 'Проверить доступ',
      signer_name: 'Директор',
      status: 'under_review',
      authority_basis: 'paper_originals',
    })
    .returning('id');
  ownersObjects.claimId = claim.id;
  const [declaration] = await db('force_majeure_declarations')
    .insert({
      client_id: owner.id,
      received_at: now,
      started_at: new Date(now.getTime() - 86_400_000),
      obligations: ['acts'],
      description: 'Матрица доступа: пожар на складе',
    })
    .returning('id');
  ownersObjects.declarationId = declaration.id;
  const charged = await db('ledger_transactions').where({ client_id: owner.id, kind: 'capture' }).first('created_at');
  const month = localDateIn(ZONE, new Date(charged.created_at)).slice(0, 7);
  const acts = createActActivities({
    db,
    mailer: { send: async () => ({ messageId: '' }), close: () => undefined },
    clock: systemClock,
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
  const act = await acts.issueMonthlyAct(owner.id, month, new Date().toISOString());
  if (act?.actId) ownersObjects.actId = act.actId;
  else setupNotes.push('act: not issued; its routes are left out of own/other');
});

interface Cell {
  route: string;
  principal: string;
  expected: string;
  actual: string;
}
const firstProblem = (body: unknown) => {
  const b = body as { details?: { path?: string; message?: string }[]; message?: string } | undefined;
  const d = b?.details?.[0];
  return d ? `${d.path ?? ''} ${d.message ?? ''}`.trim() : (b?.message ?? '');
};
const actualOf = (a: Answer) => `${a.status}${a.code ? ` ${a.code}` : ''}`;
const count = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {});

test('every registered route is under its audience’s prefix and declares the audience its prefix says', () => {
  expect(routes.length).toBeGreaterThan(100);
  const wrong = routes.flatMap((r) => {
    const a = r.auth;
    if (r.url.startsWith('/staff/v1/') && !(a && a.staff?.length && !a.client && !a.optional))
      return [`${r.method} ${r.url}: a staff route declares ${JSON.stringify(a ?? null)}`];
    if (r.url.startsWith('/client/v1/') && !(a && a.client && !a.staff?.length && !a.optional))
      return [`${r.method} ${r.url}: a client route declares ${JSON.stringify(a ?? null)}`];
    if (isStationRoute(r.url) && a && !(a.client && !a.staff?.length))
      return [`${r.method} ${r.url}: an order-station route declares ${JSON.stringify(a)}`];
    return [];
  });
  expect(wrong).toEqual([]);
});

test('the OpenAPI document’s `security` says what each route’s declared auth says', async () => {
  const doc = (await send(ctx.api.url, 'GET', '/docs/json')).body as {
    paths: Record<string, Record<string, { security?: Record<string, unknown>[] }>>;
  };
  const wrong: string[] = [];
  for (const r of routes) {
    if (r.hidden || r.method === 'HEAD') continue;
    const operation = doc.paths[r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    if (!operation) {
      wrong.push(`${r.method} ${r.url}: not in the OpenAPI document`);
      continue;
    }
    const schemes = new Set(
      (operation.security ?? []).flatMap((s) => (Object.keys(s).length ? Object.keys(s) : ['(none)'])),
    );
    const a = r.auth;
    const expected = new Set<string>();
    if (a?.staff?.length) expected.add('staffToken');
    if (a?.client) expected.add('clientToken');
    if (a?.client && isStationRoute(r.url)) expected.add('omsClientToken');
    if (a?.optional) expected.add('(none)');
    const same = schemes.size === expected.size && [...expected].every((s) => schemes.has(s));
    if (!same)
      wrong.push(
        `${r.method} ${r.url}: auth ${JSON.stringify(a ?? null)}, OpenAPI security ${JSON.stringify(operation.security ?? null)}`,
      );
  }
  expect(wrong).toEqual([]);
});

test('the gate: every route × every principal answers what the route’s declared auth says', async () => {
  const cells = routes.flatMap((route) =>
    principals.map((principal) => ({ route, principal, expected: expectedAnswer(route, principal) })),
  );
  const answers = await inPool(
    12,
    cells.map(
      ({ route, principal }) =>
        () =>
          send(
            ctx.api.url,
            route.method,
            fillPath(route.url, () => NOBODY),
            { token: 'token' in principal ? principal.token : undefined },
          ),
    ),
  );

  const mismatches: Cell[] = [];
  const byCell = new Map<string, Answer>();
  cells.forEach(({ route, principal, expected }, i) => {
    const answer = answers[i];
    byCell.set(`${route.method} ${route.url} ${principal.name}`, answer);
    const problem = judge(route, expected, answer);
    if (problem)
      mismatches.push({
        route: `${route.method} ${route.url}`,
        principal: principal.name,
        expected: describeExpected(expected),
        actual: `${actualOf(answer)}${problem === true ? '' : ` (${problem})`}`,
      });
  });
  // HEAD answers have no body: besides their status class, each must answer as its GET does.
  for (const { route, principal, expected } of cells) {
    if (route.method !== 'HEAD') continue;
    const head = byCell.get(`HEAD ${route.url} ${principal.name}`)!;
    const get = byCell.get(`GET ${route.url} ${principal.name}`);
    if (get && get.status !== head.status)
      mismatches.push({
        route: `HEAD ${route.url}`,
        principal: principal.name,
        expected: `${describeExpected(expected)}, as GET (${actualOf(get)})`,
        actual: `${head.status}`,
      });
  }

  const summary = {
    routes: routes.length,
    principals: principals.map((p) => p.name),
    cells: cells.length,
    byExpected: count(cells, (c) => describeExpected(c.expected)),
    byActualStatus: count(answers, (a) => String(a.status)),
    mismatches: mismatches.length,
  };
  console.log(`authorization matrix (gate):\n${JSON.stringify(summary, null, 2)}`);
  expect(mismatches).toEqual([]);
});

/**
 * Whether `answer` is what the gate should give: a refusal with its status (the order station's
 * 403s as 400) and code, or anything but a refusal. A 5xx is a mismatch too; the order station
 * answers errors in its RestResult shape. HEAD has no body: its status alone is judged.
 */
function judge(route: DeclaredRoute, expected: Expected, answer: Answer): string | true | undefined {
  const station = isStationRoute(route.url);
  if (station && answer.status >= 400 && route.method !== 'HEAD' && !isRestResult(answer.body))
    return 'not a RestResult';
  if (expected.kind === 'deny') {
    if (answer.status !== denialStatus(route.url, expected.status)) return true;
    if (route.method !== 'HEAD' && answer.code !== expected.code) return true;
    return undefined;
  }
  if (answer.status >= 500) return 'server error';
  if (route.method === 'HEAD') return answer.status === 401 || answer.status === 403 ? true : undefined;
  if (answer.code && AUTH_CODES.has(answer.code)) return true;
  if (!station && (answer.status === 401 || answer.status === 403)) return true;
  return undefined;
}

test('own and other client’s objects: B’s token on A’s object is not found (never A’s data), A’s own is read', async () => {
  interface ObjectCell {
    route: DeclaredRoute;
    path: string;
    who: 'A' | 'B';
    body?: string;
  }
  const cells: ObjectCell[] = [];
  const uncovered: string[] = [];
  const objectOf = (url: string, param: string) =>
    ownersObjects[param === 'id' && url.includes('/reconciliation-acts/') ? 'reconciliationId' : param];
  const readOnly = (method: string) => method === 'GET';

  for (const route of routes) {
    if (route.method === 'HEAD' || !route.auth?.client) continue;
    if (isStationRoute(route.url)) {
      if (!route.query.includes('omsId') || route.method !== 'GET') continue;
      // The station names objects in its query: A's omsId with B's token, and B's omsId with A's order, block, GTIN.
      const query = (omsId: string) =>
        '?' +
        route.query
          .map((name) => {
            const value =
              name === 'omsId'
                ? omsId
                : name === 'quantity'
                  ? '1'
                  : name === 'lastBlockId'
                    ? '0'
                    : (ownersObjects[name] ?? (name === 'unitSerialNumber' ? 'MATRIX' : NOBODY));
            return `${name}=${encodeURIComponent(value)}`;
          })
          .join('&');
      cells.push({ route, path: route.url + query(owner.omsId), who: 'B' });
      if (route.query.some((q) => q in ownersObjects))
        cells.push({ route, path: route.url + query(stranger.omsId), who: 'B' });
      // A reads its own, unless that takes codes (an emission) or names an object A has none of.
      const ownsAll = route.query.every((q) => ['omsId', 'quantity', 'lastBlockId'].includes(q) || q in ownersObjects);
      if (ownsAll && !route.query.includes('quantity'))
        cells.push({ route, path: route.url + query(owner.omsId), who: 'A' });
      continue;
    }
    if (!route.params.length && !/:/.test(route.url)) continue;
    const names = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    const missing = names.filter((n) => !objectOf(route.url, n));
    if (missing.length) {
      uncovered.push(`${route.method} ${route.url} (no object of A for ${missing.join(', ')})`);
      continue;
    }
    const path = fillPath(route.url, (n) => objectOf(route.url, n));
    cells.push({
      route,
      path,
      who: 'B',
      body: readOnly(route.method) ? undefined : JSON.stringify(sampleOf(route.body) ?? {}),
    });
    if (readOnly(route.method)) cells.push({ route, path, who: 'A' });
  }
  // A reads first; then B tries, so that a wrong answer to B cannot change what A reads.
  cells.sort((x, y) => (x.who === y.who ? 0 : x.who === 'A' ? -1 : 1));

  const answers = await inPool(
    6,
    cells.map(
      (c) => () =>
        send(ctx.api.url, c.route.method, c.path, {
          token: c.who === 'A' ? owner.token : stranger.token,
          body: c.body,
        }),
    ),
  );
  const mismatches: Cell[] = [];
  cells.forEach((c, i) => {
    const a = answers[i];
    const station = isStationRoute(c.route.url);
    let expected: string;
    let ok: boolean;
    if (c.who === 'A') {
      expected = '2xx (A reads its own)';
      ok = a.status >= 200 && a.status < 300;
    } else if (station) {
      expected = '400/404 RestResult, not A’s data';
      ok = (a.status === 400 || a.status === 404) && isRestResult(a.body) && !AUTH_CODES.has(a.code ?? '');
    } else if (readOnly(c.route.method)) {
      expected = '404 (or 403)';
      ok = a.status === 404 || a.status === 403;
    } else {
      expected = '404 (or 403, or 400: a body it refuses)';
      ok = a.status === 404 || a.status === 403 || a.status === 400;
    }
    if (!ok)
      mismatches.push({
        route: `${c.route.method} ${c.path}`,
        principal: c.who === 'A' ? 'client A (owner)' : 'client B (other)',
        expected,
        actual: actualOf(a),
      });
  });
  // B's calls that stopped at validation never reached the ownership check: listed, not failed.
  const notReached = cells.flatMap((c, i) =>
    c.who === 'B' && !readOnly(c.route.method) && answers[i].status === 400
      ? [`${c.route.method} ${c.route.url}: ${answers[i].code} ${firstProblem(answers[i].body)}`]
      : [],
  );
  const bAnswers = cells.flatMap((c, i) =>
    c.who === 'B'
      ? [
          `${c.route.method} ${c.path.replace(/\?.*/, '')}${c.path.includes(stranger.omsId) ? " (B's omsId, A's objects)" : c.path.includes(owner.omsId) ? " (A's omsId)" : ''} → ${actualOf(answers[i])}`,
        ]
      : [],
  );
  console.log(
    `authorization matrix (own/other):\n${JSON.stringify({ cells: cells.length, byWho: count(cells, (c) => c.who), byActualStatus: count(answers, (a) => String(a.status)), mismatches: mismatches.length, bAnswers, notReached, uncovered, setupNotes }, null, 2)}`,
  );
  expect({ mismatches, setupNotes }).toEqual({ mismatches: [], setupNotes: [] });
});
