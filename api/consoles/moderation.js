'use strict';
const TOKEN_KEY = 'ismet-staff-token';
const LABELS = {
  companyName: 'Наименование', signerName: 'Подписант', signerPosition: 'Должность', authorityBasis: 'Действует на основании',
  binIin: 'БИН/ИИН', legalAddress: 'Юридический адрес', actualAddress: 'Фактический адрес', iik: 'ИИК (р/с)', bankName: 'Банк',
  kbe: 'КБе', bik: 'БИК', phone: 'Телефон', email: 'E-mail', personalDataConsent: 'Согласие на обработку ПД (п. 10.7)',
};
const VIEWS = ['applications-view', 'rejected-view', 'products-view', 'registrations-view'];
let selected = VIEWS.includes(location.hash.slice(1)) ? null : location.hash.slice(1) || null;
let me = null;
let selectedProduct = null;
/**
 * The API's refusals this console meets, in Russian (a function reads the refusal's details);
 * any other is shown with its code and message as the API sent it.
 */
const ERRORS = {
  FORBIDDEN: 'Недостаточно прав: с этим ключом API действие недоступно.',
  NOT_FOUND: 'Не найдено: проверьте идентификатор.',
  VALIDATION_FAILED: (d, m) => `Проверьте поля: ${m.replace(/^[A-Z_]+: /, '')}`,
  PRODUCT_NOT_PENDING: 'Товар уже не на проверке: решение по нему принято.',
  RIGHTS_ALREADY_ACCEPTED: 'Право клиента на этот GTIN уже принято.',
  GTIN_OF_ANOTHER_COMPANY: 'GTIN относится к GS1-префиксу, записанному за другой компанией: принять право этого клиента нельзя.',
  GTIN_ACCEPTED_FOR_ANOTHER_CLIENT: 'Право на этот GTIN уже принято для другого клиента: сначала отклоните его там.',
  PREFIX_OF_ANOTHER_COMPANY: 'Этот префикс (или пересекающийся с ним) уже записан за другой компанией: префикс принадлежит одной компании.',
  PREFIX_RECORDED: 'Этот префикс (или пересекающийся с ним) уже записан за этим клиентом.',
  ALREADY_REVOKED: 'Префикс уже отозван.',
  SAME_PERSON: 'Подтвердить может только другой сотрудник: предложивший регистрацию не принимает по ней решение.',
  ALREADY_DECIDED: 'Решение по этой регистрации уже принято.',
  CLIENT_EXISTS: 'Клиент с таким БИН/ИИН уже зарегистрирован.',
  REGISTRATION_PENDING: 'Регистрация этого БИН/ИИН уже ждёт решения.',
};
const RIGHTS_STATUSES = { pending: 'на проверке', accepted: 'принято', rejected: 'отклонено' };
const RIGHTS_BASES = { gs1_prefix: 'GS1-префикс клиента', moderation: 'модерация', legacy: 'в каталоге до проверки прав' };
const REGISTRATION_STATUSES = { pending: 'ждёт решения', approved: 'подтверждена', rejected: 'отклонена' };
const REQUISITES = { companyName: 'Наименование', legalAddress: 'Юр. адрес', actualAddress: 'Факт. адрес', iik: 'ИИК', bankName: 'Банк', bik: 'БИК', kbe: 'КБе', phone: 'Телефон' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A call of the API (see api) whose refusal reads in Russian where ERRORS knows its code. */
async function call(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (error) {
    const text = error.code && Object.hasOwn(ERRORS, error.code) ? ERRORS[error.code] : null;
    if (text) error.message = typeof text === 'function' ? text(error.details || {}, error.message) : text;
    throw error;
  }
}
/** A row that opens something on a click, and on Enter or Space from the keyboard. */
function activates(row, open) {
  row.tabIndex = 0;
  row.onclick = open;
  row.onkeydown = (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); open(); } };
}

const hm = (minutes) => `${Math.floor(minutes / 60)} ч ${String(minutes % 60).padStart(2, '0')} мин`;

async function signIn() {
  try {
    me = await api('GET', '/staff/v1/me');
    if (!me.roles.some((r) => r === 'moderator' || r === 'admin')) throw new Error('нужна роль moderator');
    signedIn('console', `${me.name} (${me.roles.join(', ')})`);
    calendarBanner(me);
    const wanted = location.hash.slice(1);
    switchTo(VIEWS.includes(wanted) ? wanted : 'applications-view');
    const results = await Promise.allSettled([loadQueue(), loadRejected(), loadProducts(), loadRegistrations()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) say('error', failed.reason.message);
    if (selected) await show(selected);
  } catch (error) {
    me = null;
    notSignedIn(error);
  }
}

async function loadQueue() {
  const { applications } = await api('GET', '/staff/v1/join-applications');
  $('count').textContent = `(${applications.length})`;
  $('queue').innerHTML = applications.map((a) => `
    <tr data-id="${a.id}" class="${a.id === selected ? 'selected' : ''}">
      <td>${esc(a.number)}</td><td>${esc(a.form.companyName)}</td><td>${esc(a.binIin)}</td><td>${when(a.submittedAt)}</td>
      <td class="${a.waiting.remindersSent > 0 ? 'late' : ''}">${hm(a.waiting.workingMinutes)}${a.waiting.remindersSent ? ` · напоминаний: ${a.waiting.remindersSent}` : ''}</td>
    </tr>`).join('') || '<tr><td colspan="5">Очередь пуста.</td></tr>';
  for (const row of $('queue').querySelectorAll('tr[data-id]')) activates(row, () => show(row.dataset.id));
}

async function show(id) {
  selected = id;
  history.replaceState(null, '', `#${id}`);
  for (const row of $('queue').querySelectorAll('tr')) row.classList.toggle('selected', row.dataset.id === id);
  const a = await api('GET', `/staff/v1/join-applications/${id}`);
  const check = a.signatureCheck;
  const signer = check && check.signer || {};
  $('detail').innerHTML = `
    <h2>Заявление ${esc(a.number)} <small>${esc(a.status)}</small></h2>
    <dl>${Object.entries(LABELS).map(([k, label]) => `<dt>${label}</dt><dd data-field="${k}">${esc(k === 'personalDataConsent' ? (a.form[k] ? 'дано' : 'нет') : a.form[k])}</dd>`).join('')}
      <dt>Подано</dt><dd>${when(a.submittedAt)}</dd><dt>Дата присоединения</dt><dd>${esc(a.joinedOn)} (договор с ${esc(a.effectiveFrom)})</dd>
      <dt>Ожидает</dt><dd>${hm(a.waiting.workingMinutes)} рабочего времени${a.waiting.reminderDueAt ? `; напоминание ${when(a.waiting.reminderDueAt)}` : ''}</dd>
    </dl>
    <h3>Проверка ЭЦП: <span id="signature-verdict" class="${check && check.valid ? 'ok' : 'bad'}">${check ? (check.valid ? 'подпись действительна' : 'подпись не принята') : 'нет данных'}</span></h3>
    <dl><dt>Владелец сертификата</dt><dd>${esc(signer.commonName)} ${signer.iin ? `ИИН ${esc(signer.iin)}` : ''} ${signer.bin ? `БИН ${esc(signer.bin)}` : ''}</dd>
      <dt>Издатель</dt><dd>${esc(signer.issuer)}</dd><dt>Срок действия</dt><dd>${when(signer.notBefore)} — ${when(signer.notAfter)}</dd>
      <dt>Время подписания</dt><dd>${when(check && check.signingTime)}</dd></dl>
    <ul id="checks">${(check ? check.checks : []).map((c) => `<li class="${c.ok ? 'ok' : 'bad'}">${c.ok ? '✓' : '✗'} ${esc(c.name)}: ${esc(c.detail)}</li>`).join('')}</ul>
    ${a.status === 'awaiting_moderation' ? `
      <p><button id="approve">Одобрить и активировать</button></p>
      <p><label for="reason">Причина отказа (обязательна)</label><textarea id="reason"></textarea><br><button id="reject" class="secondary">Отказать в активации</button></p>`
      : `<p>Решение: ${esc(a.status)} ${a.decidedBy ? `— ${esc(a.decidedBy.name)}, ${when(a.decidedAt)}` : ''} ${a.decisionReason ? `<br>Причина: ${esc(a.decisionReason)}` : ''}</p>`}`;
  if ($('approve')) $('approve').onclick = () => decide(id, 'approve');
  if ($('reject')) $('reject').onclick = () => decide(id, 'reject');
}

async function decide(id, decision) {
  try {
    const reason = decision === 'reject' ? $('reason').value.trim() : undefined;
    if (decision === 'reject' && reason.length < 3) return say('error', 'Укажите причину отказа.');
    const a = await api('POST', `/staff/v1/join-applications/${id}/${decision}`, decision === 'reject' ? { reason } : {});
    await loadQueue();
    await show(id);
    say('info', a.status === 'approved' ? 'Клиент активирован, уведомление отправлено.' : 'Отказ оформлен, заявитель уведомлён.');
  } catch (error) {
    say('error', error.message);
  }
}


function switchTo(view) {
  for (const tab of document.querySelectorAll('nav button[data-view]')) {
    const active = tab.dataset.view === view;
    tab.classList.toggle('active', active);
    tab.setAttribute('aria-current', active ? 'page' : 'false');
  }
  for (const id of VIEWS) $(id).hidden = id !== view;
  const hash = view === 'applications-view' && selected ? selected : view;
  if (location.hash.slice(1) !== hash) history.replaceState(null, '', `#${hash}`);
}

// ——— Applications refused for their EDS signature ———

async function loadRejected() {
  const binIin = $('rejected-bin').value.replace(/\s+/g, '');
  if (binIin && !/^\d{12}$/.test(binIin)) throw new Error('VALIDATION: БИН/ИИН — 12 цифр.');
  const { rejections } = await call('GET', `/staff/v1/join-applications/rejected?limit=200${binIin ? `&binIin=${binIin}` : ''}`);
  $('rejected-count').textContent = `(${rejections.length})`;
  $('rejected').querySelector('tbody').innerHTML = rejections.map((r) => {
    const form = r.form || {};
    const problems = (r.problems || []).map((p) => `<li data-code="${esc(p.code)}">${esc(p.messageRu || p.message)}</li>`).join('');
    return `<tr data-id="${esc(r.id)}">
      <td class="nowrap">${when(r.receivedAt)}</td><td>${esc(r.binIin)}</td><td>${esc(form.companyName)}</td><td>${esc(r.email)}</td>
      <td><ul class="problems">${problems || '<li>—</li>'}</ul></td><td>${esc(r.clientIp || '—')}</td>
    </tr>`;
  }).join('') || `<tr><td colspan="6">${binIin ? 'Для этого БИН/ИИН отклонённых заявлений нет.' : 'Отклонённых заявлений нет.'}</td></tr>`;
}

// ——— Products: the client's right to a GTIN ———

function attention(p) {
  const notes = [];
  if (p.prefixOwner) {
    notes.push(p.prefixOwner.clientId === p.clientId
      ? `под префиксом клиента ${esc(p.prefixOwner.prefix)}`
      : `<span class="bad">префикс ${esc(p.prefixOwner.prefix)} записан за «${esc(p.prefixOwner.clientName)}»</span>`);
  }
  for (const o of p.sameGtin || []) notes.push(`${o.status === 'accepted' ? '<span class="bad">' : '<span>'}тот же GTIN у «${esc(o.clientName)}» (${esc(RIGHTS_STATUSES[o.status] || o.status)})</span>`);
  if (!p.evidence || (!p.evidence.text && !p.evidence.document)) notes.push('доказательств нет');
  return notes.join('<br>') || '—';
}

async function loadProducts() {
  const status = $('products-status').value;
  const { products } = await call('GET', `/staff/v1/products?status=${encodeURIComponent(status)}`);
  if (status === 'pending') $('products-count').textContent = `(${products.length})`;
  $('products').querySelector('tbody').innerHTML = products.map((p) => `
    <tr data-id="${esc(p.id)}" class="${p.id === selectedProduct ? 'selected' : ''}">
      <td>${esc(p.clientName)}</td><td class="nowrap">${esc(p.gtin)}</td><td>${esc(p.name)}</td><td class="nowrap">${when(p.createdAt)}</td>
      <td class="small">${attention(p)}</td>
      <td class="nowrap"><button class="plain small-button open-product" aria-label="Открыть товар ${esc(p.gtin)}">Открыть</button></td>
    </tr>`).join('') || `<tr><td colspan="6">${status === 'pending' ? 'Очередь пуста.' : 'Таких товаров нет.'}</td></tr>`;
  for (const row of $('products').querySelectorAll('tr[data-id]')) row.querySelector('button.open-product').onclick = () => busy(row.querySelector('button'), () => showProduct(row.dataset.id));
}

async function showProduct(id) {
  selectedProduct = id;
  for (const row of $('products').querySelectorAll('tbody tr')) row.classList.toggle('selected', row.dataset.id === id);
  const p = await call('GET', `/staff/v1/products/${id}`);
  const attrs = Object.entries(p.attributes || {});
  const doc = p.evidence && p.evidence.document;
  $('product').innerHTML = `
    <h2>${esc(p.name)} <small class="st-${esc(p.rights.status)}">${esc(RIGHTS_STATUSES[p.rights.status] || p.rights.status)}</small></h2>
    <dl>
      <dt>GTIN</dt><dd data-field="gtin">${esc(p.gtin)}</dd>
      <dt>Клиент</dt><dd>${esc(p.clientName)} <span class="small">${esc(p.clientId)}</span></dd>
      <dt>Зарегистрирован</dt><dd>${when(p.createdAt)}</dd>
      ${attrs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}
      <dt>Основание решения</dt><dd>${esc(p.rights.basis ? RIGHTS_BASES[p.rights.basis] || p.rights.basis : '—')}${p.rights.gs1Prefix ? ` (${esc(p.rights.gs1Prefix)})` : ''}</dd>
      ${p.decidedBy ? `<dt>Решение</dt><dd>${esc(p.decidedBy.name)}, ${when(p.rights.decidedAt)}</dd>` : ''}
      ${p.rights.reason ? `<dt>Причина / отметка</dt><dd class="text">${esc(p.rights.reason)}</dd>` : ''}
      <dt>GS1-префикс GTIN</dt><dd>${p.prefixOwner ? `${esc(p.prefixOwner.prefix)} — ${p.prefixOwner.clientId === p.clientId ? 'этого клиента' : `<span class="bad">«${esc(p.prefixOwner.clientName)}»</span>`}` : 'не записан'}</dd>
      <dt>Тот же GTIN у других</dt><dd>${(p.sameGtin || []).map((o) => `«${esc(o.clientName)}» (${esc(RIGHTS_STATUSES[o.status] || o.status)})`).join(', ') || 'нет'}</dd>
    </dl>
    <h3>Доказательства права</h3>
    ${p.evidence ? `
      <p class="text" id="evidence-text">${esc(p.evidence.text || 'Пояснения нет.')}</p>
      ${doc ? `<p><button id="evidence-download" class="plain">Скачать ${esc(doc.filename)}</button> <span class="small">${esc(doc.contentType)}, ${count(doc.bytes)} байт, SHA-256 ${esc(doc.sha256)}</span></p>` : '<p class="small">Документ не приложен.</p>'}
      <p class="small">Представлены ${when(p.evidence.submittedAt)}</p>` : '<p>Клиент не приложил доказательств.</p>'}
    <h3>История решений</h3>
    <table class="static" id="decisions"><thead><tr><th>Когда</th><th>Решение</th><th>Основание</th><th>Кто</th><th>Причина / отметка</th></tr></thead><tbody>
      ${(p.decisions || []).map((d) => `<tr><td class="nowrap">${when(d.decidedAt)}</td><td class="st-${esc(d.status)}">${esc(RIGHTS_STATUSES[d.status] || d.status)}</td>
        <td>${esc(d.basis ? RIGHTS_BASES[d.basis] || d.basis : '—')}${d.gs1Prefix ? ` (${esc(d.gs1Prefix)})` : ''}</td><td>${esc(d.decidedBy ? d.decidedBy.name : '—')}</td><td class="text">${esc(d.reason || '')}</td></tr>`).join('') || '<tr><td colspan="5">Решений ещё не было.</td></tr>'}
    </tbody></table>
    ${p.rights.status === 'pending' ? `
      <h3>Принять право клиента на GTIN</h3>
      <label class="field"><span>Что проверено (необязательно)</span><textarea id="accept-note" rows="2" maxlength="2000"></textarea></label>
      <p><button id="product-accept">Принять</button></p>` : ''}
    ${p.rights.status !== 'rejected' ? `
      <h3>${p.rights.status === 'accepted' ? 'Отозвать принятое право' : 'Отклонить'}</h3>
      <label class="field"><span>Причина (обязательна, клиент её увидит)</span><textarea id="reject-reason" rows="2" maxlength="2000"></textarea></label>
      <p><button id="product-reject" class="secondary">${p.rights.status === 'accepted' ? 'Отозвать право' : 'Отклонить'}</button></p>` : ''}`;
  if ($('evidence-download')) $('evidence-download').onclick = () => busy($('evidence-download'), () => download(`/staff/v1/products/${id}/evidence`, doc.filename));
  if ($('product-accept')) $('product-accept').onclick = () => busy($('product-accept'), () => acceptProduct(id));
  if ($('product-reject')) $('product-reject').onclick = () => busy($('product-reject'), () => rejectProduct(id));
  if ($('prefix-client').value.trim() !== p.clientId) {
    $('prefix-client').value = p.clientId;
    await loadPrefixes();
  }
}

async function acceptProduct(id) {
  const note = $('accept-note').value.trim();
  const p = await call('POST', `/staff/v1/products/${id}/accept`, note ? { note } : {});
  await loadProducts();
  await showProduct(id);
  say('info', `Право «${p.clientName}» на GTIN ${p.gtin} принято: клиент может заказывать коды.`);
}

async function rejectProduct(id) {
  const reason = $('reject-reason').value.trim();
  if (reason.length < 5) throw new Error('VALIDATION: укажите причину (не короче 5 символов).');
  const p = await call('POST', `/staff/v1/products/${id}/reject`, { reason });
  await loadProducts();
  await showProduct(id);
  say('info', `Право «${p.clientName}» на GTIN ${p.gtin} отклонено.`);
}

function prefixClient() {
  const clientId = $('prefix-client').value.trim();
  if (!UUID.test(clientId)) throw new Error('VALIDATION: укажите идентификатор клиента (UUID) или откройте его товар.');
  return clientId;
}

async function loadPrefixes() {
  const clientId = prefixClient();
  const { gs1Prefixes } = await call('GET', `/staff/v1/clients/${clientId}/gs1-prefixes`);
  $('prefixes').querySelector('tbody').innerHTML = gs1Prefixes.map((g) => `
    <tr data-id="${esc(g.id)}" data-prefix="${esc(g.prefix)}">
      <td>${esc(g.prefix)}</td><td class="text">${esc(g.evidenceNote)}</td><td>${esc(g.recordedBy.name)}, ${when(g.recordedAt)}</td>
      <td>${g.revokedAt ? `<span class="bad">отозван</span> ${when(g.revokedAt)}${g.revokedBy ? `, ${esc(g.revokedBy.name)}` : ''}<br><span class="small">${esc(g.revocationReason)}</span>` : '<span class="ok">действует</span>'}</td>
      <td>${g.revokedAt ? '' : `<input type="text" class="revoke-reason" aria-label="Причина отзыва префикса ${esc(g.prefix)}" placeholder="Причина отзыва"><button class="secondary small-button revoke">Отозвать</button>`}</td>
    </tr>`).join('') || '<tr><td colspan="5">Префиксов не записано.</td></tr>';
  for (const row of $('prefixes').querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.revoke');
    if (button) button.onclick = () => busy(button, () => revokePrefix(row));
  }
}

async function recordPrefix() {
  const clientId = prefixClient();
  const prefix = $('prefix-value').value.replace(/\s+/g, '');
  if (!/^\d{6,12}$/.test(prefix)) throw new Error('VALIDATION: префикс компании GS1 — от 6 до 12 цифр.');
  const evidenceNote = $('prefix-evidence').value.trim();
  if (evidenceNote.length < 5) throw new Error('VALIDATION: укажите, что проверено (не короче 5 символов).');
  const { gs1Prefix, acceptedGtins } = await call('POST', `/staff/v1/clients/${clientId}/gs1-prefixes`, { prefix, evidenceNote });
  $('prefix-value').value = '';
  $('prefix-evidence').value = '';
  await loadPrefixes();
  await loadProducts();
  if (selectedProduct) await showProduct(selectedProduct).catch(() => undefined);
  say('info', `Префикс ${gs1Prefix.prefix} записан.${acceptedGtins.length ? ` Приняты товары клиента под ним: ${acceptedGtins.join(', ')}.` : ''}`);
}

async function revokePrefix(row) {
  const reason = row.querySelector('input.revoke-reason').value.trim();
  if (reason.length < 5) throw new Error('VALIDATION: укажите причину отзыва (не короче 5 символов).');
  await call('POST', `/staff/v1/gs1-prefixes/${row.dataset.id}/revoke`, { reason });
  await loadPrefixes();
  say('info', `Префикс ${row.dataset.prefix} отозван: новые GTIN под ним больше не принимаются автоматически; принятые товары сохраняют решение.`);
}

// ——— Clients registered without an application ———

async function loadRegistrations() {
  const status = $('registrations-status').value;
  const { registrations } = await call('GET', `/staff/v1/client-registrations${status ? `?status=${status}` : ''}`);
  if (status === 'pending') $('registrations-count').textContent = `(${registrations.length})`;
  $('registrations').querySelector('tbody').innerHTML = registrations.map((r) => {
    const requisites = Object.entries(r.requisites || {}).map(([k, v]) => `${esc(REQUISITES[k] || k)}: ${esc(v)}`).join('<br>');
    const mine = me && r.proposedBy === me.id;
    return `<tr data-id="${esc(r.id)}">
      <td class="nowrap">${when(r.proposedAt)}<br><span class="small">${mine ? 'предложили вы' : 'другим сотрудником'}</span></td>
      <td>${esc(r.binIin)}</td><td>${esc(r.name)}<br><span class="small">${esc(r.email)}</span></td>
      <td class="small">${requisites}</td><td class="text">${esc(r.grounds)}</td>
      <td class="st-${esc(r.status)}">${esc(REGISTRATION_STATUSES[r.status] || r.status)}${r.decidedAt ? `<br><span class="small">${when(r.decidedAt)}${r.decidedBy && me && r.decidedBy === me.id ? ', вами' : ''}</span>` : ''}${r.decisionNote ? `<br><span class="small text">${esc(r.decisionNote)}</span>` : ''}</td>
      <td>${r.status === 'pending' ? `<input type="text" class="decision-note" maxlength="2000" aria-label="Отметка к решению по ${esc(r.name)} (необязательно)" placeholder="Отметка (необязательно)">
        <button class="small-button approve">Подтвердить</button> <button class="secondary small-button reject">Отклонить</button>` : r.clientId ? `<span class="small">клиент ${esc(r.clientId)}</span>` : ''}</td>
    </tr>`;
  }).join('') || '<tr><td colspan="7">Регистраций нет.</td></tr>';
  for (const row of $('registrations').querySelectorAll('tr[data-id]')) {
    for (const decision of ['approve', 'reject']) {
      const button = row.querySelector(`button.${decision}`);
      if (button) button.onclick = () => busy(button, () => decideRegistration(row, decision));
    }
  }
}

async function decideRegistration(row, decision) {
  const note = row.querySelector('input.decision-note').value.trim();
  const answer = await call('POST', `/staff/v1/client-registrations/${row.dataset.id}/${decision}`, note ? { note } : {});
  await loadRegistrations();
  say('info', decision === 'approve' ? `Регистрация подтверждена: клиент «${answer.name}» создан.` : `Регистрация «${answer.name}» отклонена: клиент не создан.`);
}

// ——— Wiring ———

for (const tab of document.querySelectorAll('nav button[data-view]')) tab.onclick = () => switchTo(tab.dataset.view);
$('rejected-search').onclick = () => busy($('rejected-search'), loadRejected);
$('rejected-bin').onkeydown = (event) => { if (event.key === 'Enter') $('rejected-search').click(); };
$('rejected-clear').onclick = () => { $('rejected-bin').value = ''; busy($('rejected-clear'), loadRejected); };
$('products-status').onchange = () => busy($('products-refresh'), loadProducts);
$('products-refresh').onclick = () => busy($('products-refresh'), loadProducts);
$('prefixes-load').onclick = () => busy($('prefixes-load'), loadPrefixes);
$('prefix-client').onkeydown = (event) => { if (event.key === 'Enter') $('prefixes-load').click(); };
$('prefix-record').onclick = () => busy($('prefix-record'), recordPrefix);
$('registrations-status').onchange = () => busy($('registrations-refresh'), loadRegistrations);
$('registrations-refresh').onclick = () => busy($('registrations-refresh'), loadRegistrations);
wireSignIn(TOKEN_KEY, signIn, () => history.replaceState(null, '', location.pathname));
