'use strict';
const TOKEN_KEY = 'ismet-client-token';
const REFERENCES = { payment: 'платёж', order: 'заказ', download: 'выгрузка', refund: 'возврат', defect_act: 'акт о браке', claim: 'претензия' };
const NOTICE_STATUSES = { queued: 'ожидает отправки', sent: 'отправлено', failed: 'не доставлено' };
const ANSWER_STATUSES = { awaiting: 'ожидается', answered: 'дан', overdue: 'срок истёк' };
const RECON_STATUSES = { unsigned: 'сформирован без подписания', issued: 'ожидает подписи', signed: 'подписан', refused: 'отказ направлен', auto_accepted: 'считается подписанным' };
const ACT_STATUSES = { issued: 'ожидает подписи', signed: 'подписан', disputed: 'отказ направлен', auto_accepted: 'считается подписанным', confirmed: 'подтверждён', superseded: 'заменён исправленным' };
const ORDER_STATUSES = { CREATED: 'создан', PENDING: 'ожидает эмиссии', DECLINED: 'отклонён', APPROVED: 'идёт эмиссия', READY: 'готов', CLOSED: 'закрыт', EXPIRED: 'срок истёк' };
const BUFFER_STATUSES = { PENDING: 'ожидает', ACTIVE: 'активен', EXHAUSTED: 'исчерпан', REJECTED: 'отклонён', CLOSED: 'закрыт', EXPIRED: 'срок истёк' };
const VERSION_REASONS = { original: 'исходная редакция', services: 'необходимо для оказания услуг', law: 'приведение в соответствие с законодательством' };
const REFUND_KINDS = { request: 'по заявлению (п. 6.11)', one_year: 'год без услуг (п. 3.7)', termination: 'при расторжении (пп. 4.1.2, 10.4)' };
const REFUND_STATUSES = { pending: 'ожидает ответа', paid: 'выплачен', refused: 'отказано' };
const INITIATORS = { client: 'Клиент', operator: 'Оператор' };
const TERMINATION_STATUSES = { scheduled: 'запланировано', settling: 'дата наступила: идут взаиморасчёты', withdrawn: 'отменено', terminated: 'Договор прекращён' };
const TERMINATION_BASES = {
  '4.1.1': 'п. 4.1.1 — отказ Клиента при отсутствии необходимости подключения к ИС МПТ',
  '4.3.1a': 'пп. a) п. 4.3.1 — неоднократное нарушение Клиентом существенных условий',
  '4.3.1b': 'пп. b) п. 4.3.1 — нет Заявок в течение года с даты заключения Договора',
  '4.3.1c': 'пп. c) п. 4.3.1 — отмена или изменение Правил маркировки, другой Единый оператор',
  '4.3.1d': 'пп. d) п. 4.3.1 — иные случаи, предусмотренные законодательством',
  '10.4.2': 'п. 10.4.2 — неоднократное нарушение другой Стороной существенных условий',
  '10.4.3': 'п. 10.4.3 — соглашение Сторон',
};
const OVERDUE_PAGES = 10;
let price = null;
let omsId = null;
let acts = [];
let recons = [];
const statement = { query: '', next: null };

/** Today in the operator's zone, YYYY-MM-DD. */
const localToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: zone });
const period = (from, to) => `${day(from)} — ${day(to)}`;

/** Milliseconds to a deadline → «осталось 2 дн 3 ч» / «просрочено на 1 ч 20 мин». */
function timeLeft(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days ? `${days} дн ${hours} ч` : hours ? `${hours} ч ${minutes % 60} мин` : `${minutes % 60} мин`;
  return ms >= 0 ? `осталось ${text}` : `просрочено на ${text}`;
}
/** «50 000,5» → 5000050 tiyn, parsed as text (no floating point); null when not an amount. */
function parseTenge(text) {
  const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(String(text).replace(/[\s\u00a0\u202f]/g, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
}
/** A fresh idempotency key per intended operation (randomUUID needs a secure context; getRandomValues does not). */
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A button that downloads a file of the API (wired by wireFiles). */
const fileButton = (url, label, name, kind = '') => `<button class="secondary file ${esc(kind)}" data-url="${esc(url)}" data-name="${esc(name)}">${esc(label)}</button>`;
function wireFiles(container) {
  for (const button of container.querySelectorAll('button.file')) {
    button.onclick = () => busy(button, () => download(button.dataset.url, button.dataset.name));
  }
}

async function signIn() {
  try {
    const me = await api('GET', '/client/v1/me');
    signedIn('cabinet', `${me.name} · БИН/ИИН ${me.binIin}`);
    omsId = me.omsId || null;
    $('oms-id').textContent = omsId || '—';
    const size = Number(new URLSearchParams(location.search).get('pageSize'));
    if (Number.isInteger(size) && size >= 1 && size <= 500 && ![...$('page-size').options].some((o) => o.value === String(size))) {
      $('page-size').add(new Option(String(size), String(size), true, true), 0);
    }
    const results = await Promise.allSettled([
      loadAccount(), loadStatement(), loadInvoices(), loadNotices(), loadActs(), loadReconciliations(), loadOrders(), loadDownloads(), loadContract(), loadRefunds(),
      loadProfile().then(resetDetailsForm), loadDetailsHistory(),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) say('error', failed.reason.message);
  } catch (error) {
    notSignedIn(error);
  }
}

async function loadAccount() {
  const a = await api('GET', '/client/v1/account');
  price = a.price;
  $('account-number').textContent = a.accountNumber || 'не открыт';
  $('account-status').textContent = a.status === 'closed' ? '(закрыт)' : '';
  $('available').textContent = money(a.available);
  $('reserved').textContent = money(a.reserved);
  $('codes-affordable').textContent = count(a.codesAffordable);
  $('total-paid-in').textContent = money(a.totalPaidIn);
  $('total-charged').textContent = money(a.totalCharged);
  $('total-refunded').textContent = money(a.totalRefunded);
  $('total-compensated').textContent = money(a.totalCompensated);
  $('total-corrections').textContent = money(a.totalCorrections, { signed: true });
  $('price-net').textContent = a.price ? money(a.price.pricePerCodeTiyn) : 'тариф не установлен';
  $('price-gross').textContent = a.price ? money(a.price.grossPerCodeTiyn) : '—';
  $('vat-rate').textContent = a.price ? percent(a.price.vatRateBp) : '—';
  $('as-of').textContent = when(a.asOf);
  preview();
}

function statementQuery() {
  const from = $('from').value;
  const to = $('to').value;
  if (from && to && from > to) throw new Error('Начало периода позже его конца.');
  const query = new URLSearchParams();
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  return query;
}

function change(tiyn) {
  if (!tiyn) return '—';
  return `<span class="${tiyn > 0 ? 'plus' : 'minus'}">${esc(money(tiyn, { signed: true }))}</span>`;
}

/** A UUID as its first eight characters «7c0d29f1…»; other identifiers as they are. */
const shortId = (id) => /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(String(id)) ? `${String(id).slice(0, 8)}…` : String(id);

function statementRow(l) {
  // A top-up names the bank's payment document it came with, as the bank statement does; other
  // movements name their order or act, a long identifier shortened (whole in the tooltip).
  const bankDocument = l.payment ? `<div class="bank-document">п/п № ${esc(l.payment.documentNumber)} от ${esc(day(l.payment.documentDate))}</div>` : '';
  const ref = l.payment || !l.reference ? (l.payment ? '' : '—')
    : `<span title="${esc(l.reference.id)}">${esc(REFERENCES[l.reference.type] || l.reference.type)} ${esc(shortId(l.reference.id))}</span>`;
  return `<tr data-id="${esc(l.transactionId)}">
    <td class="nowrap">${esc(when(l.at))}</td>
    <td>${esc(l.name)}<div class="small">п. ${esc(l.clause)}${l.memo ? ` · ${esc(l.memo)}` : ''}</div></td>
    <td class="ref small">${bankDocument}${ref}</td>
    <td class="num">${change(l.availableChange)}</td>
    <td class="num">${change(l.reservedChange)}</td>
    <td class="num">${esc(money(l.availableAfter))}</td>
  </tr>`;
}

/** The first page of the period (more = false) or the next, older page. */
async function loadStatement(more = false) {
  const query = more ? new URLSearchParams(statement.query) : statementQuery();
  query.set('limit', $('page-size').value);
  if (more) query.set('before', statement.next);
  else statement.query = query.toString();
  const page = await api('GET', `/client/v1/account/statement?${query}`);
  const body = $('statement').tBodies[0];
  const rows = page.lines.map(statementRow).join('');
  if (more) body.insertAdjacentHTML('beforeend', rows);
  else body.innerHTML = rows || '<tr class="empty"><td colspan="6">Операций за период нет.</td></tr>';
  statement.next = page.next;
  $('more').hidden = page.next === null;
}

async function exportCsv() {
  const query = statementQuery();
  await download(`/client/v1/account/statement.csv?${query}`, 'statement.csv');
  say('info', 'Выписка выгружена в CSV.');
}

async function loadInvoices() {
  const { invoices } = await api('GET', '/client/v1/invoices');
  const body = $('invoices').tBodies[0];
  body.innerHTML = invoices.map((i) => `<tr data-id="${esc(i.id)}">
      <td class="nowrap">${esc(i.number)}</td><td class="nowrap">${esc(day(i.issuedOn))}</td><td class="num">${i.codes === null ? '—' : esc(count(i.codes))}</td>
      <td class="num">${esc(money(i.netTiyn))}</td><td class="num">${esc(money(i.vatTiyn))} <span class="small">(${esc(percent(i.vatRateBp))})</span></td>
      <td class="num"><b>${esc(money(i.totalTiyn))}</b></td>
      <td><button class="secondary pdf" data-url="${esc(i.pdfUrl)}" data-number="${esc(i.number)}" aria-label="PDF счёта № ${esc(i.number)}">PDF</button></td>
    </tr>`).join('') || '<tr class="empty"><td colspan="7">Счетов пока нет.</td></tr>';
  for (const button of body.querySelectorAll('button.pdf')) {
    button.onclick = () => busy(button, () => download(button.dataset.url, `invoice_${button.dataset.number}.pdf`));
  }
}

/** The invoice request the form holds: { codes } or { amountTiyn }, or an error text. */
function invoiceRequest() {
  const codesText = $('invoice-codes').value.trim();
  const amountText = $('invoice-amount').value.trim();
  if (codesText && amountText) return { error: 'Укажите либо количество кодов, либо сумму — не то и другое.' };
  if (codesText) {
    const codes = Number(codesText);
    return /^\d+$/.test(codesText) && codes >= 1 && codes <= 100_000_000 ? { body: { codes } } : { error: 'Количество кодов — целое число от 1 до 100 000 000.' };
  }
  if (amountText) {
    const amountTiyn = parseTenge(amountText);
    return amountTiyn ? { body: { amountTiyn } } : { error: 'Сумма — в тенге, не больше двух знаков после запятой, например 50 000,00.' };
  }
  return { error: 'Укажите количество кодов или сумму.' };
}

/** What a request for N codes will cost at today's price (VAT half-up on the whole net, 6.1). */
function preview() {
  const request = invoiceRequest();
  const codes = request.body && request.body.codes;
  if (!codes || !price) return void ($('invoice-preview').textContent = '');
  const net = BigInt(codes) * BigInt(price.pricePerCodeTiyn);
  const vat = (2n * net * BigInt(price.vatRateBp) + 10_000n) / 20_000n;
  $('invoice-preview').textContent = `${count(codes)} × ${money(price.pricePerCodeTiyn)} = ${money(Number(net))} + НДС ${percent(price.vatRateBp)} ${money(Number(vat))} = ${money(Number(net + vat))}`;
}

async function requestInvoice() {
  const request = invoiceRequest();
  if (request.error) return say('error', request.error);
  const invoice = await api('POST', '/client/v1/invoices', request.body, { 'idempotency-key': uuid() });
  $('invoice-codes').value = '';
  $('invoice-amount').value = '';
  preview();
  await loadInvoices();
  say('info', `Выставлен счёт № ${invoice.number} на ${money(invoice.totalTiyn)} (в т. ч. НДС ${money(invoice.vatTiyn)}).`);
}

async function loadNotices() {
  const { notices } = await api('GET', '/client/v1/notices');
  $('notices').tBodies[0].innerHTML = notices.map((n) => `<tr data-id="${esc(n.id)}">
      <td>${esc(n.subject)}</td><td>${esc(when(n.sentAt || n.createdAt))}</td>
      <td class="${n.status === 'failed' ? 'bad' : n.status === 'sent' ? 'ok' : ''}">${esc(NOTICE_STATUSES[n.status] || n.status)}</td>
      <td>${n.answer ? `${esc(ANSWER_STATUSES[n.answer.status] || n.answer.status)}${n.answer.dueAt ? ` · срок ${esc(dueBy(n.answer.dueAt))}` : ''}` : 'не требуется'}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="4">Уведомлений нет.</td></tr>';
}

/* ---- Signing with EDS through NCALayer (issue 17) ---- */

const NCALAYER_WAIT = 'Выберите ключ ЭЦП и введите пароль в окне NCALayer…';

/** The bytes of a file of the API — an act's PDF, which is what the act's signature is over. */
async function fileBytes(path) {
  const { blob } = await fetchBytes(path, 'document');
  return new Uint8Array(await blob.arrayBuffer());
}

/** The Russian reasons the API gives with a refused signature (details.problems[].messageRu), if any. */
function problemsRu(details) {
  const problems = details && Array.isArray(details.problems) ? details.problems : [];
  return [...new Set(problems.map((p) => p && p.messageRu).filter(Boolean))].join('; ');
}

/**
 * A failed signing in words a person can act on: NCALayer not running or the person cancelling (the
 * messages of ncaLayerSign, in Russian), or the API refusing the signature (BAD_SIGNATURE,
 * SIGNER_NOT_AUTHORISED, SIGNATURE_REQUIRED) with its reasons; null for anything else.
 */
function signingFailure(error, what = 'документу') {
  if (!error) return null;
  if (/^NCALAYER_/.test(error.code || '')) return error.message;
  if (error.code === 'BAD_SIGNATURE') {
    const why = problemsRu(error.details);
    const text = what === 'документу'
      ? 'Подпись не принята: она не подходит к документу, сделана больше часа назад или сертификат недействителен. Если подпись сделана в другой программе, а поля формы изменились после скачивания документа, скачайте его заново и подпишите.'
      : `Подпись не принята: она не подходит к ${what}, сертификат недействителен или выдан не на БИН/ИИН вашей организации.`;
    return why ? `${text} Причина: ${why}.` : text;
  }
  if (error.code === 'SIGNER_NOT_AUTHORISED') {
    const s = (error.details && error.details.signer) || {};
    const who = s.bin ? ` Подпись сделана ЭЦП другой организации (БИН ${s.bin}).` : s.iin ? ` Подписал ${s.commonName ? `${s.commonName}, ` : ''}ИИН ${s.iin}: доверенность на этого человека не зарегистрирована или не действует.` : '';
    return `Подпись сделана не ЭЦП вашей организации и не представителем по доверенности, зарегистрированной оператором.${who}`;
  }
  if (error.code === 'SIGNATURE_REQUIRED') return SIGNATURE_ERRORS.SIGNATURE_REQUIRED;
  return null;
}

/** The document the API gives at `documentPath` for `body`, signed through NCALayer: the CMS, base64. */
async function signInstruction(documentPath, body) {
  const doc = await api('POST', documentPath, body);
  say('info', NCALAYER_WAIT);
  return ncaLayerSign(doc.documentBase64, { base64: true, purpose: 'sign' });
}

/** A signature file: DER bytes as base64; PEM or base64 text as it is. */
async function readSignatureFile(fileInput, textarea) {
  const file = fileInput.files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes[0] === 0x30) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    textarea.value = btoa(binary);
  } else {
    textarea.value = new TextDecoder().decode(bytes).trim();
  }
}

/* ---- Acts of completed work (6.5, 6.7, 6.8, Прил. 2 п.5) and reconciliation acts (6.6, Прил. 2 п.7): sign or refuse ---- */

/** The time-left cells count down from the API's timeLeftMs, on the page's own monotonic clock. */
function tickDeadlines() {
  for (const cell of document.querySelectorAll('.time-left[data-deadline]')) {
    const ms = Number(cell.dataset.deadline) - performance.now();
    cell.textContent = timeLeft(ms);
    cell.classList.toggle('bad', ms < 0);
  }
}

/** The deadline cell of a document awaiting the client: the time, and the time left counting down. */
function dueCell(d, awaiting) {
  if (!awaiting) return d.dueAt ? `<span class="small">${esc(dueBy(d.dueAt))}</span>` : '—';
  const deadline = d.timeLeftMs !== null ? performance.now() + d.timeLeftMs : null;
  return `${esc(dueBy(d.dueAt))}${deadline === null ? '' : `<div class="small time-left${d.timeLeftMs < 0 ? ' bad' : ''}" data-deadline="${esc(deadline)}">${esc(timeLeft(d.timeLeftMs))}</div>`}`;
}

/** The actions on a document awaiting the client: sign through NCALayer; refuse or sign otherwise (the decision panel). */
const decisionButtons = (d, name) => `<button class="ncalayer sign-ncalayer" data-id="${esc(d.id)}" aria-label="Подписать через NCALayer: ${esc(name)} № ${esc(d.number)}">Подписать через NCALayer</button>`
  + `<button class="secondary choose" data-id="${esc(d.id)}" aria-label="Отказ или другая подпись: ${esc(name)} № ${esc(d.number)}">Отказ или другая подпись</button>`;

/**
 * The signature and refusal of the documents of one list (acts or reconciliation acts) that await the
 * client: each row's «Подписать через NCALayer» signs its PDF's exact bytes; the decision panel below
 * the list refuses with reasons (6.8) or takes a signature made in another program.
 */
function decisions(c) {
  const ids = c.ids;
  let chosen = null;
  const open = (id) => c.list().find((d) => d.id === id && d.status === 'issued');
  function error(text) {
    $(ids.error).textContent = text;
    say('error', text);
  }
  /** Shows the forms for an issued document (none: hidden). */
  function choose(id) {
    const doc = open(id);
    if (!doc || doc.id !== chosen) {
      $(ids.signature).value = '';
      $(ids.reason).value = '';
      $(ids.file).value = '';
      $(ids.error).textContent = '';
    }
    chosen = doc ? doc.id : null;
    $(ids.panel).hidden = !doc;
    if (!doc) return;
    $(ids.number).textContent = doc.number;
    $(ids.due).textContent = `Период ${period(doc.periodFrom, doc.periodTo)}, ${c.amount(doc)}. Ответ нужен до ${dueBy(doc.dueAt)} (время Астаны).`;
  }
  /** After the list is drawn: its buttons wired, the chosen document kept if still open, else the first open one. */
  function wire(body) {
    for (const button of body.querySelectorAll('button.sign-ncalayer')) button.onclick = () => busy(button, () => signNcaLayer(button.dataset.id));
    for (const button of body.querySelectorAll('button.choose')) {
      button.onclick = () => { choose(button.dataset.id); $(ids.panel).scrollIntoView({ block: 'nearest' }); $(ids.reason).focus(); };
    }
    const first = c.list().find((d) => d.status === 'issued');
    choose(open(chosen) ? chosen : first ? first.id : null);
  }
  /** Sends the decision on document `id`; a refusal by the API is said in Russian beside the forms. */
  async function decide(id, path, body, done) {
    $(ids.error).textContent = '';
    let updated;
    try {
      updated = await api('POST', `${c.base}/${encodeURIComponent(id)}/${path}`, body);
    } catch (failure) {
      if (failure.code === 'ACT_NOT_OPEN') await c.reload().catch(() => undefined);
      return error(signingFailure(failure, c.what) || (failure.code === 'ACT_NOT_OPEN' ? `${c.name} уже не ожидает подписи или отказа: он подписан, отклонён или срок ответа истёк.` : failure.message));
    }
    await c.reload();
    say('info', done(updated));
  }
  const signed = (d) => `${c.name} № ${d.number} подписан ЭЦП: ${c.statuses[d.status] || d.status}.`;
  /** The PDF's exact bytes, signed through NCALayer with the key the person chooses, sent to the sign route. */
  async function signNcaLayer(id) {
    const doc = open(id);
    if (!doc) return error(`${c.name} уже не ожидает подписи: обновите страницу.`);
    choose(id);
    let signature;
    try {
      const pdf = await fileBytes(doc.files.pdf);
      say('info', NCALAYER_WAIT);
      signature = await ncaLayerSign(pdf, { purpose: 'sign' });
    } catch (failure) {
      return error(signingFailure(failure, c.what) || failure.message);
    }
    await decide(id, 'sign', { signature }, signed);
  }
  /** A signature made in another program, pasted or read from its file. */
  async function signPasted() {
    if (!open(chosen)) return error(c.pick);
    const signature = $(ids.signature).value.trim();
    if (signature.length < 16) return error(`Вставьте CMS-подпись ${c.what} (base64 или PEM) или выберите файл подписи.`);
    await decide(chosen, 'sign', { signature }, signed);
  }
  async function refuse() {
    if (!open(chosen)) return error(c.pick);
    const reason = $(ids.reason).value.trim();
    if ([...reason].length < 10) return error('Опишите причины отказа — не короче 10 символов.');
    await decide(chosen, 'refuse', { reason }, c.refused);
  }
  $(ids.signNcaLayer).onclick = () => busy($(ids.signNcaLayer), () => signNcaLayer(chosen));
  $(ids.sign).onclick = () => busy($(ids.sign), signPasted);
  $(ids.refuse).onclick = () => busy($(ids.refuse), refuse);
  $(ids.file).onchange = () => readSignatureFile($(ids.file), $(ids.signature)).catch((failure) => error(`Файл подписи не прочитан: ${failure.message}`));
  return { wire };
}

const actDecisions = decisions({
  name: 'Акт',
  what: 'PDF акта',
  pick: 'Выберите акт, ожидающий подписи.',
  base: '/client/v1/acts',
  list: () => acts,
  reload: () => loadActs(),
  statuses: ACT_STATUSES,
  amount: (a) => `сумма ${money(a.totalTiyn)}`,
  refused: (a) => `По акту № ${a.number} направлен мотивированный отказ; детальный отчёт сформирован (п. 6.9).`,
  ids: { panel: 'act-decision', number: 'decision-number', due: 'decision-due', signNcaLayer: 'sign-ncalayer', signature: 'signature', file: 'signature-file', sign: 'sign', reason: 'refuse-reason', refuse: 'refuse', error: 'decision-error' },
});

function actRow(a) {
  const issued = a.status === 'issued';
  const files = [
    fileButton(a.files.pdf, 'Акт (PDF)', `act_${a.number}.pdf`, 'act-pdf'),
    fileButton(a.files.vatInvoice, 'Счёт-фактура (PDF)', `vat_invoice_${a.number}.pdf`, 'vat-pdf'),
    a.files.detailedReport ? fileButton(a.files.detailedReport, 'Детальный отчёт (PDF)', `detailed_report_${a.number}.pdf`, 'report-pdf') : '',
    issued ? decisionButtons(a, 'акт') : '',
  ].join('');
  return `<tr data-id="${esc(a.id)}" class="act-${esc(a.status)}">
    <td class="nowrap">${esc(a.number)}${a.revision > 1 ? `<div class="small">исправленный, редакция ${esc(a.revision)}</div>` : ''}<div class="small">с.-ф. ${esc(a.vatInvoiceNumber)}</div></td>
    <td class="nowrap">${esc(period(a.periodFrom, a.periodTo))}</td>
    <td><span class="status st-${esc(a.status)}">${esc(ACT_STATUSES[a.status] || a.status)}</span>${a.refusalReason ? `<div class="small">Причины отказа: ${esc(a.refusalReason)}</div>` : ''}</td>
    <td class="num">${esc(count(a.codes))}</td>
    <td class="num"><b>${esc(money(a.totalTiyn))}</b><div class="small">без НДС ${esc(money(a.netTiyn))}<br>НДС ${esc(money(a.vatTiyn))}</div></td>
    <td class="nowrap due">${dueCell(a, issued)}</td>
    <td class="files">${files}</td>
  </tr>`;
}

async function loadActs() {
  ({ acts } = await api('GET', '/client/v1/acts'));
  const body = $('acts-list').tBodies[0];
  body.innerHTML = acts.map(actRow).join('') || '<tr class="empty"><td colspan="7">Актов пока нет.</td></tr>';
  wireFiles(body);
  actDecisions.wire(body);
}

/* ---- Reconciliation acts (6.6, Прил. 2 п.7) ---- */

/** The quarter's first and last day. */
function quarterDays(year, q) {
  const from = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
  const last = new Date(Date.UTC(year, q * 3, 0)).getUTCDate();
  return { from, to: `${year}-${String(q * 3).padStart(2, '0')}-${last}` };
}

/** The last four quarters that have ended (a period may not end after today). */
function fillQuarters() {
  const today = localToday();
  const current = Number(today.slice(0, 4)) * 4 + Math.floor((Number(today.slice(5, 7)) - 1) / 3);
  const select = $('recon-quarter');
  select.length = 1;
  for (let i = current - 1; i >= current - 4; i--) {
    const year = Math.floor(i / 4);
    const q = (i % 4) + 1;
    const { from, to } = quarterDays(year, q);
    const option = new Option(`${q} квартал ${year} (${period(from, to)})`, `${year}-Q${q}`);
    option.dataset.from = from;
    option.dataset.to = to;
    select.add(option);
  }
}

function reconRequest() {
  const option = $('recon-quarter').selectedOptions[0];
  if (option && option.value) return { body: { quarter: option.value } };
  const from = $('recon-from').value;
  const to = $('recon-to').value;
  if (!from || !to) return { error: 'Выберите квартал или укажите начало и конец периода.' };
  if (from > to) return { error: 'Начало периода позже его конца.' };
  if (to > localToday()) return { error: 'Период не может заканчиваться позже сегодняшнего дня.' };
  return { body: { from, to } };
}

async function requestReconciliation() {
  const request = reconRequest();
  if (request.error) return say('error', request.error);
  const act = await api('POST', '/client/v1/reconciliation-acts', request.body);
  await loadReconciliations();
  say('info', `Сформирован акт сверки № ${act.number} за ${period(act.periodFrom, act.periodTo)}: сальдо на конец ${money(act.closingTiyn)}.`);
}

const reconDecisions = decisions({
  name: 'Акт сверки',
  what: 'PDF акта сверки',
  pick: 'Выберите акт сверки, ожидающий подписи.',
  base: '/client/v1/reconciliation-acts',
  list: () => recons,
  reload: () => loadReconciliations(),
  statuses: RECON_STATUSES,
  amount: (r) => `сальдо на конец ${money(r.closingTiyn)}`,
  refused: (r) => `По акту сверки № ${r.number} направлен мотивированный отказ.`,
  ids: { panel: 'recon-decision', number: 'recon-decision-number', due: 'recon-decision-due', signNcaLayer: 'recon-sign-ncalayer', signature: 'recon-signature', file: 'recon-signature-file', sign: 'recon-sign', reason: 'recon-refuse-reason', refuse: 'recon-refuse', error: 'recon-decision-error' },
});

async function loadReconciliations() {
  ({ reconciliationActs: recons } = await api('GET', '/client/v1/reconciliation-acts'));
  const body = $('recons').tBodies[0];
  body.innerHTML = recons.map((r) => {
    const issued = r.status === 'issued';
    return `<tr data-id="${esc(r.id)}" class="recon-${esc(r.status)}">
      <td class="nowrap">${esc(r.number)}</td><td class="nowrap">${esc(period(r.periodFrom, r.periodTo))}</td>
      <td class="num">${esc(money(r.openingTiyn))}</td><td class="num">${esc(money(r.paymentsTiyn))}</td><td class="num">${esc(money(r.servicesTiyn))}</td>
      <td class="num">${esc(money(r.correctionsTiyn, { signed: true }))}</td><td class="num">${esc(money(r.refundsTiyn))}</td>
      <td class="num"><b>${esc(money(r.closingTiyn))}</b></td>
      <td><span class="status st-${esc(r.status)}">${esc(RECON_STATUSES[r.status] || r.status)}</span>${r.refusalReason ? `<div class="small">Причины отказа: ${esc(r.refusalReason)}</div>` : ''}<div class="small due">${issued ? `срок ${dueCell(r, true)}` : ''}</div></td>
      <td class="files">${fileButton(r.pdf, 'PDF', `reconciliation_${r.number}.pdf`, 'recon-pdf')}${issued ? decisionButtons(r, 'акт сверки') : ''}</td>
    </tr>`;
  }).join('') || '<tr class="empty"><td colspan="10">Актов сверки пока нет.</td></tr>';
  wireFiles(body);
  reconDecisions.wire(body);
}

/* ---- Orders, downloads and codes (6.10, Прил. 2 п.8): read only ---- */

async function loadOrders() {
  const body = $('orders-list').tBodies[0];
  if (!omsId) return void (body.innerHTML = '<tr class="empty"><td colspan="5">Станция управления заказами не подключена.</td></tr>');
  const { orderInfos } = await api('GET', `/api/v2/shoes/orders?omsId=${encodeURIComponent(omsId)}`, undefined, { clientToken: token });
  body.innerHTML = orderInfos.map((o) => `<tr data-id="${esc(o.orderId)}">
      <td class="ref">${esc(o.orderId)}<div class="small">${esc(when(new Date(o.createdTimestamp).toISOString()))}</div></td>
      <td class="nowrap"><span class="status ${o.orderStatus === 'DECLINED' || o.orderStatus === 'EXPIRED' ? 'bad' : o.orderStatus === 'READY' ? 'ok' : ''}">${esc(ORDER_STATUSES[o.orderStatus] || o.orderStatus)}</span>${o.declineReason ? `<div class="small bad">${esc(o.declineReason)}</div>` : ''}</td>
      <td>${o.buffers.map((b) => `<div>${esc(b.gtin)} <span class="small">· ${esc(count(b.totalCodes))} шт. · ${esc(BUFFER_STATUSES[b.bufferStatus] || b.bufferStatus)} · выгружено ${esc(count(b.totalPassed))}</span></div>`).join('')}</td>
      <td class="num codes">${esc(count(o.emittedCodes))} из ${esc(count(o.totalCodes))}</td>
      <td class="nowrap">${esc(when(o.emissionDeadline))}${o.deadlineMissed ? '<div class="bad missed">срок эмиссии нарушен</div>' : ''}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="5">Заказов пока нет.</td></tr>';
}

async function loadDownloads() {
  const [{ downloads }] = await Promise.all([api('GET', '/client/v1/downloads'), loadOverdue()]);
  const today = localToday();
  const body = $('downloads-list').tBodies[0];
  body.innerHTML = downloads.map((d) => `<tr data-id="${esc(d.blockId)}">
      <td class="nowrap">${esc(when(d.deliveredAt))}</td>
      <td><span class="gtin">${esc(d.gtin)}</span><div class="small ref">заказ ${esc(d.orderId)}</div></td>
      <td class="num">${esc(count(d.quantity))}</td>
      <td class="num">${esc(money(d.amountTiyn))}</td>
      <td class="nowrap apply-by">${d.applyBy ? `${esc(day(d.applyBy))}${d.applyBy < today ? ' <span class="bad">истёк</span>' : ''}` : '—'}</td>
      <td class="files">${[
        fileButton(`${d.files.csv}?gs=raw`, 'CSV (GS-байт)', `codes_${d.blockId}.csv`, 'csv-raw'),
        fileButton(`${d.files.csv}?gs=escape`, 'CSV (GS как текст \\u001d)', `codes_${d.blockId}.csv`, 'csv-escape'),
        fileButton(`${d.files.csv}?gs=human`, 'CSV (читаемый)', `codes_${d.blockId}.csv`, 'csv-human'),
        fileButton(`${d.files.zip}?format=png`, 'ZIP PNG', `datamatrix_${d.blockId}.zip`, 'zip-png'),
        fileButton(d.files.pdf, 'PDF этикетки', `labels_${d.blockId}.pdf`, 'labels-pdf'),
      ].join('')}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="6">Выгрузок пока нет.</td></tr>';
  wireFiles(body);
}

/** Codes past their application deadline and not in circulation, counted page by page (at most OVERDUE_PAGES pages). */
async function loadOverdue() {
  let total = 0;
  let after = 0;
  for (let page = 0; page < OVERDUE_PAGES; page++) {
    const { codes, next } = await api('GET', `/client/v1/codes?overdue=true&limit=1000${after ? `&afterId=${after}` : ''}`);
    total += codes.length;
    if (next === null) {
      $('overdue-codes').textContent = count(total);
      $('overdue-codes').className = total ? 'bad' : 'ok';
      return;
    }
    after = next;
  }
  $('overdue-codes').textContent = `более ${count(total)}`;
  $('overdue-codes').className = 'bad';
}

/* ---- The contract (10.3.2, 3.7), refunds (6.11) and termination (4.1.1, 10.4) ---- */

/** A document link only when it is a web address. */
const documentLink = (url) => /^https?:\/\//i.test(url || '') ? ` · <a href="${esc(url)}" target="_blank" rel="noopener noreferrer">текст редакции</a>` : '';

async function loadContract() {
  const c = await api('GET', '/client/v1/contract');
  const v = c.inForce;
  $('contract-in-force').innerHTML = `редакция <b class="version">${esc(v.version)}</b> «${esc(v.title)}», действует с ${esc(dayOf(v.effectiveAt))}${documentLink(v.documentUrl)}`;
  $('contract-effective-from').textContent = day(c.effectiveFrom);
  const a = c.unusedAdvance;
  $('advance-return-by').innerHTML = !a ? 'нет'
    : a.returnedIfUnusedBy ? `внесён ${esc(day(a.paidOn))}; если до <b class="return-by">${esc(day(a.returnedIfUnusedBy))}</b> не выгрузить коды, аванс будет возвращён, а Договор прекратит действие`
    : `внесён ${esc(day(a.paidOn))}; дата возврата будет определена, когда оператор утвердит производственный календарь`;
  $('contract-upcoming').tBodies[0].innerHTML = c.upcoming.map((u) => `<tr data-id="${esc(u.id)}">
      <td class="nowrap"><b>${esc(u.version)}</b></td>
      <td class="nowrap effective">${esc(dayOf(u.effectiveAt))}</td>
      <td>${esc(u.title)}<div class="small">${esc(u.summary)}${documentLink(u.documentUrl)}</div></td>
      <td>${esc(VERSION_REASONS[u.reason] || u.reason)}</td>
      <td class="nowrap">${esc(dayOf(u.publishedAt))}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="5">Изменений не объявлено.</td></tr>';
  const t = c.termination;
  $('termination').innerHTML = !t ? '<p class="small">Расторжение Договора не планируется.</p>' : `<dl class="under-way" data-id="${esc(t.id)}">
      <dt>Дата расторжения</dt><dd class="big date">${esc(day(t.terminationDate))}</dd>
      <dt>Инициатор</dt><dd class="initiator">${esc(INITIATORS[t.initiator] || t.initiator)}</dd>
      <dt>Основание</dt><dd class="basis">${esc(TERMINATION_BASES[t.basis] || t.basis)}</dd>
      <dt>Статус</dt><dd class="status">${esc(TERMINATION_STATUSES[t.status] || t.status)}</dd>
      <dt>Уведомление направлено</dt><dd>${esc(when(t.notifiedAt))}</dd>
      <dt>Причины</dt><dd>${esc(t.grounds)}</dd>
    </dl>`;
  $('termination-form').hidden = Boolean(t);
}

function refundDecision(r) {
  if (r.status === 'paid') {
    const cost = r.bankFeeTiyn || 0;
    const fees = r.clientBankFeesTiyn || 0;
    return `${esc(when(r.decidedAt))}<div class="small">списано ${esc(money(r.paidTiyn))}${cost ? `, расходы Оператора на банковские услуги (п. 3.7) ${esc(money(cost))}` : ''}${fees ? `, ваши банковские комиссии (п. 4.1.2) ${esc(money(fees))}` : ''}, перечислено ${esc(money(r.paidTiyn - cost + fees))}${r.iik ? ` на ${esc(r.iik)}` : ''}</div>`;
  }
  if (r.status === 'refused') return `${esc(when(r.decidedAt))}${r.decisionReason ? `<div class="small">${esc(r.decisionReason)}</div>` : ''}`;
  return '—';
}

async function loadRefunds() {
  const { refunds } = await api('GET', '/client/v1/refunds');
  const body = $('refunds').tBodies[0];
  body.innerHTML = refunds.map((r) => `<tr data-id="${esc(r.id)}">
      <td class="nowrap">${esc(when(r.requestedAt))}</td>
      <td>${esc(REFUND_KINDS[r.kind] || r.kind)}</td>
      <td class="num">${r.amountRequestedTiyn === null ? 'весь остаток' : esc(money(r.amountRequestedTiyn))}</td>
      <td class="status ${r.status === 'paid' ? 'ok' : r.status === 'refused' ? 'bad' : ''}">${esc(REFUND_STATUSES[r.status] || r.status)}${r.overdue && r.status === 'pending' ? '<div class="bad">срок ответа истёк</div>' : ''}</td>
      <td class="nowrap due">${r.status === 'pending' && !r.dueAt ? '<span class="small">рассчитывается…</span>' : esc(dueBy(r.dueAt))}</td>
      <td>${refundDecision(r)}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="6">Заявлений на возврат нет.</td></tr>';
  // The due date is recorded by the refund's workflow just after the request: asked again shortly.
  pollSoon('refunds', refunds.some((r) => r.status === 'pending' && !r.dueAt), loadRefunds);
}

const REFUND_ERRORS = {
  NOTHING_TO_REFUND: 'На лицевом счёте нет неиспользованных денег.',
  REFUND_PENDING: 'Предыдущее заявление на возврат ещё рассматривается — дождитесь ответа.',
  AMOUNT_EXCEEDS_BALANCE: 'Сумма больше неиспользованного остатка',
  CONTRACT_ENDED: 'Договор прекратил действие.',
};

/** The API's refusal of an instruction sent without a signature (issue 16). */
const SIGNATURE_ERRORS = {
  SIGNATURE_REQUIRED: 'Документ нужно подписать ЭЦП: нажмите «Подписать через NCALayer» — или, если подпись сделана в другой программе, скачайте «Документ для подписи», подпишите его и вставьте подпись в поле «Подпись ЭЦП».',
};

/** The exact bytes the API gives to sign ({ documentBase64, sha256 }), saved as a file; its SHA-256 is shown in `info`. */
function saveDocument(doc, name, info) {
  const bytes = Uint8Array.from(atob(doc.documentBase64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: 'application/json' }), name);
  $(info).textContent = `Документ скачан (SHA-256 ${doc.sha256}). Подпишите этот файл без изменений.`;
}

/** The refund request the form holds: { amountTiyn?, note? }, or null when the amount is not one (said). */
function refundRequestBody() {
  const amountText = $('refund-amount').value.trim();
  const amountTiyn = amountText ? parseTenge(amountText) : undefined;
  if (amountText && !amountTiyn) {
    say('error', 'Сумма — в тенге, не больше двух знаков после запятой, например 50 000,00; пусто — весь остаток.');
    return null;
  }
  const note = $('refund-note').value.trim();
  return { ...(amountTiyn ? { amountTiyn } : {}), ...(note ? { note } : {}) };
}

/** A refusal of the refund request (or of its signing), said in Russian; others are thrown. */
function refundRefused(error) {
  const text = REFUND_ERRORS[error.code] || signingFailure(error);
  if (!text) throw error;
  const available = error.details && error.details.availableTiyn;
  say('error', error.code === 'AMOUNT_EXCEEDS_BALANCE' ? `${text}: доступно ${money(available)}.` : text);
}

/** 6.11: the document of the refund request to sign with the EDS in another program (issue 16). */
async function refundDocument() {
  const body = refundRequestBody();
  if (!body) return;
  let doc;
  try {
    doc = await api('POST', '/client/v1/refunds/document', body);
  } catch (error) {
    return refundRefused(error);
  }
  saveDocument(doc, 'Заявление на возврат — документ для подписи.json', 'refund-document-info');
}

/** Sends the refund request with `signature`, or — without one — signed first through NCALayer. */
async function requestRefund(signature) {
  const body = refundRequestBody();
  if (!body) return;
  let refund;
  try {
    const signed = signature === undefined ? await signInstruction('/client/v1/refunds/document', body) : signature;
    refund = await api('POST', '/client/v1/refunds', { ...body, ...(signed ? { signature: signed } : {}) });
  } catch (error) {
    return refundRefused(error);
  }
  $('refund-amount').value = '';
  $('refund-note').value = '';
  $('refund-signature').value = '';
  $('refund-document-info').textContent = '';
  await loadRefunds();
  say('info', `Заявление на возврат ${refund.amountRequestedTiyn === null ? 'всего неиспользованного остатка' : money(refund.amountRequestedTiyn)} принято; ответ — в течение 15 календарных дней (п. 6.11).`);
}

/** Offers the earliest date the notice period allows (10.4.4), with a button that picks it. */
function offerEarliest(earliest) {
  $('termination-error').innerHTML = `Уведомление направляется не менее чем за 30 рабочих дней (п. 10.4.4): Договор может быть расторгнут не ранее <b class="earliest">${esc(day(earliest))}</b>. <button id="use-earliest" class="secondary" data-date="${esc(earliest)}">Выбрать ${esc(day(earliest))}</button>`;
  $('use-earliest').onclick = () => { $('termination-date').value = $('use-earliest').dataset.date; $('termination-error').textContent = ''; };
}

const TERMINATION_ERRORS = {
  TERMINATION_DATE_PAST: 'Дата расторжения уже прошла.',
  TERMINATION_PENDING: 'Расторжение Договора уже запланировано.',
  CONTRACT_ENDED: 'Договор прекратил действие.',
};

/** The notice the form holds: { basis, grounds, terminationDate, evidence? }, or null when incomplete (said). */
function noticeBody() {
  $('termination-error').textContent = '';
  const basis = $('termination-basis').value;
  const terminationDate = $('termination-date').value;
  const grounds = $('termination-grounds').value.trim();
  const evidence = $('termination-evidence').value.trim();
  const stop = (text) => { $('termination-error').textContent = text; say('error', text); return null; };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(terminationDate)) return stop('Укажите дату расторжения.');
  if ([...grounds].length < 10) return stop('Опишите причины расторжения — не короче 10 символов.');
  return { basis, grounds, terminationDate, ...(evidence ? { evidence } : {}) };
}

/** A refusal of the notice (or of its signing), shown beside the form; others are thrown. */
function noticeRefused(error) {
  if (error.code === 'NOTICE_PERIOD_TOO_SHORT' && error.details && error.details.earliestDate) {
    offerEarliest(error.details.earliestDate);
    return say('error', `Слишком ранняя дата: Договор может быть расторгнут не ранее ${day(error.details.earliestDate)}.`);
  }
  const text = TERMINATION_ERRORS[error.code] || signingFailure(error);
  if (text) {
    $('termination-error').textContent = text;
    return say('error', text);
  }
  $('termination-error').textContent = error.message;
  throw error;
}

/** 4.1.1, 10.4: the document of the notice to sign with the EDS in another program (issue 16). */
async function noticeDocument() {
  const body = noticeBody();
  if (!body) return;
  let doc;
  try {
    doc = await api('POST', '/client/v1/termination/document', body);
  } catch (error) {
    return noticeRefused(error);
  }
  saveDocument(doc, 'Уведомление о расторжении — документ для подписи.json', 'termination-document-info');
}

/** Gives the notice with `signature`, or — without one — signed first through NCALayer; confirmed first. */
async function giveNotice(signature) {
  const body = noticeBody();
  if (!body) return;
  if (!confirm(`Направить уведомление о расторжении Договора с ${day(body.terminationDate)}? С этой даты доступ к услугам прекратится.`)) return;
  let termination;
  try {
    const signed = signature === undefined ? await signInstruction('/client/v1/termination/document', body) : signature;
    termination = await api('POST', '/client/v1/termination', { ...body, ...(signed ? { signature: signed } : {}) });
  } catch (error) {
    return noticeRefused(error);
  }
  $('termination-grounds').value = '';
  $('termination-evidence').value = '';
  $('termination-signature').value = '';
  $('termination-document-info').textContent = '';
  await loadContract();
  say('info', `Уведомление о расторжении Договора с ${day(termination.terminationDate)} направлено; подтверждение придёт на e-mail.`);
}

/* ---- The client's details of record (Прил. 1) and their changes (10.2.2) ---- */

const DETAIL_LABELS = {
  companyName: 'Наименование', signerName: 'Подписант', signerPosition: 'Должность подписанта', authorityBasis: 'Основание полномочий',
  legalAddress: 'Юридический адрес', actualAddress: 'Фактический адрес', iik: 'ИИК', bik: 'БИК', bankName: 'Банк', kbe: 'КБе', phone: 'Телефон', email: 'E-mail',
};
/** The details the form changes — the bank details and the e-mail of record, which only a signed document changes — and their inputs. */
const SIGNED_DETAILS = [['iik', 'details-iik'], ['bik', 'details-bik'], ['bankName', 'details-bank-name'], ['kbe', 'details-kbe'], ['email', 'details-email']];
const DETAIL_PROBLEMS = {
  iik: 'ИИК — казахстанский IBAN: KZ, 2 контрольные цифры и 16 символов (например, KZ86125KZT5004100100).',
  bik: 'БИК — SWIFT-код банка Казахстана из 8 или 11 символов (например, HSBKKZKX).',
  kbe: 'КБе — две цифры: резидентство (1 или 2) и сектор экономики (1–9).',
  bankName: 'Укажите наименование банка.',
  email: 'E-mail указан неверно.',
  occurredOn: 'Дата изменения не может быть позже сегодняшнего дня.',
};
const SIGNATURE_BASES = { client_eds: 'ЭЦП организации', power_of_attorney: 'ЭЦП представителя по доверенности' };
let profile = null;

/** A detail as the API keeps it (IIK without spaces and BIK upper-case, e-mail lower-case), to tell what the form changed. */
function keptAs(key, value) {
  const v = String(value ?? '').trim();
  if (key === 'iik') return v.toUpperCase().replace(/\s/g, '');
  if (key === 'bik') return v.toUpperCase();
  if (key === 'email') return v.toLowerCase();
  return v;
}

async function loadProfile() {
  profile = await api('GET', '/client/v1/profile');
  const d = profile.details || {};
  const show = (id, value) => { $(id).textContent = value || '—'; };
  show('profile-company', d.companyName);
  show('profile-bin', profile.binIin);
  show('profile-signer', [d.signerName, d.signerPosition].filter(Boolean).join(', '));
  show('profile-legal-address', d.legalAddress);
  show('profile-iik', d.iik);
  show('profile-bik', d.bik);
  show('profile-bank', d.bankName);
  show('profile-kbe', d.kbe);
  show('profile-email', d.email);
  show('profile-phone', d.phone);
  $('details-form').hidden = !profile.details;
  $('details-error').textContent = profile.details ? '' : 'Реквизиты из заявления о присоединении не заполнены (клиент зарегистрирован оператором): для их изменения обратитесь к оператору.';
}

/** The form shows the details of record again. */
function resetDetailsForm() {
  const d = (profile && profile.details) || {};
  for (const [key, id] of SIGNED_DETAILS) $(id).value = d[key] || '';
  $('details-occurred-on').value = '';
  $('details-signature').value = '';
  $('details-document-info').textContent = '';
}

/** The change the form holds: { details: the changed fields, occurredOn? }, or null (said). */
function detailsChange() {
  $('details-error').textContent = '';
  const stop = (text) => { $('details-error').textContent = text; say('error', text); return null; };
  if (!profile || !profile.details) return stop('Реквизиты не заполнены: для их изменения обратитесь к оператору.');
  const details = {};
  for (const [key, id] of SIGNED_DETAILS) {
    const value = $(id).value.trim();
    if (keptAs(key, value) === keptAs(key, profile.details[key])) continue;
    if (!value) return stop(`Поле «${DETAIL_LABELS[key]}» нельзя оставить пустым.`);
    details[key] = value;
  }
  if (!Object.keys(details).length) return stop('Реквизиты не изменились: измените ИИК, БИК, банк, КБе или e-mail.');
  const occurredOn = $('details-occurred-on').value;
  if (occurredOn && occurredOn > localToday()) return stop(DETAIL_PROBLEMS.occurredOn);
  return { details, ...(occurredOn ? { occurredOn } : {}) };
}

/** A refusal of the change (or of its signing), shown beside the form; others are thrown. */
function detailsRefused(error) {
  let text = signingFailure(error);
  if (!text && error.code === 'VALIDATION_FAILED') {
    const paths = (Array.isArray(error.details) ? error.details : []).map((p) => String(p.path || p.instancePath || ''));
    const fields = Object.keys(DETAIL_PROBLEMS).filter((key) => paths.some((path) => path.endsWith(`/${key}`)));
    text = fields.length ? `Проверьте реквизиты: ${fields.map((key) => DETAIL_PROBLEMS[key]).join(' ')}` : `Проверьте реквизиты: ${error.message}`;
  }
  if (!text && error.code === 'NO_DETAILS') text = 'Реквизиты из заявления о присоединении не заполнены: для их изменения обратитесь к оператору.';
  if (!text) {
    $('details-error').textContent = error.message;
    throw error;
  }
  $('details-error').textContent = text;
  say('error', text);
}

/** 10.2.2: the document of the change to sign with the EDS in another program. */
async function detailsDocument() {
  const change = detailsChange();
  if (!change) return;
  let doc;
  try {
    doc = await api('POST', '/client/v1/profile/document', change);
  } catch (error) {
    return detailsRefused(error);
  }
  saveDocument(doc, 'Изменение реквизитов — документ для подписи.json', 'details-document-info');
}

/** Changes the details with `signature`, or — without one — signed first through NCALayer. */
async function saveDetails(signature) {
  const change = detailsChange();
  if (!change) return;
  try {
    const signed = signature === undefined ? await signInstruction('/client/v1/profile/document', change) : signature;
    profile = await api('PATCH', '/client/v1/profile', { ...change, ...(signed ? { signature: signed } : {}) });
  } catch (error) {
    return detailsRefused(error);
  }
  await loadProfile();
  resetDetailsForm();
  await loadDetailsHistory();
  say('info', `Реквизиты изменены (${Object.keys(change.details).map((key) => DETAIL_LABELS[key]).join(', ')}); изменение подписано ЭЦП и сохранено в истории.`);
}

/** Who signed a change, as the history shows it. */
function signedBy(s) {
  if (!s) return '<span class="small">без подписи</span>';
  const who = [s.signer.commonName, s.signer.iin && `ИИН ${s.signer.iin}`, s.signer.bin && `БИН ${s.signer.bin}`].filter(Boolean).join(', ');
  return `<span class="signer">${esc(who || '—')}</span><div class="small">${esc(SIGNATURE_BASES[s.basis] || s.basis)}${s.signedAt ? ` · ${esc(when(s.signedAt))}` : ''}</div>`;
}

async function loadDetailsHistory() {
  const { detailChanges } = await api('GET', '/client/v1/profile/history');
  $('details-history').tBodies[0].innerHTML = detailChanges.map((c) => {
    const before = c.before || {};
    const after = c.after || {};
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => before[key] !== after[key]);
    return `<tr data-id="${esc(c.id)}">
      <td class="nowrap">${esc(when(c.changedAt))}</td>
      <td class="nowrap">${esc(day(c.occurredOn))}${c.reportedLate ? '<div class="small bad">сообщено позже 5 рабочих дней</div>' : ''}</td>
      <td class="changed">${changed.map((key) => `<div>${esc(DETAIL_LABELS[key] || key)}: <span class="small">${esc(before[key] || '—')}</span> → ${esc(after[key] || '—')}</div>`).join('') || '—'}</td>
      <td class="signed-by">${signedBy(c.signed)}</td>
    </tr>`;
  }).join('') || '<tr class="empty"><td colspan="4">Изменений не было.</td></tr>';
}

$('refresh').onclick = () => busy($('refresh'), async () => {
  await Promise.all([loadAccount(), loadNotices(), loadActs(), loadReconciliations(), loadOrders(), loadDownloads(), loadContract(), loadRefunds(), loadProfile(), loadDetailsHistory()]);
  say('info', 'Данные обновлены.');
});
$('apply').onclick = () => busy($('apply'), () => loadStatement());
$('page-size').onchange = () => busy($('apply'), () => loadStatement());
$('more').onclick = () => busy($('more'), () => loadStatement(true));
$('export').onclick = () => busy($('export'), exportCsv);
$('request-invoice').onclick = () => busy($('request-invoice'), requestInvoice);
$('invoice-codes').oninput = preview;
$('invoice-amount').oninput = preview;
$('recon-quarter').onchange = () => {
  const option = $('recon-quarter').selectedOptions[0];
  if (option && option.value) { $('recon-from').value = option.dataset.from; $('recon-to').value = option.dataset.to; }
};
$('recon-from').oninput = $('recon-to').oninput = () => { $('recon-quarter').value = ''; };
$('request-recon').onclick = () => busy($('request-recon'), requestReconciliation);
$('refund-ncalayer').onclick = () => busy($('refund-ncalayer'), () => requestRefund());
$('refund-document').onclick = () => busy($('refund-document'), refundDocument);
$('request-refund').onclick = () => busy($('request-refund'), () => requestRefund($('refund-signature').value.trim()));
$('termination-ncalayer').onclick = () => busy($('termination-ncalayer'), () => giveNotice());
$('termination-document').onclick = () => busy($('termination-document'), noticeDocument);
$('give-notice').onclick = () => busy($('give-notice'), () => giveNotice($('termination-signature').value.trim()));
$('details-ncalayer').onclick = () => busy($('details-ncalayer'), () => saveDetails());
$('details-document').onclick = () => busy($('details-document'), detailsDocument);
$('details-save').onclick = () => busy($('details-save'), () => saveDetails($('details-signature').value.trim()));
$('details-occurred-on').max = localToday();
$('termination-date').min = localToday();
fillQuarters();
setInterval(tickDeadlines, 30_000);
wireSignIn(TOKEN_KEY, signIn);
