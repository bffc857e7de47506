'use strict';
const TOKEN_KEY = 'ismet-client-token';
// The names of the API's values: each a key of the page's catalogue (shown by nameIn).
const REFERENCES = {
  payment: 'cabinet.statement.reference.payment', order: 'cabinet.statement.reference.order', download: 'cabinet.statement.reference.download',
  refund: 'cabinet.statement.reference.refund', defect_act: 'cabinet.statement.reference.defectAct', claim: 'cabinet.statement.reference.claim',
};
const NOTICE_STATUSES = { queued: 'cabinet.notices.status.queued', sent: 'cabinet.notices.status.sent', failed: 'cabinet.notices.status.failed' };
const ANSWER_STATUSES = { awaiting: 'cabinet.notices.answerStatus.awaiting', answered: 'cabinet.notices.answerStatus.answered', overdue: 'cabinet.notices.answerStatus.overdue' };
const RECON_STATUSES = {
  unsigned: 'cabinet.recons.status.unsigned', issued: 'cabinet.recons.status.issued', signed: 'cabinet.recons.status.signed',
  refused: 'cabinet.recons.status.refused', auto_accepted: 'cabinet.recons.status.autoAccepted',
};
const ACT_STATUSES = {
  issued: 'cabinet.acts.status.issued', signed: 'cabinet.acts.status.signed', disputed: 'cabinet.acts.status.disputed',
  auto_accepted: 'cabinet.acts.status.autoAccepted', confirmed: 'cabinet.acts.status.confirmed', superseded: 'cabinet.acts.status.superseded',
};
const ORDER_STATUSES = {
  CREATED: 'cabinet.orders.status.created', PENDING: 'cabinet.orders.status.pending', DECLINED: 'cabinet.orders.status.declined', APPROVED: 'cabinet.orders.status.approved',
  READY: 'cabinet.orders.status.ready', CLOSED: 'cabinet.orders.status.closed', EXPIRED: 'cabinet.orders.status.expired',
};
const BUFFER_STATUSES = {
  PENDING: 'cabinet.orders.buffer.pending', ACTIVE: 'cabinet.orders.buffer.active', EXHAUSTED: 'cabinet.orders.buffer.exhausted',
  REJECTED: 'cabinet.orders.buffer.rejected', CLOSED: 'cabinet.orders.buffer.closed', EXPIRED: 'cabinet.orders.buffer.expired',
};
const VERSION_REASONS = { original: 'cabinet.contract.reason.original', services: 'cabinet.contract.reason.services', law: 'cabinet.contract.reason.law' };
const REFUND_KINDS = { request: 'cabinet.refunds.kind.request', one_year: 'cabinet.refunds.kind.oneYear', termination: 'cabinet.refunds.kind.termination' };
const REFUND_STATUSES = { pending: 'cabinet.refunds.status.pending', paid: 'cabinet.refunds.status.paid', refused: 'cabinet.refunds.status.refused' };
const INITIATORS = { client: 'cabinet.termination.initiatorName.client', operator: 'cabinet.termination.initiatorName.operator' };
const TERMINATION_STATUSES = {
  scheduled: 'cabinet.termination.status.scheduled', settling: 'cabinet.termination.status.settling',
  withdrawn: 'cabinet.termination.status.withdrawn', terminated: 'cabinet.termination.status.terminated',
};
const TERMINATION_BASES = {
  '4.1.1': 'cabinet.termination.basis.clause411',
  '4.3.1a': 'cabinet.termination.basis.clause431a',
  '4.3.1b': 'cabinet.termination.basis.clause431b',
  '4.3.1c': 'cabinet.termination.basis.clause431c',
  '4.3.1d': 'cabinet.termination.basis.clause431d',
  '10.4.2': 'cabinet.termination.basis.clause1042',
  '10.4.3': 'cabinet.termination.basis.clause1043',
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

/** The name a table above gives `value` (a key of the catalogue), in the page's language; a value it does not know as it is. */
const nameIn = (table, value) => Object.prototype.hasOwnProperty.call(table, value) ? msg(table[value]) : value;

/** Milliseconds to a deadline → «осталось 2 дн 3 ч» / «просрочено на 1 ч 20 мин». */
function timeLeft(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days ? msg('cabinet.timeLeft.days', { days, hours })
    : hours ? msg('cabinet.timeLeft.hours', { hours, minutes: minutes % 60 }) : msg('cabinet.timeLeft.minutes', { minutes: minutes % 60 });
  return msg(ms >= 0 ? 'cabinet.timeLeft.left' : 'cabinet.timeLeft.overdue', { time: text });
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
    signedIn('cabinet', () => msg('cabinet.who', { name: me.name, binIin: me.binIin }), me);
    fillQuarters(); // again, in the language the client's is (the page's may have changed at sign-in)
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
  $('account-number').textContent = a.accountNumber || msg('cabinet.account.notOpened');
  $('account-status').textContent = a.status === 'closed' ? msg('cabinet.account.closed') : '';
  $('available').textContent = money(a.available);
  $('reserved').textContent = money(a.reserved);
  $('codes-affordable').textContent = count(a.codesAffordable);
  $('total-paid-in').textContent = money(a.totalPaidIn);
  $('total-charged').textContent = money(a.totalCharged);
  $('total-refunded').textContent = money(a.totalRefunded);
  $('total-compensated').textContent = money(a.totalCompensated);
  $('total-corrections').textContent = money(a.totalCorrections, { signed: true });
  $('price-net').textContent = a.price ? money(a.price.pricePerCodeTiyn) : msg('cabinet.account.noTariff');
  $('price-gross').textContent = a.price ? money(a.price.grossPerCodeTiyn) : '—';
  $('vat-rate').textContent = a.price ? percent(a.price.vatRateBp) : '—';
  $('as-of').textContent = when(a.asOf);
  preview();
}

function statementQuery() {
  const from = $('from').value;
  const to = $('to').value;
  if (from && to && from > to) throw new Error(msg('cabinet.period.fromAfterTo'));
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

/** A movement's operation in the page's language (the API names it in Russian): by its kind, else as the API names it. */
const OPERATIONS = ['deposit', 'payment_unassigned', 'payment_assign', 'payment_return', 'reserve', 'capture', 'release', 'refund_payout', 'compensation', 'compensation_payout', 'correction', 'vat_rounding'];
const operationName = (l) => (OPERATIONS.includes(l.kind) ? msg(`cabinet.statement.operation.${l.kind}`) : l.name);

function statementRow(l) {
  // A top-up names the bank's payment document it came with, as the bank statement does; other
  // movements name their order or act, a long identifier shortened (whole in the tooltip).
  const bankDocument = l.payment ? `<div class="bank-document">${esc(msg('cabinet.statement.bankDocument', { number: l.payment.documentNumber, date: day(l.payment.documentDate) }))}</div>` : '';
  const ref = l.payment || !l.reference ? (l.payment ? '' : '—')
    : `<span title="${esc(l.reference.id)}">${esc(nameIn(REFERENCES, l.reference.type))} ${esc(shortId(l.reference.id))}</span>`;
  return `<tr data-id="${esc(l.transactionId)}">
    <td class="nowrap">${esc(when(l.at))}</td>
    <td>${esc(operationName(l))}<div class="small">${esc(msg('cabinet.statement.clause', { clause: l.clause }))}${l.memo ? ` · ${esc(l.memo)}` : ''}</div></td>
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
  else body.innerHTML = rows || `<tr class="empty"><td colspan="6">${esc(msg('cabinet.statement.none'))}</td></tr>`;
  statement.next = page.next;
  $('more').hidden = page.next === null;
}

async function exportCsv() {
  const query = statementQuery();
  await download(`/client/v1/account/statement.csv?${query}`, 'statement.csv');
  say('info', msg('cabinet.statement.exported'));
}

async function loadInvoices() {
  const { invoices } = await api('GET', '/client/v1/invoices');
  const body = $('invoices').tBodies[0];
  body.innerHTML = invoices.map((i) => `<tr data-id="${esc(i.id)}">
      <td class="nowrap">${esc(i.number)}</td><td class="nowrap">${esc(day(i.issuedOn))}</td><td class="num">${i.codes === null ? '—' : esc(count(i.codes))}</td>
      <td class="num">${esc(money(i.netTiyn))}</td><td class="num">${esc(money(i.vatTiyn))} <span class="small">(${esc(percent(i.vatRateBp))})</span></td>
      <td class="num"><b>${esc(money(i.totalTiyn))}</b></td>
      <td><button class="secondary pdf" data-url="${esc(i.pdfUrl)}" data-number="${esc(i.number)}" aria-label="${esc(msg('cabinet.invoices.pdfLabel', { number: i.number }))}">PDF</button></td>
    </tr>`).join('') || `<tr class="empty"><td colspan="7">${esc(msg('cabinet.invoices.none'))}</td></tr>`;
  for (const button of body.querySelectorAll('button.pdf')) {
    button.onclick = () => busy(button, () => download(button.dataset.url, `invoice_${button.dataset.number}.pdf`));
  }
}

/** The invoice request the form holds: { codes } or { amountTiyn }, or an error text. */
function invoiceRequest() {
  const codesText = $('invoice-codes').value.trim();
  const amountText = $('invoice-amount').value.trim();
  if (codesText && amountText) return { error: msg('cabinet.invoices.bothGiven') };
  if (codesText) {
    const codes = Number(codesText);
    return /^\d+$/.test(codesText) && codes >= 1 && codes <= 100_000_000 ? { body: { codes } } : { error: msg('cabinet.invoices.badCodes') };
  }
  if (amountText) {
    const amountTiyn = parseTenge(amountText);
    return amountTiyn ? { body: { amountTiyn } } : { error: msg('cabinet.invoices.badAmount') };
  }
  return { error: msg('cabinet.invoices.nothingGiven') };
}

/** What a request for N codes will cost at today's price (VAT half-up on the whole net, 6.1). */
function preview() {
  const request = invoiceRequest();
  const codes = request.body && request.body.codes;
  if (!codes || !price) return void ($('invoice-preview').textContent = '');
  const net = BigInt(codes) * BigInt(price.pricePerCodeTiyn);
  const vat = (2n * net * BigInt(price.vatRateBp) + 10_000n) / 20_000n;
  $('invoice-preview').textContent = msg('cabinet.invoices.preview', {
    codes: count(codes), price: money(price.pricePerCodeTiyn), net: money(Number(net)), rate: percent(price.vatRateBp), vat: money(Number(vat)), total: money(Number(net + vat)),
  });
}

async function requestInvoice() {
  const request = invoiceRequest();
  if (request.error) return say('error', request.error);
  const invoice = await api('POST', '/client/v1/invoices', request.body, { 'idempotency-key': uuid() });
  $('invoice-codes').value = '';
  $('invoice-amount').value = '';
  preview();
  await loadInvoices();
  say('info', msg('cabinet.invoices.issued', { number: invoice.number, total: money(invoice.totalTiyn), vat: money(invoice.vatTiyn) }));
}

async function loadNotices() {
  const { notices } = await api('GET', '/client/v1/notices');
  $('notices').tBodies[0].innerHTML = notices.map((n) => `<tr data-id="${esc(n.id)}">
      <td>${esc(n.subject)}</td><td>${esc(when(n.sentAt || n.createdAt))}</td>
      <td class="${n.status === 'failed' ? 'bad' : n.status === 'sent' ? 'ok' : ''}">${esc(nameIn(NOTICE_STATUSES, n.status))}</td>
      <td>${n.answer ? `${esc(nameIn(ANSWER_STATUSES, n.answer.status))}${n.answer.dueAt ? ` · ${esc(msg('cabinet.notices.answerDue', { due: dueBy(n.answer.dueAt) }))}` : ''}` : esc(msg('cabinet.notices.noAnswer'))}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="4">${esc(msg('cabinet.notices.none'))}</td></tr>`;
}

/* ---- Signing with EDS through NCALayer (issue 17) ---- */

const NCALAYER_WAIT = 'cabinet.signing.wait';

/** The bytes of a file of the API — an act's PDF, which is what the act's signature is over. */
async function fileBytes(path) {
  const { blob } = await fetchBytes(path, 'document');
  return new Uint8Array(await blob.arrayBuffer());
}

/** The reasons the API gives with a refused signature (details.problems[]), in the page's language, if any. */
function signatureProblems(details) {
  const problems = details && Array.isArray(details.problems) ? details.problems : [];
  return [...new Set(problems.filter(Boolean).map(edsProblem).filter(Boolean))].join('; ');
}

/**
 * A failed signing in words a person can act on: NCALayer not running or the person cancelling (the
 * messages of ncaLayerSign, in the page's language), or the API refusing the signature (BAD_SIGNATURE,
 * SIGNER_NOT_AUTHORISED, SIGNATURE_REQUIRED) with its reasons; null for anything else. `what`: the
 * messages of the act's or reconciliation act's decision (their key prefix), none for a document to sign.
 */
function signingFailure(error, what = null) {
  if (!error) return null;
  if (/^NCALAYER_/.test(error.code || '')) return error.message;
  if (error.code === 'BAD_SIGNATURE') {
    const why = signatureProblems(error.details);
    const text = msg(what ? `${what}badSignature` : 'cabinet.signing.badDocument');
    return why ? msg('cabinet.signing.withReason', { text, why }) : text;
  }
  if (error.code === 'SIGNER_NOT_AUTHORISED') {
    const s = (error.details && error.details.signer) || {};
    const who = s.bin ? msg('cabinet.signing.otherOrganisation', { bin: s.bin })
      : s.iin ? (s.commonName ? msg('cabinet.signing.notAttorneyNamed', { name: s.commonName, iin: s.iin }) : msg('cabinet.signing.notAttorney', { iin: s.iin })) : '';
    return `${msg('cabinet.signing.notAuthorised')}${who ? ` ${who}` : ''}`;
  }
  if (error.code === 'SIGNATURE_REQUIRED') return msg(SIGNATURE_ERRORS.SIGNATURE_REQUIRED);
  return null;
}

/** The document the API gives at `documentPath` for `body`, signed through NCALayer: the CMS, base64. */
async function signInstruction(documentPath, body) {
  const doc = await api('POST', documentPath, body);
  say('info', msg(NCALAYER_WAIT));
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

/**
 * The actions on a document awaiting the client: sign through NCALayer; refuse or sign otherwise (the decision panel).
 * `what`: the messages of its decision (their key prefix), which name the document.
 */
const decisionButtons = (d, what) => `<button class="ncalayer sign-ncalayer" data-id="${esc(d.id)}" aria-label="${esc(msg(`${what}signLabel`, { number: d.number }))}">${esc(msg('cabinet.signing.ncaLayer'))}</button>`
  + `<button class="secondary choose" data-id="${esc(d.id)}" aria-label="${esc(msg(`${what}chooseLabel`, { number: d.number }))}">${esc(msg('cabinet.signing.refuseOrOther'))}</button>`;

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
    $(ids.due).textContent = msg(`${c.messages}due`, { period: period(doc.periodFrom, doc.periodTo), amount: c.amount(doc), due: dueBy(doc.dueAt) });
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
  /** Sends the decision on document `id`; a refusal by the API is said beside the forms. */
  async function decide(id, path, body, done) {
    $(ids.error).textContent = '';
    let updated;
    try {
      updated = await api('POST', `${c.base}/${encodeURIComponent(id)}/${path}`, body);
    } catch (failure) {
      if (failure.code === 'ACT_NOT_OPEN') await c.reload().catch(() => undefined);
      return error(signingFailure(failure, c.messages) || (failure.code === 'ACT_NOT_OPEN' ? msg(`${c.messages}notOpen`) : failure.message));
    }
    await c.reload();
    say('info', done(updated));
  }
  const signed = (d) => msg(`${c.messages}signed`, { number: d.number, status: nameIn(c.statuses, d.status) });
  /** The PDF's exact bytes, signed through NCALayer with the key the person chooses, sent to the sign route. */
  async function signNcaLayer(id) {
    const doc = open(id);
    if (!doc) return error(msg(`${c.messages}gone`));
    choose(id);
    let signature;
    try {
      const pdf = await fileBytes(doc.files.pdf);
      say('info', msg(NCALAYER_WAIT));
      signature = await ncaLayerSign(pdf, { purpose: 'sign' });
    } catch (failure) {
      return error(signingFailure(failure, c.messages) || failure.message);
    }
    await decide(id, 'sign', { signature }, signed);
  }
  /** A signature made in another program, pasted or read from its file. */
  async function signPasted() {
    if (!open(chosen)) return error(msg(`${c.messages}pick`));
    const signature = $(ids.signature).value.trim();
    if (signature.length < 16) return error(msg(`${c.messages}pasteSignature`));
    await decide(chosen, 'sign', { signature }, signed);
  }
  async function refuse() {
    if (!open(chosen)) return error(msg(`${c.messages}pick`));
    const reason = $(ids.reason).value.trim();
    if ([...reason].length < 10) return error(msg('cabinet.signing.reasonTooShort'));
    await decide(chosen, 'refuse', { reason }, (d) => msg(`${c.messages}refused`, { number: d.number }));
  }
  $(ids.signNcaLayer).onclick = () => busy($(ids.signNcaLayer), () => signNcaLayer(chosen));
  $(ids.sign).onclick = () => busy($(ids.sign), signPasted);
  $(ids.refuse).onclick = () => busy($(ids.refuse), refuse);
  $(ids.file).onchange = () => readSignatureFile($(ids.file), $(ids.signature)).catch((failure) => error(msg('cabinet.signing.fileUnread', { error: failure.message })));
  return { wire };
}

const actDecisions = decisions({
  messages: 'cabinet.actDecision.',
  base: '/client/v1/acts',
  list: () => acts,
  reload: () => loadActs(),
  statuses: ACT_STATUSES,
  amount: (a) => money(a.totalTiyn),
  ids: { panel: 'act-decision', number: 'decision-number', due: 'decision-due', signNcaLayer: 'sign-ncalayer', signature: 'signature', file: 'signature-file', sign: 'sign', reason: 'refuse-reason', refuse: 'refuse', error: 'decision-error' },
});

function actRow(a) {
  const issued = a.status === 'issued';
  const files = [
    fileButton(a.files.pdf, msg('cabinet.acts.file.pdf'), `act_${a.number}.pdf`, 'act-pdf'),
    fileButton(a.files.vatInvoice, msg('cabinet.acts.file.vatInvoice'), `vat_invoice_${a.number}.pdf`, 'vat-pdf'),
    a.files.detailedReport ? fileButton(a.files.detailedReport, msg('cabinet.acts.file.detailedReport'), `detailed_report_${a.number}.pdf`, 'report-pdf') : '',
    issued ? decisionButtons(a, 'cabinet.actDecision.') : '',
  ].join('');
  return `<tr data-id="${esc(a.id)}" class="act-${esc(a.status)}">
    <td class="nowrap">${esc(a.number)}${a.revision > 1 ? `<div class="small">${esc(msg('cabinet.acts.revision', { revision: a.revision }))}</div>` : ''}<div class="small">${esc(msg('cabinet.acts.vatInvoiceNumber', { number: a.vatInvoiceNumber }))}</div></td>
    <td class="nowrap">${esc(period(a.periodFrom, a.periodTo))}</td>
    <td><span class="status st-${esc(a.status)}">${esc(nameIn(ACT_STATUSES, a.status))}</span>${a.refusalReason ? `<div class="small">${esc(msg('cabinet.signing.refusalReasons', { reason: a.refusalReason }))}</div>` : ''}</td>
    <td class="num">${esc(count(a.codes))}</td>
    <td class="num"><b>${esc(money(a.totalTiyn))}</b><div class="small">${esc(msg('cabinet.acts.net', { amount: money(a.netTiyn) }))}<br>${esc(msg('cabinet.acts.vat', { amount: money(a.vatTiyn) }))}</div></td>
    <td class="nowrap due">${dueCell(a, issued)}</td>
    <td class="files">${files}</td>
  </tr>`;
}

async function loadActs() {
  ({ acts } = await api('GET', '/client/v1/acts'));
  const body = $('acts-list').tBodies[0];
  body.innerHTML = acts.map(actRow).join('') || `<tr class="empty"><td colspan="7">${esc(msg('cabinet.acts.none'))}</td></tr>`;
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
    const option = new Option(msg('cabinet.recons.quarterOption', { quarter: q, year, period: period(from, to) }), `${year}-Q${q}`);
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
  if (!from || !to) return { error: msg('cabinet.recons.pickPeriod') };
  if (from > to) return { error: msg('cabinet.period.fromAfterTo') };
  if (to > localToday()) return { error: msg('cabinet.recons.periodInFuture') };
  return { body: { from, to } };
}

async function requestReconciliation() {
  const request = reconRequest();
  if (request.error) return say('error', request.error);
  const act = await api('POST', '/client/v1/reconciliation-acts', request.body);
  await loadReconciliations();
  say('info', msg('cabinet.recons.made', { number: act.number, period: period(act.periodFrom, act.periodTo), closing: money(act.closingTiyn) }));
}

const reconDecisions = decisions({
  messages: 'cabinet.reconDecision.',
  base: '/client/v1/reconciliation-acts',
  list: () => recons,
  reload: () => loadReconciliations(),
  statuses: RECON_STATUSES,
  amount: (r) => money(r.closingTiyn),
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
      <td><span class="status st-${esc(r.status)}">${esc(nameIn(RECON_STATUSES, r.status))}</span>${r.refusalReason ? `<div class="small">${esc(msg('cabinet.signing.refusalReasons', { reason: r.refusalReason }))}</div>` : ''}<div class="small due">${issued ? msgHtml('cabinet.recons.due', {}, { due: dueCell(r, true) }) : ''}</div></td>
      <td class="files">${fileButton(r.pdf, 'PDF', `reconciliation_${r.number}.pdf`, 'recon-pdf')}${issued ? decisionButtons(r, 'cabinet.reconDecision.') : ''}</td>
    </tr>`;
  }).join('') || `<tr class="empty"><td colspan="10">${esc(msg('cabinet.recons.none'))}</td></tr>`;
  wireFiles(body);
  reconDecisions.wire(body);
}

/* ---- Orders, downloads and codes (6.10, Прил. 2 п.8): read only ---- */

async function loadOrders() {
  const body = $('orders-list').tBodies[0];
  if (!omsId) return void (body.innerHTML = `<tr class="empty"><td colspan="5">${esc(msg('cabinet.orders.noStation'))}</td></tr>`);
  const { orderInfos } = await api('GET', `/api/v2/shoes/orders?omsId=${encodeURIComponent(omsId)}`, undefined, { clientToken: token });
  body.innerHTML = orderInfos.map((o) => `<tr data-id="${esc(o.orderId)}">
      <td class="ref">${esc(o.orderId)}<div class="small">${esc(when(new Date(o.createdTimestamp).toISOString()))}</div></td>
      <td class="nowrap"><span class="status ${o.orderStatus === 'DECLINED' || o.orderStatus === 'EXPIRED' ? 'bad' : o.orderStatus === 'READY' ? 'ok' : ''}">${esc(nameIn(ORDER_STATUSES, o.orderStatus))}</span>${o.declineReason ? `<div class="small bad">${esc(o.declineReason)}</div>` : ''}</td>
      <td>${o.buffers.map((b) => `<div>${esc(b.gtin)} <span class="small">· ${esc(msg('cabinet.orders.bufferLine', { count: count(b.totalCodes), status: nameIn(BUFFER_STATUSES, b.bufferStatus), passed: count(b.totalPassed) }))}</span></div>`).join('')}</td>
      <td class="num codes">${esc(msg('cabinet.orders.codes', { emitted: count(o.emittedCodes), total: count(o.totalCodes) }))}</td>
      <td class="nowrap">${esc(when(o.emissionDeadline))}${o.deadlineMissed ? `<div class="bad missed">${esc(msg('cabinet.orders.deadlineMissed'))}</div>` : ''}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="5">${esc(msg('cabinet.orders.none'))}</td></tr>`;
}

async function loadDownloads() {
  const [{ downloads }] = await Promise.all([api('GET', '/client/v1/downloads'), loadOverdue()]);
  const today = localToday();
  const body = $('downloads-list').tBodies[0];
  body.innerHTML = downloads.map((d) => `<tr data-id="${esc(d.blockId)}">
      <td class="nowrap">${esc(when(d.deliveredAt))}</td>
      <td><span class="gtin">${esc(d.gtin)}</span><div class="small ref">${esc(msg('cabinet.downloads.order', { orderId: d.orderId }))}</div></td>
      <td class="num">${esc(count(d.quantity))}</td>
      <td class="num">${esc(money(d.amountTiyn))}</td>
      <td class="nowrap apply-by">${d.applyBy ? `${esc(day(d.applyBy))}${d.applyBy < today ? ` <span class="bad">${esc(msg('cabinet.downloads.expired'))}</span>` : ''}` : '—'}</td>
      <td class="files">${[
        fileButton(`${d.files.csv}?gs=raw`, msg('cabinet.downloads.file.csvRaw'), `codes_${d.blockId}.csv`, 'csv-raw'),
        fileButton(`${d.files.csv}?gs=escape`, msg('cabinet.downloads.file.csvEscape'), `codes_${d.blockId}.csv`, 'csv-escape'),
        fileButton(`${d.files.csv}?gs=human`, msg('cabinet.downloads.file.csvHuman'), `codes_${d.blockId}.csv`, 'csv-human'),
        fileButton(`${d.files.zip}?format=png`, 'ZIP PNG', `datamatrix_${d.blockId}.zip`, 'zip-png'),
        fileButton(d.files.pdf, msg('cabinet.downloads.file.labelsPdf'), `labels_${d.blockId}.pdf`, 'labels-pdf'),
      ].join('')}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="6">${esc(msg('cabinet.downloads.none'))}</td></tr>`;
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
  $('overdue-codes').textContent = msg('cabinet.downloads.overdueMore', { count: count(total) });
  $('overdue-codes').className = 'bad';
}

/* ---- The contract (10.3.2, 3.7), refunds (6.11) and termination (4.1.1, 10.4) ---- */

/** A document link only when it is a web address. */
const documentLink = (url) => /^https?:\/\//i.test(url || '') ? ` · <a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(msg('cabinet.contract.versionText'))}</a>` : '';

async function loadContract() {
  const c = await api('GET', '/client/v1/contract');
  const v = c.inForce;
  $('contract-in-force').innerHTML = msgHtml('cabinet.contract.inForceText', { title: v.title, date: dayOf(v.effectiveAt) }, { version: `<b class="version">${esc(v.version)}</b>` })
    + documentLink(v.documentUrl);
  $('contract-effective-from').textContent = day(c.effectiveFrom);
  const a = c.unusedAdvance;
  $('advance-return-by').innerHTML = !a ? esc(msg('cabinet.contract.noAdvance'))
    : a.returnedIfUnusedBy ? msgHtml('cabinet.contract.advanceReturnBy', { paidOn: day(a.paidOn) }, { date: `<b class="return-by">${esc(day(a.returnedIfUnusedBy))}</b>` })
    : esc(msg('cabinet.contract.advanceNoDate', { paidOn: day(a.paidOn) }));
  $('contract-upcoming').tBodies[0].innerHTML = c.upcoming.map((u) => `<tr data-id="${esc(u.id)}">
      <td class="nowrap"><b>${esc(u.version)}</b></td>
      <td class="nowrap effective">${esc(dayOf(u.effectiveAt))}</td>
      <td>${esc(u.title)}<div class="small">${esc(u.summary)}${documentLink(u.documentUrl)}</div></td>
      <td>${esc(nameIn(VERSION_REASONS, u.reason))}</td>
      <td class="nowrap">${esc(dayOf(u.publishedAt))}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="5">${esc(msg('cabinet.contract.noUpcoming'))}</td></tr>`;
  const t = c.termination;
  $('termination').innerHTML = !t ? `<p class="small">${esc(msg('cabinet.termination.none'))}</p>` : `<dl class="under-way" data-id="${esc(t.id)}">
      <dt>${esc(msg('cabinet.termination.date'))}</dt><dd class="big date">${esc(day(t.terminationDate))}</dd>
      <dt>${esc(msg('cabinet.termination.initiator'))}</dt><dd class="initiator">${esc(nameIn(INITIATORS, t.initiator))}</dd>
      <dt>${esc(msg('cabinet.field.basis'))}</dt><dd class="basis">${esc(nameIn(TERMINATION_BASES, t.basis))}</dd>
      <dt>${esc(msg('cabinet.field.status'))}</dt><dd class="status">${esc(nameIn(TERMINATION_STATUSES, t.status))}</dd>
      <dt>${esc(msg('cabinet.termination.notifiedAt'))}</dt><dd>${esc(when(t.notifiedAt))}</dd>
      <dt>${esc(msg('cabinet.termination.reasons'))}</dt><dd>${esc(t.grounds)}</dd>
    </dl>`;
  $('termination-form').hidden = Boolean(t);
}

function refundDecision(r) {
  if (r.status === 'paid') {
    const cost = r.bankFeeTiyn || 0;
    const fees = r.clientBankFeesTiyn || 0;
    const transferred = money(r.paidTiyn - cost + fees);
    const parts = [
      msg('cabinet.refunds.charged', { amount: money(r.paidTiyn) }),
      ...(cost ? [msg('cabinet.refunds.bankCost', { amount: money(cost) })] : []),
      ...(fees ? [msg('cabinet.refunds.clientFees', { amount: money(fees) })] : []),
      r.iik ? msg('cabinet.refunds.transferredTo', { amount: transferred, iik: r.iik }) : msg('cabinet.refunds.transferred', { amount: transferred }),
    ];
    return `${esc(when(r.decidedAt))}<div class="small">${esc(parts.join(', '))}</div>`;
  }
  if (r.status === 'refused') return `${esc(when(r.decidedAt))}${r.decisionReason ? `<div class="small">${esc(r.decisionReason)}</div>` : ''}`;
  return '—';
}

async function loadRefunds() {
  const { refunds } = await api('GET', '/client/v1/refunds');
  const body = $('refunds').tBodies[0];
  body.innerHTML = refunds.map((r) => `<tr data-id="${esc(r.id)}">
      <td class="nowrap">${esc(when(r.requestedAt))}</td>
      <td>${esc(nameIn(REFUND_KINDS, r.kind))}</td>
      <td class="num">${r.amountRequestedTiyn === null ? esc(msg('cabinet.refund.wholeBalance')) : esc(money(r.amountRequestedTiyn))}</td>
      <td class="status ${r.status === 'paid' ? 'ok' : r.status === 'refused' ? 'bad' : ''}">${esc(nameIn(REFUND_STATUSES, r.status))}${r.overdue && r.status === 'pending' ? `<div class="bad">${esc(msg('cabinet.refunds.overdue'))}</div>` : ''}</td>
      <td class="nowrap due">${r.status === 'pending' && !r.dueAt ? `<span class="small">${esc(msg('cabinet.refunds.computing'))}</span>` : esc(dueBy(r.dueAt))}</td>
      <td>${refundDecision(r)}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="6">${esc(msg('cabinet.refunds.none'))}</td></tr>`;
  // The due date is recorded by the refund's workflow just after the request: asked again shortly.
  pollSoon('refunds', refunds.some((r) => r.status === 'pending' && !r.dueAt), loadRefunds);
}

/** The refusals of a refund request the page words itself (the amount available, {available}, where it is said). */
const REFUND_ERRORS = {
  NOTHING_TO_REFUND: 'cabinet.refund.error.nothingToRefund',
  REFUND_PENDING: 'cabinet.refund.error.pending',
  AMOUNT_EXCEEDS_BALANCE: 'cabinet.refund.error.exceedsBalance',
  CONTRACT_ENDED: 'cabinet.contract.ended',
};

/** The API's refusal of an instruction sent without a signature (issue 16). */
const SIGNATURE_ERRORS = {
  SIGNATURE_REQUIRED: 'cabinet.signing.required',
};

/** The exact bytes the API gives to sign ({ documentBase64, sha256 }), saved as a file; its SHA-256 is shown in `info`. */
function saveDocument(doc, name, info) {
  const bytes = Uint8Array.from(atob(doc.documentBase64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: 'application/json' }), name);
  $(info).textContent = msg('cabinet.signing.downloaded', { sha: doc.sha256 });
}

/** The refund request the form holds: { amountTiyn?, note? }, or null when the amount is not one (said). */
function refundRequestBody() {
  const amountText = $('refund-amount').value.trim();
  const amountTiyn = amountText ? parseTenge(amountText) : undefined;
  if (amountText && !amountTiyn) {
    say('error', msg('cabinet.refund.badAmount'));
    return null;
  }
  const note = $('refund-note').value.trim();
  return { ...(amountTiyn ? { amountTiyn } : {}), ...(note ? { note } : {}) };
}

/** A refusal of the refund request (or of its signing), said; others are thrown. */
function refundRefused(error) {
  const available = error.details && error.details.availableTiyn;
  const text = REFUND_ERRORS[error.code] ? msg(REFUND_ERRORS[error.code], { available: money(available) }) : signingFailure(error);
  if (!text) throw error;
  say('error', text);
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
  saveDocument(doc, msg('cabinet.refund.fileName'), 'refund-document-info');
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
  say('info', refund.amountRequestedTiyn === null ? msg('cabinet.refund.acceptedAll') : msg('cabinet.refund.accepted', { amount: money(refund.amountRequestedTiyn) }));
}

/** Offers the earliest date the notice period allows (10.4.4), with a button that picks it. */
function offerEarliest(earliest) {
  $('termination-error').innerHTML = `${msgHtml('cabinet.termination.earliest', {}, { date: `<b class="earliest">${esc(day(earliest))}</b>` })} <button id="use-earliest" class="secondary" data-date="${esc(earliest)}">${esc(msg('cabinet.termination.useEarliest', { date: day(earliest) }))}</button>`;
  $('use-earliest').onclick = () => { $('termination-date').value = $('use-earliest').dataset.date; $('termination-error').textContent = ''; };
}

const TERMINATION_ERRORS = {
  TERMINATION_DATE_PAST: 'cabinet.termination.error.datePast',
  TERMINATION_PENDING: 'cabinet.termination.error.pending',
  CONTRACT_ENDED: 'cabinet.contract.ended',
};

/** The notice the form holds: { basis, grounds, terminationDate, evidence? }, or null when incomplete (said). */
function noticeBody() {
  $('termination-error').textContent = '';
  const basis = $('termination-basis').value;
  const terminationDate = $('termination-date').value;
  const grounds = $('termination-grounds').value.trim();
  const evidence = $('termination-evidence').value.trim();
  const stop = (text) => { $('termination-error').textContent = text; say('error', text); return null; };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(terminationDate)) return stop(msg('cabinet.termination.noDate'));
  if ([...grounds].length < 10) return stop(msg('cabinet.termination.groundsTooShort'));
  return { basis, grounds, terminationDate, ...(evidence ? { evidence } : {}) };
}

/** A refusal of the notice (or of its signing), shown beside the form; others are thrown. */
function noticeRefused(error) {
  if (error.code === 'NOTICE_PERIOD_TOO_SHORT' && error.details && error.details.earliestDate) {
    offerEarliest(error.details.earliestDate);
    return say('error', msg('cabinet.termination.tooEarly', { date: day(error.details.earliestDate) }));
  }
  const text = TERMINATION_ERRORS[error.code] ? msg(TERMINATION_ERRORS[error.code]) : signingFailure(error);
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
  saveDocument(doc, msg('cabinet.termination.fileName'), 'termination-document-info');
}

/** Gives the notice with `signature`, or — without one — signed first through NCALayer; confirmed first. */
async function giveNotice(signature) {
  const body = noticeBody();
  if (!body) return;
  if (!confirm(msg('cabinet.termination.confirm', { date: day(body.terminationDate) }))) return;
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
  say('info', msg('cabinet.termination.given', { date: day(termination.terminationDate) }));
}

/* ---- The client's details of record (Прил. 1) and their changes (10.2.2) ---- */

const DETAIL_LABELS = {
  companyName: 'cabinet.details.field.companyName', signerName: 'cabinet.details.field.signerName', signerPosition: 'cabinet.details.field.signerPosition',
  authorityBasis: 'cabinet.details.field.authorityBasis', legalAddress: 'cabinet.details.field.legalAddress', actualAddress: 'cabinet.details.field.actualAddress',
  iik: 'cabinet.details.field.iik', bik: 'cabinet.details.field.bik', bankName: 'cabinet.details.field.bankName', kbe: 'cabinet.details.field.kbe',
  phone: 'cabinet.details.field.phone', email: 'cabinet.details.field.email',
};
/** The details the form changes — the bank details and the e-mail of record, which only a signed document changes — and their inputs. */
const SIGNED_DETAILS = [['iik', 'details-iik'], ['bik', 'details-bik'], ['bankName', 'details-bank-name'], ['kbe', 'details-kbe'], ['email', 'details-email']];
const DETAIL_PROBLEMS = {
  iik: 'cabinet.details.problem.iik',
  bik: 'cabinet.details.problem.bik',
  kbe: 'cabinet.details.problem.kbe',
  bankName: 'cabinet.details.problem.bankName',
  email: 'cabinet.details.problem.email',
  occurredOn: 'cabinet.details.problem.occurredOn',
};
const SIGNATURE_BASES = { client_eds: 'cabinet.details.signatureBasis.clientEds', power_of_attorney: 'cabinet.details.signatureBasis.powerOfAttorney' };
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
  $('details-error').textContent = profile.details ? '' : msg('cabinet.details.notFilled');
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
  if (!profile || !profile.details) return stop(msg('cabinet.details.notFilledShort'));
  const details = {};
  for (const [key, id] of SIGNED_DETAILS) {
    const value = $(id).value.trim();
    if (keptAs(key, value) === keptAs(key, profile.details[key])) continue;
    if (!value) return stop(msg('cabinet.details.emptyField', { field: nameIn(DETAIL_LABELS, key) }));
    details[key] = value;
  }
  if (!Object.keys(details).length) return stop(msg('cabinet.details.unchanged'));
  const occurredOn = $('details-occurred-on').value;
  if (occurredOn && occurredOn > localToday()) return stop(msg(DETAIL_PROBLEMS.occurredOn));
  return { details, ...(occurredOn ? { occurredOn } : {}) };
}

/** A refusal of the change (or of its signing), shown beside the form; others are thrown. */
function detailsRefused(error) {
  let text = signingFailure(error);
  if (!text && error.code === 'VALIDATION_FAILED') {
    const paths = (Array.isArray(error.details) ? error.details : []).map((p) => String(p.path || p.instancePath || ''));
    const fields = Object.keys(DETAIL_PROBLEMS).filter((key) => paths.some((path) => path.endsWith(`/${key}`)));
    text = msg('cabinet.details.check', { problems: fields.length ? fields.map((key) => msg(DETAIL_PROBLEMS[key])).join(' ') : error.message });
  }
  if (!text && error.code === 'NO_DETAILS') text = msg('cabinet.details.noDetails');
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
  saveDocument(doc, msg('cabinet.details.fileName'), 'details-document-info');
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
  say('info', msg('cabinet.details.saved', { fields: Object.keys(change.details).map((key) => nameIn(DETAIL_LABELS, key)).join(', ') }));
}

/** Who signed a change, as the history shows it. */
function signedBy(s) {
  if (!s) return `<span class="small">${esc(msg('cabinet.details.unsigned'))}</span>`;
  const who = [s.signer.commonName, s.signer.iin && msg('cabinet.details.iin', { iin: s.signer.iin }), s.signer.bin && msg('cabinet.details.bin', { bin: s.signer.bin })].filter(Boolean).join(', ');
  return `<span class="signer">${esc(who || '—')}</span><div class="small">${esc(nameIn(SIGNATURE_BASES, s.basis))}${s.signedAt ? ` · ${esc(when(s.signedAt))}` : ''}</div>`;
}

async function loadDetailsHistory() {
  const { detailChanges } = await api('GET', '/client/v1/profile/history');
  $('details-history').tBodies[0].innerHTML = detailChanges.map((c) => {
    const before = c.before || {};
    const after = c.after || {};
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => before[key] !== after[key]);
    return `<tr data-id="${esc(c.id)}">
      <td class="nowrap">${esc(when(c.changedAt))}</td>
      <td class="nowrap">${esc(day(c.occurredOn))}${c.reportedLate ? `<div class="small bad">${esc(msg('cabinet.details.reportedLate'))}</div>` : ''}</td>
      <td class="changed">${changed.map((key) => `<div>${esc(nameIn(DETAIL_LABELS, key))}: <span class="small">${esc(before[key] || '—')}</span> → ${esc(after[key] || '—')}</div>`).join('') || '—'}</td>
      <td class="signed-by">${signedBy(c.signed)}</td>
    </tr>`;
  }).join('') || `<tr class="empty"><td colspan="4">${esc(msg('cabinet.details.none'))}</td></tr>`;
}

$('refresh').onclick = () => busy($('refresh'), async () => {
  await Promise.all([loadAccount(), loadNotices(), loadActs(), loadReconciliations(), loadOrders(), loadDownloads(), loadContract(), loadRefunds(), loadProfile(), loadDetailsHistory()]);
  say('info', msg('cabinet.account.refreshed'));
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
