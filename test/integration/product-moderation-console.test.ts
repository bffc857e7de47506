import { randomInt } from 'node:crypto';
import { gtinCheckDigit } from '../../lib/codes';
import { useTestApi } from '../helpers/api';
import { downloaded, normal, signIn, text, useBrowser } from '../helpers/browser';
import { clientToken, insertClient, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { createTestPki, sampleForm, signForm } from '../helpers/joining';
import { createTestCa, issueSignerCertificate } from '../helpers/pki';

// The moderation console's sections for issue #16 in Chromium: applications refused for their EDS
// signature, the product-rights queue with the GS1 company prefixes, and clients registered without
// an application (a second person decides).

const ctx = useTestApi({ eds: async () => (await createTestPki()).verifier });
const browser = useBrowser();

/** A fresh page on the moderation console, signed in, on the section `tab`. */
async function openSection(token: string, tab: string) {
  const { page, errors } = await browser.open(`${ctx.api.url}/console/moderation`);
  await signIn(page, token);
  await page.waitForSelector('#console:not([hidden])');
  await page.click(`#tab-${tab}`);
  await page.waitForSelector(`#${tab}-view:not([hidden])`);
  return { page, errors };
}

/** A GTIN-14 (indicator 0) under a random Kazakhstan GS1 company prefix of 9 digits. */
function randomGtinUnder(prefix = `487${String(randomInt(10 ** 6)).padStart(6, '0')}`) {
  const first13 = `0${prefix}${String(randomInt(10 ** 3)).padStart(3, '0')}`;
  return { prefix, gtin: first13 + gtinCheckDigit(first13) };
}

test('a moderator sees an application refused for its signature, with the reason in Russian, and filters by BIN/IIN', async () => {
  const moderator = await insertStaff(ctx.database.db, ['moderator']);
  // Signed with a certificate of a CA nobody trusts: refused at once, kept with its problems.
  const stranger = await createTestCa({ name: 'Чужой УЦ' });
  const form = sampleForm({ companyName: 'ТОО «Неподписанная <i>обувь</i>»' });
  const signer = await issueSignerCertificate(stranger, {
    bin: form.binIin,
    iin: randomBinIin(),
    commonName: 'ИВАНОВ ИВАН',
  });
  const refused = await ctx.api.request('POST', '/v1/join-applications', {
    body: { form, signature: await signForm(signer, form) },
  });
  expect(refused.status).toBe(422);
  const problems = refused.body.details.problems as Array<{ code: string; messageRu?: string }>;
  const untrusted = problems.find((p) => p.code === 'UNTRUSTED_CHAIN');
  expect(untrusted?.messageRu).toBeTruthy();
  // Another one, for another BIN, to show the filter.
  const otherForm = sampleForm({ companyName: 'ТОО «Другая»' });
  const otherSigner = await issueSignerCertificate(stranger, { bin: otherForm.binIin, iin: randomBinIin() });
  expect(
    (
      await ctx.api.request('POST', '/v1/join-applications', {
        body: { form: otherForm, signature: await signForm(otherSigner, otherForm) },
      })
    ).status,
  ).toBe(422);

  const { page, errors } = await openSection(moderator.token, 'rejected');
  const row = page.locator('#rejected tbody tr', { hasText: form.binIin });
  await row.waitFor();
  const rowText = normal(await row.textContent());
  expect(rowText).toContain('ТОО «Неподписанная <i>обувь</i>»'); // as text, not markup
  expect(rowText).toContain(form.email.toLowerCase());
  expect(rowText).toContain(normal(untrusted!.messageRu!));
  expect(await row.locator('li[data-code="UNTRUSTED_CHAIN"]').count()).toBe(1);
  expect(await page.locator('#rejected tbody tr', { hasText: otherForm.binIin }).count()).toBe(1);

  // The filter, from the keyboard.
  await page.fill('#rejected-bin', form.binIin);
  await page.press('#rejected-bin', 'Enter');
  await page.locator('#rejected tbody tr', { hasText: otherForm.binIin }).waitFor({ state: 'detached' });
  expect(await page.locator('#rejected tbody tr').count()).toBe(1);
  expect(await text(page, '#rejected-count')).toBe('(1)');
  expect(errors).toEqual([]);
  await page.close();
});

test('a moderator accepts one pending product, rejects another with a reason, downloads the evidence and records a GS1 prefix; refusals read in Russian', async () => {
  const { db } = ctx.database;
  const moderator = await insertStaff(db, ['moderator']);
  const client = await insertClient(db, { name: 'ТОО «Дистрибьютор»' });
  const token = await clientToken(db, client.id);
  const brand = await insertClient(db, { name: 'ТОО «Бренд»' });
  const good = randomGtinUnder();
  const bad = randomGtinUnder();
  const branded = randomGtinUnder();
  const own = randomGtinUnder();
  const register = (gtin: string, name: string, evidence: Record<string, unknown>) =>
    ctx.api.request('POST', '/client/v1/products', { token, body: { gtin, name, evidence } });
  const letter = Buffer.from('%PDF-1.4 письмо правообладателя');
  const first = await register(good.gtin, 'Ботинки «Сапсан»', {
    text: 'Дистрибьюторский договор № 5 от 01.02.2026',
    document: { filename: 'letter.pdf', contentType: 'application/pdf', contentBase64: letter.toString('base64') },
  });
  const second = await register(bad.gtin, 'Кроссовки «Чужой бренд»', { text: 'Купили на рынке' });
  const third = await register(own.gtin, 'Туфли «Свои»', { text: 'Собственное производство' });
  for (const r of [first, second, third]) expect(r.body.rights.status).toBe('pending');
  // A GTIN the brand's recorded prefix covers, registered before the prefix was recorded: accepting it for the distributor is refused.
  const fourth = await register(branded.gtin, 'Сандалии «Бренд»', { text: 'Договор поставки' });
  expect(fourth.body.rights.status).toBe('pending');
  expect(
    (
      await ctx.api.request('POST', `/staff/v1/clients/${brand.id}/gs1-prefixes`, {
        token: moderator.token,
        body: { prefix: branded.prefix, evidenceNote: 'Свидетельство GS1 Kazakhstan бренда' },
      })
    ).status,
  ).toBe(201);
  const productId = async (gtin: string) =>
    (await db('products').where({ client_id: client.id, gtin }).first()).id as string;

  const { page, errors } = await openSection(moderator.token, 'products');
  const rowOf = (gtin: string) => page.locator('#products tbody tr', { hasText: gtin });
  await rowOf(good.gtin).waitFor();
  expect(normal(await rowOf(branded.gtin).textContent())).toContain(
    `префикс ${branded.prefix} записан за «ТОО «Бренд»»`,
  );

  // The first: the card with the evidence, downloaded as sent; accepted with a note.
  await rowOf(good.gtin).locator('button.open-product').click();
  await page.waitForSelector('#product h2:has-text("Ботинки «Сапсан»")');
  expect(await text(page, '#evidence-text')).toBe('Дистрибьюторский договор № 5 от 01.02.2026');
  const { download, content } = await downloaded(page, () => page.click('#evidence-download'));
  expect(download.suggestedFilename()).toBe('letter.pdf');
  expect(content.equals(letter)).toBe(true);
  expect(await page.inputValue('#prefix-client')).toBe(client.id);
  await page.fill('#accept-note', 'Договор с правообладателем проверен');
  await page.click('#product-accept');
  await page.waitForSelector('#message.info');
  expect(await text(page, '#message')).toContain(`Право «ТОО «Дистрибьютор»» на GTIN ${good.gtin} принято`);
  await page.waitForSelector('#decisions td:has-text("Договор с правообладателем проверен")');
  await rowOf(good.gtin).waitFor({ state: 'detached' });

  // The second: rejected; the reason is required.
  await rowOf(bad.gtin).locator('button.open-product').click();
  await page.waitForSelector('#product h2:has-text("Кроссовки «Чужой бренд»")');
  await page.click('#product-reject');
  await page.waitForSelector('#message.error:has-text("укажите причину")');
  await page.fill('#reject-reason', 'Нет документов, подтверждающих право на товарный знак');
  await page.click('#product-reject');
  await page.waitForSelector('#message.info:has-text("отклонено")');
  await rowOf(bad.gtin).waitFor({ state: 'detached' });

  // The brand's GTIN: accepting it for the distributor is refused, in Russian.
  await rowOf(branded.gtin).locator('button.open-product').click();
  await page.waitForSelector('#product h2:has-text("Сандалии «Бренд»")');
  await page.click('#product-accept');
  await page.waitForSelector('#message.error');
  expect(await text(page, '#message')).toContain('GS1-префиксу, записанному за другой компанией');

  // The distributor's own prefix: its pending product under it is accepted at once.
  await page.fill('#prefix-value', own.prefix);
  await page.fill('#prefix-evidence', 'Свидетельство GS1 Kazakhstan № 77 от 10.01.2026');
  await page.click('#prefix-record');
  await page.waitForSelector('#message.info:has-text("Префикс")');
  expect(await text(page, '#message')).toContain(own.gtin);
  const prefixRow = page.locator('#prefixes tbody tr', { hasText: own.prefix });
  await prefixRow.waitFor();
  // The brand's prefix cannot be recorded for the distributor.
  await page.fill('#prefix-value', branded.prefix);
  await page.fill('#prefix-evidence', 'Попытка записать чужой префикс');
  await page.click('#prefix-record');
  await page.waitForSelector('#message.error');
  expect(await text(page, '#message')).toContain('уже записан за другой компанией');
  // Revoked, with a reason (required).
  await prefixRow.locator('button.revoke').click();
  await page.waitForSelector('#message.error:has-text("причину отзыва")');
  await prefixRow.locator('input.revoke-reason').fill('Членство в GS1 Kazakhstan прекращено');
  await prefixRow.locator('button.revoke').click();
  await page.waitForSelector(`#message.info:has-text("Префикс ${own.prefix} отозван")`);
  await page.waitForSelector('#prefixes tbody tr:has-text("отозван")');
  expect(errors).toEqual([]);
  await page.close();

  expect(
    await db('products')
      .where({ id: await productId(good.gtin) })
      .first(),
  ).toMatchObject({ rights_status: 'accepted', rights_basis: 'moderation', rights_decided_by: moderator.id });
  expect(
    await db('products')
      .where({ id: await productId(bad.gtin) })
      .first(),
  ).toMatchObject({
    rights_status: 'rejected',
    rights_reason: 'Нет документов, подтверждающих право на товарный знак',
  });
  expect(
    await db('products')
      .where({ id: await productId(branded.gtin) })
      .first(),
  ).toMatchObject({ rights_status: 'pending' });
  expect(
    await db('products')
      .where({ id: await productId(own.gtin) })
      .first(),
  ).toMatchObject({ rights_status: 'accepted', rights_basis: 'gs1_prefix' });
  const prefixes = await db('client_gs1_prefixes').where({ client_id: client.id });
  expect(prefixes).toEqual([
    expect.objectContaining({
      prefix: own.prefix,
      recorded_by: moderator.id,
      evidence_note: 'Свидетельство GS1 Kazakhstan № 77 от 10.01.2026',
      revoked_by: moderator.id,
      revocation_reason: 'Членство в GS1 Kazakhstan прекращено',
    }),
  ]);
});

test('a client registered without an application: the proposer is told another person decides, a second moderator approves', async () => {
  const { db } = ctx.database;
  const proposer = await insertStaff(db, ['moderator']);
  const second = await insertStaff(db, ['moderator']);
  const binIin = randomBinIin();
  const proposed = await ctx.api.request('POST', '/staff/v1/clients', {
    token: proposer.token,
    body: {
      binIin,
      name: 'ТОО «Бумажное заявление»',
      email: `paper-${binIin}@example.kz`,
      requisites: REQUISITES,
      grounds: 'Бумажное заявление о присоединении, вх. № 17',
    },
  });
  expect(proposed.status).toBe(202);

  const first = await openSection(proposer.token, 'registrations');
  const row = first.page.locator(`#registrations tbody tr[data-id="${proposed.body.id}"]`);
  await row.waitFor();
  expect(normal(await row.textContent())).toContain('предложили вы');
  await row.locator('button.approve').click();
  await first.page.waitForSelector('#message.error');
  expect(await text(first.page, '#message')).toContain('Подтвердить может только другой сотрудник');
  expect(first.errors).toEqual([]);
  await first.page.close();
  expect(await db('clients').where({ bin_iin: binIin }).first()).toBeUndefined();

  const other = await openSection(second.token, 'registrations');
  const otherRow = other.page.locator(`#registrations tbody tr[data-id="${proposed.body.id}"]`);
  await otherRow.waitFor();
  expect(normal(await otherRow.textContent())).toContain('другим сотрудником');
  await otherRow.locator('input.decision-note').fill('Оригинал заявления сверен');
  await otherRow.locator('button.approve').click();
  await other.page.waitForSelector('#message.info');
  expect(await text(other.page, '#message')).toContain('клиент «ТОО «Бумажное заявление»» создан');
  await otherRow.waitFor({ state: 'detached' });
  expect(other.errors).toEqual([]);
  await other.page.close();

  const registration = await db('client_registrations').where({ id: proposed.body.id }).first();
  expect(registration).toMatchObject({
    status: 'approved',
    proposed_by: proposer.id,
    decided_by: second.id,
    decision_note: 'Оригинал заявления сверен',
  });
  const client = await db('clients').where({ bin_iin: binIin }).first();
  expect(client).toMatchObject({ name: 'ТОО «Бумажное заявление»' });
  expect(registration.client_id).toBe(client.id);
});
