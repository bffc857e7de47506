'use strict';
const TOKEN_KEY = 'ismet-staff-token';
/** A name of the catalogue for a known value (`<prefix><value>`), else the value itself. */
const nameOf = (prefix, known) => (value) => (known.includes(value) ? msg(`${prefix}${value}`) : value);
const actStatus = nameOf('accounting.act.status.', ['issued', 'signed', 'disputed', 'auto_accepted', 'confirmed', 'superseded']);
const actEvent = nameOf('accounting.act.event.', ['issued', 'signed', 'refused', 'auto_accepted', 'confirmed', 'corrected']);
const paymentStatus = nameOf('accounting.payment.status.', ['unassigned', 'credited', 'returned']);
const paymentSource = nameOf('accounting.payment.source.', ['manual', '1c', 'csv']);
const refundKind = nameOf('accounting.refund.kind.', ['request', 'one_year', 'termination']);
const refundStatus = nameOf('accounting.refund.status.', ['pending', 'paid', 'refused']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let selected = location.hash.slice(1) || null;

/**
 * Тенге, как их ввели («1 234,56», «1.5», «12»), → целые тиыны по десятичной строке, без
 * арифметики с плавающей точкой: не больше двух знаков после запятой или точки.
 */
function tiynFromTenge(text, what) {
  const s = String(text ?? '').replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`VALIDATION: ${msg('accounting.amount.invalid', { what })}`);
  const whole = m[1].replace(/^0+(?=\d)/, '');
  if (whole.length > 13) throw new Error(`VALIDATION: ${msg('accounting.amount.tooLarge', { what })}`);
  return Number(whole) * 100 + Number((m[2] || '').padEnd(2, '0'));
}
/** Milliseconds to the deadline → «осталось 2 дн 3 ч» / «просрочен на 1 ч 20 мин»; «—» when the act no longer awaits the client. */
function timeLeft(ms) {
  if (ms === null || ms === undefined) return '—';
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const unit = days ? 'days' : hours ? 'hours' : 'minutes';
  return msg(`accounting.time.${ms >= 0 ? 'left' : 'overdue'}.${unit}`, { days, hours, minutes: minutes % 60 });
}
function actor(a) {
  if (a === 'operator') return msg('accounting.actor.operator');
  if (a === 'client') return msg('accounting.actor.client');
  if (String(a).startsWith('staff:')) return msg('accounting.actor.staff', { id: a.slice(6) });
  return a;
}

async function signIn() {
  try {
    const me = await api('GET', '/staff/v1/me');
    if (!me.roles.some((r) => r === 'accountant' || r === 'admin')) throw new Error(`FORBIDDEN: ${msg('accounting.signIn.role')}`);
    signedIn('console', `${me.name} (${me.roles.join(', ')})`, me);
    calendarBanner(me);
    const results = await Promise.allSettled([loadActs(), loadPayments(), loadRefunds()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) say('error', failed.reason.message);
    if (selected) await show(selected).catch((error) => say('error', error.message));
  } catch (error) {
    notSignedIn(error);
  }
}

function switchTo(view) {
  for (const tab of document.querySelectorAll('nav button')) tab.classList.toggle('active', tab.dataset.view === view);
  $('acts-view').hidden = view !== 'acts-view';
  $('payments-view').hidden = view !== 'payments-view';
  $('refunds-view').hidden = view !== 'refunds-view';
}

// ——— Acts ———

function actsQuery() {
  const query = new URLSearchParams();
  if ($('month').value) query.set('month', $('month').value);
  if ($('status').value) query.set('status', $('status').value);
  if ($('overdue').checked) query.set('overdue', 'true');
  return query;
}

function period(a) {
  return `${day(a.periodFrom)} — ${day(a.periodTo)}`;
}

function statusCell(a) {
  const overdue = a.overdue ? ` <span class="late">· ${esc(msg('accounting.overdue'))}</span>` : '';
  const reason = a.status === 'disputed' && a.refusalReason ? `<div class="small reason">${esc(msg('accounting.act.refusalReason', { reason: a.refusalReason }))}</div>` : '';
  return `<span class="st-${esc(a.status)}">${esc(actStatus(a.status))}</span>${overdue}${reason}`;
}

/** The list as the API orders it: disputed and overdue first. */
async function loadActs() {
  const { acts } = await api('GET', `/staff/v1/acts?${actsQuery()}`);
  $('acts-count').textContent = `(${acts.length})`;
  const body = $('acts').tBodies[0];
  body.innerHTML = acts.map((a) => `
    <tr data-id="${esc(a.id)}" class="${[a.overdue ? 'overdue' : '', a.status === 'disputed' ? 'disputed' : '', a.id === selected ? 'selected' : ''].filter(Boolean).join(' ')}">
      <td class="nowrap">${esc(a.number)}${a.revision > 1 ? ` <span class="small">${esc(msg('accounting.act.correction', { n: a.revision - 1 }))}</span>` : ''}</td>
      <td>${esc(a.clientName)}</td>
      <td class="nowrap">${esc(period(a))}</td>
      <td>${statusCell(a)}</td>
      <td class="num">${esc(money(a.totalTiyn))}</td>
      <td class="nowrap">${esc(when(a.dueAt))}</td>
      <td class="nowrap${a.overdue ? ' late' : ''}">${esc(timeLeft(a.timeLeftMs))}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="7">${esc(msg('accounting.acts.none'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    row.onclick = () => show(row.dataset.id).then(() => $('detail').scrollIntoView({ block: 'nearest' }), (error) => say('error', error.message));
  }
}

async function exportCsv() {
  await download(`/staff/v1/acts.csv?${actsQuery()}`, 'acts.csv');
  say('info', msg('accounting.acts.exported'));
}

function fileButton(kind, url, label, name) {
  return url ? `<button class="secondary file" data-kind="${esc(kind)}" data-url="${esc(url)}" data-name="${esc(name)}">${esc(label)}</button>` : '';
}

async function show(id) {
  const { act: a, lines, history } = await api('GET', `/staff/v1/acts/${encodeURIComponent(id)}`);
  selected = a.id;
  if (location.hash.slice(1) !== a.id) location.hash = a.id;
  for (const row of $('acts').querySelectorAll('tbody tr')) row.classList.toggle('selected', row.dataset.id === a.id);
  const disputed = a.status === 'disputed';
  $('detail').innerHTML = `
    <h2>${esc(msg('accounting.act.title', { number: a.number }))} <small class="st-${esc(a.status)}">${esc(actStatus(a.status))}</small></h2>
    ${a.refusalReason ? `<p class="refusal"><b>${esc(msg('accounting.act.clientRefusal'))}</b> <span id="refusal-reason" class="reason">${esc(a.refusalReason)}</span></p>` : ''}
    <dl>
      <dt>${esc(msg('accounting.act.client'))}</dt><dd>${esc(a.clientName)} <span class="small">${esc(a.clientId)}</span></dd>
      <dt>${esc(msg('accounting.act.period'))}</dt><dd>${esc(period(a))}</dd>
      <dt>${esc(msg('accounting.act.revision'))}</dt><dd>${esc(a.revision > 1 ? msg('accounting.act.revisionCorrected', { revision: a.revision }) : msg('accounting.act.revisionOriginal'))}</dd>
      <dt>${esc(msg('accounting.act.vatInvoice'))}</dt><dd>${esc(a.vatInvoiceNumber)}</dd>
      <dt>${esc(msg('accounting.act.issued'))}</dt><dd>${esc(when(a.issuedAt))}</dd>
      <dt>${esc(msg('accounting.act.due'))}</dt><dd>${esc(when(a.dueAt))}${a.timeLeftMs === null ? '' : ` · <span class="${a.overdue ? 'late' : ''}">${esc(timeLeft(a.timeLeftMs))}</span>`}</dd>
      <dt>${esc(msg('accounting.act.codes'))}</dt><dd>${esc(count(a.codes))}</dd>
      <dt>${esc(msg('accounting.act.net'))}</dt><dd>${esc(money(a.netTiyn))}</dd>
      <dt>${esc(msg('accounting.act.vat'))}</dt><dd>${esc(money(a.vatTiyn))}</dd>
      <dt>${esc(msg('accounting.act.total'))}</dt><dd><b id="detail-total">${esc(money(a.totalTiyn))}</b></dd>
    </dl>
    <p class="row">
      ${fileButton('act', a.files.pdf, `${msg('accounting.file.act')} (PDF)`, `act_${a.number}.pdf`)}
      ${fileButton('vat-invoice', a.files.vatInvoice, `${msg('accounting.file.vatInvoice')} (PDF)`, `vat_invoice_${a.number}.pdf`)}
      ${fileButton('detailed-report', a.files.detailedReport, `${msg('accounting.file.detailedReport')} (PDF)`, `detailed_report_${a.number}.pdf`)}
    </p>
    <h3>${esc(msg('accounting.lines.title'))}</h3>
    <table id="lines">
      <thead><tr><th>#</th><th class="num">${esc(msg('accounting.lines.codes'))}</th><th class="num">${esc(msg('accounting.lines.price'))}</th><th class="num">${esc(msg('accounting.lines.net'))}</th><th class="num">${esc(msg('accounting.lines.vat'))}</th><th class="num">${esc(msg('accounting.lines.total'))}</th>${disputed ? `<th class="num">${esc(msg('accounting.lines.accept'))}</th>` : ''}</tr></thead>
      <tbody>${lines.map((l, i) => `<tr>
        <td>${i + 1}</td><td class="num">${esc(count(l.codes))}</td><td class="num">${esc(money(l.pricePerCodeTiyn))}</td>
        <td class="num">${esc(money(l.net))}</td><td class="num">${esc(money(l.vat))} <span class="small">(${esc(percent(l.vatRateBp))})</span></td>
        <td class="num">${esc(money(l.net + l.vat))}</td>
        ${disputed ? `<td class="num"><input class="accepted" type="number" min="0" max="${esc(l.codes)}" step="1" inputmode="numeric" value="${esc(l.codes)}" data-line="${i}"></td>` : ''}
      </tr>`).join('')}</tbody>
      <tfoot><tr><th></th><th class="num">${esc(count(a.codes))}</th><th></th><th class="num">${esc(money(a.netTiyn))}</th><th class="num">${esc(money(a.vatTiyn))}</th><th class="num">${esc(money(a.totalTiyn))}</th>${disputed ? '<th></th>' : ''}</tr></tfoot>
    </table>
    ${disputed ? `
      <div class="resolve">
        <h3>${esc(msg('accounting.resolve.title'))}</h3>
        <p><textarea id="reason" placeholder="${esc(msg('accounting.resolve.reason'))}"></textarea></p>
        <p class="row"><button id="confirm">${esc(msg('accounting.resolve.confirm'))}</button></p>
        <p class="small">${esc(msg('accounting.resolve.correctNote'))}</p>
        <p class="row"><button id="correct" class="danger">${esc(msg('accounting.resolve.correct'))}</button></p>
      </div>` : ''}
    <h3>${esc(msg('accounting.history.title'))}</h3>
    <table id="history">
      <thead><tr><th>${esc(msg('accounting.history.at'))}</th><th>${esc(msg('accounting.history.event'))}</th><th>${esc(msg('accounting.history.who'))}</th><th>${esc(msg('accounting.history.note'))}</th></tr></thead>
      <tbody>${history.map((e) => `<tr><td class="nowrap">${esc(when(e.at))}</td><td>${esc(actEvent(e.kind))}</td><td>${esc(actor(e.actor))}</td><td class="reason">${esc(e.note)}</td></tr>`).join('') || `<tr><td colspan="4">${esc(msg('accounting.history.none'))}</td></tr>`}</tbody>
    </table>`;
  for (const button of $('detail').querySelectorAll('button.file')) {
    button.onclick = () => busy(button, () => download(button.dataset.url, button.dataset.name));
  }
  if ($('confirm')) $('confirm').onclick = () => busy($('confirm'), () => confirmAct(a));
  if ($('correct')) $('correct').onclick = () => busy($('correct'), () => correctAct(a, lines));
}

function resolutionReason() {
  const reason = $('reason').value.trim();
  if (reason.length < 3) throw new Error(`VALIDATION: ${msg('accounting.resolve.reasonRequired')}`);
  return reason;
}

async function confirmAct(a) {
  const reason = resolutionReason();
  const confirmed = await api('POST', `/staff/v1/acts/${encodeURIComponent(a.id)}/confirm`, { reason });
  await Promise.all([loadActs(), show(confirmed.id)]);
  say('info', msg('accounting.resolve.confirmed', { number: confirmed.number, status: actStatus(confirmed.status) }));
}

async function correctAct(a, lines) {
  const reason = resolutionReason();
  const inputs = [...$('detail').querySelectorAll('input.accepted')];
  const acceptedCodes = inputs.map((input, i) => {
    const text = input.value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > lines[i].codes) throw new Error(`VALIDATION: ${msg('accounting.resolve.acceptRange', { line: i + 1, codes: lines[i].codes })}`);
    return n;
  });
  const corrected = await api('POST', `/staff/v1/acts/${encodeURIComponent(a.id)}/correct`, { reason, acceptedCodes });
  await Promise.all([loadActs(), show(corrected.id)]);
  say('info', msg('accounting.resolve.corrected', { number: corrected.number, total: money(corrected.totalTiyn), replaces: a.number, due: when(corrected.dueAt) }));
}

// ——— Bank payments ———

async function loadPayments() {
  const status = $('payment-status').value;
  const { payments } = await api('GET', `/staff/v1/payments?status=${encodeURIComponent(status)}`);
  if (status === 'unassigned') $('payments-count').textContent = `(${payments.length})`;
  const open = status === 'unassigned';
  const body = $('payments').querySelector('tbody');
  body.innerHTML = payments.map((p) => `
    <tr data-id="${esc(p.id)}">
      <td class="nowrap">${esc(day(p.receivedOn))}<div class="small">${esc(paymentSource(p.source))}</div></td>
      <td class="nowrap">№ ${esc(p.documentNumber)}<div class="small">${esc(msg('accounting.payment.documentDate', { date: day(p.documentDate) }))}${p.knp ? ` · ${esc(msg('accounting.payment.knp', { knp: p.knp }))}` : ''}</div></td>
      <td>${esc(p.payer.name)}<div class="small">${p.payer.binIin ? esc(msg('accounting.payment.binIin', { binIin: p.payer.binIin })) : ''}${p.payer.iik ? ` · ${esc(p.payer.iik)}` : ''}${p.payer.bik ? ` · ${esc(p.payer.bik)}` : ''}</div></td>
      <td class="num">${esc(money(p.amountTiyn))}</td>
      <td class="reason">${esc(p.purpose)}</td>
      <td>${open ? esc(p.unmatchedReason || '—') : `${esc(paymentStatus(p.status))}${p.clientId ? ` · ${esc(msg('accounting.payment.client', { clientId: p.clientId }))}` : ''}${p.returnReason ? `<div class="small">${esc(p.returnReason)}</div>` : ''}<div class="small">${esc(when(p.handledAt || p.recordedAt))}</div>`}</td>
      <td>${open ? `
        <input class="client-id" placeholder="${esc(msg('accounting.payment.clientId'))}" autocomplete="off">
        <button class="assign">${esc(msg('accounting.payment.assign'))}</button>
        <input class="return-reason" placeholder="${esc(msg('accounting.payment.returnReason'))}" autocomplete="off">
        <button class="return danger">${esc(msg('accounting.payment.return'))}</button>` : ''}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="7">${esc(msg(open ? 'accounting.payments.noneUnassigned' : 'accounting.payments.none'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const assign = row.querySelector('button.assign');
    const back = row.querySelector('button.return');
    if (assign) assign.onclick = () => busy(assign, () => assignPayment(row));
    if (back) back.onclick = () => busy(back, () => returnPayment(row));
  }
}

async function assignPayment(row) {
  const clientId = row.querySelector('input.client-id').value.trim();
  if (!UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('accounting.payment.clientIdRequired')}`);
  const p = await api('POST', `/staff/v1/payments/${encodeURIComponent(row.dataset.id)}/assign`, { clientId });
  await loadPayments();
  say('info', msg('accounting.payment.assigned', { document: p.documentNumber, amount: money(p.amountTiyn), clientId: p.clientId }));
}

async function returnPayment(row) {
  const reason = row.querySelector('input.return-reason').value.trim();
  if (reason.length < 3) throw new Error(`VALIDATION: ${msg('accounting.payment.returnReasonRequired')}`);
  const p = await api('POST', `/staff/v1/payments/${encodeURIComponent(row.dataset.id)}/return`, { reason });
  await loadPayments();
  say('info', msg('accounting.payment.returned', { document: p.documentNumber, amount: money(p.amountTiyn) }));
}

// ——— Refunds (6.11, 3.7, 4.1.2, 10.4) ———

const refundOverdue = (r) => r.status === 'pending' && (r.overdue || (!!r.dueAt && new Date(r.dueAt).getTime() < Date.now()));

function refundGrounds(r) {
  if (r.status !== 'pending') return '—';
  if (r.kind !== 'request') return `<div class="no-refusal">${esc(msg(r.kind === 'one_year' ? 'accounting.refund.noRefusal.oneYear' : 'accounting.refund.noRefusal.termination'))}</div>`;
  if (!r.refusalGrounds.length) return `<div class="no-refusal">${esc(msg('accounting.refund.noRefusal.noGrounds'))}</div>`;
  return `<ul class="grounds">${r.refusalGrounds.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>`;
}

function refundOutcome(r) {
  if (r.status === 'paid') {
    const cost = r.bankFeeTiyn || 0;
    const fees = r.clientBankFeesTiyn || 0;
    const sent = money(r.paidTiyn - cost + fees);
    const parts = [
      msg('accounting.refund.paid.debited', { amount: money(r.paidTiyn) }),
      cost ? msg('accounting.refund.paid.operatorCosts', { amount: money(cost) }) : '',
      fees ? msg('accounting.refund.paid.clientFees', { amount: money(fees) }) : '',
      r.iik ? msg('accounting.refund.paid.sentTo', { amount: sent, iik: r.iik }) : msg('accounting.refund.paid.sent', { amount: sent }),
    ].filter(Boolean);
    return `<span class="ok">${esc(refundStatus('paid'))}</span> ${esc(when(r.decidedAt))}${r.clause ? ` ${esc(msg('accounting.refund.clause', { clause: r.clause }))}` : ''}<div class="small">${esc(parts.join(', '))}</div>`;
  }
  return `<span class="bad">${esc(refundStatus(r.status))}</span> ${esc(when(r.decidedAt))}${r.decisionReason ? `<div class="small reason">${esc(r.decisionReason)}</div>` : ''}`;
}

async function loadRefunds() {
  const status = $('refund-status').value;
  const { refunds } = await api('GET', `/staff/v1/refunds${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  const pending = refunds.filter((r) => r.status === 'pending');
  if (!status || status === 'pending') $('refunds-count').textContent = pending.length ? `(${pending.length})` : '';
  const body = $('refunds').querySelector('tbody');
  body.innerHTML = refunds.map((r) => `
    <tr data-id="${esc(r.id)}" class="${refundOverdue(r) ? 'overdue' : ''}">
      <td class="nowrap">${esc(when(r.requestedAt))}</td>
      <td>${esc(r.clientName)}<div class="small">${esc(r.clientId)} · ${esc(r.iik ? msg('accounting.refund.iik', { iik: r.iik }) : msg('accounting.refund.noIik'))}</div></td>
      <td>${esc(refundKind(r.kind))}</td>
      <td class="num">${esc(r.amountRequestedTiyn === null ? msg('accounting.refund.wholeBalance') : money(r.amountRequestedTiyn))}</td>
      <td class="num">${esc(money(r.availableTiyn))}</td>
      <td class="nowrap due${refundOverdue(r) ? ' late' : ''}">${r.status === 'pending' && !r.dueAt ? `<span class="small">${esc(msg('accounting.refund.dueComputing'))}</span>` : esc(dueBy(r.dueAt))}${refundOverdue(r) ? `<div>${esc(msg('accounting.overdue'))}</div>` : ''}</td>
      <td class="grounds-cell">${refundGrounds(r)}</td>
      <td class="outcome">${r.status === 'pending' ? `${refundPayInputs(r)}
        <button class="pay">${esc(msg('accounting.refund.pay'))}</button>
        <input class="refuse-reason" placeholder="${esc(msg('accounting.refund.refuseReason'))}" autocomplete="off">
        <button class="refuse danger">${esc(msg('accounting.refund.refuse'))}</button>` : refundOutcome(r)}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${esc(msg(status === 'pending' ? 'accounting.refunds.nonePending' : 'accounting.refunds.none'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const pay = row.querySelector('button.pay');
    const refuse = row.querySelector('button.refuse');
    if (pay) pay.onclick = () => busy(pay, () => payRefund(row));
    if (refuse) refuse.onclick = () => busy(refuse, () => refuseRefund(row));
  }
  // The due date is recorded by the refund's workflow just after the request: asked again shortly.
  pollSoon('refunds', pending.some((r) => !r.dueAt), loadRefunds);
}

/**
 * What the accountant enters depends on the clause: 3.7 alone deducts the operator's actual bank
 * costs; on a termination for the operator's breach (4.1.2) the client's documented bank fees are
 * paid on top; a refund on request (6.11) returns the whole unused advance.
 */
function refundPayInputs(r) {
  if (r.kind === 'one_year') {
    return `<label class="small">${esc(msg('accounting.refund.input.operatorCosts'))}</label>
        <input class="fee" inputmode="decimal" autocomplete="off" value="0,00">`;
  }
  if (r.kind === 'termination') {
    return `<label class="small">${esc(msg('accounting.refund.input.clientFees'))}</label>
        <input class="client-fees" inputmode="decimal" autocomplete="off" value="0,00">
        <input class="client-fees-document" placeholder="${esc(msg('accounting.refund.input.clientFeesDocument'))}" autocomplete="off">`;
  }
  return `<div class="small">${esc(msg('accounting.refund.input.wholeAdvance'))}</div>`;
}

async function payRefund(row) {
  const body = {};
  const fee = row.querySelector('input.fee');
  if (fee) body.bankFeeTiyn = tiynFromTenge(fee.value, msg('accounting.refund.operatorCosts'));
  const clientFees = row.querySelector('input.client-fees');
  if (clientFees) {
    body.clientBankFeesTiyn = tiynFromTenge(clientFees.value, msg('accounting.refund.clientFees'));
    const document = row.querySelector('input.client-fees-document').value.trim();
    if (document) body.clientBankFeesDocument = document;
  }
  const r = await api('POST', `/staff/v1/refunds/${encodeURIComponent(row.dataset.id)}/pay`, body);
  await loadRefunds();
  say('info', msg('accounting.refund.paidMessage', { client: r.clientName, clause: r.clause, debited: money(r.paidTiyn), sent: money(r.paidTiyn - (r.bankFeeTiyn || 0) + (r.clientBankFeesTiyn || 0)) }));
}

async function refuseRefund(row) {
  const reason = row.querySelector('input.refuse-reason').value.trim();
  if (reason.length < 5) throw new Error(`VALIDATION: ${msg('accounting.refund.refuseReasonRequired')}`);
  const r = await api('POST', `/staff/v1/refunds/${encodeURIComponent(row.dataset.id)}/refuse`, { reason });
  await loadRefunds();
  say('info', msg('accounting.refund.refusedMessage', { client: r.clientName }));
}

for (const tab of document.querySelectorAll('nav button')) tab.onclick = () => switchTo(tab.dataset.view);
$('apply').onclick = () => busy($('apply'), loadActs);
$('status').onchange = () => busy($('apply'), loadActs);
$('overdue').onchange = () => busy($('apply'), loadActs);
$('month').onchange = () => busy($('apply'), loadActs);
$('export').onclick = () => busy($('export'), exportCsv);
$('payment-status').onchange = () => busy($('payments-refresh'), loadPayments);
$('payments-refresh').onclick = () => busy($('payments-refresh'), loadPayments);
$('refund-status').onchange = () => busy($('refunds-refresh'), loadRefunds);
$('refunds-refresh').onclick = () => busy($('refunds-refresh'), loadRefunds);
wireSignIn(TOKEN_KEY, signIn, () => { location.hash = ''; });
