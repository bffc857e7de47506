import { createActivities } from '../../activities';
import { hashToken } from '../../lib/api-tokens';
import { systemClock } from '../../lib/clock';
import { createEdsVerifier } from '../../lib/eds';
import { createMailer } from '../../lib/mailer';
import { clientStateQuery } from '../../workflows/client-lifecycle';
import { decideUpdate } from '../../workflows/onboarding';
import { insertApplication, sampleForm, signForm } from '../helpers/joining';
import { useOnboardingEnv } from '../helpers/onboarding-env';

const ctx = useOnboardingEnv();

test('approval creates the client, its personal account and token, e-mails the access notice and hands over', async () => {
  await ctx.withWorker(async (taskQueue) => {
    const { row, form, handle } = await ctx.submit(taskQueue);
    await ctx.until(handle, (s) => s.status === 'awaiting_moderation');
    const state = await handle.executeUpdate(decideUpdate, {
      args: [{ decision: 'approve', moderatorId: ctx.moderator.id }],
    });
    expect(state.status).toBe('approved');
    const { clientId, accountNumber } = state.activation!;
    ctx.started.push(`client-${clientId}`);

    const client = await ctx.database.db('clients').where({ id: clientId }).first();
    expect(client).toMatchObject({
      bin_iin: form.binIin,
      status: 'active',
      name: form.companyName,
      email: form.email,
      join_application_id: row.id,
    });
    expect(client.details).toMatchObject({
      iik: form.iik,
      bik: form.bik,
      kbe: form.kbe,
      phone: '+77011234567',
      signerName: form.signerName,
    });
    expect(await ctx.database.db('personal_accounts').where({ client_id: clientId })).toEqual([
      expect.objectContaining({ number: accountNumber, status: 'open' }),
    ]);
    expect(await ctx.database.db('consent_events').where({ client_id: clientId })).toEqual([
      expect.objectContaining({ kind: 'given' }),
    ]);

    const mail = await ctx.smtp.waitFor((m) => m.subject === `Доступ к ИС МПТ предоставлен — заявление ${row.number}`);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(form.email);
    expect(mail.text).toContain(`Номер лицевого счёта: ${accountNumber}`);
    const token = /\n(ismet_client_\S+)\n/.exec(mail.text ?? '')![1];
    const stored = await ctx.database.db('api_tokens').where({ client_id: clientId });
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(hashToken(token));
    expect((await ctx.database.db('join_applications').where({ id: row.id }).first()).initial_token).toBeNull();

    const lifecycle = ctx.env.client.workflow.getHandle(`client-${clientId}`);
    expect((await lifecycle.describe()).status.name).toBe('RUNNING');
    expect(await lifecycle.query(clientStateQuery)).toMatchObject({ clientId, effectiveFrom: client.effective_from });
    expect((await handle.result()).status).toBe('approved');
  });
});

test('rejection records the reason and e-mails it; the same BIN may apply again; a second decision is refused', async () => {
  await ctx.withWorker(async (taskQueue) => {
    const { row, form, handle } = await ctx.submit(taskQueue);
    await ctx.until(handle, (s) => s.status === 'awaiting_moderation');
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ decision: 'reject', moderatorId: ctx.moderator.id }] }),
    ).rejects.toMatchObject({
      cause: { message: 'a rejection needs a reason' },
    });
    const state = await handle.executeUpdate(decideUpdate, {
      args: [{ decision: 'reject', reason: 'ИИК не принадлежит заявителю', moderatorId: ctx.moderator.id }],
    });
    expect(state.status).toBe('rejected');
    await expect(
      handle.executeUpdate(decideUpdate, { args: [{ decision: 'approve', moderatorId: ctx.moderator.id }] }),
    ).rejects.toThrow();

    const mail = await ctx.smtp.waitFor(
      (m) => m.subject === `Отказ в активации учётной записи — заявление ${row.number}`,
    );
    expect(mail.text).toContain('Причина: ИИК не принадлежит заявителю');
    expect(await ctx.database.db('join_applications').where({ id: row.id }).first()).toMatchObject({
      status: 'rejected',
      decided_by: ctx.moderator.id,
      client_id: null,
    });
    expect(await ctx.database.db('clients').where({ bin_iin: form.binIin })).toEqual([]);

    const again = await ctx.submit(taskQueue, { ...form, iik: 'KZ86125KZT5004100100' });
    await ctx.until(again.handle, (s) => s.status === 'awaiting_moderation');
    expect(again.row.bin_iin).toBe(form.binIin);
  });
});

test('a signature the worker cannot trust is rejected with the reason and nothing else is created', async () => {
  const trustsNobody = createEdsVerifier({ trustedCertificates: [] });
  await ctx.withWorker(async (taskQueue) => {
    const { row, form, handle } = await ctx.submit(taskQueue);
    const state = await handle.result();
    expect(state.status).toBe('rejected');
    expect(state.signatureProblems?.join(' ')).toMatch(/trusted/i);
    expect(await ctx.database.db('join_applications').where({ id: row.id }).first()).toMatchObject({
      status: 'rejected',
      client_id: null,
    });
    expect((await ctx.database.db('join_applications').where({ id: row.id }).first()).decision_reason).toMatch(
      /^Подпись ЭЦП не принята/,
    );
    expect(await ctx.database.db('clients').where({ bin_iin: form.binIin })).toEqual([]);
    await ctx.smtp.waitFor((m) => m.subject === `Отказ в активации учётной записи — заявление ${row.number}`);
  }, trustsNobody);
});

test('activation is retry-safe: repeated and concurrent calls create one client, one account, one token', async () => {
  const mailer = createMailer({ smtpUrl: ctx.smtp.url, from: 'noreply@ismet.local', outboxDir: '/nonexistent' });
  const activities = createActivities({ db: ctx.database.db, mailer, clock: systemClock, eds: ctx.pki.verifier });
  const form = sampleForm();
  const now = new Date();
  const row = await insertApplication(
    ctx.database.db,
    form,
    await signForm(await ctx.pki.signerFor(form.binIin), form, { signingTime: now }),
    now,
  );
  await ctx.database.db('join_applications').where({ id: row.id }).update({ status: 'awaiting_moderation' });

  const results = await Promise.all([1, 2, 3].map(() => activities.activateClient(row.id, ctx.moderator.id)));
  const again = await activities.activateClient(row.id, ctx.moderator.id);
  expect(new Set([...results, again].map((r) => `${r.clientId}/${r.accountNumber}`)).size).toBe(1);
  const clientId = again.clientId;
  expect(await ctx.database.db('clients').where({ bin_iin: form.binIin })).toHaveLength(1);
  expect(await ctx.database.db('personal_accounts').where({ client_id: clientId })).toHaveLength(1);
  expect(await ctx.database.db('api_tokens').where({ client_id: clientId })).toHaveLength(1);

  await activities.sendAccessNotice(row.id);
  await activities.sendAccessNotice(row.id);
  // The receiver keeps a message before it answers 250: whatever both calls sent is here now.
  expect(
    ctx.smtp.messages.filter((m) => m.subject === `Доступ к ИС МПТ предоставлен — заявление ${row.number}`),
  ).toHaveLength(1);
  mailer.close();
});

test('a client whose contract ended joins again: its old tokens are revoked, only the new one works', async () => {
  const mailer = createMailer({ smtpUrl: ctx.smtp.url, from: 'noreply@ismet.local', outboxDir: '/nonexistent' });
  const activities = createActivities({ db: ctx.database.db, mailer, clock: systemClock, eds: ctx.pki.verifier });
  const form = sampleForm();
  const apply = async () => {
    const now = new Date();
    const row = await insertApplication(
      ctx.database.db,
      form,
      await signForm(await ctx.pki.signerFor(form.binIin), form, { signingTime: now }),
      now,
    );
    await ctx.database.db('join_applications').where({ id: row.id }).update({ status: 'awaiting_moderation' });
    return activities.activateClient(row.id, ctx.moderator.id);
  };
  const first = await apply();
  const [old] = await ctx.database.db('api_tokens').where({ client_id: first.clientId });
  expect(old).toMatchObject({ revoked_at: null, expires_at: expect.any(Date) });
  await ctx.database
    .db('clients')
    .where({ id: first.clientId })
    .update({ status: 'terminated', contract_ended_at: new Date() });

  const again = await apply();
  expect(again.clientId).toBe(first.clientId);
  const tokens = await ctx.database.db('api_tokens').where({ client_id: first.clientId }).orderBy('created_at');
  expect(tokens).toHaveLength(2);
  expect(tokens.find((t) => t.id === old.id)).toMatchObject({
    revoked_at: expect.any(Date),
    revoked_by: 'system',
    revoke_reason: expect.stringContaining('joined again'),
  });
  expect(tokens.filter((t) => !t.revoked_at)).toHaveLength(1);
  mailer.close();
});
