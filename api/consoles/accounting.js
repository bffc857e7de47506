'use strict';
const TOKEN_KEY = 'ismet-staff-token';
const STATUSES = { issued: 'выставлен', signed: 'подписан', disputed: 'отказ', auto_accepted: 'принят по сроку', confirmed: 'подтверждён', superseded: 'заменён' };
const EVENTS = { issued: 'акт выставлен', signed: 'подписан ЭЦП клиента', refused: 'мотивированный отказ', auto_accepted: 'принят по истечении срока (п. 6.8)', confirmed: 'подтверждён бухгалтером', corrected: 'выставлен исправленный акт' };
const PAYMENT_STATUSES = { unassigned: 'невыяснен', credited: 'зачислен', returned: 'возвращён' };
const SOURCES = { manual: 'вручную', '1c': 'выписка 1С', csv: 'выписка CSV' };
const REFUND_KINDS = { request: 'по заявлению (п. 6.11)', one_year: 'год без услуг (п. 3.7)', termination: 'при расторжении (пп. 4.1.2, 10.4)' };
const REFUND_STATUSES = { pending: 'ожидает ответа', paid: 'выплачен', refused: 'отказано' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let selected = location.hash.slice(1) || null;

/**
 * Тенге, как их ввели («1 234,56», «1.5», «12»), → целые тиыны по десятичной строке, без
 * арифметики с плавающей точкой: не больше двух знаков после запятой или точки.
 */
function tiynFromTenge(text, what) {
  const s = String(text ?? '').replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`VALIDATION: ${what}: сумма в тенге, например 1,50 (не больше двух знаков после запятой).`);
  const whole = m[1].replace(/^0+(?=\d)/, '');
  if (whole.length > 13) throw new Error(`VALIDATION: ${what}: слишком большая сумма.`);
  return Number(whole) * 100 + Number((m[2] || '').padEnd(2, '0'));
}
/** Milliseconds to the deadline → «осталось 2 дн 3 ч» / «просрочен на 1 ч 20 мин»; «—» when the act no longer awaits the client. */
function timeLeft(ms) {
  if (ms === null || ms === undefined) return '—';
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days ? `${days} дн ${hours} ч` : hours ? `${hours} ч ${minutes % 60} мин` : `${minutes % 60} мин`;
  return ms >= 0 ? `осталось ${text}` : `просрочен на ${text}`;
}
function actor(a) {
  if (a === 'operator') return 'оператор';
  if (a === 'client') return 'клиент';
  if (String(a).startsWith('staff:')) return `сотрудник ${a.slice(6)}`;
  return a;
}

async function signIn() {
  try {
    const me = await api('GET', '/staff/v1/me');
    if (!me.roles.some((r) => r === 'accountant' || r === 'admin')) throw new Error('FORBIDDEN: нужна роль accountant или admin');
    signedIn('console', `${me.name} (${me.roles.join(', ')})`);
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
  const overdue = a.overdue ? ' <span class="late">· просрочен</span>' : '';
  const reason = a.status === 'disputed' && a.refusalReason ? `<div class="small reason">Причина отказа: ${esc(a.refusalReason)}</div>` : '';
  return `<span class="st-${esc(a.status)}">${esc(STATUSES[a.status] || a.status)}</span>${overdue}${reason}`;
}

/** The list as the API orders it: disputed and overdue first. */
async function loadActs() {
  const { acts } = await api('GET', `/staff/v1/acts?${actsQuery()}`);
  $('acts-count').textContent = `(${acts.length})`;
  const body = $('acts').tBodies[0];
  body.innerHTML = acts.map((a) => `
    <tr data-id="${esc(a.id)}" class="${[a.overdue ? 'overdue' : '', a.status === 'disputed' ? 'disputed' : '', a.id === selected ? 'selected' : ''].filter(Boolean).join(' ')}">
      <td class="nowrap">${esc(a.number)}${a.revision > 1 ? ` <span class="small">испр. ${esc(a.revision - 1)}</span>` : ''}</td>
      <td>${esc(a.clientName)}</td>
      <td class="nowrap">${esc(period(a))}</td>
      <td>${statusCell(a)}</td>
      <td class="num">${esc(money(a.totalTiyn))}</td>
      <td class="nowrap">${esc(when(a.dueAt))}</td>
      <td class="nowrap${a.overdue ? ' late' : ''}">${esc(timeLeft(a.timeLeftMs))}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="7">Актов по этим условиям нет.</td></tr>';
  for (const row of body.querySelectorAll('tr[data-id]')) {
    row.onclick = () => show(row.dataset.id).then(() => $('detail').scrollIntoView({ block: 'nearest' }), (error) => say('error', error.message));
  }
}

async function exportCsv() {
  await download(`/staff/v1/acts.csv?${actsQuery()}`, 'acts.csv');
  say('info', 'Список актов выгружен в CSV.');
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
    <h2>Акт ${esc(a.number)} <small class="st-${esc(a.status)}">${esc(STATUSES[a.status] || a.status)}</small></h2>
    ${a.refusalReason ? `<p class="refusal"><b>Причина отказа клиента:</b> <span id="refusal-reason" class="reason">${esc(a.refusalReason)}</span></p>` : ''}
    <dl>
      <dt>Клиент</dt><dd>${esc(a.clientName)} <span class="small">${esc(a.clientId)}</span></dd>
      <dt>Период</dt><dd>${esc(period(a))}</dd>
      <dt>Редакция</dt><dd>${a.revision > 1 ? `исправленный акт (${esc(a.revision)}-я редакция)` : 'первоначальный'}</dd>
      <dt>Счёт-фактура</dt><dd>${esc(a.vatInvoiceNumber)}</dd>
      <dt>Выставлен</dt><dd>${esc(when(a.issuedAt))}</dd>
      <dt>Срок подписания</dt><dd>${esc(when(a.dueAt))}${a.timeLeftMs === null ? '' : ` · <span class="${a.overdue ? 'late' : ''}">${esc(timeLeft(a.timeLeftMs))}</span>`}</dd>
      <dt>Кодов</dt><dd>${esc(count(a.codes))}</dd>
      <dt>Без НДС</dt><dd>${esc(money(a.netTiyn))}</dd>
      <dt>НДС</dt><dd>${esc(money(a.vatTiyn))}</dd>
      <dt>Итого с НДС</dt><dd><b id="detail-total">${esc(money(a.totalTiyn))}</b></dd>
    </dl>
    <p class="row">
      ${fileButton('act', a.files.pdf, 'Акт (PDF)', `act_${a.number}.pdf`)}
      ${fileButton('vat-invoice', a.files.vatInvoice, 'Счёт-фактура (PDF)', `vat_invoice_${a.number}.pdf`)}
      ${fileButton('detailed-report', a.files.detailedReport, 'Детальный отчёт (PDF)', `detailed_report_${a.number}.pdf`)}
    </p>
    <h3>Строки акта</h3>
    <table id="lines">
      <thead><tr><th>#</th><th class="num">Кодов</th><th class="num">Цена кода без НДС</th><th class="num">Без НДС</th><th class="num">НДС</th><th class="num">Всего</th>${disputed ? '<th class="num">Принять кодов</th>' : ''}</tr></thead>
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
        <h3>Решение по отказу</h3>
        <p><textarea id="reason" placeholder="Обоснование решения (обязательно)"></textarea></p>
        <p class="row"><button id="confirm">Подтвердить акт как выставленный</button></p>
        <p class="small">Исправленный акт: укажите в таблице выше, сколько кодов каждой строки принимается; стоимость остальных возвращается на лицевой счёт (п. 6.6.4), у исправленного акта свои 5 рабочих дней (п. 6.8).</p>
        <p class="row"><button id="correct" class="danger">Выставить исправленный акт</button></p>
      </div>` : ''}
    <h3>История</h3>
    <table id="history">
      <thead><tr><th>Время</th><th>Событие</th><th>Кто</th><th>Примечание</th></tr></thead>
      <tbody>${history.map((e) => `<tr><td class="nowrap">${esc(when(e.at))}</td><td>${esc(EVENTS[e.kind] || e.kind)}</td><td>${esc(actor(e.actor))}</td><td class="reason">${esc(e.note)}</td></tr>`).join('') || '<tr><td colspan="4">Событий нет.</td></tr>'}</tbody>
    </table>`;
  for (const button of $('detail').querySelectorAll('button.file')) {
    button.onclick = () => busy(button, () => download(button.dataset.url, button.dataset.name));
  }
  if ($('confirm')) $('confirm').onclick = () => busy($('confirm'), () => confirmAct(a));
  if ($('correct')) $('correct').onclick = () => busy($('correct'), () => correctAct(a, lines));
}

function resolutionReason() {
  const reason = $('reason').value.trim();
  if (reason.length < 3) throw new Error('VALIDATION: укажите обоснование решения (не короче 3 символов).');
  return reason;
}

async function confirmAct(a) {
  const reason = resolutionReason();
  const confirmed = await api('POST', `/staff/v1/acts/${encodeURIComponent(a.id)}/confirm`, { reason });
  await Promise.all([loadActs(), show(confirmed.id)]);
  say('info', `Акт № ${confirmed.number} подтверждён: ${STATUSES[confirmed.status] || confirmed.status}.`);
}

async function correctAct(a, lines) {
  const reason = resolutionReason();
  const inputs = [...$('detail').querySelectorAll('input.accepted')];
  const acceptedCodes = inputs.map((input, i) => {
    const text = input.value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > lines[i].codes) throw new Error(`VALIDATION: строка ${i + 1}: принять можно от 0 до ${lines[i].codes} кодов.`);
    return n;
  });
  const corrected = await api('POST', `/staff/v1/acts/${encodeURIComponent(a.id)}/correct`, { reason, acceptedCodes });
  await Promise.all([loadActs(), show(corrected.id)]);
  say('info', `Выставлен исправленный акт № ${corrected.number} на ${money(corrected.totalTiyn)} взамен № ${a.number}; срок подписания ${when(corrected.dueAt)}.`);
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
      <td class="nowrap">${esc(day(p.receivedOn))}<div class="small">${esc(SOURCES[p.source] || p.source)}</div></td>
      <td class="nowrap">№ ${esc(p.documentNumber)}<div class="small">от ${esc(day(p.documentDate))}${p.knp ? ` · КНП ${esc(p.knp)}` : ''}</div></td>
      <td>${esc(p.payer.name)}<div class="small">${p.payer.binIin ? `БИН/ИИН ${esc(p.payer.binIin)}` : ''}${p.payer.iik ? ` · ${esc(p.payer.iik)}` : ''}${p.payer.bik ? ` · ${esc(p.payer.bik)}` : ''}</div></td>
      <td class="num">${esc(money(p.amountTiyn))}</td>
      <td class="reason">${esc(p.purpose)}</td>
      <td>${open ? esc(p.unmatchedReason || '—') : `${esc(PAYMENT_STATUSES[p.status] || p.status)}${p.clientId ? ` · клиент ${esc(p.clientId)}` : ''}${p.returnReason ? `<div class="small">${esc(p.returnReason)}</div>` : ''}<div class="small">${esc(when(p.handledAt || p.recordedAt))}</div>`}</td>
      <td>${open ? `
        <input class="client-id" placeholder="Идентификатор клиента (UUID)" autocomplete="off">
        <button class="assign">Зачислить</button>
        <input class="return-reason" placeholder="Причина возврата" autocomplete="off">
        <button class="return danger">Вернуть</button>` : ''}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="7">${open ? 'Невыясненных платежей нет.' : 'Платежей нет.'}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const assign = row.querySelector('button.assign');
    const back = row.querySelector('button.return');
    if (assign) assign.onclick = () => busy(assign, () => assignPayment(row));
    if (back) back.onclick = () => busy(back, () => returnPayment(row));
  }
}

async function assignPayment(row) {
  const clientId = row.querySelector('input.client-id').value.trim();
  if (!UUID.test(clientId)) throw new Error('VALIDATION: укажите идентификатор клиента (UUID).');
  const p = await api('POST', `/staff/v1/payments/${encodeURIComponent(row.dataset.id)}/assign`, { clientId });
  await loadPayments();
  say('info', `Платёж № ${p.documentNumber} на ${money(p.amountTiyn)} зачислен на лицевой счёт клиента ${p.clientId}; клиент уведомлён.`);
}

async function returnPayment(row) {
  const reason = row.querySelector('input.return-reason').value.trim();
  if (reason.length < 3) throw new Error('VALIDATION: укажите причину возврата (не короче 3 символов).');
  const p = await api('POST', `/staff/v1/payments/${encodeURIComponent(row.dataset.id)}/return`, { reason });
  await loadPayments();
  say('info', `Платёж № ${p.documentNumber} на ${money(p.amountTiyn)} отмечен к возврату плательщику.`);
}

// ——— Refunds (6.11, 3.7, 4.1.2, 10.4) ———

const refundOverdue = (r) => r.status === 'pending' && (r.overdue || (!!r.dueAt && new Date(r.dueAt).getTime() < Date.now()));

function refundGrounds(r) {
  if (r.status !== 'pending') return '—';
  if (r.kind !== 'request') return `<div class="no-refusal">Отказ не допускается: возврат по Договору (${r.kind === 'one_year' ? 'п. 3.7' : 'пп. 4.1.2, 10.4'}). Кнопка «Отказать» будет отклонена системой.</div>`;
  if (!r.refusalGrounds.length) return '<div class="no-refusal">Отказ не допускается (п. 6.11): у клиента нет задолженности и незавершённых заявок в работе. Кнопка «Отказать» будет отклонена системой.</div>';
  return `<ul class="grounds">${r.refusalGrounds.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>`;
}

function refundOutcome(r) {
  if (r.status === 'paid') {
    const cost = r.bankFeeTiyn || 0;
    const fees = r.clientBankFeesTiyn || 0;
    return `<span class="ok">${esc(REFUND_STATUSES.paid)}</span> ${esc(when(r.decidedAt))}${r.clause ? ` (п. ${esc(r.clause)})` : ''}<div class="small">списано со счёта ${esc(money(r.paidTiyn))}${cost ? `, расходы Оператора на банковские услуги ${esc(money(cost))}` : ''}${fees ? `, банковские комиссии клиента ${esc(money(fees))}` : ''}, клиенту перечислено ${esc(money(r.paidTiyn - cost + fees))}${r.iik ? ` на ${esc(r.iik)}` : ''}</div>`;
  }
  return `<span class="bad">${esc(REFUND_STATUSES[r.status] || r.status)}</span> ${esc(when(r.decidedAt))}${r.decisionReason ? `<div class="small reason">${esc(r.decisionReason)}</div>` : ''}`;
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
      <td>${esc(r.clientName)}<div class="small">${esc(r.clientId)}${r.iik ? ` · ИИК ${esc(r.iik)}` : ' · ИИК не указан'}</div></td>
      <td>${esc(REFUND_KINDS[r.kind] || r.kind)}</td>
      <td class="num">${r.amountRequestedTiyn === null ? 'весь остаток' : esc(money(r.amountRequestedTiyn))}</td>
      <td class="num">${esc(money(r.availableTiyn))}</td>
      <td class="nowrap due${refundOverdue(r) ? ' late' : ''}">${r.status === 'pending' && !r.dueAt ? '<span class="small">рассчитывается…</span>' : esc(dueBy(r.dueAt))}${refundOverdue(r) ? '<div>просрочен</div>' : ''}</td>
      <td class="grounds-cell">${refundGrounds(r)}</td>
      <td class="outcome">${r.status === 'pending' ? `${refundPayInputs(r)}
        <button class="pay">Выплатить</button>
        <input class="refuse-reason" placeholder="Причина отказа" autocomplete="off">
        <button class="refuse danger">Отказать</button>` : refundOutcome(r)}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${status === 'pending' ? 'Возвратов, ожидающих ответа, нет.' : 'Возвратов нет.'}</td></tr>`;
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
    return `<label class="small">Фактические расходы Оператора на банковские услуги (п. 3.7), ₸</label>
        <input class="fee" inputmode="decimal" autocomplete="off" value="0,00">`;
  }
  if (r.kind === 'termination') {
    return `<label class="small">Банковские комиссии клиента — только при отказе клиента из-за нарушения Оператором (п. 4.1.2), ₸</label>
        <input class="client-fees" inputmode="decimal" autocomplete="off" value="0,00">
        <input class="client-fees-document" placeholder="Документ клиента (№, дата)" autocomplete="off">`;
  }
  return '<div class="small">Возвращается весь неиспользованный аванс, без удержаний (п. 6.11).</div>';
}

async function payRefund(row) {
  const body = {};
  const fee = row.querySelector('input.fee');
  if (fee) body.bankFeeTiyn = tiynFromTenge(fee.value, 'расходы Оператора на банковские услуги');
  const clientFees = row.querySelector('input.client-fees');
  if (clientFees) {
    body.clientBankFeesTiyn = tiynFromTenge(clientFees.value, 'банковские комиссии клиента');
    const document = row.querySelector('input.client-fees-document').value.trim();
    if (document) body.clientBankFeesDocument = document;
  }
  const r = await api('POST', `/staff/v1/refunds/${encodeURIComponent(row.dataset.id)}/pay`, body);
  await loadRefunds();
  say('info', `Возврат клиенту ${r.clientName} выплачен (п. ${r.clause}): со счёта ${money(r.paidTiyn)}, перечислено ${money(r.paidTiyn - (r.bankFeeTiyn || 0) + (r.clientBankFeesTiyn || 0))}; клиент уведомлён.`);
}

async function refuseRefund(row) {
  const reason = row.querySelector('input.refuse-reason').value.trim();
  if (reason.length < 5) throw new Error('VALIDATION: укажите причину отказа (не короче 5 символов).');
  const r = await api('POST', `/staff/v1/refunds/${encodeURIComponent(row.dataset.id)}/refuse`, { reason });
  await loadRefunds();
  say('info', `В возврате клиенту ${r.clientName} отказано; клиент уведомлён.`);
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
