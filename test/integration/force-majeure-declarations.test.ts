import { createHash } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { createCalendarActivities } from '../../activities/calendar';
import { buildApp, type App } from '../../api/http/app';
import { readCalendar } from '../../db/calendar-store';
import { addDaysToDate, BusinessCalendar } from '../../lib/calendar';
import { systemClock } from '../../lib/clock';
import { createEdsVerifier } from '../../lib/eds';
import { createLogger } from '../../lib/logger';
import { DeadlineAt } from '../../lib/search-attributes';
import { noticeStateQuery } from '../../workflows/notice-delivery';
import { eventually, expectApiError, TEST_OPERATOR_SIGNER, useTestApi } from '../helpers/api';
import { normal, signIn, today, useBrowser } from '../helpers/browser';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';

// Force majeure (8.3-8.5) through the API: a staff event noticed late is relied on only with a
// reason and a second admin; clients declare their own, with the proof, and staff review it; an
// accepted one stands that client's deadlines still (8.4), and no one else's.
const ctx = useTestApi();
const db = () => ctx.database.db;

/** The API as it is at `at` (its clock pinned), on the test run's worker and task queue; one app an instant. */
const pinned = new Map<string, Promise<App>>();
async function apiAt(at: string) {
  if (!pinned.has(at)) pinned.set(at, pinnedApp(at));
  const app = await pinned.get(at)!;
  return async (method: 'GET' | 'POST', url: string, options: { token?: string; body?: unknown } = {}) => {
    const r = await app.inject({
      method,
      url,
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
      payload: options.body as object | undefined,
    });
    return {
      status: r.statusCode,
      body: r.headers['content-type']?.toString().startsWith('application/json') ? r.json() : r.rawPayload,
      headers: r.headers,
    };
  };
}
function pinnedApp(at: string) {
  return buildApp({
    config: {
      bodyLimit: 1_048_576,
      temporalTaskQueue: ctx.api.taskQueue,
      publicUrl: 'http://127.0.0.1',
      operatorTimeZone: 'Asia/Almaty',
    },
    db: db(),
    temporal: ctx.api.temporal,
    clock: { now: () => new Date(at) },
    logger: createLogger({ level: 'silent' }),
    eds: createEdsVerifier({ trustedCertificates: [] }),
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
}
afterAll(async () => {
  for (const app of pinned.values()) await (await app).close();
});

/** The force majeure the workflows' deadlines see at `at`, for a client's deadline or for none (activities/calendar.ts). */
const loaded = async (at: string, clientId?: string) =>
  (
    await createCalendarActivities({ db: db(), clock: systemClock } as never).loadCalendar(
      new Date(at).toISOString(),
      clientId,
    )
  ).forceMajeure;

const certificate = Buffer.from('%PDF-1.4 Сертификат НПП РК «Атамекен» о форс-мажоре № 123');
const evidence = (kind: 'certificate' | 'other' = 'certificate', content = certificate) => ({
  kind,
  filename: kind === 'certificate' ? 'сертификат.pdf' : 'фото.jpg',
  contentType: kind === 'certificate' ? 'application/pdf' : 'image/jpeg',
  contentBase64: content.toString('base64'),
});
const iso = (at: string) => new Date(at).toISOString();

let admin: Awaited<ReturnType<typeof insertStaff>>;
let secondAdmin: Awaited<ReturnType<typeof insertStaff>>;
let support: Awaited<ReturnType<typeof insertStaff>>;
beforeAll(async () => {
  [admin, secondAdmin, support] = await Promise.all([
    insertStaff(db(), ['admin']),
    insertStaff(db(), ['admin']),
    insertStaff(db(), ['support']),
  ]);
});

// Monday 2 November 2026; its notice was due by the end of Monday 9 November (8.3). Now: Friday 20 November.
const NOW = '2026-11-20T12:00:00+05:00';
const STARTED = '2026-11-02T08:00:00+05:00';

describe('8.3: staff record an event noticed later than 5 working days after its start', () => {
  test('8.3: to rely on it anyway they give a reason; it waits for a different admin (SAME_PERSON otherwise) and suspends nothing until confirmed', async () => {
    const api = await apiAt(NOW);
    const body = {
      startedAt: STARTED,
      endedAt: '2026-11-06T18:00:00+05:00',
      processes: ['claims'],
      description: 'Наводнение в Астане: центр обработки данных оператора отключён',
    };

    // Without a reason: recorded, not relied on (8.3), as before.
    const plain = await api('POST', '/staff/v1/force-majeure', { token: admin.token, body });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ status: 'recorded', reliedOn: false, lateNoticeReason: null, decidedBy: null });

    const reason =
      'Наводнение отключило связь и электронную почту до 13 ноября: уведомление не могло быть отправлено (п. 8.3)';
    const proposed = await api('POST', '/staff/v1/force-majeure', {
      token: admin.token,
      body: { ...body, lateNoticeReason: reason },
    });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toMatchObject({
      status: 'pending_confirmation',
      reliedOn: false,
      lateNoticeReason: reason,
      recordedBy: admin.id,
      recordedAt: iso(NOW),
      decidedBy: null,
      workflowsSignalled: 0,
    });
    const id = proposed.body.id;
    expect((await loaded(NOW)).map((e) => e.start)).toEqual([]);

    // The proposer may not confirm it; a support agent may not at all; nothing changes.
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/${id}/confirm`, { token: admin.token }),
      403,
      'SAME_PERSON',
    );
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/${id}/confirm`, { token: support.token }),
      403,
      'FORBIDDEN',
    );
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/${id}/reject`, {
        token: admin.token,
        body: { reason: 'Передумал, отзываю' },
      }),
      403,
      'SAME_PERSON',
    );
    expect(await db()('force_majeure_events').where({ id }).first()).toMatchObject({
      status: 'pending_confirmation',
      decided_by: null,
      decided_at: null,
    });

    const confirmed = await api('POST', `/staff/v1/force-majeure/${id}/confirm`, { token: secondAdmin.token });
    expect(confirmed.status).toBe(200);
    // The trail: who proposed, when, why; who confirmed, when.
    expect(confirmed.body).toMatchObject({
      status: 'confirmed',
      reliedOn: true,
      lateNoticeReason: reason,
      recordedBy: admin.id,
      recordedAt: iso(NOW),
      decidedBy: secondAdmin.id,
      decidedAt: iso(NOW),
    });
    expect((await loaded(NOW)).map((e) => e.start)).toEqual([iso(STARTED)]);
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/${id}/confirm`, { token: secondAdmin.token }),
      409,
      'NOT_PENDING_CONFIRMATION',
    );
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/${plain.body.id}/confirm`, { token: secondAdmin.token }),
      409,
      'NOT_PENDING_CONFIRMATION',
    );
    expectApiError(
      await api('POST', '/staff/v1/force-majeure/00000000-0000-4000-8000-000000000000/confirm', {
        token: secondAdmin.token,
      }),
      404,
      'NOT_FOUND',
    );

    const listed = (await api('GET', '/staff/v1/force-majeure', { token: support.token })).body.events;
    expect(listed.find((e: { id: string }) => e.id === id)).toMatchObject({
      status: 'confirmed',
      decidedBy: secondAdmin.id,
    });
    await db()('force_majeure_events').del();
  });

  test('8.3: the second admin may reject it, with a reason; a reason for a timely or well-known event is refused, recording nothing', async () => {
    const api = await apiAt(NOW);
    const body = {
      startedAt: STARTED,
      endedAt: '2026-11-03T18:00:00+05:00',
      processes: ['claims'],
      description: 'Отключение электроэнергии в офисе оператора',
    };
    const proposed = await api('POST', '/staff/v1/force-majeure', {
      token: admin.token,
      body: { ...body, lateNoticeReason: 'Уведомление задержано по вине почты' },
    });
    expect(proposed.body.status).toBe('pending_confirmation');
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/${proposed.body.id}/reject`, { token: secondAdmin.token, body: {} }),
      400,
      'VALIDATION_FAILED',
    );
    const rejected = await api('POST', `/staff/v1/force-majeure/${proposed.body.id}/reject`, {
      token: secondAdmin.token,
      body: { reason: 'Почта не является обстоятельством непреодолимой силы (п. 8.2)' },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reliedOn: false,
      decidedBy: secondAdmin.id,
      rejectionReason: 'Почта не является обстоятельством непреодолимой силы (п. 8.2)',
    });
    expect(await loaded(NOW)).toEqual([]);

    const before = await db()('force_majeure_events').count({ n: '*' }).first();
    expectApiError(
      await api('POST', '/staff/v1/force-majeure', {
        token: admin.token,
        body: {
          ...body,
          startedAt: '2026-11-18T08:00:00+05:00',
          endedAt: undefined,
          lateNoticeReason: 'Причина, которая не нужна',
        },
      }),
      400,
      'REASON_NOT_NEEDED',
    );
    expectApiError(
      await api('POST', '/staff/v1/force-majeure', {
        token: admin.token,
        body: { ...body, wellKnown: true, lateNoticeReason: 'Причина, которая не нужна' },
      }),
      400,
      'REASON_NOT_NEEDED',
    );
    expectApiError(
      await api('POST', '/staff/v1/force-majeure', {
        token: admin.token,
        body: { ...body, lateNoticeReason: 'коротко' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await db()('force_majeure_events').count({ n: '*' }).first()).toEqual(before);
    await db()('force_majeure_events').del();
  });
});

describe('8.3-8.5: a client declares force majeure', () => {
  test('8.3, 8.5: declared with the certificate, registered with its receipt time, under review; the client and staff see it, another client does not', async () => {
    const client = await insertClient(db(), { name: 'ТОО «Северная обувь»' });
    const token = await clientToken(db(), client.id);
    const api = await apiAt(NOW);
    const declared = await api('POST', '/client/v1/force-majeure', {
      token,
      body: {
        description: 'Пожар на складе клиента, уничтожены маркированные товары',
        startedAt: '2026-11-18T10:00:00+05:00',
        expectedEndAt: '2026-12-01T00:00:00+05:00',
        obligations: ['acts', 'application'],
        evidence: [evidence()],
      },
    });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({
      status: 'under_review',
      receivedAt: iso(NOW),
      startedAt: iso('2026-11-18T10:00:00+05:00'),
      expectedEndAt: iso('2026-12-01T00:00:00+05:00'),
      endedAt: null,
      obligations: ['acts', 'application'],
      wellKnown: false,
      noticeInTime: true,
      reliedOn: false,
      proofMissing: false,
      evidence: [
        {
          kind: 'certificate',
          filename: 'сертификат.pdf',
          contentType: 'application/pdf',
          sha256: createHash('sha256').update(certificate).digest('hex'),
          addedAt: iso(NOW),
        },
      ],
    });
    // Wednesday 18 November + 5 working days: the end of Wednesday 25 November.
    expect(declared.body.noticeDueAt).toBe(iso('2026-11-26T00:00:00+05:00'));
    const id = declared.body.id;

    expect(
      (await api('GET', '/client/v1/force-majeure', { token })).body.declarations.map((d: { id: string }) => d.id),
    ).toEqual([id]);
    expect((await api('GET', `/client/v1/force-majeure/${id}`, { token })).body.id).toBe(id);
    const stranger = await clientToken(db(), (await insertClient(db())).id);
    expect((await api('GET', '/client/v1/force-majeure', { token: stranger })).body.declarations).toEqual([]);
    expectApiError(await api('GET', `/client/v1/force-majeure/${id}`, { token: stranger }), 404, 'NOT_FOUND');
    expectApiError(
      await api('POST', `/client/v1/force-majeure/${id}/end`, { token: stranger, body: { endedAt: NOW } }),
      404,
      'NOT_FOUND',
    );

    // Staff see it with the client, and the certificate as sent.
    const listed = (
      await api('GET', '/staff/v1/force-majeure/declarations?status=under_review', { token: support.token })
    ).body.declarations;
    expect(listed.find((d: { id: string }) => d.id === id)).toMatchObject({
      clientId: client.id,
      clientName: 'ТОО «Северная обувь»',
      reviewedBy: null,
    });
    const file = await api(
      'GET',
      `/staff/v1/force-majeure/declarations/${id}/evidence/${declared.body.evidence[0].id}`,
      { token: support.token },
    );
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('application/pdf');
    expect(Buffer.from(file.body as Buffer)).toEqual(certificate);
    expectApiError(
      await api('GET', `/staff/v1/force-majeure/declarations/${id}/evidence/999999`, { token: support.token }),
      404,
      'NOT_FOUND',
    );
    // Under review it moves nothing.
    expect(await loaded(NOW, client.id)).toEqual([]);
  });

  test('bad input is refused with a code and a message, and nothing is written', async () => {
    const client = await insertClient(db());
    const token = await clientToken(db(), client.id);
    const api = await apiAt(NOW);
    const valid = {
      description: 'Наводнение, склад затоплен',
      startedAt: '2026-11-19T08:00:00+05:00',
      expectedEndAt: null,
      obligations: ['acts'],
    };
    const refusals: Array<[unknown, number, string]> = [
      [{ ...valid, startedAt: '2026-11-21T08:00:00+05:00' }, 400, 'START_IN_FUTURE'],
      [{ ...valid, expectedEndAt: '2026-11-18T08:00:00+05:00' }, 400, 'BAD_PERIOD'],
      [{ ...valid, evidence: [{ ...evidence(), contentBase64: 'не base64!' }] }, 400, 'INVALID_BASE64'],
      [{ ...valid, evidence: [{ ...evidence(), contentBase64: '    ' }] }, 400, 'EMPTY_DOCUMENT'],
      [{ ...valid, obligations: ['refunds'] }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, obligations: [] }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, evidence: [{ ...evidence(), kind: 'affidavit' }] }, 400, 'VALIDATION_FAILED'],
      [{ ...valid, description: 'кратко' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of refusals)
      expectApiError(await api('POST', '/client/v1/force-majeure', { token, body }), status, code);
    expectApiError(
      await api('POST', '/client/v1/force-majeure', { token: admin.token, body: valid }),
      403,
      'FORBIDDEN',
    );
    expectApiError(await api('POST', '/client/v1/force-majeure', { body: valid }), 401, 'UNAUTHENTICATED');
    expect(await db()('force_majeure_declarations').where({ client_id: client.id })).toEqual([]);

    // The end: not in the future, after the start, once.
    const declared = await api('POST', '/client/v1/force-majeure', { token, body: valid });
    const id = declared.body.id;
    expectApiError(
      await api('POST', `/client/v1/force-majeure/${id}/end`, {
        token,
        body: { endedAt: '2026-11-21T08:00:00+05:00' },
      }),
      400,
      'END_IN_FUTURE',
    );
    expectApiError(
      await api('POST', `/client/v1/force-majeure/${id}/end`, {
        token,
        body: { endedAt: '2026-11-18T08:00:00+05:00' },
      }),
      400,
      'BAD_PERIOD',
    );
    expect(await db()('force_majeure_declarations').where({ id }).first()).toMatchObject({
      ended_at: null,
      end_notified_at: null,
    });
    const ended = await api('POST', `/client/v1/force-majeure/${id}/end`, {
      token,
      body: { endedAt: '2026-11-20T09:00:00+05:00' },
    });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ endedAt: iso('2026-11-20T09:00:00+05:00'), endNotifiedAt: iso(NOW) });
    expectApiError(
      await api('POST', `/client/v1/force-majeure/${id}/end`, { token, body: { endedAt: NOW } }),
      409,
      'ALREADY_ENDED',
    );
    expectApiError(
      await api('POST', `/client/v1/force-majeure/${id}/evidence`, { token, body: { evidence: [] } }),
      400,
      'VALIDATION_FAILED',
    );
  });

  test('8.5: without a certificate it is not accepted until one is added; a well-known fact needs none', async () => {
    const client = await insertClient(db());
    const token = await clientToken(db(), client.id);
    const api = await apiAt(NOW);
    const declared = await api('POST', '/client/v1/force-majeure', {
      token,
      body: {
        description: 'Землетрясение, здание повреждено',
        startedAt: '2026-11-19T08:00:00+05:00',
        expectedEndAt: null,
        obligations: ['notices'],
      },
    });
    expect(declared.body).toMatchObject({ proofMissing: true, evidence: [] });
    const id = declared.body.id;
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, { token: admin.token, body: {} }),
      409,
      'EVIDENCE_REQUIRED',
    );
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, { token: support.token, body: {} }),
      403,
      'FORBIDDEN',
    );
    const photo = await api('POST', `/client/v1/force-majeure/${id}/evidence`, {
      token,
      body: { evidence: [evidence('other', Buffer.from('jpeg'))] },
    });
    expect(photo.status).toBe(201);
    expect(photo.body.proofMissing).toBe(true);
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, { token: admin.token, body: {} }),
      409,
      'EVIDENCE_REQUIRED',
    );
    expect(
      (await api('POST', `/client/v1/force-majeure/${id}/evidence`, { token, body: { evidence: [evidence()] } })).body,
    ).toMatchObject({ proofMissing: false, evidence: [{ kind: 'other' }, { kind: 'certificate' }] });
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, {
        token: admin.token,
        body: { lateNoticeReason: 'Причина, которая не нужна' },
      }),
      400,
      'REASON_NOT_NEEDED',
    );
    const accepted = await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, {
      token: admin.token,
      body: {},
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      reliedOn: true,
      reviewedBy: admin.id,
      reviewedAt: iso(NOW),
      decidedBy: null,
    });
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, { token: admin.token, body: {} }),
      409,
      'NOT_UNDER_REVIEW',
    );

    const wellKnown = await api('POST', '/client/v1/force-majeure', {
      token,
      body: {
        description: 'Пандемия, объявлен карантин в Алматы',
        startedAt: '2026-11-16T00:00:00+05:00',
        expectedEndAt: null,
        obligations: ['acts'],
        wellKnown: true,
      },
    });
    expect(wellKnown.body).toMatchObject({ proofMissing: false, noticeInTime: true });
    expect(
      (
        await api('POST', `/staff/v1/force-majeure/declarations/${wellKnown.body.id}/accept`, {
          token: secondAdmin.token,
          body: {},
        })
      ).body.status,
    ).toBe('accepted');
  });

  test('8.3: one received more than 5 working days after its start is accepted only with a reason and a second admin; then it counts for that client alone', async () => {
    const client = await insertClient(db());
    const other = await insertClient(db());
    const token = await clientToken(db(), client.id);
    const api = await apiAt(NOW);
    const declared = await api('POST', '/client/v1/force-majeure', {
      token,
      body: {
        description: 'Буран, дороги закрыты, офис без связи',
        startedAt: STARTED,
        expectedEndAt: null,
        obligations: ['acts', 'notices'],
        evidence: [evidence()],
      },
    });
    expect(declared.body).toMatchObject({ noticeInTime: false, noticeDueAt: iso('2026-11-10T00:00:00+05:00') });
    const id = declared.body.id;

    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, { token: admin.token, body: {} }),
      409,
      'NOTICE_LATE',
    );
    const reason = 'Буран оборвал связь клиента до 16 ноября: уведомить раньше было невозможно (п. 8.3)';
    const proposed = await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, {
      token: admin.token,
      body: { lateNoticeReason: reason },
    });
    expect(proposed.status).toBe(200);
    expect(proposed.body).toMatchObject({
      status: 'pending_confirmation',
      reliedOn: false,
      reviewedBy: admin.id,
      lateNoticeReason: reason,
      decidedBy: null,
    });
    expect(await loaded(NOW, client.id)).toEqual([]);
    const pending = (await api('GET', '/staff/v1/force-majeure/declarations', { token: support.token })).body
      .declarations;
    expect(pending[0]).toMatchObject({ id, status: 'pending_confirmation' });

    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/confirm`, { token: admin.token }),
      403,
      'SAME_PERSON',
    );
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/reject`, {
        token: admin.token,
        body: { reason: 'Отзываю своё предложение' },
      }),
      403,
      'SAME_PERSON',
    );
    expect((await db()('force_majeure_declarations').where({ id }).first()).status).toBe('pending_confirmation');
    const confirmed = await api('POST', `/staff/v1/force-majeure/declarations/${id}/confirm`, {
      token: secondAdmin.token,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'accepted',
      reliedOn: true,
      reviewedBy: admin.id,
      lateNoticeReason: reason,
      decidedBy: secondAdmin.id,
      decidedAt: iso(NOW),
    });
    expect((await api('GET', `/client/v1/force-majeure/${id}`, { token })).body).toMatchObject({
      status: 'accepted',
      reliedOn: true,
    });

    // 8.4: the client's own deadlines of the obligations named; not another client's, nor deadlines with no client.
    expect(await loaded(NOW, client.id)).toEqual([{ start: iso(STARTED), end: null, processes: ['acts', 'notices'] }]);
    expect(await loaded(NOW, other.id)).toEqual([]);
    expect(await loaded(NOW)).toEqual([]);
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/confirm`, { token: secondAdmin.token }),
      409,
      'NOT_PENDING_CONFIRMATION',
    );
    await db()('force_majeure_declarations')
      .where({ id })
      .update({ ended_at: '2026-11-16T18:00:00+05:00', end_notified_at: NOW });
  });

  test('rejected with a reason: it moves nothing, and takes neither evidence nor an end', async () => {
    const client = await insertClient(db());
    const token = await clientToken(db(), client.id);
    const api = await apiAt(NOW);
    const declared = await api('POST', '/client/v1/force-majeure', {
      token,
      body: {
        description: 'Сбой бухгалтерской программы клиента',
        startedAt: '2026-11-19T08:00:00+05:00',
        expectedEndAt: null,
        obligations: ['acts'],
        evidence: [evidence()],
      },
    });
    const id = declared.body.id;
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/reject`, {
        token: admin.token,
        body: { reason: 'x' },
      }),
      400,
      'VALIDATION_FAILED',
    );
    const reason = 'Сбой собственной программы клиента не является непреодолимой силой (п. 8.2)';
    const rejected = await api('POST', `/staff/v1/force-majeure/declarations/${id}/reject`, {
      token: admin.token,
      body: { reason },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      reliedOn: false,
      rejectionReason: reason,
      reviewedBy: admin.id,
    });
    expect((await api('GET', `/client/v1/force-majeure/${id}`, { token })).body).toMatchObject({
      status: 'rejected',
      rejectionReason: reason,
    });
    expectApiError(
      await api('POST', `/client/v1/force-majeure/${id}/evidence`, { token, body: { evidence: [evidence()] } }),
      409,
      'DECLARATION_REJECTED',
    );
    expectApiError(
      await api('POST', `/client/v1/force-majeure/${id}/end`, { token, body: { endedAt: NOW } }),
      409,
      'DECLARATION_REJECTED',
    );
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, { token: secondAdmin.token, body: {} }),
      409,
      'NOT_UNDER_REVIEW',
    );
    expectApiError(
      await api('POST', `/staff/v1/force-majeure/declarations/${id}/reject`, {
        token: secondAdmin.token,
        body: { reason },
      }),
      409,
      'NOT_UNDER_REVIEW',
    );
    expect(await db()('force_majeure_evidence').where({ declaration_id: id })).toHaveLength(1);
    expect(await loaded(NOW, client.id)).toEqual([]);
  });
});

describe('8.4: an accepted declaration stands the client’s own deadline still, on the Temporal dev server', () => {
  test('8.4: the answer to a notice waits while the client’s force majeure lasts and runs again from its end; another client’s does not wait', async () => {
    const [hit, spared] = await Promise.all([insertClient(db()), insertClient(db())]);
    const hitToken = await clientToken(db(), hit.id);
    const notice = async (clientId: string) => {
      const created = await ctx.api.request('POST', `/staff/v1/clients/${clientId}/notices`, {
        token: admin.token,
        body: { subject: 'Запрос информации', body: 'Просим подтвердить реквизиты.', kind: 'information_request' },
      });
      expect(created.status).toBe(202);
      const workflow = ctx.api.temporal.client.workflow.getHandle(`notice-${created.body.id}`);
      const dueAt = await eventually(async () =>
        (await db()('notices').where({ id: created.body.id }).first()).answer_due_at?.toISOString(),
      );
      return { id: created.body.id as string, workflow, dueAt: dueAt as string };
    };
    const deadlineOf = async (n: { workflow: WorkflowHandle }) =>
      (await n.workflow.describe()).typedSearchAttributes.get(DeadlineAt)?.toISOString();
    const [hitNotice, sparedNotice] = await Promise.all([notice(hit.id), notice(spared.id)]);
    // The due instant is recorded a moment before the workflow shows it.
    await eventually(
      async () =>
        (await deadlineOf(hitNotice)) === hitNotice.dueAt && (await deadlineOf(sparedNotice)) === sparedNotice.dueAt,
    );

    const startedAt = new Date(Date.now() - 60 * 60_000).toISOString();
    const declared = await ctx.api.request('POST', '/client/v1/force-majeure', {
      token: hitToken,
      body: {
        description: 'Наводнение: офис клиента затоплен, связи нет',
        startedAt,
        expectedEndAt: null,
        obligations: ['notices'],
        evidence: [evidence()],
      },
    });
    expect(declared.status).toBe(201);
    // Under review it suspends nothing.
    expect(await deadlineOf(hitNotice)).toBe(hitNotice.dueAt);
    const accepted = await ctx.api.request('POST', `/staff/v1/force-majeure/declarations/${declared.body.id}/accept`, {
      token: admin.token,
      body: {},
    });
    expect(accepted.body.status).toBe('accepted');

    // Suspended while it lasts (no end yet): the workflow's deadline is set far ahead.
    await eventually(async () => (await deadlineOf(hitNotice))?.startsWith('2999-'));
    expect(await deadlineOf(sparedNotice)).toBe(sparedNotice.dueAt);
    expect((await sparedNotice.workflow.query(noticeStateQuery)).answer?.dueAt).toBe(sparedNotice.dueAt);

    // The client notifies the end: the period runs again, its days of force majeure not counted (8.4).
    const endedAt = new Date().toISOString();
    const ended = await ctx.api.request('POST', `/client/v1/force-majeure/${declared.body.id}/end`, {
      token: hitToken,
      body: { endedAt },
    });
    expect(ended.status).toBe(200);
    const state = await hitNotice.workflow.query(noticeStateQuery);
    const expected = new BusinessCalendar(await readCalendar(db()))
      .withPauses([{ start: startedAt, end: endedAt }])
      .addWorkingDays(state.answer!.receivedAt!, 1)
      .toISOString();
    await eventually(async () => (await deadlineOf(hitNotice)) === expected);
    expect((await db()('notices').where({ id: hitNotice.id }).first()).answer_due_at.toISOString()).toBe(expected);

    // Both answer: the workflows end.
    for (const [n, token] of [
      [hitNotice, hitToken],
      [sparedNotice, await clientToken(db(), spared.id)],
    ] as const) {
      expect(
        (
          await ctx.api.request('POST', `/client/v1/notices/${n.id}/answer`, {
            token,
            body: { text: 'Реквизиты не менялись.' },
          })
        ).status,
      ).toBe(200);
      expect((await n.workflow.result()).answer).toMatchObject({ status: 'answered' });
    }
  });
});

describe('the contracts console (8.3): what waits for a second admin', () => {
  const browser = useBrowser();
  const openConsole = async (token: string) => {
    const { page, errors } = await browser.open(`${ctx.api.url}/console/contracts`);
    await signIn(page, token);
    await page.waitForSelector('#console:not([hidden])');
    await page.click('#tab-force-majeure');
    return { page, errors };
  };

  test('8.3: a late declaration one admin proposed to accept is confirmed by another there; an event recorded with a late-notice reason waits too', async () => {
    const client = await insertClient(db(), { name: 'ТОО «Консольная обувь»' });
    const api = await apiAt(NOW);
    const declared = await api('POST', '/client/v1/force-majeure', {
      token: await clientToken(db(), client.id),
      body: {
        description: 'Буран: склад клиента отрезан от дорог',
        startedAt: STARTED,
        expectedEndAt: null,
        obligations: ['acts'],
        evidence: [evidence()],
      },
    });
    const id = declared.body.id;
    await api('POST', `/staff/v1/force-majeure/declarations/${id}/accept`, {
      token: admin.token,
      body: { lateNoticeReason: 'Связь клиента восстановлена только 17 ноября (п. 8.3)' },
    });

    const proposer = await openConsole(admin.token);
    const mine = proposer.page.locator(`#force-majeure-declarations tbody tr[data-id="${id}"]`);
    await mine.waitFor();
    expect(normal(await mine.textContent())).toContain('ждёт подтверждения другого администратора');
    expect(normal(await mine.textContent())).toContain('Связь клиента восстановлена только 17 ноября');
    expect(await mine.locator('button.confirm').count()).toBe(0);

    // The proposer records an operator's event noticed late, with the reason: it waits as well.
    const startDay = addDaysToDate(today(), -40);
    await proposer.page.fill('#f-started', `${startDay}T09:00`);
    await proposer.page.fill('#f-ended', `${startDay}T18:00`);
    await proposer.page.check('#f-processes input[value="claims"]');
    await proposer.page.fill('#f-description', 'Землетрясение: ЦОД оператора недоступен');
    await proposer.page.fill('#f-late-reason', 'Связь была прервана самим событием (п. 8.3)');
    await proposer.page.click('#f-submit');
    await proposer.page.waitForSelector('#message.info:has-text("ждёт подтверждения другого администратора")');
    const event = await db()('force_majeure_events').orderBy('recorded_at', 'desc').first();
    expect(event).toMatchObject({
      status: 'pending_confirmation',
      late_notice_reason: 'Связь была прервана самим событием (п. 8.3)',
      recorded_by: admin.id,
    });
    expect(await proposer.page.locator(`#force-majeure tbody tr[data-id="${event.id}"] button.confirm`).count()).toBe(
      0,
    );
    expect(proposer.errors).toEqual([]);
    await proposer.page.close();

    const second = await openConsole(secondAdmin.token);
    const row = second.page.locator(`#force-majeure-declarations tbody tr[data-id="${id}"]`);
    await row.locator('button.confirm').click();
    await second.page.waitForSelector('#message.info:has-text("Подтверждено")');
    expect(await db()('force_majeure_declarations').where({ id }).first()).toMatchObject({
      status: 'accepted',
      reviewed_by: admin.id,
      decided_by: secondAdmin.id,
    });
    await second.page
      .locator(`#force-majeure tbody tr[data-id="${event.id}"] input.reject-reason`)
      .fill('Землетрясение не затронуло ЦОД (п. 8.1)');
    await second.page.locator(`#force-majeure tbody tr[data-id="${event.id}"] button.reject`).click();
    await second.page.waitForSelector('#message.info:has-text("Отклонено")');
    expect(await db()('force_majeure_events').where({ id: event.id }).first()).toMatchObject({
      status: 'rejected',
      decided_by: secondAdmin.id,
      rejection_reason: 'Землетрясение не затронуло ЦОД (п. 8.1)',
    });
    expect(second.errors).toEqual([]);
    await second.page.close();
  });
});
