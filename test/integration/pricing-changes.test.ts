import { priceOn } from '../../db/prices';
import { expectApiError, useTestApi } from '../helpers/api';
import { insertStaff } from '../helpers/fixtures';

// Dated prices that have not taken effect can be withdrawn or replaced — never the past — and
// only when a second person confirms what the first proposed; every step stays in the audit trail.
// The API's clock is pinned: 1 March 2027, 10:00 Astana.
const NOW = new Date('2027-03-01T10:00:00+05:00');
const ctx = useTestApi({ clock: { now: () => new Date(NOW) } });

async function twoPeople() {
  const [proposer, second] = await Promise.all([
    insertStaff(ctx.database.db, ['accountant']),
    insertStaff(ctx.database.db, ['admin']),
  ]);
  return { proposer, second };
}

test('VAT (Tax Code dates): a rate not yet in effect is withdrawn only when a second person confirms; it then never applies', async () => {
  const { proposer, second } = await twoPeople();
  const added = await ctx.api.request('POST', '/staff/v1/vat-rates', {
    token: proposer.token,
    body: { rateBp: 1800, effectiveFrom: '2027-07-01', source: 'Проект поправок в Налоговый кодекс' },
  });
  expect(added.status).toBe(201);
  expect((await priceOn(ctx.database.db, '2027-07-02')).vatRateBp).toBe(1800);

  const proposed = await ctx.api.request('POST', '/staff/v1/pricing-changes', {
    token: proposer.token,
    body: { subject: 'vat_rate', recordId: added.body.id, action: 'withdraw', reason: 'Поправки не приняты' },
  });
  expect(proposed.status).toBe(201);
  expect(proposed.body).toMatchObject({ status: 'pending', proposedBy: proposer.id });
  // Nothing changes until a second person confirms; the proposer cannot.
  expect((await priceOn(ctx.database.db, '2027-07-02')).vatRateBp).toBe(1800);
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/pricing-changes/${proposed.body.id}/confirm`, {
      token: proposer.token,
      body: {},
    }),
    403,
    'SAME_PERSON',
  );
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/pricing-changes', {
      token: second.token,
      body: { subject: 'vat_rate', recordId: added.body.id, action: 'withdraw', reason: 'Ещё раз' },
    }),
    409,
    'CHANGE_PENDING',
  );

  const confirmed = await ctx.api.request('POST', `/staff/v1/pricing-changes/${proposed.body.id}/confirm`, {
    token: second.token,
    body: { note: 'Сверено с законом' },
  });
  expect(confirmed.status).toBe(200);
  expect(confirmed.body).toMatchObject({
    status: 'confirmed',
    decidedBy: second.id,
    decisionNote: 'Сверено с законом',
  });
  expect((await priceOn(ctx.database.db, '2027-07-02')).vatRateBp).toBe(1600);
  const rates = (await ctx.api.request('GET', '/staff/v1/vat-rates', { token: second.token })).body.vatRates;
  expect(rates.find((r: { id: string }) => r.id === added.body.id)).toMatchObject({ withdrawnAt: expect.any(String) });
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/pricing-changes/${proposed.body.id}/reject`, {
      token: second.token,
      body: {},
    }),
    409,
    'CHANGE_DECIDED',
  );

  // A rate in effect (16% since 2026) is the past: it cannot be withdrawn.
  const inForce = rates.find((r: { effectiveFrom: string }) => r.effectiveFrom === '2026-01-01');
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/pricing-changes', {
      token: proposer.token,
      body: { subject: 'vat_rate', recordId: inForce.id, action: 'withdraw', reason: 'Ошибка ввода' },
    }),
    409,
    'ALREADY_IN_EFFECT',
  );
});

test('VAT: a wrong rate is replaced by the right one — the same date may be used again once the wrong record is withdrawn; a rejected proposal changes nothing', async () => {
  const { proposer, second } = await twoPeople();
  const wrong = (
    await ctx.api.request('POST', '/staff/v1/vat-rates', {
      token: proposer.token,
      body: { rateBp: 2000, effectiveFrom: '2027-09-01', source: 'Опечатка: должно быть 17%' },
    })
  ).body;
  const rejected = (
    await ctx.api.request('POST', '/staff/v1/pricing-changes', {
      token: proposer.token,
      body: { subject: 'vat_rate', recordId: wrong.id, action: 'withdraw', reason: 'Проверка отклонения' },
    })
  ).body;
  expect(
    (
      await ctx.api.request('POST', `/staff/v1/pricing-changes/${rejected.id}/reject`, {
        token: second.token,
        body: { note: 'Не та запись' },
      })
    ).body,
  ).toMatchObject({ status: 'rejected' });
  expect((await priceOn(ctx.database.db, '2027-09-01')).vatRateBp).toBe(2000);

  const incomplete = await ctx.api.request('POST', '/staff/v1/pricing-changes', {
    token: proposer.token,
    body: {
      subject: 'vat_rate',
      recordId: wrong.id,
      action: 'replace',
      reason: 'Опечатка в ставке',
      replacement: { effectiveFrom: '2027-09-01' },
    },
  });
  expectApiError(incomplete, 400, 'VALIDATION_FAILED');
  const proposed = (
    await ctx.api.request('POST', '/staff/v1/pricing-changes', {
      token: proposer.token,
      body: {
        subject: 'vat_rate',
        recordId: wrong.id,
        action: 'replace',
        reason: 'Опечатка в ставке',
        replacement: { effectiveFrom: '2027-09-01', rateBp: 1700, source: 'Закон РК о поправках, ст. 422: 17%' },
      },
    })
  ).body;
  const confirmed = (
    await ctx.api.request('POST', `/staff/v1/pricing-changes/${proposed.id}/confirm`, { token: second.token, body: {} })
  ).body;
  expect(confirmed).toMatchObject({ status: 'confirmed', replacementId: expect.any(String) });
  expect((await priceOn(ctx.database.db, '2027-09-01')).vatRateBp).toBe(1700);
  const audit = (await ctx.api.request('GET', '/staff/v1/pricing-changes', { token: second.token })).body.changes;
  expect(
    audit
      .filter((c: { recordId: string }) => c.recordId === wrong.id)
      .map((c: { status: string }) => c.status)
      .sort(),
  ).toEqual(['confirmed', 'rejected']);
});

test('6.1: an announced tariff is replaced before its date — the replacement keeps its 20 working days of notice — and confirmed by a second person', async () => {
  const { proposer, second } = await twoPeople();
  const announced = await ctx.api.request('POST', '/staff/v1/tariffs', {
    token: proposer.token,
    body: { pricePerCodeTiyn: 300, effectiveFrom: '2027-05-03', basis: 'Приказ № 10 от 01.03.2027' },
  });
  expect(announced.status).toBe(202);
  // 20 working days from 1 March 2027 end in late March: a replacement from 5 March is too soon.
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/pricing-changes', {
      token: proposer.token,
      body: {
        subject: 'tariff',
        recordId: announced.body.id,
        action: 'replace',
        reason: 'Приказ изменён',
        replacement: { effectiveFrom: '2027-03-05', pricePerCodeTiyn: 290, basis: 'Приказ № 11' },
      },
    }),
    422,
    'TARIFF_NOTICE_TOO_SHORT',
  );
  const proposed = (
    await ctx.api.request('POST', '/staff/v1/pricing-changes', {
      token: proposer.token,
      body: {
        subject: 'tariff',
        recordId: announced.body.id,
        action: 'replace',
        reason: 'Приказ изменён',
        replacement: { effectiveFrom: '2027-05-03', pricePerCodeTiyn: 290, basis: 'Приказ № 11 от 01.03.2027' },
      },
    })
  ).body;
  const confirmed = (
    await ctx.api.request('POST', `/staff/v1/pricing-changes/${proposed.id}/confirm`, { token: second.token, body: {} })
  ).body;
  expect(confirmed.status).toBe('confirmed');
  expect((await priceOn(ctx.database.db, '2027-05-04')).pricePerCodeTiyn).toBe(290);
  const tariffs = (await ctx.api.request('GET', '/staff/v1/tariffs', { token: second.token })).body.tariffs;
  expect(tariffs.find((t: { id: string }) => t.id === announced.body.id)).toMatchObject({
    withdrawnAt: expect.any(String),
    upcoming: false,
  });
  expect(tariffs.find((t: { id: string }) => t.id === confirmed.replacementId)).toMatchObject({
    pricePerCodeTiyn: 290,
    upcoming: true,
    withdrawnAt: null,
  });
});
