'use strict';
const TOKEN_KEY = 'ismet-client-token';
const REFERENCES = { payment: 'платёж', order: 'заказ', download: 'выгрузка', refund: 'возврат', defect_act: 'акт о браке', claim: 'претензия' };
const NOTICE_STATUSES = { queued: 'ожидает отправки', sent: 'отправлено', failed: 'не доставлено' };
const ANSWER_STATUSES = { awaiting: 'ожидается', answered: 'дан', overdue: 'срок истёк' };
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
/** The issued act the signature and refusal forms are for. */
let decisionId = null;
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
    const results = await Promise.allSettled([loadAccount(), loadStatement(), loadInvoices(), loadNotices(), loadActs(), loadReconciliations(), loadOrders(), loadDownloads(), loadContract(), loadRefunds()]);
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

function statementRow(l) {
  const ref = l.reference ? `${REFERENCES[l.reference.type] || l.reference.type} ${l.reference.id}` : '—';
  return `<tr data-id="${esc(l.transactionId)}">
    <td class="nowrap">${esc(when(l.at))}</td>
    <td>${esc(l.name)}<div class="small">п. ${esc(l.clause)}${l.memo ? ` · ${esc(l.memo)}` : ''}</div></td>
    <td class="ref small">${esc(ref)}</td>
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
      <td><button class="secondary pdf" data-url="${esc(i.pdfUrl)}" data-number="${esc(i.number)}">PDF</button></td>
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
      <td>${n.answer ? `${esc(ANSWER_STATUSES[n.answer.status] || n.answer.status)}${n.answer.dueAt ? ` · срок ${esc(when(n.answer.dueAt))}` : ''}` : 'не требуется'}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="4">Уведомлений нет.</td></tr>';
}

/* ---- Acts of completed work (6.5, 6.7, 6.8, Прил. 2 п.5) ---- */

/** The time-left cells count down from the API's timeLeftMs, on the page's own monotonic clock. */
function tickDeadlines() {
  for (const cell of document.querySelectorAll('.time-left[data-deadline]')) {
    const ms = Number(cell.dataset.deadline) - performance.now();
    cell.textContent = timeLeft(ms);
    cell.classList.toggle('bad', ms < 0);
  }
}

function actRow(a) {
  const issued = a.status === 'issued';
  const deadline = issued && a.timeLeftMs !== null ? performance.now() + a.timeLeftMs : null;
  const files = [
    fileButton(a.files.pdf, 'Акт (PDF)', `act_${a.number}.pdf`, 'act-pdf'),
    fileButton(a.files.vatInvoice, 'Счёт-фактура (PDF)', `vat_invoice_${a.number}.pdf`, 'vat-pdf'),
    a.files.detailedReport ? fileButton(a.files.detailedReport, 'Детальный отчёт (PDF)', `detailed_report_${a.number}.pdf`, 'report-pdf') : '',
    issued ? `<button class="choose" data-id="${esc(a.id)}">Подписать или отказать</button>` : '',
  ].join('');
  return `<tr data-id="${esc(a.id)}" class="act-${esc(a.status)}">
    <td class="nowrap">${esc(a.number)}${a.revision > 1 ? `<div class="small">исправленный, редакция ${esc(a.revision)}</div>` : ''}<div class="small">с.-ф. ${esc(a.vatInvoiceNumber)}</div></td>
    <td class="nowrap">${esc(period(a.periodFrom, a.periodTo))}</td>
    <td><span class="status st-${esc(a.status)}">${esc(ACT_STATUSES[a.status] || a.status)}</span>${a.refusalReason ? `<div class="small">Причины отказа: ${esc(a.refusalReason)}</div>` : ''}</td>
    <td class="num">${esc(count(a.codes))}</td>
    <td class="num"><b>${esc(money(a.totalTiyn))}</b><div class="small">без НДС ${esc(money(a.netTiyn))}<br>НДС ${esc(money(a.vatTiyn))}</div></td>
    <td class="nowrap due">${issued ? `${esc(when(a.dueAt))}${deadline === null ? '' : `<div class="small time-left${a.timeLeftMs < 0 ? ' bad' : ''}" data-deadline="${esc(deadline)}">${esc(timeLeft(a.timeLeftMs))}</div>`}` : `<span class="small">${esc(when(a.dueAt))}</span>`}</td>
    <td class="files">${files}</td>
  </tr>`;
}

async function loadActs() {
  ({ acts } = await api('GET', '/client/v1/acts'));
  const body = $('acts-list').tBodies[0];
  body.innerHTML = acts.map(actRow).join('') || '<tr class="empty"><td colspan="7">Актов пока нет.</td></tr>';
  wireFiles(body);
  for (const button of body.querySelectorAll('button.choose')) {
    button.onclick = () => { chooseAct(button.dataset.id); $('act-decision').scrollIntoView({ block: 'nearest' }); };
  }
  const open = acts.filter((a) => a.status === 'issued');
  chooseAct(open.some((a) => a.id === decisionId) ? decisionId : open[0]?.id ?? null);
}

/** Shows the signature and refusal forms for an issued act (none: hidden). */
function chooseAct(id) {
  const act = acts.find((a) => a.id === id && a.status === 'issued');
  if (!act || act.id !== decisionId) {
    $('signature').value = '';
    $('refuse-reason').value = '';
    $('signature-file').value = '';
    $('decision-error').textContent = '';
  }
  decisionId = act ? act.id : null;
  $('act-decision').hidden = !act;
  if (!act) return;
  $('decision-number').textContent = act.number;
  $('decision-due').textContent = `Период ${period(act.periodFrom, act.periodTo)}, сумма ${money(act.totalTiyn)}. Ответ нужен до ${when(act.dueAt)} (время Алматы).`;
}

/** Runs a decision on the chosen act; a refusal by the API is shown beside the forms too. */
async function decide(path, body, done) {
  $('decision-error').textContent = '';
  const act = acts.find((a) => a.id === decisionId);
  if (!act) throw new Error('Выберите акт, ожидающий подписи.');
  let updated;
  try {
    updated = await api('POST', `/client/v1/acts/${encodeURIComponent(act.id)}/${path}`, body);
  } catch (error) {
    $('decision-error').textContent = error.message;
    throw error;
  }
  await loadActs();
  say('info', done(updated));
}

function decisionError(text) {
  $('decision-error').textContent = text;
  say('error', text);
}

async function signAct() {
  const signature = $('signature').value.trim();
  if (signature.length < 16) return decisionError('Вставьте CMS-подпись PDF акта (base64 или PEM) или выберите файл подписи.');
  await decide('sign', { signature }, (a) => `Акт № ${a.number} подписан ЭЦП: ${ACT_STATUSES[a.status] || a.status}.`);
}

async function refuseAct() {
  const reason = $('refuse-reason').value.trim();
  if ([...reason].length < 10) return decisionError('Опишите причины отказа — не короче 10 символов.');
  await decide('refuse', { reason }, (a) => `По акту № ${a.number} направлен мотивированный отказ; детальный отчёт сформирован (п. 6.9).`);
}

/** A signature file: DER bytes as base64; PEM or base64 text as it is. */
async function readSignatureFile() {
  const file = $('signature-file').files[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes[0] === 0x30) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    $('signature').value = btoa(binary);
  } else {
    $('signature').value = new TextDecoder().decode(bytes).trim();
  }
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

async function loadReconciliations() {
  const { reconciliationActs } = await api('GET', '/client/v1/reconciliation-acts');
  const body = $('recons').tBodies[0];
  body.innerHTML = reconciliationActs.map((r) => `<tr data-id="${esc(r.id)}">
      <td class="nowrap">${esc(r.number)}</td><td class="nowrap">${esc(period(r.periodFrom, r.periodTo))}</td>
      <td class="num">${esc(money(r.openingTiyn))}</td><td class="num">${esc(money(r.paymentsTiyn))}</td><td class="num">${esc(money(r.servicesTiyn))}</td>
      <td class="num">${esc(money(r.correctionsTiyn, { signed: true }))}</td><td class="num">${esc(money(r.refundsTiyn))}</td>
      <td class="num"><b>${esc(money(r.closingTiyn))}</b></td>
      <td class="files">${fileButton(r.pdf, 'PDF', `reconciliation_${r.number}.pdf`, 'recon-pdf')}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="9">Актов сверки пока нет.</td></tr>';
  wireFiles(body);
}

/* ---- Orders, downloads and codes (6.10, Прил. 2 п.8): read only ---- */

async function loadOrders() {
  const body = $('orders-list').tBodies[0];
  if (!omsId) return void (body.innerHTML = '<tr class="empty"><td colspan="5">Станция управления заказами не подключена.</td></tr>');
  const { orderInfos } = await api('GET', `/api/v2/shoes/orders?omsId=${encodeURIComponent(omsId)}`, undefined, { clientToken: token });
  body.innerHTML = orderInfos.map((o) => `<tr data-id="${esc(o.orderId)}">
      <td class="ref">${esc(o.orderId)}<div class="small">${esc(when(new Date(o.createdTimestamp).toISOString()))}</div></td>
      <td class="nowrap"><span class="status ${o.orderStatus === 'DECLINED' || o.orderStatus === 'EXPIRED' ? 'bad' : o.orderStatus === 'READY' ? 'ok' : ''}">${esc(ORDER_STATUSES[o.orderStatus] || o.orderStatus)}</span> <span class="small">${esc(o.orderStatus)}</span>${o.declineReason ? `<div class="small bad">${esc(o.declineReason)}</div>` : ''}</td>
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
        fileButton(`${d.files.csv}?gs=escape`, 'CSV (\\u001d)', `codes_${d.blockId}.csv`, 'csv-escape'),
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

/** The API's refusals of a signed instruction (issue 16): no signature, one that does not fit, a signer without authority. */
const SIGNATURE_ERRORS = {
  SIGNATURE_REQUIRED: 'Документ нужно подписать ЭЦП: нажмите «Документ для подписи», подпишите скачанный файл своим средством ЭЦП (CMS-подпись) и вставьте подпись в поле «Подпись ЭЦП».',
  BAD_SIGNATURE: 'Подпись не принята: она не подходит к документу, сделана больше часа назад или сертификат недействителен. Если поля формы изменились после скачивания документа, скачайте его заново и подпишите.',
  SIGNER_NOT_AUTHORISED: 'Подпись сделана не ЭЦП вашей организации и не представителем по доверенности, зарегистрированной оператором.',
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

/** A refusal of the refund request, said in Russian; others are thrown. */
function refundRefused(error) {
  const text = REFUND_ERRORS[error.code] || SIGNATURE_ERRORS[error.code];
  if (!text) throw error;
  const available = error.details && error.details.availableTiyn;
  say('error', error.code === 'AMOUNT_EXCEEDS_BALANCE' ? `${text}: доступно ${money(available)}.` : text);
}

/** 6.11: the document of the refund request to sign with the EDS (issue 16). */
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

async function requestRefund() {
  const body = refundRequestBody();
  if (!body) return;
  const signature = $('refund-signature').value.trim();
  let refund;
  try {
    refund = await api('POST', '/client/v1/refunds', { ...body, ...(signature ? { signature } : {}) });
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

/** A refusal of the notice, shown beside the form; others are thrown. */
function noticeRefused(error) {
  if (error.code === 'NOTICE_PERIOD_TOO_SHORT' && error.details && error.details.earliestDate) {
    offerEarliest(error.details.earliestDate);
    return say('error', `Слишком ранняя дата: Договор может быть расторгнут не ранее ${day(error.details.earliestDate)}.`);
  }
  const text = TERMINATION_ERRORS[error.code] || SIGNATURE_ERRORS[error.code];
  if (text) {
    $('termination-error').textContent = text;
    return say('error', text);
  }
  $('termination-error').textContent = error.message;
  throw error;
}

/** 4.1.1, 10.4: the document of the notice to sign with the EDS (issue 16). */
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

async function giveNotice() {
  const body = noticeBody();
  if (!body) return;
  if (!confirm(`Направить уведомление о расторжении Договора с ${day(body.terminationDate)}? С этой даты доступ к услугам прекратится.`)) return;
  const signature = $('termination-signature').value.trim();
  let termination;
  try {
    termination = await api('POST', '/client/v1/termination', { ...body, ...(signature ? { signature } : {}) });
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

$('refresh').onclick = () => busy($('refresh'), async () => { await Promise.all([loadAccount(), loadNotices(), loadActs(), loadOrders(), loadDownloads(), loadContract(), loadRefunds()]); say('info', 'Данные обновлены.'); });
$('apply').onclick = () => busy($('apply'), () => loadStatement());
$('page-size').onchange = () => busy($('apply'), () => loadStatement());
$('more').onclick = () => busy($('more'), () => loadStatement(true));
$('export').onclick = () => busy($('export'), exportCsv);
$('request-invoice').onclick = () => busy($('request-invoice'), requestInvoice);
$('invoice-codes').oninput = preview;
$('invoice-amount').oninput = preview;
$('sign').onclick = () => busy($('sign'), signAct);
$('refuse').onclick = () => busy($('refuse'), refuseAct);
$('signature-file').onchange = () => readSignatureFile().catch((error) => decisionError(`Файл подписи не прочитан: ${error.message}`));
$('recon-quarter').onchange = () => {
  const option = $('recon-quarter').selectedOptions[0];
  if (option && option.value) { $('recon-from').value = option.dataset.from; $('recon-to').value = option.dataset.to; }
};
$('recon-from').oninput = $('recon-to').oninput = () => { $('recon-quarter').value = ''; };
$('request-recon').onclick = () => busy($('request-recon'), requestReconciliation);
$('refund-document').onclick = () => busy($('refund-document'), refundDocument);
$('request-refund').onclick = () => busy($('request-refund'), requestRefund);
$('termination-document').onclick = () => busy($('termination-document'), noticeDocument);
$('give-notice').onclick = () => busy($('give-notice'), giveNotice);
$('termination-date').min = localToday();
fillQuarters();
setInterval(tickDeadlines, 30_000);
wireSignIn(TOKEN_KEY, signIn);
