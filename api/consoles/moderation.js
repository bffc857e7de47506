'use strict';
const TOKEN_KEY = 'ismet-staff-token';
/** The application form's fields, in the order shown; each named by its message moderation.field.<name>. */
const LABELS = [
  'companyName', 'signerName', 'signerPosition', 'authorityBasis', 'binIin', 'legalAddress', 'actualAddress', 'iik', 'bankName',
  'kbe', 'bik', 'phone', 'email', 'personalDataConsent',
];
const VIEWS = ['applications-view', 'rejected-view', 'products-view', 'registrations-view'];
let selected = VIEWS.includes(location.hash.slice(1)) ? null : location.hash.slice(1) || null;
let me = null;
let selectedProduct = null;
/**
 * The API's refusals this console meets, read in its own words (moderation.error.<CODE>; VALIDATION_FAILED with the
 * refusal's own message as {details}); any other is shown with its code and message as the API sent it.
 */
const ERRORS = [
  'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'PRODUCT_NOT_PENDING', 'RIGHTS_ALREADY_ACCEPTED', 'GTIN_OF_ANOTHER_COMPANY',
  'GTIN_ACCEPTED_FOR_ANOTHER_CLIENT', 'PREFIX_OF_ANOTHER_COMPANY', 'PREFIX_RECORDED', 'ALREADY_REVOKED', 'SAME_PERSON',
  'ALREADY_DECIDED', 'CLIENT_EXISTS', 'REGISTRATION_PENDING',
];
/** Names of a product right's status and basis, of a registration's status, and the requisites' short labels. */
const RIGHTS_STATUSES = ['pending', 'accepted', 'rejected'];
const RIGHTS_BASES = ['gs1_prefix', 'moderation', 'legacy'];
const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected'];
const REQUISITES = ['companyName', 'legalAddress', 'actualAddress', 'iik', 'bankName', 'bik', 'kbe', 'phone'];
const rightsStatus = (status) => (RIGHTS_STATUSES.includes(status) ? msg(`moderation.rights.status.${status}`) : status);
const rightsBasis = (basis) => (RIGHTS_BASES.includes(basis) ? msg(`moderation.rights.basis.${basis}`) : basis);
const registrationStatus = (status) =>
  REGISTRATION_STATUSES.includes(status) ? msg(`moderation.registration.status.${status}`) : status;
const requisite = (name) => (REQUISITES.includes(name) ? msg(`moderation.requisite.${name}`) : name);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A call of the API (see api) whose refusal reads in the console's words where ERRORS knows its code. */
async function call(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (error) {
    if (error.code && ERRORS.includes(error.code))
      error.message = msg(`moderation.error.${error.code}`, { details: error.message.replace(/^[A-Z_]+: /, '') });
    throw error;
  }
}
/** A row that opens something on a click, and on Enter or Space from the keyboard. */
function activates(row, open) {
  row.tabIndex = 0;
  row.onclick = open;
  row.onkeydown = (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); open(); } };
}

const hm = (minutes) =>
  msg('moderation.hoursMinutes', { hours: String(Math.floor(minutes / 60)), minutes: String(minutes % 60).padStart(2, '0') });

async function signIn() {
  try {
    me = await api('GET', '/staff/v1/me');
    if (!me.roles.some((r) => r === 'moderator' || r === 'admin')) throw new Error(msg('moderation.needRole'));
    signedIn('console', `${me.name} (${me.roles.join(', ')})`, me);
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
      <td class="${a.waiting.remindersSent > 0 ? 'late' : ''}">${hm(a.waiting.workingMinutes)}${a.waiting.remindersSent ? ` · ${esc(msg('moderation.queue.reminders', { count: String(a.waiting.remindersSent) }))}` : ''}</td>
    </tr>`).join('') || `<tr><td colspan="5">${esc(msg('moderation.queue.empty'))}</td></tr>`;
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
    <h2>${esc(msg('moderation.application.title', { number: a.number }))} <small>${esc(a.status)}</small></h2>
    <dl>${LABELS.map((k) => `<dt>${esc(msg(`moderation.field.${k}`))}</dt><dd data-field="${k}">${esc(k === 'personalDataConsent' ? msg(a.form[k] ? 'moderation.application.consentGiven' : 'moderation.no') : a.form[k])}</dd>`).join('')}
      <dt>${esc(msg('moderation.submitted'))}</dt><dd>${when(a.submittedAt)}</dd><dt>${esc(msg('moderation.application.joinedOn'))}</dt><dd>${esc(msg('moderation.application.joinedOnValue', { joinedOn: a.joinedOn, effectiveFrom: a.effectiveFrom }))}</dd>
      <dt>${esc(msg('moderation.application.waiting'))}</dt><dd>${esc(a.waiting.reminderDueAt
        ? msg('moderation.application.waitingTimeReminder', { time: hm(a.waiting.workingMinutes), reminder: when(a.waiting.reminderDueAt) })
        : msg('moderation.application.waitingTime', { time: hm(a.waiting.workingMinutes) }))}</dd>
    </dl>
    <h3>${esc(msg('moderation.signature.title'))}: <span id="signature-verdict" class="${check && check.valid ? 'ok' : 'bad'}">${esc(msg(check ? (check.valid ? 'moderation.signature.valid' : 'moderation.signature.invalid') : 'moderation.signature.noData'))}</span></h3>
    <dl><dt>${esc(msg('moderation.signature.owner'))}</dt><dd>${esc(signer.commonName)} ${signer.iin ? esc(msg('moderation.signature.iin', { iin: signer.iin })) : ''} ${signer.bin ? esc(msg('moderation.signature.bin', { bin: signer.bin })) : ''}</dd>
      <dt>${esc(msg('moderation.signature.issuer'))}</dt><dd>${esc(signer.issuer)}</dd><dt>${esc(msg('moderation.signature.validity'))}</dt><dd>${when(signer.notBefore)} — ${when(signer.notAfter)}</dd>
      <dt>${esc(msg('moderation.signature.signingTime'))}</dt><dd>${when(check && check.signingTime)}</dd></dl>
    <ul id="checks">${(check ? check.checks : []).map((c) => `<li class="${c.ok ? 'ok' : 'bad'}">${c.ok ? '✓' : '✗'} ${esc(c.name)}: ${esc(c.detail)}</li>`).join('')}</ul>
    ${a.status === 'awaiting_moderation' ? `
      <p><button id="approve">${esc(msg('moderation.application.approve'))}</button></p>
      <p><label for="reason">${esc(msg('moderation.application.rejectReason'))}</label><textarea id="reason"></textarea><br><button id="reject" class="secondary">${esc(msg('moderation.application.reject'))}</button></p>`
      : `<p>${esc(msg('moderation.application.decision', { status: a.status }))} ${a.decidedBy ? `— ${esc(a.decidedBy.name)}, ${when(a.decidedAt)}` : ''} ${a.decisionReason ? `<br>${esc(msg('moderation.application.decisionReason', { reason: a.decisionReason }))}` : ''}</p>`}`;
  if ($('approve')) $('approve').onclick = () => decide(id, 'approve');
  if ($('reject')) $('reject').onclick = () => decide(id, 'reject');
}

async function decide(id, decision) {
  try {
    const reason = decision === 'reject' ? $('reason').value.trim() : undefined;
    if (decision === 'reject' && reason.length < 3) return say('error', msg('moderation.application.reasonRequired'));
    const a = await api('POST', `/staff/v1/join-applications/${id}/${decision}`, decision === 'reject' ? { reason } : {});
    await loadQueue();
    await show(id);
    say('info', msg(a.status === 'approved' ? 'moderation.application.approved' : 'moderation.application.rejected'));
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
  if (binIin && !/^\d{12}$/.test(binIin)) throw new Error(`VALIDATION: ${msg('moderation.rejected.binInvalid')}`);
  const { rejections } = await call('GET', `/staff/v1/join-applications/rejected?limit=200${binIin ? `&binIin=${binIin}` : ''}`);
  $('rejected-count').textContent = `(${rejections.length})`;
  $('rejected').querySelector('tbody').innerHTML = rejections.map((r) => {
    const form = r.form || {};
    const problems = (r.problems || []).map((p) => `<li data-code="${esc(p.code)}">${esc(edsProblem(p))}</li>`).join('');
    return `<tr data-id="${esc(r.id)}">
      <td class="nowrap">${when(r.receivedAt)}</td><td>${esc(r.binIin)}</td><td>${esc(form.companyName)}</td><td>${esc(r.email)}</td>
      <td><ul class="problems">${problems || '<li>—</li>'}</ul></td><td>${esc(r.clientIp || '—')}</td>
    </tr>`;
  }).join('') || `<tr><td colspan="6">${esc(msg(binIin ? 'moderation.rejected.noneForBin' : 'moderation.rejected.none'))}</td></tr>`;
}

// ——— Products: the client's right to a GTIN ———

function attention(p) {
  const notes = [];
  if (p.prefixOwner) {
    notes.push(p.prefixOwner.clientId === p.clientId
      ? esc(msg('moderation.attention.ownPrefix', { prefix: p.prefixOwner.prefix }))
      : `<span class="bad">${esc(msg('moderation.attention.foreignPrefix', { prefix: p.prefixOwner.prefix, client: p.prefixOwner.clientName }))}</span>`);
  }
  for (const o of p.sameGtin || []) notes.push(`${o.status === 'accepted' ? '<span class="bad">' : '<span>'}${esc(msg('moderation.attention.sameGtin', { client: o.clientName, status: rightsStatus(o.status) }))}</span>`);
  if (!p.evidence || (!p.evidence.text && !p.evidence.document)) notes.push(esc(msg('moderation.attention.noEvidence')));
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
      <td class="nowrap"><button class="plain small-button open-product" aria-label="${esc(msg('moderation.products.openLabel', { gtin: p.gtin }))}">${esc(msg('moderation.products.open'))}</button></td>
    </tr>`).join('') || `<tr><td colspan="6">${esc(msg(status === 'pending' ? 'moderation.queue.empty' : 'moderation.products.empty'))}</td></tr>`;
  for (const row of $('products').querySelectorAll('tr[data-id]')) row.querySelector('button.open-product').onclick = () => busy(row.querySelector('button'), () => showProduct(row.dataset.id));
}

async function showProduct(id) {
  selectedProduct = id;
  for (const row of $('products').querySelectorAll('tbody tr')) row.classList.toggle('selected', row.dataset.id === id);
  const p = await call('GET', `/staff/v1/products/${id}`);
  const attrs = Object.entries(p.attributes || {});
  const doc = p.evidence && p.evidence.document;
  $('product').innerHTML = `
    <h2>${esc(p.name)} <small class="st-${esc(p.rights.status)}">${esc(rightsStatus(p.rights.status))}</small></h2>
    <dl>
      <dt>GTIN</dt><dd data-field="gtin">${esc(p.gtin)}</dd>
      <dt>${esc(msg('moderation.client'))}</dt><dd>${esc(p.clientName)} <span class="small">${esc(p.clientId)}</span></dd>
      <dt>${esc(msg('moderation.products.registered'))}</dt><dd>${when(p.createdAt)}</dd>
      ${attrs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}
      <dt>${esc(msg('moderation.product.decisionBasis'))}</dt><dd>${esc(p.rights.basis ? rightsBasis(p.rights.basis) : '—')}${p.rights.gs1Prefix ? ` (${esc(p.rights.gs1Prefix)})` : ''}</dd>
      ${p.decidedBy ? `<dt>${esc(msg('moderation.decision'))}</dt><dd>${esc(p.decidedBy.name)}, ${when(p.rights.decidedAt)}</dd>` : ''}
      ${p.rights.reason ? `<dt>${esc(msg('moderation.product.reason'))}</dt><dd class="text">${esc(p.rights.reason)}</dd>` : ''}
      <dt>${esc(msg('moderation.product.gtinPrefix'))}</dt><dd>${p.prefixOwner ? `${esc(p.prefixOwner.prefix)} — ${p.prefixOwner.clientId === p.clientId ? esc(msg('moderation.product.ofThisClient')) : `<span class="bad">«${esc(p.prefixOwner.clientName)}»</span>`}` : esc(msg('moderation.product.notRecorded'))}</dd>
      <dt>${esc(msg('moderation.product.sameGtin'))}</dt><dd>${(p.sameGtin || []).map((o) => `«${esc(o.clientName)}» (${esc(rightsStatus(o.status))})`).join(', ') || esc(msg('moderation.no'))}</dd>
    </dl>
    <h3>${esc(msg('moderation.product.evidence.title'))}</h3>
    ${p.evidence ? `
      <p class="text" id="evidence-text">${esc(p.evidence.text || msg('moderation.product.evidence.noText'))}</p>
      ${doc ? `<p><button id="evidence-download" class="plain">${esc(msg('moderation.product.evidence.download', { filename: doc.filename }))}</button> <span class="small">${esc(msg('moderation.product.evidence.file', { type: doc.contentType, bytes: count(doc.bytes), sha256: doc.sha256 }))}</span></p>` : `<p class="small">${esc(msg('moderation.product.evidence.noDocument'))}</p>`}
      <p class="small">${esc(msg('moderation.product.evidence.submitted', { when: when(p.evidence.submittedAt) }))}</p>` : `<p>${esc(msg('moderation.product.evidence.none'))}</p>`}
    <h3>${esc(msg('moderation.product.decisions.title'))}</h3>
    <table class="static" id="decisions"><thead><tr><th>${esc(msg('moderation.product.decisions.when'))}</th><th>${esc(msg('moderation.decision'))}</th><th>${esc(msg('moderation.basis'))}</th><th>${esc(msg('moderation.product.decisions.who'))}</th><th>${esc(msg('moderation.product.reason'))}</th></tr></thead><tbody>
      ${(p.decisions || []).map((d) => `<tr><td class="nowrap">${when(d.decidedAt)}</td><td class="st-${esc(d.status)}">${esc(rightsStatus(d.status))}</td>
        <td>${esc(d.basis ? rightsBasis(d.basis) : '—')}${d.gs1Prefix ? ` (${esc(d.gs1Prefix)})` : ''}</td><td>${esc(d.decidedBy ? d.decidedBy.name : '—')}</td><td class="text">${esc(d.reason || '')}</td></tr>`).join('') || `<tr><td colspan="5">${esc(msg('moderation.product.decisions.none'))}</td></tr>`}
    </tbody></table>
    ${p.rights.status === 'pending' ? `
      <h3>${esc(msg('moderation.product.accept.title'))}</h3>
      <label class="field"><span>${esc(msg('moderation.product.accept.note'))}</span><textarea id="accept-note" rows="2" maxlength="2000"></textarea></label>
      <p><button id="product-accept">${esc(msg('moderation.product.accept.button'))}</button></p>` : ''}
    ${p.rights.status !== 'rejected' ? `
      <h3>${esc(msg(p.rights.status === 'accepted' ? 'moderation.product.revoke.title' : 'moderation.reject'))}</h3>
      <label class="field"><span>${esc(msg('moderation.product.reject.reason'))}</span><textarea id="reject-reason" rows="2" maxlength="2000"></textarea></label>
      <p><button id="product-reject" class="secondary">${esc(msg(p.rights.status === 'accepted' ? 'moderation.product.revoke.button' : 'moderation.reject'))}</button></p>` : ''}`;
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
  say('info', msg('moderation.product.accepted', { client: p.clientName, gtin: p.gtin }));
}

async function rejectProduct(id) {
  const reason = $('reject-reason').value.trim();
  if (reason.length < 5) throw new Error(`VALIDATION: ${msg('moderation.product.reasonRequired')}`);
  const p = await call('POST', `/staff/v1/products/${id}/reject`, { reason });
  await loadProducts();
  await showProduct(id);
  say('info', msg('moderation.product.rejected', { client: p.clientName, gtin: p.gtin }));
}

function prefixClient() {
  const clientId = $('prefix-client').value.trim();
  if (!UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('moderation.prefixes.clientRequired')}`);
  return clientId;
}

async function loadPrefixes() {
  const clientId = prefixClient();
  const { gs1Prefixes } = await call('GET', `/staff/v1/clients/${clientId}/gs1-prefixes`);
  $('prefixes').querySelector('tbody').innerHTML = gs1Prefixes.map((g) => `
    <tr data-id="${esc(g.id)}" data-prefix="${esc(g.prefix)}">
      <td>${esc(g.prefix)}</td><td class="text">${esc(g.evidenceNote)}</td><td>${esc(g.recordedBy.name)}, ${when(g.recordedAt)}</td>
      <td>${g.revokedAt ? `<span class="bad">${esc(msg('moderation.prefixes.revoked'))}</span> ${when(g.revokedAt)}${g.revokedBy ? `, ${esc(g.revokedBy.name)}` : ''}<br><span class="small">${esc(g.revocationReason)}</span>` : `<span class="ok">${esc(msg('moderation.prefixes.active'))}</span>`}</td>
      <td>${g.revokedAt ? '' : `<input type="text" class="revoke-reason" aria-label="${esc(msg('moderation.prefixes.revokeReasonLabel', { prefix: g.prefix }))}" placeholder="${esc(msg('moderation.prefixes.revokeReason'))}"><button class="secondary small-button revoke">${esc(msg('moderation.prefixes.revoke'))}</button>`}</td>
    </tr>`).join('') || `<tr><td colspan="5">${esc(msg('moderation.prefixes.none'))}</td></tr>`;
  for (const row of $('prefixes').querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.revoke');
    if (button) button.onclick = () => busy(button, () => revokePrefix(row));
  }
}

async function recordPrefix() {
  const clientId = prefixClient();
  const prefix = $('prefix-value').value.replace(/\s+/g, '');
  if (!/^\d{6,12}$/.test(prefix)) throw new Error(`VALIDATION: ${msg('moderation.prefixes.invalid')}`);
  const evidenceNote = $('prefix-evidence').value.trim();
  if (evidenceNote.length < 5) throw new Error(`VALIDATION: ${msg('moderation.prefixes.evidenceRequired')}`);
  const { gs1Prefix, acceptedGtins } = await call('POST', `/staff/v1/clients/${clientId}/gs1-prefixes`, { prefix, evidenceNote });
  $('prefix-value').value = '';
  $('prefix-evidence').value = '';
  await loadPrefixes();
  await loadProducts();
  if (selectedProduct) await showProduct(selectedProduct).catch(() => undefined);
  say('info', acceptedGtins.length
    ? msg('moderation.prefixes.recordedAccepting', { prefix: gs1Prefix.prefix, gtins: acceptedGtins.join(', ') })
    : msg('moderation.prefixes.recorded', { prefix: gs1Prefix.prefix }));
}

async function revokePrefix(row) {
  const reason = row.querySelector('input.revoke-reason').value.trim();
  if (reason.length < 5) throw new Error(`VALIDATION: ${msg('moderation.prefixes.revokeReasonRequired')}`);
  await call('POST', `/staff/v1/gs1-prefixes/${row.dataset.id}/revoke`, { reason });
  await loadPrefixes();
  say('info', msg('moderation.prefixes.revokedMessage', { prefix: row.dataset.prefix }));
}

// ——— Clients registered without an application ———

async function loadRegistrations() {
  const status = $('registrations-status').value;
  const { registrations } = await call('GET', `/staff/v1/client-registrations${status ? `?status=${status}` : ''}`);
  if (status === 'pending') $('registrations-count').textContent = `(${registrations.length})`;
  $('registrations').querySelector('tbody').innerHTML = registrations.map((r) => {
    const requisites = Object.entries(r.requisites || {}).map(([k, v]) => `${esc(requisite(k))}: ${esc(v)}`).join('<br>');
    const mine = me && r.proposedBy === me.id;
    return `<tr data-id="${esc(r.id)}">
      <td class="nowrap">${when(r.proposedAt)}<br><span class="small">${esc(msg(mine ? 'moderation.registrations.byMe' : 'moderation.registrations.byOther'))}</span></td>
      <td>${esc(r.binIin)}</td><td>${esc(r.name)}<br><span class="small">${esc(r.email)}</span></td>
      <td class="small">${requisites}</td><td class="text">${esc(r.grounds)}</td>
      <td class="st-${esc(r.status)}">${esc(registrationStatus(r.status))}${r.decidedAt ? `<br><span class="small">${when(r.decidedAt)}${r.decidedBy && me && r.decidedBy === me.id ? `, ${esc(msg('moderation.registrations.byYou'))}` : ''}</span>` : ''}${r.decisionNote ? `<br><span class="small text">${esc(r.decisionNote)}</span>` : ''}</td>
      <td>${r.status === 'pending' ? `<input type="text" class="decision-note" maxlength="2000" aria-label="${esc(msg('moderation.registrations.noteLabel', { name: r.name }))}" placeholder="${esc(msg('moderation.registrations.notePlaceholder'))}">
        <button class="small-button approve">${esc(msg('moderation.registrations.approve'))}</button> <button class="secondary small-button reject">${esc(msg('moderation.reject'))}</button>` : r.clientId ? `<span class="small">${esc(msg('moderation.registrations.client', { id: r.clientId }))}</span>` : ''}</td>
    </tr>`;
  }).join('') || `<tr><td colspan="7">${esc(msg('moderation.registrations.none'))}</td></tr>`;
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
  say('info', msg(decision === 'approve' ? 'moderation.registrations.approved' : 'moderation.registrations.rejected', { name: answer.name }));
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
