import { createHash } from 'node:crypto';
import { useTestApi } from '../helpers/api';
import { normal, signIn, text, useBrowser } from '../helpers/browser';
import { insertStaff } from '../helpers/fixtures';
import { createTestCa, issueCrl, issueSignerCertificate } from '../helpers/pki';

// The contracts console's «Доверенные сертификаты НУЦ РК» (docs/EDS.md) in Chromium: an admin adds
// NCA RK's CA certificates from a .cer file (DER, base64-encoded by the page) or pasted PEM, imports
// their CRLs from a file, removes a certificate, and changes the revocation policy.

const ctx = useTestApi();
const browser = useBrowser();

async function openTrustStore(token: string) {
  const { page, errors } = await browser.open(`${ctx.api.url}/console/contracts`);
  await signIn(page, token);
  await page.waitForSelector('#console:not([hidden])');
  await page.click('#tab-trust-store');
  await page.waitForSelector('#trust-store-view:not([hidden])');
  return { page, errors };
}

test('an admin adds a CA certificate from a .cer file and by PEM, imports a CRL from a file, removes a certificate and sets the policy', async () => {
  const { db } = ctx.database;
  const admin = await insertStaff(db, ['admin']);
  const accountant = await insertStaff(db, ['accountant']);
  const root = await createTestCa({ name: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) тест', algorithm: 'RSA' });
  const other = await createTestCa({ name: 'НУЦ РК GOST тест' });
  const signer = await issueSignerCertificate(root, { bin: '123456789012', iin: '123456789012' });
  const crl = await issueCrl(root, { revoked: [{ certificate: signer }] });
  const strangerCrl = await issueCrl(await createTestCa({ name: 'Чужой УЦ' }));
  const sha256 = createHash('sha256').update(root.certificateDer).digest('hex');

  // An accountant does not see the trust store.
  const seen = await browser.open(`${ctx.api.url}/console/contracts`);
  await signIn(seen.page, accountant.token);
  await seen.page.waitForSelector('#tab-claims.active');
  expect(await seen.page.isHidden('#tab-trust-store')).toBe(true);
  await seen.page.close();

  const { page, errors } = await openTrustStore(admin.token);
  await page.waitForSelector('#certificates tbody tr:has-text("Доверенных сертификатов нет")');

  // A .cer file as NCA RK publishes it: DER.
  await page.setInputFiles('#c-file', {
    name: 'root_rsa.cer',
    mimeType: 'application/pkix-cert',
    buffer: Buffer.from(root.certificateDer),
  });
  await page.fill('#c-note', 'pki.gov.kz, отпечаток сверен');
  await page.click('#c-add');
  await page.waitForSelector('#message.info');
  expect(await text(page, '#message')).toContain(`Сертификат «CN=${root.name}`);
  expect((await text(page, '#message')).replace(/:/g, '').toLowerCase()).toContain(sha256);
  const rootRow = page.locator(`#certificates tbody tr[data-sha256="${sha256}"]`);
  await rootRow.waitFor();
  expect(normal(await rootRow.textContent())).toContain(root.name);
  expect(normal(await rootRow.textContent())).toContain(admin.name);

  // The same again: refused, in Russian.
  await page.setInputFiles('#c-file', {
    name: 'root_rsa.cer',
    mimeType: 'application/pkix-cert',
    buffer: Buffer.from(root.certificateDer),
  });
  await page.click('#c-add');
  await page.waitForSelector('#message.error');
  expect(await text(page, '#message')).toBe('Этот сертификат уже в доверенных.');
  await page.setInputFiles('#c-file', []);

  // Another by pasted PEM.
  await page.fill('#c-pem', other.certificatePem);
  await page.click('#c-add');
  await page.waitForSelector(`#message.info:has-text("${other.name}")`);
  expect(await page.locator('#certificates tbody tr[data-id]').count()).toBe(2);

  // A CRL file (DER) of the trusted root; one of an untrusted CA is refused.
  await page.setInputFiles('#crl-file', {
    name: 'nca_rsa.crl',
    mimeType: 'application/pkix-crl',
    buffer: Buffer.from(strangerCrl.der),
  });
  await page.click('#crl-import');
  await page.waitForSelector('#message.error');
  expect(await text(page, '#message')).toContain('CRL не подписан доверенным удостоверяющим центром');
  await page.setInputFiles('#crl-file', {
    name: 'nca_rsa.crl',
    mimeType: 'application/pkix-crl',
    buffer: Buffer.from(crl.der),
  });
  await page.fill('#crl-note', 'nca_rsa.crl с pki.gov.kz');
  await page.click('#crl-import');
  await page.waitForSelector('#message.info:has-text("CRL")');
  expect(await text(page, '#message')).toContain('отозвано сертификатов — 1');
  const crlRow = page.locator('#crls tbody tr[data-id]');
  await crlRow.waitFor();
  expect(normal(await crlRow.textContent())).toContain('действует');

  // Removed from the trusted ones: kept in the list, shown with «показать удалённые».
  await rootRow.locator('button.remove-certificate').click();
  await page.waitForSelector('#message.info:has-text("удалён из доверенных")');
  await rootRow.waitFor({ state: 'detached' });
  await page.check('#certificates-removed');
  await rootRow.waitFor();
  expect(normal(await rootRow.textContent())).toContain('удалён');
  expect(await rootRow.locator('button').count()).toBe(0);

  // The policy.
  expect(await page.inputValue('#s-tolerance')).toBe('1440');
  await page.check('#s-strict');
  await page.fill('#s-tolerance', '60');
  await page.click('#s-save');
  await page.waitForSelector('#message.info:has-text("Настройки сохранены")');
  expect(errors).toEqual([]);
  await page.close();

  const trusted = await db('eds_trusted_certificates').orderBy('added_at');
  expect(trusted).toEqual([
    expect.objectContaining({
      sha256,
      added_by: admin.id,
      removed_by: admin.id,
      removed_at: expect.any(Date),
      note: 'pki.gov.kz, отпечаток сверен',
    }),
    expect.objectContaining({ added_by: admin.id, removed_at: null }),
  ]);
  const crls = (await ctx.api.request('GET', '/staff/v1/eds/crls', { token: admin.token })).body.crls;
  expect(crls).toEqual([
    expect.objectContaining({
      revokedCount: 1,
      importedBy: { id: admin.id, name: admin.name },
      note: 'nca_rsa.crl с pki.gov.kz',
    }),
  ]);
  const settings = (await ctx.api.request('GET', '/staff/v1/eds/settings', { token: admin.token })).body;
  expect(settings).toMatchObject({ strictRevocation: true, signingTimeToleranceMinutes: 60 });
});
