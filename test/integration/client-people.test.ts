import { expectApiError, useTestApi } from '../helpers/api';
import { recordJoiningSigner, sessionHeaders, signInPerson } from '../helpers/client-people';
import { clientToken, insertClient, randomBinIin } from '../helpers/fixtures';
import { createTestPki, type TestPki } from '../helpers/joining';
import { issuePersonalCertificate, issueSignerCertificate } from '../helpers/pki';

// The company's people in the cabinet (issue #17): each signs in with their own EDS (the IIN in the
// certificate), acts within their roles, is recorded with what they did, and is gone at once when removed.

let pki: TestPki;
const context = useTestApi({ eds: async () => (pki = await createTestPki()).verifier, browserSessions: true });

test('the joining signer becomes the first administrator by signing in; people are added with roles, refused outside them, recorded, and removed at once', async () => {
  const { db } = context.database;
  const { api } = context;
  const client = await insertClient(db, { name: 'ТОО «Люди и роли»' });
  const headIin = randomBinIin();
  await recordJoiningSigner(db, client, headIin);
  // The head's authentication key (NCA's AUTH_ certificate: digitalSignature, clientAuth) signs in.
  const headKey = await issueSignerCertificate(pki.ca, {
    iin: headIin,
    bin: client.bin_iin,
    keyUsage: 'authentication',
    commonName: 'АХМЕТОВ ЕРЛАН',
  });
  const head = await signInPerson(api, headKey);
  expect(head.status).toBe(200);
  expect(head.body).toMatchObject({
    person: { fullName: 'АХМЕТОВ ЕРЛАН', roles: ['admin'], iin: headIin },
    client: { id: client.id, binIin: client.bin_iin },
    firstAdministrator: true,
  });
  expect(head.headers.get('set-cookie')).toMatch(/ismet_client_session=[^;]+;.*HttpOnly.*SameSite=Strict/i);
  const asHead = sessionHeaders(api, head.cookie!);
  const me = await api.request('GET', '/client/v1/me', { headers: asHead });
  expect(me.body).toMatchObject({ id: client.id, person: { id: head.body.person.id, roles: ['admin'] } });

  // The same challenge is used once.
  const replay = await api.request('POST', '/v1/cabinet/sign-in', {
    headers: { origin: api.url, 'x-requested-with': 'ismet-console' },
    body: { challengeId: head.challengeId, signature: head.signature },
  });
  expectApiError(replay, 401, 'BAD_CHALLENGE');
  // A signature over other text does not sign in.
  const forged = await signInPerson(api, headKey, { text: (t) => `${t}\nи ещё` });
  expectApiError(forged, 401, 'BAD_SIGNATURE');
  // Someone no company lists: refused, in Russian too.
  const stranger = await signInPerson(api, await issuePersonalCertificate(pki.ca, randomBinIin()));
  expectApiError(stranger, 403, 'NOT_A_PERSON_OF_CLIENT');
  expect(stranger.body.details.messageRu).toMatch(/администратора кабинета/);

  // The administrator adds an accountant; a change without the page's header is refused (cross-site).
  const accountantIin = randomBinIin();
  const crossSite = await api.request('POST', '/client/v1/people', {
    headers: { cookie: head.cookie! },
    body: { iin: accountantIin, fullName: 'Сапарова Айгерим', roles: ['accounting'] },
  });
  expectApiError(crossSite, 403, 'CROSS_SITE_REQUEST');
  const badIin = await api.request('POST', '/client/v1/people', {
    headers: asHead,
    body: { iin: '123456789012', fullName: 'Ошибка ИИН', roles: ['accounting'] },
  });
  expect(badIin.status).toBe(400);
  const added = await api.request('POST', '/client/v1/people', {
    headers: asHead,
    body: { iin: accountantIin, fullName: 'Сапарова Айгерим', email: 'a.saparova@example.kz', roles: ['accounting'] },
  });
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({
    iin: accountantIin,
    roles: ['accounting'],
    createdBy: `person:${head.body.person.id}`,
  });
  expectApiError(
    await api.request('POST', '/client/v1/people', {
      headers: asHead,
      body: { iin: accountantIin, fullName: 'Сапарова Айгерим', roles: ['support'] },
    }),
    409,
    'PERSON_EXISTS',
  );

  // The accountant signs in with a personal signing key; reads everything, changes only accounting's part.
  const accountantKey = await issuePersonalCertificate(pki.ca, accountantIin);
  const accountant = await signInPerson(api, accountantKey);
  expect(accountant.body).toMatchObject({
    person: { id: added.body.id, roles: ['accounting'] },
    firstAdministrator: false,
  });
  const asAccountant = sessionHeaders(api, accountant.cookie!);
  expect((await api.request('GET', '/client/v1/people', { headers: asAccountant })).status).toBe(200);
  expect((await api.request('GET', '/client/v1/acts', { headers: asAccountant })).status).toBe(200);
  const notHers = await api.request('POST', '/client/v1/people', {
    headers: asAccountant,
    body: { iin: randomBinIin(), fullName: 'Кто-то Ещё', roles: ['support'] },
  });
  expectApiError(notHers, 403, 'PERSON_ROLE');
  expect(notHers.body.details).toEqual({ roles: ['accounting'], needed: 'admin' });
  const invoice = await api.request('POST', '/client/v1/invoices', { headers: asAccountant, body: { codes: 1000 } });
  expect(invoice.status).not.toBe(403);
  // Building the document to sign changes nothing and is not recorded as an action.
  const refundDocument = await api.request('POST', '/client/v1/refunds/document', {
    headers: asAccountant,
    body: { amountTiyn: 100 },
  });
  expect(refundDocument.status).toBeLessThan(500);
  // The session cookie opens no staff route.
  expectApiError(await api.request('GET', '/staff/v1/me', { headers: asAccountant }), 401, 'UNAUTHENTICATED');

  // The record names who did what, refusals too.
  const actions = (await api.request('GET', '/client/v1/people/actions', { headers: asHead })).body.actions as Array<{
    personId: string;
    method: string;
    route: string;
    statusCode: number;
  }>;
  expect(actions.map((a) => [a.personId, a.method, a.route, a.statusCode])).toEqual(
    expect.arrayContaining([
      [head.body.person.id, 'POST', '/v1/cabinet/sign-in', 200],
      [head.body.person.id, 'POST', '/client/v1/people', 201],
      [added.body.id, 'POST', '/v1/cabinet/sign-in', 200],
      [added.body.id, 'POST', '/client/v1/people', 403],
      [added.body.id, 'POST', '/client/v1/invoices', invoice.status],
    ]),
  );
  expect(actions.filter((a) => a.statusCode === 403 && a.route === '/client/v1/people')).toHaveLength(1);
  expect(actions.filter((a) => a.route.endsWith('/document'))).toEqual([]);

  // The last administrator stays; removing the accountant ends her session at once.
  expectApiError(
    await api.request('DELETE', `/client/v1/people/${head.body.person.id}`, { headers: asHead }),
    409,
    'LAST_ADMINISTRATOR',
  );
  expectApiError(
    await api.request('PATCH', `/client/v1/people/${head.body.person.id}`, {
      headers: asHead,
      body: { roles: ['ordering'] },
    }),
    409,
    'LAST_ADMINISTRATOR',
  );
  const removed = await api.request('DELETE', `/client/v1/people/${added.body.id}`, { headers: asHead });
  expect(removed.body).toMatchObject({ id: added.body.id, removedBy: `person:${head.body.person.id}` });
  expectApiError(await api.request('GET', '/client/v1/me', { headers: asAccountant }), 401, 'UNAUTHENTICATED');
  expectApiError(await signInPerson(api, accountantKey), 403, 'NOT_A_PERSON_OF_CLIENT');

  // A session past its time ends.
  await db('client_sessions')
    .where({ person_id: head.body.person.id })
    .update({ expires_at: db.raw(`now() - interval '1 second'`) });
  expectApiError(await api.request('GET', '/client/v1/me', { headers: asHead }), 401, 'SESSION_EXPIRED');
});

test('an integration token with the cabinet scope manages people too; a person of two companies chooses one; a station-only token cannot', async () => {
  const { db } = context.database;
  const { api } = context;
  const first = await insertClient(db, { name: 'ТОО «Первая»' });
  const second = await insertClient(db, { name: 'ТОО «Вторая»' });
  const iin = randomBinIin();
  for (const client of [first, second]) {
    const added = await api.request('POST', '/client/v1/people', {
      token: await clientToken(db, client.id),
      body: { iin, fullName: 'Омаров Данияр', roles: ['ordering', 'support'] },
    });
    expect(added.status).toBe(201);
    expect(added.body.createdBy).toMatch(/^token:/);
  }
  const stationToken = (
    await api.request('POST', '/client/v1/tokens', {
      token: await clientToken(db, first.id),
      body: { label: 'станция', scopes: ['station'] },
    })
  ).body.token;
  expectApiError(
    await api.request('POST', '/client/v1/people', {
      token: stationToken,
      body: { iin: randomBinIin(), fullName: 'Не Добавится', roles: ['support'] },
    }),
    403,
    'TOKEN_SCOPE',
  );

  const key = await issuePersonalCertificate(pki.ca, iin);
  const choose = await signInPerson(api, key);
  expectApiError(choose, 409, 'CHOOSE_COMPANY');
  expect(choose.body.details.companies).toEqual(
    expect.arrayContaining([
      { binIin: first.bin_iin, name: 'ТОО «Первая»' },
      { binIin: second.bin_iin, name: 'ТОО «Вторая»' },
    ]),
  );
  const chosen = await signInPerson(api, key, { binIin: second.bin_iin });
  expect(chosen.body).toMatchObject({ client: { id: second.id }, person: { roles: ['ordering', 'support'] } });
  // No first administrator here (nobody signed a joining application): the sign-in made nobody admin.
  const people = await api.request('GET', '/client/v1/people', { headers: sessionHeaders(api, chosen.cookie!) });
  expect(people.body.people.map((p: { roles: string[] }) => p.roles)).toEqual([['ordering', 'support']]);
  // Signing out ends the session.
  expect(
    (await api.request('POST', '/client/v1/sign-out', { headers: sessionHeaders(api, chosen.cookie!) })).body,
  ).toEqual({ signedOut: true });
  expectApiError(
    await api.request('GET', '/client/v1/me', { headers: sessionHeaders(api, chosen.cookie!) }),
    401,
    'UNAUTHENTICATED',
  );
});
