import { eventually, useTestApi } from '../helpers/api';
import { signIn, useBrowser } from '../helpers/browser';
import { insertStaff } from '../helpers/fixtures';
import { createTestPki, sampleForm, signForm, TestPki } from '../helpers/joining';

// The moderation console in Chromium.

let pki: TestPki;
const context = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });
const browser = useBrowser();

test('a moderator signs in, sees the waiting application with its signature check, and approves it', async () => {
  const moderator = await insertStaff(context.database.db, ['moderator']);
  const form = sampleForm({ companyName: 'ИП Жумабаев (консоль)' });
  const signature = await signForm(await pki.signerFor(form.binIin, { commonName: 'ЖУМАБАЕВ АСКАР' }), form);
  const submitted = await context.api.request('POST', '/v1/join-applications', { body: { form, signature } });
  expect(submitted.status).toBe(202);
  await eventually(
    async () =>
      (await context.api.request('GET', `/v1/join-applications/${submitted.body.id}`)).body.status ===
      'awaiting_moderation',
  );

  const { page, errors: pageErrors } = await browser.open(`${context.api.url}/console/moderation`);

  await signIn(page, 'ismet_staff_wrong');
  await page.waitForSelector('#login-error:has-text("UNAUTHENTICATED")');

  await signIn(page, moderator.token);
  const row = page.locator('#queue tr', { hasText: form.companyName });
  await row.waitFor();
  await row.click();
  await page.waitForSelector(`#detail h2:has-text("${submitted.body.number}")`);
  expect(await page.textContent('#signature-verdict')).toBe('подпись действительна');
  expect(await page.textContent('#detail')).toContain('ЖУМАБАЕВ АСКАР');
  expect(await page.textContent('[data-field="iik"]')).toBe(form.iik);

  await page.click('#approve');
  await page.waitForSelector('#message.info');
  expect(await page.textContent('#message')).toContain('Клиент активирован');
  expect(await page.textContent('#detail')).toContain('Решение: approved');
  expect(await row.count()).toBe(0);
  expect(pageErrors).toEqual([]);

  const application = await context.database.db('join_applications').where({ id: submitted.body.id }).first();
  expect(application).toMatchObject({ status: 'approved', decided_by: moderator.id });
  await context.smtp.waitFor((m) => m.subject === `Доступ к ИС МПТ предоставлен — заявление ${submitted.body.number}`);
  await page.close();
});
