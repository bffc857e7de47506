import { message } from '../../lib/i18n/messages';
import { expectApiError, useTestApi } from '../helpers/api';
import { insertStaff } from '../helpers/fixtures';
import { expectStationError } from '../helpers/station';

// Issue #21: Accept-Language (kk, ru, en) chooses the language of an error's message; the machine code never changes.
const ctx = useTestApi();
let admin: { id: string; token: string };

beforeAll(async () => {
  admin = await insertStaff(ctx.database.db, ['admin', 'accountant', 'support']);
});

const asked = (language?: string): { headers: Record<string, string> } => ({
  headers: language ? { 'accept-language': language } : {},
});

test('an unknown route answers in Kazakh, Russian or English as asked; the code is the same', async () => {
  const answers = await Promise.all(
    ['kk-KZ,ru;q=0.8', 'ru-RU', 'en', undefined, 'de'].map((language) =>
      ctx.api.request('GET', '/client/v1/nothing-here', asked(language)),
    ),
  );
  for (const answer of answers) expectApiError(answer, 404, 'ROUTE_NOT_FOUND');
  const [kk, ru, en, none, other] = answers;
  expect(kk.body.message).toBe(message('kk', 'errors.ROUTE_NOT_FOUND'));
  expect(kk.headers.get('content-language')).toBe('kk');
  expect(ru.body.message).toBe(message('ru', 'errors.ROUTE_NOT_FOUND'));
  expect(ru.headers.get('content-language')).toBe('ru');
  expect(en.body.message).toBe('No route GET /client/v1/nothing-here');
  expect([none.body.message, other.body.message]).toEqual([en.body.message, en.body.message]);
  expect(none.headers.get('content-language')).toBe('en');
  expect(kk.headers.get('vary')).toMatch(/accept-language/i);
});

test('a refusal by a route (no token) and a request the schema refuses, in Kazakh; each field named in the language asked', async () => {
  const unauthenticated = await ctx.api.request('GET', '/client/v1/account', asked('kk'));
  expectApiError(unauthenticated, 401, 'UNAUTHENTICATED');
  expect(unauthenticated.body.message).toBe(message('kk', 'errors.UNAUTHENTICATED'));

  const [english, kazakh, russian] = await Promise.all(
    ['en', 'kk', 'ru'].map((language) =>
      ctx.api.request('GET', '/staff/v1/acts?month=2026-13', { token: admin.token, ...asked(language) }),
    ),
  );
  expectApiError(kazakh, 400, 'VALIDATION_FAILED');
  expect(kazakh.body.message).toBe(message('kk', 'errors.VALIDATION_FAILED'));
  expect(english.body.message).toMatch(/^Invalid request/);
  // Each field's problem in the language asked; where it is, the same.
  const where = (details: { message: string }[]) => details.map(({ message: _, ...place }) => place);
  expect(where(kazakh.body.details)).toEqual(where(english.body.details));
  expect(where(russian.body.details)).toEqual(where(english.body.details));
  expect(english.body.details[0].message).toMatch(/^must /);
  expect(kazakh.body.details[0].message).toMatch(/сәйкес келмейді$/);
  expect(russian.body.details[0].message).toMatch(/^Не соответствует/);
});

test('the order station answers in its RestResult shape in the language asked', async () => {
  const [kk, ru] = await Promise.all(
    ['kk', 'ru'].map((language) => ctx.api.request('GET', '/api/v2/shoes/ping?omsId=x', asked(language))),
  );
  expectStationError(kk, 401, 'UNAUTHENTICATED');
  expect(kk.body.globalErrors).toEqual([message('kk', 'errors.UNAUTHENTICATED')]);
  expect(ru.body.globalErrors).toEqual([message('ru', 'errors.UNAUTHENTICATED')]);
  // Not an operation of the spec (footwear has no utilisation report), so asked without the spec's check.
  const answer = await fetch(`${ctx.api.url}/api/v2/shoes/utilisation?omsId=x`, {
    method: 'POST',
    headers: { 'accept-language': 'kk' },
  });
  const missing = { status: answer.status, body: (await answer.json()) as any };
  expectStationError(missing, 404, 'ROUTE_NOT_FOUND');
  expect(missing.body.globalErrors).toEqual([message('kk', 'errors.ROUTE_NOT_FOUND')]);
});

test('the OpenAPI document declares Accept-Language once, and every operation refers to it', async () => {
  const document = (await ctx.api.request('GET', '/docs/json')).body;
  expect(document.components.parameters.AcceptLanguage).toMatchObject({ name: 'Accept-Language', in: 'header' });
  const operations = Object.entries(document.paths as Record<string, Record<string, { parameters?: unknown[] }>>)
    .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })))
    .filter(({ method }) => ['get', 'put', 'post', 'delete', 'patch'].includes(method));
  expect(operations.length).toBeGreaterThan(100);
  const without = operations
    .filter(
      ({ operation }) => !JSON.stringify(operation.parameters ?? []).includes('#/components/parameters/AcceptLanguage'),
    )
    .map(({ path, method }) => `${method} ${path}`);
  expect(without).toEqual([]);
});
