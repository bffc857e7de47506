import { createTestDatabase, TestDatabase } from '../helpers/db';
import { clientToken, insertClient, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { eventually, startTestApi, TestApi } from '../helpers/api';
import { registerClient } from '../helpers/clients';
import { isTo, startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';

let database: TestDatabase;
let smtp: SmtpReceiver;
let api: TestApi;
let admin: { id: string; token: string };
const GROUNDS = 'Бумажное заявление, вх. № 5 от 01.12.2026';
let support: { id: string; token: string };

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpReceiver();
  api = await startTestApi({ db: database.db, smtpUrl: smtp.url, bodyLimit: 64 * 1024 });
  admin = await insertStaff(database.db, ['admin']);
  support = await insertStaff(database.db, ['support']);
});
afterAll(async () => {
  await api?.stop();
  await smtp?.close();
  await database?.drop();
});

const expectError = (response: { status: number; body: any }, status: number, code: string) => {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(typeof response.body.message).toBe('string');
};

describe('health and docs', () => {
  test('/health checks PostgreSQL and Temporal', async () => {
    const response = await api.request('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body.checks.postgres.status).toBe('ok');
    expect(response.body.checks.temporal.status).toBe('ok');
  });

  test('/ready answers, and every response carries a request id', async () => {
    const response = await api.request('GET', '/ready', { headers: { 'x-request-id': 'req-from-caller' } });
    expect(response.body).toEqual({ status: 'ready' });
    expect(response.headers.get('x-request-id')).toBe('req-from-caller');
    expect((await api.request('GET', '/health')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('/docs serves the OpenAPI UI and a document of every route the app serves, each error answer in the one error schema', async () => {
    const ui = await api.request('GET', '/docs/');
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
    const doc = (await api.request('GET', '/docs/json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas.ErrorResponse.required).toEqual(['code', 'message']);

    // The routes as the app registered them (HEAD goes with its GET); only the docs' own pages are left out of the document.
    const served = api.app.registeredRoutes.filter((r) => r.method !== 'HEAD');
    expect(served.filter((r) => r.hidden && r.url !== '/docs' && !r.url.startsWith('/docs/'))).toEqual([]);
    const route = (method: string, url: string) =>
      `${method.toUpperCase()} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
    const expected = [...new Set(served.filter((r) => !r.hidden).map((r) => route(r.method, r.url)))].sort();
    const operations = Object.entries(
      doc.paths as Record<string, Record<string, { responses?: Record<string, any> }>>,
    ).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'put', 'post', 'delete', 'patch', 'options'].includes(method))
        .map(([method, operation]) => ({ route: route(method, path), operation })),
    );
    expect(operations.map((o) => o.route).sort()).toEqual(expected);
    expect(expected).toEqual(
      expect.arrayContaining([
        'GET /health',
        'POST /staff/v1/clients',
        'GET /staff/v1/notices/{noticeId}',
        'GET /client/v1/me',
        'POST /api/v2/shoes/orders',
      ]),
    );

    // Every error answer a route documents has the one shape {code, message, details}, whatever media type the route produces;
    // the order station's (/api/v2/*) have its published RestResult.
    const errorSchemas = (response: { content?: Record<string, { schema?: unknown }> }) =>
      Object.values(response.content ?? {}).map((c) => JSON.stringify(c.schema ?? null));
    const shape = (r: string) =>
      JSON.stringify({
        $ref: `#/components/schemas/${/^[A-Z]+ \/api\/v2\//.test(r) ? 'RestResult' : 'ErrorResponse'}`,
      });
    const notErrorShaped = operations.flatMap(({ route: r, operation }) =>
      Object.entries(operation.responses ?? {})
        .filter(
          ([status, response]) =>
            Number(status) >= 400 &&
            !(errorSchemas(response).length > 0 && errorSchemas(response).every((schema) => schema === shape(r))),
        )
        .map(([status, response]) => `${r} ${status}: ${errorSchemas(response).join(', ').slice(0, 120)}`),
    );
    expect(notErrorShaped).toEqual([]);
  });
});

describe('authentication and roles', () => {
  test('401 without a token and with an unknown or revoked one', async () => {
    expectError(await api.request('GET', '/staff/v1/me'), 401, 'UNAUTHENTICATED');
    expectError(await api.request('GET', '/staff/v1/me', { token: 'ismet_staff_nope' }), 401, 'UNAUTHENTICATED');
    const revoked = await insertStaff(database.db, ['support']);
    await database.db('api_tokens').where({ staff_user_id: revoked.id }).update({ revoked_at: new Date() });
    expectError(await api.request('GET', '/staff/v1/me', { token: revoked.token }), 401, 'UNAUTHENTICATED');
  });

  test('403 for a role the route does not allow, and for a client token on a staff route', async () => {
    const body = { binIin: randomBinIin(), name: 'ТОО «Ботинки»', email: 'boots@example.kz', requisites: REQUISITES };
    expectError(await api.request('POST', '/staff/v1/clients', { token: support.token, body }), 403, 'FORBIDDEN');
    const client = await insertClient(database.db);
    const token = await clientToken(database.db, client.id);
    expectError(await api.request('GET', '/staff/v1/me', { token }), 403, 'FORBIDDEN');
    expect((await api.request('GET', '/client/v1/me', { token })).body.id).toBe(client.id);
    expectError(await api.request('GET', '/client/v1/me', { token: admin.token }), 403, 'FORBIDDEN');
    expect(await database.db('clients').where({ bin_iin: body.binIin }).first()).toBeUndefined();
  });

  test('the order-station style clientToken header is accepted for client routes', async () => {
    const client = await insertClient(database.db);
    const token = await clientToken(database.db, client.id);
    const response = await api.request('GET', '/client/v1/me', { headers: { clientToken: token } });
    expect(response.body.binIin).toBe(client.bin_iin);
  });

  test('an admin creates staff users; the new token works with its roles', async () => {
    const created = await api.request('POST', '/staff/v1/staff-users', {
      token: admin.token,
      body: { name: 'Бухгалтер', email: 'Accountant@Ismet.local', roles: ['accountant'] },
    });
    expect(created.status).toBe(201);
    expect(created.body.staffUser).toMatchObject({ email: 'accountant@ismet.local', roles: ['accountant'] });
    const me = await api.request('GET', '/staff/v1/me', { token: created.body.token });
    expect(me.body.id).toBe(created.body.staffUser.id);
    const again = await api.request('POST', '/staff/v1/staff-users', {
      token: admin.token,
      body: { name: 'Другой', email: 'accountant@ismet.local', roles: ['support'] },
    });
    expectError(again, 409, 'STAFF_USER_EXISTS');
    expectError(
      await api.request('POST', '/staff/v1/staff-users', {
        token: admin.token,
        body: { name: 'X', email: 'x@ismet.local', roles: ['root'] },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('errors have one shape and change nothing', () => {
  test('validation errors name each field', async () => {
    const response = await api.request('POST', '/staff/v1/clients', {
      token: admin.token,
      body: { binIin: '12345', name: '', email: 'not-an-email', extra: 1 },
    });
    expectError(response, 400, 'VALIDATION_FAILED');
    const paths = response.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/binIin', '/name', '/email']));
  });

  test('a client registered by staff gives its requisites: without them, or with a bad IIK, nothing is created', async () => {
    const binIin = randomBinIin();
    const missing = await api.request('POST', '/staff/v1/clients', {
      token: admin.token,
      body: { binIin, name: 'ТОО «Без реквизитов»', email: 'noreq@example.kz' },
    });
    expectError(missing, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(missing.body.details)).toContain('requisites');
    const badIik = await api.request('POST', '/staff/v1/clients', {
      token: admin.token,
      body: {
        binIin,
        name: 'ТОО «Реквизиты»',
        email: 'req@example.kz',
        requisites: { ...REQUISITES, iik: 'KZ00125KZT5004100100' },
        grounds: GROUNDS,
      },
    });
    expectError(badIik, 400, 'VALIDATION_FAILED');
    expect(badIik.body.details[0].path).toBe('/requisites/iik');
    expect(await database.db('clients').where({ bin_iin: binIin }).first()).toBeUndefined();
    const created = await registerClient(api, database.db, admin.token, {
      binIin,
      name: 'ТОО «Реквизиты»',
      email: 'req@example.kz',
      requisites: REQUISITES,
    });
    expect(created.status).toBe(201);
    const profile = (await api.request('GET', `/staff/v1/clients/${created.body.id}/profile`, { token: admin.token }))
      .body;
    expect(JSON.stringify(profile)).toContain(REQUISITES.iik);
  });

  test('a BIN with a wrong check digit is refused', async () => {
    const good = randomBinIin();
    const bad = good.slice(0, 11) + String((Number(good[11]) + 1) % 10);
    const response = await api.request('POST', '/staff/v1/clients', {
      token: admin.token,
      body: { binIin: bad, name: 'ТОО', email: 'a@b.kz', requisites: REQUISITES, grounds: GROUNDS },
    });
    expectError(response, 400, 'VALIDATION_FAILED');
    expect(response.body.details[0].path).toBe('/binIin');
    expect(await database.db('clients').where({ bin_iin: bad }).first()).toBeUndefined();
  });

  test('duplicate client → 409; unknown ids → 404; bad JSON → 400; big body → 413; unknown route → 404', async () => {
    const body = { binIin: randomBinIin(), name: 'ИП Сапожник', email: 'shoe@example.kz', requisites: REQUISITES };
    expect((await registerClient(api, database.db, admin.token, body)).status).toBe(201);
    expectError(
      await api.request('POST', '/staff/v1/clients', { token: admin.token, body: { ...body, grounds: GROUNDS } }),
      409,
      'CLIENT_EXISTS',
    );
    expectError(
      await api.request('GET', '/staff/v1/clients/00000000-0000-4000-8000-000000000000', { token: admin.token }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await api.request('GET', '/staff/v1/clients/not-a-uuid', { token: admin.token }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await api.request('POST', '/staff/v1/clients', { token: admin.token, body: '{"binIin":' }),
      400,
      'INVALID_JSON',
    );
    const huge = { ...body, name: 'x'.repeat(70 * 1024) };
    expectError(
      await api.request('POST', '/staff/v1/clients', { token: admin.token, body: huge }),
      413,
      'BODY_TOO_LARGE',
    );
    expectError(await api.request('GET', '/nowhere'), 404, 'ROUTE_NOT_FOUND');
  });

  test('nobody alone registers a client without an application: one proposes with grounds, another approves or rejects, both recorded', async () => {
    const moderator = await insertStaff(database.db, ['moderator']);
    const second = await insertStaff(database.db, ['admin']);
    const binIin = randomBinIin();
    const body = {
      binIin,
      name: 'ТОО «Без заявления»',
      email: 'Direct@Example.kz',
      requisites: REQUISITES,
      grounds: GROUNDS,
    };

    // Tried from outside: a moderator alone used to get an active client with an order-station id.
    const proposed = await api.request('POST', '/staff/v1/clients', { token: moderator.token, body });
    expect(proposed.status).toBe(202);
    expect(proposed.body).toMatchObject({
      binIin,
      status: 'pending',
      proposedBy: moderator.id,
      grounds: GROUNDS,
      clientId: null,
    });
    expect(await database.db('clients').where({ bin_iin: binIin }).first()).toBeUndefined();
    expectError(
      await api.request('POST', '/staff/v1/clients', { token: second.token, body }),
      409,
      'REGISTRATION_PENDING',
    );
    expectError(
      await api.request('POST', `/staff/v1/client-registrations/${proposed.body.id}/approve`, {
        token: moderator.token,
        body: {},
      }),
      403,
      'SAME_PERSON',
    );
    expect(await database.db('clients').where({ bin_iin: binIin }).first()).toBeUndefined();
    const support = await insertStaff(database.db, ['support']);
    expectError(
      await api.request('POST', `/staff/v1/client-registrations/${proposed.body.id}/approve`, {
        token: support.token,
        body: {},
      }),
      403,
      'FORBIDDEN',
    );

    const approved = await api.request('POST', `/staff/v1/client-registrations/${proposed.body.id}/approve`, {
      token: second.token,
      body: { note: 'Оригинал заявления проверен' },
    });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ binIin, email: 'direct@example.kz', status: 'active' });
    expect(await database.db('personal_accounts').where({ client_id: approved.body.id }).first()).toBeDefined();
    expectError(
      await api.request('POST', `/staff/v1/client-registrations/${proposed.body.id}/approve`, {
        token: second.token,
        body: {},
      }),
      409,
      'ALREADY_DECIDED',
    );
    const listed = (
      await api.request('GET', '/staff/v1/client-registrations?status=approved', { token: moderator.token })
    ).body.registrations;
    expect(listed.find((r: { id: string }) => r.id === proposed.body.id)).toMatchObject({
      proposedBy: moderator.id,
      decidedBy: second.id,
      decisionNote: 'Оригинал заявления проверен',
      clientId: approved.body.id,
      status: 'approved',
    });

    const other = randomBinIin();
    const refused = await api.request('POST', '/staff/v1/clients', {
      token: moderator.token,
      body: { ...body, binIin: other },
    });
    const rejected = await api.request('POST', `/staff/v1/client-registrations/${refused.body.id}/reject`, {
      token: second.token,
      body: { note: 'Нет оригинала' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: second.id, clientId: null });
    expect(await database.db('clients').where({ bin_iin: other }).first()).toBeUndefined();
    // Rejected, the BIN may be proposed again.
    expect(
      (await api.request('POST', '/staff/v1/clients', { token: moderator.token, body: { ...body, binIin: other } }))
        .status,
    ).toBe(202);
  });
});

describe('a workflow end to end: the API starts a notice delivery, the worker e-mails it, the API queries it', () => {
  test('a notice reaches the SMTP receiver and the workflow state is visible through the API', async () => {
    const client = await insertClient(database.db, { email: 'director@shoes.kz' });
    const created = await api.request('POST', `/staff/v1/clients/${client.id}/notices`, {
      token: support.token,
      body: { subject: 'Изменение тарифа', body: 'С 1 января тариф составит 2,68 тенге без НДС за код.' },
    });
    expect(created.status).toBe(202);
    expect(created.body.workflow.workflowId).toBe(`notice-${created.body.id}`);

    const mail = await smtp.waitFor((m) => isTo(m, client.email) && m.subject === 'Изменение тарифа');
    expect(mail.text).toContain('2,68 тенге');
    const notice = await eventually(async () => {
      const r = await api.request('GET', `/staff/v1/notices/${created.body.id}`, { token: support.token });
      return r.body.workflow?.status === 'COMPLETED' && r.body;
    });
    expect(notice).toMatchObject({ status: 'sent', attempts: 1, workflow: { state: { status: 'sent' } } });
    expect(notice.workflow.state.messageId).toBe(mail.messageId);

    const description = await api.temporal.client.workflow.getHandle(notice.workflow.workflowId).describe();
    expect(description.typedSearchAttributes.get({ name: 'ClientId', type: 'KEYWORD' } as any)).toBe(client.id);

    const token = await clientToken(database.db, client.id);
    const mine = await api.request('GET', '/client/v1/notices', { token });
    expect(mine.body.notices.map((n: { id: string }) => n.id)).toEqual([created.body.id]);
  });

  test('the workflow is listed by the visibility query on its search attributes', async () => {
    const client = await insertClient(database.db);
    const created = await api.request('POST', `/staff/v1/clients/${client.id}/notices`, {
      token: admin.token,
      body: { subject: 'Сверка', body: 'Акт сверки готов.' },
    });
    const listed = await eventually(async () => {
      const found = [];
      for await (const wf of api.temporal.client.workflow.list({
        query: `ClientId = '${client.id}' AND BusinessStatus = 'sent'`,
      }))
        found.push(wf.workflowId);
      return found.length > 0 && found;
    });
    expect(listed).toEqual([`notice-${created.body.id}`]);
  });
});
