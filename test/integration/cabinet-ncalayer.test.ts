import { localDateIn } from '../../lib/calendar';
import { eventually, TEST_CODE_KEYS, useTestApi } from '../helpers/api';
import { normal, signIn, text, today, useBrowser } from '../helpers/browser';
import { clientToken, insertClient, REQUISITES } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { startNcaLayerStandIn, type NcaLayerStandIn } from '../helpers/ncalayer';
import { clientWithServices } from '../helpers/orders';
import { instructionDocument } from '../helpers/signed';

// Issue 17: in the client's cabinet documents are signed with EDS through NCALayer, in Chromium, against
// a local NCALayer stand-in that speaks NCALayer's protocol and signs with a real test key: the act of the
// month (6.7, 6.8), a reconciliation act (Прил. 2), a change of the bank details (10.2.2) and a refund
// request (6.11). The server's state is checked, not only the page: the signature stored verifies over the
// exact document, the signer is recorded. A cancel in NCALayer is said in Russian and changes nothing.

let pki: TestPki;
let standIn: NcaLayerStandIn;
// Started before the API (declared before useTestApi): the pages are served its URL.
beforeAll(async () => {
  standIn = await startNcaLayerStandIn({ keys: {} });
});
afterAll(async () => {
  await standIn?.close();
});
const context = useTestApi({
  eds: async () => (pki = await createTestPki()).verifier,
  browserSessions: true,
  ncaLayerUrl: () => standIn.url,
});
const browser = useBrowser();

const NEW_BANK = { iik: 'KZ599261802193000563', bik: 'CASPKZKA', bankName: 'АО «Kaspi Bank»' };
const signRequests = () => standIn.requests.filter((r) => r.module === 'kz.gov.pki.knca.basics' && r.method === 'sign');

test('an act, a reconciliation act, a change of bank details and a refund request are signed through NCALayer; a cancel or another organisation’s key changes nothing', async () => {
  const { db } = context.database;
  // A client served this month (3 codes), with its details of record from the application.
  const { client } = await clientWithServices(db, 3, TEST_CODE_KEYS.current);
  const clientId: string = client.id;
  const binIin: string = client.bin_iin;
  await db('clients')
    .where({ id: clientId })
    .update({
      details: {
        ...REQUISITES,
        signerName: 'Иванов Иван Иванович',
        signerPosition: 'Директор',
        email: client.email,
        phone: '+77011234567',
      },
    });
  const token = await clientToken(db, clientId);
  // The person's key in NCALayer names the client's BIN.
  standIn.keys.sign = await pki.signerFor(binIin, { commonName: 'ИВАНОВ ИВАН' });

  // The act of the month (in the operator's zone), as the Schedule would start it.
  const month = localDateIn('Asia/Almaty', new Date()).slice(0, 7);
  await context.api.temporal.client.workflow.start('monthlyAct', {
    workflowId: `act-${clientId}-${month}`,
    taskQueue: context.api.taskQueue,
    args: [{ clientId, month }],
  });
  const act = await eventually(
    async () => (await context.api.request('GET', '/client/v1/acts', { token })).body.acts[0],
    30_000,
  );
  expect(act).toMatchObject({ status: 'issued', codes: 3 });
  const actPdf: Buffer = (await db('acts').where({ id: act.id }).first('pdf')).pdf;

  const { page, errors: pageErrors } = await browser.open(`${context.api.url}/cabinet`);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  // The page is served NCALayer's address, and loads NCALayer's client before its own script.
  expect(await page.getAttribute('meta[name="ncalayer-url"]', 'content')).toBe(standIn.url);
  const scripts = await page.$$eval('script[src]', (list) => list.map((s) => s.getAttribute('src')));
  expect(scripts.indexOf('/console/ncalayer-client.js')).toBeGreaterThan(-1);
  expect(scripts.indexOf('/console/ncalayer-client.js')).toBeLessThan(scripts.indexOf('/console/ncalayer.js'));
  expect(scripts.indexOf('/console/ncalayer.js')).toBeLessThan(scripts.indexOf('/console/cabinet.js'));
  // The cabinet's sections, this one current.
  expect(
    await page.$$eval('header nav.cabinet-nav a', (links) =>
      links.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('aria-current')]),
    ),
  ).toEqual([
    ['/cabinet', 'Счёт и документы', 'page'],
    ['/cabinet/codes', 'Товары и коды', null],
    ['/cabinet/support', 'Обращения', null],
    ['/cabinet/company', 'Компания', null],
  ]);
  expect(await page.getAttribute('header nav.cabinet-nav', 'aria-label')).toBe('Разделы кабинета');

  await signIn(page, token);
  const actRow = page.locator(`#acts tbody tr[data-id="${act.id}"]`);
  await actRow.waitFor();
  expect(normal(await actRow.textContent())).toContain('ожидает подписи');
  // The paste field is a fallback, folded away; NCALayer is the action offered.
  expect(await page.isVisible('#act-decision #sign-ncalayer')).toBe(true);
  expect(await page.isVisible('#signature')).toBe(false);
  expect(await text(page, '#act-other-signature summary')).toBe('Подпись, сделанная в другой программе');

  // The person cancels in NCALayer's window: said in Russian, nothing sent, the act still awaits.
  standIn.next = 'cancel';
  await actRow.locator('button.sign-ncalayer').click();
  await page.waitForSelector('#message.error:has-text("отменено")');
  expect(await text(page, '#message')).toBe('Подписание отменено в NCALayer.');
  expect(await text(page, '#decision-error')).toBe('Подписание отменено в NCALayer.');
  // What NCALayer was asked to sign is the act's PDF, byte for byte, with a signing key.
  expect(signRequests()).toHaveLength(1);
  expect(signRequests()[0].args).toMatchObject({
    format: 'cms',
    data: actPdf.toString('base64'),
    signingParams: { encapsulate: true },
    signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'] },
  });
  expect(await db('acts').where({ id: act.id }).first('status', 'client_signature')).toEqual({
    status: 'issued',
    client_signature: null,
  });

  // Another organisation's key: the API refuses the signature, the page says so in Russian.
  const own = standIn.keys.sign;
  standIn.keys.sign = await pki.signerFor((await insertClient(db)).bin_iin);
  await actRow.locator('button.sign-ncalayer').click();
  await page.waitForSelector('#decision-error:has-text("Подпись не принята")');
  expect(await text(page, '#decision-error')).toContain('не подходит к PDF акта');
  expect(await text(page, '#message')).toContain('Подпись не принята');
  expect(await db('acts').where({ id: act.id }).first('status', 'client_signature')).toEqual({
    status: 'issued',
    client_signature: null,
  });

  // The client's key: the act is signed; the signature stored verifies over its PDF and names the signer.
  standIn.keys.sign = own;
  await actRow.locator('button.sign-ncalayer').click();
  await page.waitForSelector(`#message.info:has-text("Акт № ${act.number} подписан")`);
  await actRow.locator('.status:has-text("подписан")').waitFor();
  expect(await actRow.locator('button.sign-ncalayer').count()).toBe(0);
  expect(await page.isHidden('#act-decision')).toBe(true);
  const signedAct = await db('acts').where({ id: act.id }).first();
  expect(signedAct).toMatchObject({ status: 'signed', client_signer: { bin: binIin, commonName: 'ИВАНОВ ИВАН' } });
  const actCheck = await pki.verifier.verify({
    document: actPdf,
    signature: signedAct.client_signature,
    expectedBinIin: binIin,
    at: new Date(),
  });
  expect(actCheck.problems).toEqual([]);
  expect(actCheck.valid).toBe(true);

  // A reconciliation act from the start of the year to today, signed through NCALayer over its PDF.
  await page.fill('#recon-from', `${today().slice(0, 4)}-01-01`);
  await page.fill('#recon-to', today());
  await page.click('#request-recon');
  await page.waitForSelector('#message.info:has-text("акт сверки")');
  const recon = await db('reconciliation_acts').where({ client_id: clientId }).first();
  const reconRow = page.locator(`#recons tbody tr[data-id="${recon.id}"]`);
  await reconRow.waitFor();
  expect(normal(await reconRow.textContent())).toContain('ожидает подписи');
  expect(await page.isVisible('#recon-decision')).toBe(true);
  expect(await text(page, '#recon-decision-number')).toBe(recon.number);
  await reconRow.locator('button.sign-ncalayer').click();
  await page.waitForSelector(`#message.info:has-text("Акт сверки № ${recon.number} подписан")`);
  await reconRow.locator('.status:has-text("подписан")').waitFor();
  expect(signRequests().at(-1)!.args).toMatchObject({ data: recon.pdf.toString('base64') });
  const signedRecon = await db('reconciliation_acts').where({ id: recon.id }).first();
  expect(signedRecon).toMatchObject({ status: 'signed', client_signer: { bin: binIin } });
  expect(
    (
      await pki.verifier.verify({
        document: recon.pdf,
        signature: signedRecon.client_signature,
        expectedBinIin: binIin,
        at: new Date(),
      })
    ).valid,
  ).toBe(true);
  expect(await page.isHidden('#recon-decision')).toBe(true);

  // The details of record; the bank details changed through a signed document (10.2.2).
  expect(await text(page, '#profile-iik')).toBe(REQUISITES.iik);
  expect(await text(page, '#profile-bin')).toBe(binIin);
  expect(await page.inputValue('#details-bik')).toBe(REQUISITES.bik);
  await page.click('#details-ncalayer');
  await page.waitForSelector('#details-error:has-text("не изменились")');
  const requestsBefore = signRequests().length;
  await page.fill('#details-iik', 'kz59 9261 8021 9300 0563');
  await page.fill('#details-bik', NEW_BANK.bik);
  await page.fill('#details-bank-name', NEW_BANK.bankName);
  // Cancelled in NCALayer: nothing changes.
  standIn.next = 'cancel';
  await page.click('#details-ncalayer');
  await page.waitForSelector('#message.error:has-text("Подписание отменено в NCALayer.")');
  expect((await db('clients').where({ id: clientId }).first('details')).details.iik).toBe(REQUISITES.iik);
  expect(await db('client_detail_changes').where({ client_id: clientId })).toEqual([]);
  await page.click('#details-ncalayer');
  await page.waitForSelector('#message.info:has-text("Реквизиты изменены")');
  expect(signRequests()).toHaveLength(requestsBefore + 2);
  const details = (await db('clients').where({ id: clientId }).first('details')).details;
  expect(details).toMatchObject({ ...NEW_BANK, kbe: REQUISITES.kbe, email: client.email });
  const change = await db('client_detail_changes').where({ client_id: clientId }).first();
  expect(change).toMatchObject({ signature_basis: 'client_eds', signer: { bin: binIin, commonName: 'ИВАНОВ ИВАН' } });
  // The document signed is the one the API gives for exactly the fields changed.
  const detailsDocument = await instructionDocument(context.api, token, 'details', {
    details: { iik: 'kz59 9261 8021 9300 0563', bik: NEW_BANK.bik, bankName: NEW_BANK.bankName },
  });
  expect(Buffer.from(change.signed_document).equals(detailsDocument)).toBe(true);
  expect(
    (
      await pki.verifier.verify({
        document: detailsDocument,
        signature: change.signature,
        expectedBinIin: binIin,
        at: new Date(),
      })
    ).valid,
  ).toBe(true);
  const history = (await context.api.request('GET', '/client/v1/profile/history', { token })).body;
  expect(history.detailChanges[0].signed).toMatchObject({
    basis: 'client_eds',
    signer: { commonName: 'ИВАНОВ ИВАН', bin: binIin },
  });
  // The page shows the new details and the change with its signer.
  expect(await text(page, '#profile-iik')).toBe(NEW_BANK.iik);
  expect(await text(page, '#profile-bank')).toBe(NEW_BANK.bankName);
  expect(await page.inputValue('#details-iik')).toBe(NEW_BANK.iik);
  const historyRow = page.locator(`#details-history tbody tr[data-id="${change.id}"]`);
  await historyRow.waitFor();
  expect(normal(await historyRow.locator('td.signed-by').textContent())).toContain(`ИВАНОВ ИВАН`);
  expect(normal(await historyRow.locator('td.signed-by').textContent())).toContain(`БИН ${binIin}`);
  expect(normal(await historyRow.locator('td.changed').textContent())).toContain(
    `ИИК: ${REQUISITES.iik} → ${NEW_BANK.iik}`,
  );

  // A refund request, signed through NCALayer: the document names the new account of record.
  await page.fill('#refund-amount', '100,00');
  await page.fill('#refund-note', 'Возврат части аванса');
  await page.click('#refund-ncalayer');
  await page.waitForSelector('#message.info:has-text("100,00")');
  const refund = await eventually(
    async () => (await db('refund_requests').where({ client_id: clientId }).first()) ?? false,
  );
  expect(refund).toMatchObject({
    kind: 'request',
    status: 'pending',
    amount_requested: 100_00,
    client_note: 'Возврат части аванса',
    signature_basis: 'client_eds',
    signer: { bin: binIin },
  });
  // The document kept with the request is the one the page had NCALayer sign; it names the new account of record.
  const refundDocument = Buffer.from(refund.signed_document);
  expect(Buffer.from(String(signRequests().at(-1)!.args!.data), 'base64').equals(refundDocument)).toBe(true);
  expect(JSON.parse(refundDocument.toString('utf8'))).toMatchObject({
    type: 'ismet-backoffice/refund',
    client: { binIin },
    amountTiyn: 100_00,
    payTo: { iik: NEW_BANK.iik },
  });
  expect(
    (
      await pki.verifier.verify({
        document: refundDocument,
        signature: refund.signature,
        expectedBinIin: binIin,
        at: new Date(),
      })
    ).valid,
  ).toBe(true);
  await page.locator(`#refunds tbody tr[data-id="${refund.id}"]`).waitFor();
  expect(await page.inputValue('#refund-amount')).toBe('');
  expect(dialogs).toEqual([]);

  // Accessible: every field has a label; on a narrow screen one column, nothing wider than the screen.
  // (Evaluated as the page's own expressions: the tests are compiled without the DOM's types.)
  const unlabelled =
    await page.evaluate(`[...document.querySelectorAll('main input, main select, main textarea, #login input')]
    .filter((f) => f.labels.length === 0 && !f.getAttribute('aria-label')).map((f) => f.id)`);
  expect(unlabelled).toEqual([]);
  await page.setViewportSize({ width: 380, height: 800 });
  expect(
    await page.evaluate(`getComputedStyle(document.querySelector('main')).gridTemplateColumns.split(' ').length`),
  ).toBe(1);
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(380);
  // The keyboard reaches NCALayer's button and the fallback after it; the focus is visible.
  await page.focus('#refund-ncalayer');
  await page.keyboard.press('Tab');
  expect(await page.evaluate('document.activeElement.tagName + " " + document.activeElement.parentElement.id')).toBe(
    'SUMMARY refund-other-signature',
  );
  expect(await page.evaluate(`getComputedStyle(document.activeElement).outlineStyle`)).toBe('solid');

  expect(pageErrors).toEqual([]);
  await page.close();
}, 240_000);
