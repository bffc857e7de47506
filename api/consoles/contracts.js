'use strict';
const TOKEN_KEY = 'ismet-staff-token';
const VIEWS = ['terminations-view', 'versions-view', 'claims-view', 'compensations-view', 'force-majeure-view', 'trust-store-view'];
/**
 * The grounds of termination in the contract's words (lib/termination.ts BASIS_TITLES): the message naming each, and
 * who may invoke it.
 */
const BASES = {
  '4.1.1': { title: 'contracts.basis.clientWithdraws', by: ['client'] },
  '4.3.1a': { title: 'contracts.basis.repeatedBreachByClient', by: ['operator'] },
  '4.3.1b': { title: 'contracts.basis.noOrdersForYear', by: ['operator'] },
  '4.3.1c': { title: 'contracts.basis.rulesChanged', by: ['operator'] },
  '4.3.1d': { title: 'contracts.basis.otherLaw', by: ['operator'] },
  '10.4.2': { title: 'contracts.basis.repeatedBreach', by: ['operator', 'client'] },
  '10.4.3': { title: 'contracts.basis.agreement', by: ['operator', 'client'] },
};
const SHORTENABLE = ['10.4.3', '4.3.1c', '4.3.1d'];
const INITIATORS = 'contracts.initiator.';
const TERMINATION_STATUSES = 'contracts.terminations.status.';
const VERSION_REASONS = 'contracts.versions.reason.';
const VERSION_STATUSES = 'contracts.versions.status.';
const CLAIM_STATUSES = 'contracts.claims.status.';
/** How a claim came: e-mail is written so in both languages. */
const channelName = (channel) => (channel === 'email' ? 'e-mail' : msgOr('contracts.claims.channel.', channel));
const DOC_KINDS = 'contracts.claims.document.';
const AUTHORITY_BASES = 'contracts.claims.authority.';
const NOT_CONSIDERED_REASONS = 'contracts.claims.notConsidered.';
const signedBy = (s) => (s ? [s.commonName, s.iin && msg('contracts.signer.iin', { iin: s.iin }), s.bin && msg('contracts.signer.bin', { bin: s.bin })].filter(Boolean).join(', ') : '');
const COMPENSATION_BASES = 'contracts.compensations.basis.';
const COMPENSATION_STATUSES = 'contracts.compensations.status.';
const PAY_TO = 'contracts.compensations.payTo.';
const MISSED = 'contracts.compensations.missed.';
/**
 * The processes a force-majeure event may stop (lib/force-majeure.ts), short, in the words of the obligations the
 * clients' notice names (8.3): contracts.process.<process>, in this order.
 */
const PROCESSES = ['all', 'emission', 'tickets', 'acts', 'notices', 'application', 'onboarding', 'refunds', 'claims'];
const processName = (process) => msgOr('contracts.process.', process);
/**
 * The API's refusals this console meets, in the page's words: the message of the catalogue (contracts.errors.…), or a
 * function reading the refusal's details; any other is shown with its code and message as the API sent it.
 */
const ERRORS = {
  FORBIDDEN: 'contracts.errors.FORBIDDEN',
  NOT_FOUND: 'contracts.errors.NOT_FOUND',
  CONTRACT_ENDED: 'contracts.errors.CONTRACT_ENDED',
  NOTICE_PERIOD_TOO_SHORT: 'contracts.errors.NOTICE_PERIOD_TOO_SHORT',
  TERMINATION_DATE_PAST: (d) => (d.today ? msg('contracts.errors.TERMINATION_DATE_PAST_TODAY', { today: day(d.today) }) : msg('contracts.errors.TERMINATION_DATE_PAST')),
  BASIS_NOT_FOR_INITIATOR: 'contracts.errors.BASIS_NOT_FOR_INITIATOR',
  PERIOD_NOT_SHORTENABLE: 'contracts.errors.PERIOD_NOT_SHORTENABLE',
  NOTICE_IN_FUTURE: 'contracts.errors.NOTICE_IN_FUTURE',
  TERMINATION_PENDING: 'contracts.errors.TERMINATION_PENDING',
  TERMINATION_NOT_SCHEDULED: 'contracts.errors.TERMINATION_NOT_SCHEDULED',
  VERSION_EXISTS: 'contracts.errors.VERSION_EXISTS',
  RECEIVED_IN_FUTURE: 'contracts.errors.RECEIVED_IN_FUTURE',
  EMPTY_DOCUMENT: 'contracts.errors.EMPTY_DOCUMENT',
  BAD_SIGNATURE: 'contracts.errors.BAD_SIGNATURE',
  CLAIM_NOT_UNDER_REVIEW: 'contracts.errors.CLAIM_NOT_UNDER_REVIEW',
  AMOUNT_WITH_REFUSAL: 'contracts.errors.AMOUNT_WITH_REFUSAL',
  AMOUNT_EXCEEDS_CLAIM: (d) => (d.amountClaimedTiyn ? msg('contracts.errors.AMOUNT_EXCEEDS_CLAIM_LIMIT', { amount: money(d.amountClaimedTiyn) }) : msg('contracts.errors.AMOUNT_EXCEEDS_CLAIM')),
  AMOUNT_FIXED_BY_ACT: (d) => (d.amountClaimedTiyn ? msg('contracts.errors.AMOUNT_FIXED_BY_ACT_AMOUNT', { amount: money(d.amountClaimedTiyn) }) : msg('contracts.errors.AMOUNT_FIXED_BY_ACT')),
  BAD_AMOUNT: 'contracts.errors.BAD_AMOUNT',
  REFUSAL_NOT_ALLOWED: 'contracts.errors.REFUSAL_NOT_ALLOWED',
  COMPENSATION_DECIDED: 'contracts.errors.COMPENSATION_DECIDED',
  ALREADY_DECIDED: 'contracts.errors.COMPENSATION_DECIDED',
  NO_BREACH: 'contracts.errors.NO_BREACH',
  NOT_A_BREACH: 'contracts.errors.NOT_A_BREACH',
  PAY_TO_ACCOUNT: 'contracts.errors.PAY_TO_ACCOUNT',
  EVENT_IN_FUTURE: 'contracts.errors.EVENT_IN_FUTURE',
  CLAIM_NOT_FOUND: 'contracts.errors.CLAIM_NOT_FOUND',
  ALREADY_ENDED: 'contracts.errors.ALREADY_ENDED',
  ALREADY_NOTIFIED: 'contracts.errors.ALREADY_NOTIFIED',
  BAD_PERIOD: 'contracts.errors.BAD_PERIOD',
  SAME_PERSON: 'contracts.errors.SAME_PERSON',
  NOT_PENDING_CONFIRMATION: 'contracts.errors.NOT_PENDING_CONFIRMATION',
  REASON_NOT_NEEDED: 'contracts.errors.REASON_NOT_NEEDED',
  NOTICE_LATE: 'contracts.errors.NOTICE_LATE',
  EVIDENCE_REQUIRED: 'contracts.errors.EVIDENCE_REQUIRED',
  NOT_UNDER_REVIEW: 'contracts.errors.NOT_UNDER_REVIEW',
  INVALID_CERTIFICATE: 'contracts.errors.INVALID_CERTIFICATE',
  NOT_A_CA_CERTIFICATE: 'contracts.errors.NOT_A_CA_CERTIFICATE',
  ALREADY_TRUSTED: 'contracts.errors.ALREADY_TRUSTED',
  ALREADY_REMOVED: 'contracts.errors.ALREADY_REMOVED',
  INVALID_CRL: 'contracts.errors.INVALID_CRL',
  DELTA_CRL: 'contracts.errors.DELTA_CRL',
  CRL_NOT_SIGNED_BY_TRUSTED_CA: 'contracts.errors.CRL_NOT_SIGNED_BY_TRUSTED_CA',
  CRL_ALREADY_IMPORTED: 'contracts.errors.CRL_ALREADY_IMPORTED',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let me = null;
let selectedClaim = null;
let terminationsUnderWay = new Set();

/** A call of the API (see api) whose refusal reads in the page's words where ERRORS knows its code. */
async function call(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (error) {
    const text = error.code && Object.hasOwn(ERRORS, error.code) ? ERRORS[error.code] : null;
    if (text) error.message = typeof text === 'function' ? text(error.details || {}) : msg(text);
    throw error;
  }
}

const parts = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const isPast = (iso) => !!iso && new Date(iso).getTime() < Date.now();

/** Integer tiyn → «1234,56», the way the amount inputs take it. */
function tengeInput(tiyn) {
  const n = Number(tiyn);
  return `${(n - (n % 100)) / 100},${String(n % 100).padStart(2, '0')}`;
}
/**
 * Tenge as typed («1 234,56», «1234.5», «12») → integer tiyn, from the decimal string itself
 * (no floating point): at most two decimals, a comma or a point, spaces between groups.
 */
function tiyn(text, what, { zero = false } = {}) {
  const s = String(text ?? '').replace(/[\s\u00a0\u202f]/g, '');
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`VALIDATION: ${msg('contracts.validation.amountFormat', { what })}`);
  const whole = m[1].replace(/^0+(?=\d)/, '');
  if (whole.length > 13) throw new Error(`VALIDATION: ${msg('contracts.validation.amountTooLarge', { what })}`);
  const value = Number(whole) * 100 + Number((m[2] || '').padEnd(2, '0'));
  if (!zero && value <= 0) throw new Error(`VALIDATION: ${msg('contracts.validation.amountPositive', { what })}`);
  return value;
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, ...parts, second: '2-digit' }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000;
}
/** A datetime-local value, read as Astana local time → ISO instant; '' → null. */
function instant(value, what) {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) throw new Error(`VALIDATION: ${msg('contracts.validation.dateTime', { what })}`);
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return new Date(t).toISOString();
}
/** An instant → a datetime-local value in Astana local time. */
const localInput = (date) => new Date(date).toLocaleString('sv-SE', { timeZone: zone, ...parts }).replace(' ', 'T');

const can = (roles) => me && me.roles.some((r) => roles.split(' ').includes(r));
const allowedViews = () => [...document.querySelectorAll('nav button[data-view]')].filter((b) => can(b.dataset.roles)).map((b) => b.dataset.view);
const LOADERS = {
  'terminations-view': async () => { await loadTerminations(); await loadGrounds(); },
  'versions-view': () => loadVersions(),
  'claims-view': () => loadClaims(),
  'compensations-view': () => loadCompensations(),
  'force-majeure-view': () => loadForceMajeure(),
  'trust-store-view': () => loadTrustStore(),
};

async function signIn() {
  try {
    me = await call('GET', '/staff/v1/me');
    if (!me.roles.some((r) => r === 'admin' || r === 'accountant')) throw new Error(`FORBIDDEN: ${msg('contracts.signIn.roleNeeded')}`);
    signedIn('console', `${me.name} (${me.roles.join(', ')})`, me);
    calendarBanner(me);
    for (const tab of document.querySelectorAll('nav button[data-view]')) tab.hidden = !can(tab.dataset.roles);
    const views = allowedViews();
    const wanted = location.hash.slice(1);
    switchTo(views.includes(wanted) ? wanted : views[0]);
    const results = await Promise.allSettled(views.map((v) => LOADERS[v]()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) say('error', failed.reason.message);
  } catch (error) {
    me = null;
    notSignedIn(error);
  }
}

function switchTo(view) {
  for (const tab of document.querySelectorAll('nav button[data-view]')) tab.classList.toggle('active', tab.dataset.view === view);
  for (const id of VIEWS) $(id).hidden = id !== view;
  if (location.hash.slice(1) !== view) history.replaceState(null, '', `#${view}`);
}

/** An API refusal naming the earliest date allowed: shown by the form with a button to take it. */
function showEarliest(box, input, error) {
  const earliest = error && error.details && error.details.earliestDate;
  if (!earliest) { box.hidden = true; box.innerHTML = ''; return; }
  box.hidden = false;
  box.innerHTML = `${esc(msg('contracts.earliest.label'))} <b class="earliest-date">${esc(day(earliest))}</b> <button class="secondary small-button use-earliest">${esc(msg('contracts.earliest.use', { date: day(earliest) }))}</button>`;
  box.querySelector('button').onclick = () => { input.value = earliest; box.hidden = true; input.focus(); };
}

/** Runs a form submission; a refusal with details.earliestDate also shows that date. */
async function submitWithEarliest(button, box, input, action) {
  button.disabled = true;
  try {
    await action();
    showEarliest(box, input, null);
  } catch (error) {
    const earliest = error.details && error.details.earliestDate;
    say('error', earliest ? `${error.message}\n${msg('contracts.earliest.message', { date: day(earliest) })}` : error.message);
    showEarliest(box, input, error);
  } finally {
    button.disabled = false;
  }
}

// ——— Terminations ———

function basisOptions() {
  const initiator = $('t-initiator').value;
  const current = $('t-basis').value;
  $('t-basis').innerHTML = Object.entries(BASES).filter(([, b]) => b.by.includes(initiator)).map(([code, b]) => `<option value="${esc(code)}" data-i18n="${esc(b.title)}">${esc(msg(b.title))}</option>`).join('');
  if ([...$('t-basis').options].some((o) => o.value === current)) $('t-basis').value = current;
  shortenable();
}
function shortenable() {
  const allowed = SHORTENABLE.includes($('t-basis').value);
  $('t-shortened').disabled = !allowed;
  if (!allowed) $('t-shortened').checked = false;
}

async function loadTerminations() {
  const { terminations } = await call('GET', '/staff/v1/terminations');
  terminationsUnderWay = new Set(terminations.filter((t) => t.status === 'scheduled' || t.status === 'settling').map((t) => t.clientId));
  $('terminations-count').textContent = terminationsUnderWay.size ? `(${terminationsUnderWay.size})` : '';
  const body = $('terminations').tBodies[0];
  body.innerHTML = terminations.map((t) => `
    <tr data-id="${esc(t.id)}" class="st-row-${esc(t.status)}">
      <td>${esc(t.clientName)}<div class="small">${esc(msg('contracts.binIinOf', { bin: t.bin }))} · ${esc(t.clientId)}</div></td>
      <td><b>${esc(t.basis)}</b><div class="small">${esc(BASES[t.basis] ? msg(BASES[t.basis].title) : '')}</div><div class="small text">${esc(t.grounds)}</div>${t.evidence ? `<div class="small text">${esc(msg('contracts.terminations.evidence', { evidence: t.evidence }))}</div>` : ''}</td>
      <td>${esc(msgOr(INITIATORS, t.initiator))}</td>
      <td class="nowrap">${esc(when(t.notifiedAt))}</td>
      <td class="nowrap">${esc(day(t.earliestDate))}</td>
      <td class="nowrap"><b>${esc(day(t.terminationDate))}</b></td>
      <td class="status"><span class="st-${esc(t.status)}">${esc(msgOr(TERMINATION_STATUSES, t.status))}</span>${t.withdrawnAt ? `<div class="small">${esc(when(t.withdrawnAt))}: ${esc(t.withdrawalReason)}</div>` : ''}${t.accessEndedAt ? `<div class="small">${esc(msg('contracts.terminations.accessEnded', { when: when(t.accessEndedAt) }))}</div>` : ''}</td>
      <td>${t.status === 'scheduled' ? `<input class="withdraw-reason" type="text" placeholder="${esc(msg('contracts.terminations.withdrawReason'))}" autocomplete="off"><button class="withdraw danger small-button">${esc(msg('contracts.terminations.withdraw'))}</button>` : ''}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${esc(msg('contracts.terminations.empty'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.withdraw');
    if (button) button.onclick = () => busy(button, () => withdraw(row));
  }
}

async function withdraw(row) {
  const reason = row.querySelector('input.withdraw-reason').value.trim();
  if (reason.length < 5) throw new Error(`VALIDATION: ${msg('contracts.terminations.validation.withdrawReason')}`);
  const t = await call('POST', `/staff/v1/terminations/${encodeURIComponent(row.dataset.id)}/withdraw`, { reason });
  await loadTerminations();
  await loadGrounds();
  say('info', msg('contracts.terminations.withdrawn', { client: t.clientName, date: day(t.terminationDate) }));
}

async function recordTermination() {
  const clientId = $('t-client').value.trim();
  if (!UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('contracts.validation.clientId')}`);
  const grounds = $('t-grounds').value.trim();
  if (grounds.length < 10) throw new Error(`VALIDATION: ${msg('contracts.terminations.validation.grounds')}`);
  if (!$('t-date').value) throw new Error(`VALIDATION: ${msg('contracts.terminations.validation.date')}`);
  const body = { clientId, initiator: $('t-initiator').value, basis: $('t-basis').value, grounds, terminationDate: $('t-date').value };
  const evidence = $('t-evidence').value.trim();
  if (evidence) body.evidence = evidence;
  const notifiedAt = instant($('t-notified').value, msg('contracts.field.notified'));
  if (notifiedAt) body.notifiedAt = notifiedAt;
  if ($('t-shortened').checked) body.periodShortened = true;
  const t = await call('POST', '/staff/v1/terminations', body);
  await loadTerminations();
  await loadGrounds();
  for (const id of ['t-client', 't-grounds', 't-evidence', 't-notified', 't-date']) $(id).value = '';
  $('t-shortened').checked = false;
  say('info', msg('contracts.terminations.scheduled', { client: t.clientName, date: day(t.terminationDate), earliest: day(t.earliestDate) }));
}

async function loadGrounds() {
  const { clients } = await call('GET', '/staff/v1/termination-grounds');
  const body = $('grounds').tBodies[0];
  body.innerHTML = clients.map((c) => `
    <tr data-id="${esc(c.clientId)}">
      <td>${esc(c.name)}<div class="small">${esc(c.clientId)}</div></td>
      <td>${esc(c.bin)}</td>
      <td class="nowrap">${esc(day(c.joinedOn))}</td>
      <td class="nowrap">${esc(day(c.yearEndedOn))}</td>
      <td>${terminationsUnderWay.has(c.clientId) ? `<span class="small">${esc(msg('contracts.grounds.underWay'))}</span>` : `<button class="prefill secondary small-button">${esc(msg('contracts.grounds.prepare'))}</button>`}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="5">${esc(msg('contracts.grounds.empty'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.prefill');
    const c = clients.find((x) => x.clientId === row.dataset.id);
    if (button) button.onclick = () => prefillTermination(c);
  }
}

function prefillTermination(c) {
  $('t-client').value = c.clientId;
  $('t-initiator').value = 'operator';
  basisOptions();
  $('t-basis').value = '4.3.1b';
  shortenable();
  $('t-grounds').value = msg('contracts.grounds.prefill.grounds', { client: c.name, bin: c.bin, joined: day(c.joinedOn), yearEnded: day(c.yearEndedOn) });
  $('t-evidence').value = msg('contracts.grounds.prefill.evidence', { from: day(c.joinedOn), to: day(c.yearEndedOn) });
  $('t-notified').value = '';
  showEarliest($('t-earliest'), $('t-date'), null);
  $('termination-form').scrollIntoView({ block: 'start' });
  $('t-date').focus();
  say('info', msg('contracts.grounds.prefill.done', { client: c.name }));
}

// ——— Contract versions ———

async function loadVersions() {
  const { versions } = await call('GET', '/staff/v1/contract-versions');
  const body = $('versions').tBodies[0];
  body.innerHTML = versions.map((v) => `
    <tr data-id="${esc(v.id)}">
      <td class="nowrap"><b>${esc(v.version)}</b></td>
      <td>${esc(v.title)}<div class="small text">${esc(v.summary)}</div></td>
      <td>${esc(msgOr(VERSION_REASONS, v.reason))}</td>
      <td class="nowrap">${esc(when(v.publishedAt))}</td>
      <td class="nowrap effective">${esc(dayOf(v.effectiveAt))}</td>
      <td><span class="st-${esc(v.status)}">${esc(msgOr(VERSION_STATUSES, v.status))}</span></td>
      <td class="num">${esc(count(v.clientsNotified))}</td>
      <td>${/^https?:\/\//i.test(v.documentUrl || '') ? `<a href="${esc(v.documentUrl)}" target="_blank" rel="noopener noreferrer">${esc(msg('contracts.versions.text'))}</a>` : '—'}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${esc(msg('contracts.versions.empty'))}</td></tr>`;
  pollSoon('versions', versions.some((v) => v.status === 'announced' && v.clientsNotified === 0), loadVersions);
}

async function publishVersion() {
  const body = { version: $('v-version').value.trim(), title: $('v-title').value.trim(), summary: $('v-summary').value.trim(), reason: $('v-reason').value };
  if (!body.version) throw new Error(`VALIDATION: ${msg('contracts.versions.validation.version')}`);
  if (body.title.length < 3) throw new Error(`VALIDATION: ${msg('contracts.versions.validation.title')}`);
  if (body.summary.length < 10) throw new Error(`VALIDATION: ${msg('contracts.versions.validation.summary')}`);
  const url = $('v-url').value.trim();
  if (url) {
    if (!/^https?:\/\/\S+$/i.test(url)) throw new Error(`VALIDATION: ${msg('contracts.versions.validation.url')}`);
    body.documentUrl = url;
  }
  if ($('v-effective').value) body.effectiveFrom = $('v-effective').value;
  const v = await call('POST', '/staff/v1/contract-versions', body);
  await loadVersions();
  for (const id of ['v-version', 'v-title', 'v-summary', 'v-url', 'v-effective']) $(id).value = '';
  say('info', msg('contracts.versions.published', { version: v.version, date: dayOf(v.effectiveAt) }));
}

// ——— Claims ———

const claimOverdue = (c) => c.overdue || (c.status === 'under_review' && isPast(c.dueAt));

function dueCell(item, pending, overdue) {
  if (!pending) return `<td class="nowrap small">${esc(dueBy(item.dueAt))}</td>`;
  if (!item.dueAt) return `<td class="nowrap small">${esc(msg('contracts.due.calculating'))}</td>`;
  return `<td class="nowrap due${overdue ? ' late' : ''}">${esc(dueBy(item.dueAt))}${overdue ? `<div>${esc(msg('contracts.due.expired'))}</div>` : ''}</td>`;
}

async function loadClaims() {
  const status = $('claims-status').value;
  const { claims } = await call('GET', `/staff/v1/claims${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  const open = claims.filter((c) => c.status === 'under_review');
  if (!status) $('claims-count').textContent = open.length ? `(${open.length})` : '';
  const body = $('claims').tBodies[0];
  body.innerHTML = claims.map((c) => `
    <tr data-id="${esc(c.id)}" class="${[claimOverdue(c) ? 'overdue' : '', c.id === selectedClaim ? 'selected' : ''].filter(Boolean).join(' ')}">
      <td class="nowrap">${esc(c.number)}</td>
      <td>${esc(c.clientName)}</td>
      <td class="nowrap">${esc(when(c.receivedAt))}<div class="small">${esc(channelName(c.channel))}</div></td>
      <td>${esc(c.subject)}</td>
      <td class="num">${esc(money(c.amountClaimedTiyn))}</td>
      <td><span class="st-${esc(c.status)}">${esc(msgOr(CLAIM_STATUSES, c.status))}</span></td>
      ${dueCell(c, c.status === 'under_review', claimOverdue(c))}
      <td class="num">${esc(c.documents.length)}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${esc(msg('contracts.claims.empty'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    row.onclick = () => showClaim(claims.find((c) => c.id === row.dataset.id));
  }
  const current = selectedClaim && claims.find((c) => c.id === selectedClaim);
  // The detail follows the list, unless the agent is typing in it.
  const typing = $('claim').contains(document.activeElement) && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
  if (current && !typing) showClaim(current, { keepForm: true });
  pollSoon('claims', open.some((c) => !c.dueAt), loadClaims);
}

function showClaim(c, { keepForm = false } = {}) {
  const draft = keepForm && $('c-answer-text') ? { decision: $('c-decision').value, answer: $('c-answer-text').value, amount: $('c-amount').value } : null;
  selectedClaim = c.id;
  for (const row of $('claims').querySelectorAll('tbody tr')) row.classList.toggle('selected', row.dataset.id === c.id);
  const overdue = claimOverdue(c);
  $('claim').innerHTML = `
    <h2>${esc(msg('contracts.claim.title', { number: String(c.number) }))} <small class="st-${esc(c.status)}" id="claim-status">${esc(msgOr(CLAIM_STATUSES, c.status))}</small></h2>
    <dl>
      <dt>${esc(msg('contracts.col.client'))}</dt><dd>${esc(c.clientName)} <span class="small">${esc(c.clientId)}</span></dd>
      <dt>${esc(msg('contracts.claims.received'))}</dt><dd>${esc(when(c.receivedAt))} · ${esc(channelName(c.channel))}</dd>
      <dt>${esc(msg('contracts.claims.subject'))}</dt><dd>${esc(c.subject)}</dd>
      <dt>${esc(msg('contracts.claims.signer'))}</dt><dd>${esc(c.signerName)}${c.authority.signer ? ` <span class="small">${esc(msg('contracts.claim.eds', { signer: signedBy(c.authority.signer) }))}</span>` : ''}</dd>
      <dt>${esc(msg('contracts.claim.authority'))}</dt><dd id="claim-authority">${esc(c.authority.basis ? msgOr(AUTHORITY_BASES, c.authority.basis) : msgOr(NOT_CONSIDERED_REASONS, c.authority.notConsideredReason, msg('contracts.claims.authorityNotConfirmed')))}</dd>
      <dt>${esc(msg('contracts.claim.amountClaimed'))}</dt><dd>${esc(money(c.amountClaimedTiyn))}</dd>
      <dt>${esc(msg('contracts.claim.due'))}</dt><dd class="${overdue ? 'late' : ''}">${c.status === 'under_review' && !c.dueAt ? esc(msg('contracts.due.calculating')) : esc(dueBy(c.dueAt))}${overdue ? ` · ${esc(msg('contracts.due.expired'))}` : ''}</dd>
      ${c.answeredAt ? `<dt>${esc(msg('contracts.claim.answeredAt'))}</dt><dd>${esc(when(c.answeredAt))}</dd><dt>${esc(msg('contracts.claim.awarded'))}</dt><dd id="claim-awarded">${esc(money(c.amountAwardedTiyn))}</dd>` : ''}
    </dl>
    <h3>${esc(msg('contracts.claim.demands'))}</h3>
    <p class="text">${esc(c.demands)}</p>
    <h3>${esc(msg('contracts.claims.documents'))}</h3>
    <ul id="claim-documents">${c.documents.map((d) => `<li><a class="doc" href="/staff/v1/claims/${esc(encodeURIComponent(c.id))}/documents/${esc(d.id)}" data-name="${esc(d.filename)}">${esc(d.filename)}</a> <span class="small">${esc(msgOr(DOC_KINDS, d.kind))} · ${esc(d.contentType)} · sha256 ${esc(d.sha256.slice(0, 12))}…</span></li>`).join('') || `<li class="small">${esc(msg('contracts.claim.noDocuments'))}</li>`}</ul>
    ${c.status === 'not_considered' ? `<p class="hint">${esc(msg('contracts.claim.notConsidered'))}${c.authority.message ? ` <span class="small">${esc(c.authority.message)}</span>` : ''}</p>` : ''}
    ${c.answer ? `<h3>${esc(msg('contracts.claim.answer'))}</h3><p class="text" id="claim-answer">${esc(c.answer)}</p>` : ''}
    ${c.status === 'under_review' ? `
      <div class="answer form">
        <h3>${esc(msg('contracts.claim.answerTitle'))}</h3>
        <div class="inline">
          <label class="field"><span>${esc(msg('contracts.claim.decision'))}</span><select id="c-decision">
            <option value="satisfied">${esc(msg('contracts.claim.decision.satisfied'))}</option>
            <option value="partially_satisfied">${esc(msg('contracts.claim.decision.partially_satisfied'))}</option>
            <option value="refused">${esc(msg('contracts.claim.decision.refused'))}</option>
          </select></label>
          <label class="field"><span>${esc(msg('contracts.claim.amountAwarded'))}</span><input id="c-amount" type="text" inputmode="decimal" autocomplete="off"></label>
        </div>
        <label class="field"><span>${esc(msg('contracts.claim.answerText'))}</span><textarea id="c-answer-text" rows="5"></textarea></label>
        <p class="row"><button id="c-answer">${esc(msg('contracts.claim.send'))}</button></p>
      </div>` : ''}
    <p class="row"><button id="c-to-compensation" class="secondary">${esc(msg('contracts.claim.toCompensation'))}</button></p>`;
  for (const link of $('claim').querySelectorAll('a.doc')) {
    link.onclick = (event) => { event.preventDefault(); busy(link, () => download(link.getAttribute('href'), link.dataset.name)); };
  }
  if ($('c-decision')) {
    const refused = () => { $('c-amount').disabled = $('c-decision').value === 'refused'; if ($('c-amount').disabled) $('c-amount').value = ''; };
    $('c-decision').onchange = refused;
    if (draft) { $('c-decision').value = draft.decision; $('c-answer-text').value = draft.answer; $('c-amount').value = draft.amount; }
    refused();
    $('c-answer').onclick = () => busy($('c-answer'), () => answerClaim(c));
  }
  // A demand for damage (7.3) may come with a claim on the merits; one not considered (9.4) has none.
  $('c-to-compensation').hidden = c.status === 'not_considered';
  $('c-to-compensation').onclick = () => {
    switchTo('compensations-view');
    $('m-basis').value = 'late_service';
    compensationBasis();
    $('m-client').value = c.clientId;
    $('m-claim').value = c.id;
    const amount = c.amountAwardedTiyn || c.amountClaimedTiyn;
    $('m-amount').value = amount ? tengeInput(amount) : '';
    $('m-description').value = msg('contracts.claim.compensationDescription', { number: String(c.number), subject: c.subject });
    $('compensation-form').scrollIntoView({ block: 'start' });
  };
}

async function answerClaim(c) {
  const answer = $('c-answer-text').value.trim();
  if (answer.length < 10) throw new Error(`VALIDATION: ${msg('contracts.claim.validation.answer')}`);
  const body = { decision: $('c-decision').value, answer };
  if ($('c-amount').value.trim()) body.amountAwardedTiyn = tiyn($('c-amount').value, msg('contracts.field.amountAwarded'));
  const answered = await call('POST', `/staff/v1/claims/${encodeURIComponent(c.id)}/answer`, body);
  showClaim(answered);
  await loadClaims();
  const status = msgOr(CLAIM_STATUSES, answered.status);
  say('info', answered.amountAwardedTiyn
    ? msg('contracts.claim.answeredAwarded', { number: String(answered.number), status, amount: money(answered.amountAwardedTiyn) })
    : msg('contracts.claim.answered', { number: String(answered.number), status }));
}

/** A chosen file → the API's document: base64 of its bytes. */
function readFile(file, kind) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ kind, filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error(msg('contracts.file.unread', { name: file.name })));
    reader.readAsDataURL(file);
  });
}

async function registerClaim() {
  const clientId = $('r-client').value.trim();
  if (!UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('contracts.validation.clientId')}`);
  const receivedAt = instant($('r-received').value, msg('contracts.field.claimReceived'));
  if (!receivedAt) throw new Error(`VALIDATION: ${msg('contracts.claims.validation.received')}`);
  const body = { clientId, channel: $('r-channel').value, receivedAt, subject: $('r-subject').value.trim(), demands: $('r-demands').value.trim(), signerName: $('r-signer').value.trim(), documents: [] };
  if (body.subject.length < 3) throw new Error(`VALIDATION: ${msg('contracts.claims.validation.subject')}`);
  if (body.demands.length < 10) throw new Error(`VALIDATION: ${msg('contracts.claims.validation.demands')}`);
  if (body.signerName.length < 3) throw new Error(`VALIDATION: ${msg('contracts.claims.validation.signer')}`);
  if ($('r-amount').value.trim()) body.amountClaimedTiyn = tiyn($('r-amount').value, msg('contracts.field.amountClaimed'));
  for (const [id, kind] of [['r-authority', 'authority'], ['r-damage', 'damage'], ['r-other', 'other']]) {
    for (const file of $(id).files) body.documents.push(await readFile(file, kind));
  }
  // The CMS file as DER (sent as base64) or PEM (sent as its text).
  const cms = $('r-signature').files[0] && (await readFile($('r-signature').files[0], 'signature')).contentBase64;
  if (cms) body.signature = cms.startsWith('LS0tLS1CRUdJT') ? atob(cms) : cms;
  const c = await call('POST', '/staff/v1/claims', body);
  for (const id of ['r-client', 'r-received', 'r-subject', 'r-demands', 'r-amount', 'r-signer', 'r-signature', 'r-authority', 'r-damage', 'r-other']) $(id).value = '';
  await loadClaims();
  showClaim(c);
  say('info', msg('contracts.claims.registered', { number: String(c.number), status: msgOr(CLAIM_STATUSES, c.status) }));
}

// ——— Compensations ———

const compensationOverdue = (c) => c.overdue || (c.status === 'pending' && isPast(c.dueAt));

async function loadCompensations() {
  const status = $('compensations-status').value;
  const { compensations } = await call('GET', `/staff/v1/compensations${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  const pending = compensations.filter((c) => c.status === 'pending');
  if (!status) $('compensations-count').textContent = pending.length ? `(${pending.length})` : '';
  const body = $('compensations').tBodies[0];
  body.innerHTML = compensations.map((c) => `
    <tr data-id="${esc(c.id)}" class="${compensationOverdue(c) ? 'overdue' : ''}">
      <td>${esc(c.clientName)}<div class="small">${esc(c.clientId)}</div></td>
      <td class="nowrap">${esc(msgOr(COMPENSATION_BASES, c.basis))}${c.claimId ? `<div class="small">${esc(msg('contracts.compensations.byClaim'))}</div>` : ''}</td>
      <td class="text">${esc(c.description)}${c.breaches.length ? `<div class="small">${c.breaches.map((b) => esc(msg(b.type === 'ticket' ? 'contracts.compensations.breach.ticket' : 'contracts.compensations.breach.order', { id: String(b.id) }))).join('; ')}</div>` : ''}</td>
      <td class="nowrap">${esc(when(c.eventAt))}</td>
      <td class="num">${esc(money(c.amountClaimedTiyn))}${c.amountPaidTiyn ? `<div class="small">${esc(msg('contracts.compensations.amountPaid', { amount: money(c.amountPaidTiyn) }))}</div>` : ''}</td>
      <td>${esc(msgOr(PAY_TO, c.payTo))}</td>
      <td class="status"><span class="st-${esc(c.status)}">${esc(msgOr(COMPENSATION_STATUSES, c.status))}</span>${c.decidedAt ? `<div class="small">${esc(when(c.decidedAt))}</div>` : ''}${c.decisionReason ? `<div class="small text">${esc(c.decisionReason)}</div>` : ''}</td>
      ${dueCell(c, c.status === 'pending', compensationOverdue(c))}
      <td>${c.status === 'pending' ? `
        <input class="pay-amount money" type="text" inputmode="decimal" autocomplete="off" value="${esc(tengeInput(c.amountClaimedTiyn))}" ${c.basis === 'defect_act' ? `readonly title="${esc(msg('contracts.compensations.fixedByAct'))}"` : ''}>
        <button class="pay small-button">${esc(msg('contracts.compensations.pay'))}</button>
        ${c.basis === 'late_service'
          ? `<input class="refuse-reason" type="text" placeholder="${esc(msg('contracts.compensations.refuseReason'))}" autocomplete="off"><button class="refuse danger small-button">${esc(msg('contracts.compensations.refuse'))}</button>`
          : `<div class="small">${esc(msg('contracts.compensations.noRefusal'))}</div>`}` : ''}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="9">${esc(msg('contracts.compensations.empty'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const pay = row.querySelector('button.pay');
    const refuse = row.querySelector('button.refuse');
    if (pay) pay.onclick = () => busy(pay, () => payCompensation(row));
    if (refuse) refuse.onclick = () => busy(refuse, () => refuseCompensation(row));
  }
  pollSoon('compensations', pending.some((c) => !c.dueAt), loadCompensations);
}

async function payCompensation(row) {
  const amountTiyn = tiyn(row.querySelector('input.pay-amount').value, msg('contracts.field.amountToPay'));
  const c = await call('POST', `/staff/v1/compensations/${encodeURIComponent(row.dataset.id)}/pay`, { amountTiyn });
  await loadCompensations();
  say('info', msg('contracts.compensations.paidMessage', { amount: money(c.amountPaidTiyn), client: c.clientName, payTo: c.payTo }));
}

async function refuseCompensation(row) {
  const reason = row.querySelector('input.refuse-reason').value.trim();
  if (reason.length < 5) throw new Error(`VALIDATION: ${msg('contracts.compensations.validation.refuseReason')}`);
  const c = await call('POST', `/staff/v1/compensations/${encodeURIComponent(row.dataset.id)}/refuse`, { reason });
  await loadCompensations();
  say('info', msg('contracts.compensations.refused', { client: c.clientName }));
}

function compensationBasis() {
  const late = $('m-basis').value === 'late_service';
  $('m-late').hidden = !late;
  // Marked with its message, so that translate() keeps it if the user's language is taken at sign-in.
  $('m-event-label').dataset.i18n = late ? 'contracts.compensations.form.demandReceived' : 'contracts.compensations.form.actSigned';
  $('m-event-label').textContent = msg($('m-event-label').dataset.i18n);
  if (!late) $('m-payto').value = 'account';
  $('m-payto').disabled = !late;
}

async function loadBreaches() {
  const clientId = $('m-client').value.trim();
  if (!UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('contracts.validation.clientIdFirst')}`);
  const { orderBreaches, tickets } = await call('GET', `/staff/v1/clients/${encodeURIComponent(clientId)}/compensation-eligibility`);
  const box = $('m-breaches');
  box.innerHTML = [
    ...orderBreaches.map((b) => `<label><input type="checkbox" class="breach" data-type="order_breach" value="${esc(b.id)}"> ${esc(msg('contracts.compensations.breach.orderItem', { order: String(b.orderId), deadline: when(b.deadlineAt), ready: when(b.codesReadyAt) }))}</label>`),
    ...tickets.map((t) => `<label><input type="checkbox" class="breach" data-type="ticket" value="${esc(t.id)}"> ${esc(msg('contracts.compensations.breach.ticketItem', { number: String(t.number), subject: t.subject, missed: t.missed.map((m) => msgOr(MISSED, m)).join(', ') }))}</label>`),
  ].join('<br>') || esc(msg('contracts.compensations.breach.none'));
}

async function recordCompensation() {
  const clientId = $('m-client').value.trim();
  if (!UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('contracts.validation.clientId')}`);
  const description = $('m-description').value.trim();
  if (description.length < 10) throw new Error(`VALIDATION: ${msg('contracts.compensations.validation.description')}`);
  const basis = $('m-basis').value;
  const body = {
    clientId,
    basis,
    description,
    amountTiyn: tiyn($('m-amount').value, msg('contracts.field.amount')),
    eventAt: instant($('m-event').value, msg('contracts.field.eventAt')) || new Date().toISOString(),
    payTo: basis === 'defect_act' ? 'account' : $('m-payto').value,
  };
  if (basis === 'late_service') {
    body.breaches = [...$('m-breaches').querySelectorAll('input.breach:checked')].map((i) => ({ type: i.dataset.type, id: i.value }));
    const claimId = $('m-claim').value.trim();
    if (claimId) {
      if (!UUID.test(claimId)) throw new Error(`VALIDATION: ${msg('contracts.compensations.validation.claimId')}`);
      body.claimId = claimId;
    }
  }
  const c = await call('POST', '/staff/v1/compensations', body);
  for (const id of ['m-client', 'm-description', 'm-amount', 'm-event', 'm-claim']) $(id).value = '';
  $('m-breaches').textContent = '';
  $('compensations-status').value = '';
  await loadCompensations();
  say('info', msg('contracts.compensations.recorded', { basis: msgOr(COMPENSATION_BASES, c.basis), amount: money(c.amountClaimedTiyn), client: c.clientName }));
}

// ——— Force majeure ———

function noticeCell(e) {
  if (e.wellKnown) return `<td class="nowrap notice-due small">${esc(msg('contracts.forceMajeure.notice.wellKnown'))}</td>`;
  const late = `<div class="late">${esc(msg('contracts.forceMajeure.notice.late'))}</div>`;
  const missing = `<div><span class="flag red notice-missing">${esc(msg('contracts.forceMajeure.notice.missing'))}</span></div>`;
  if (!e.reliedOn) {
    const what = e.notifiedAt ? late : missing;
    return `<td class="nowrap notice-due${e.notifiedAt ? '' : ' late'}">${esc(dueBy(e.noticeDueAt))}${what}<div class="small not-relied">${esc(msg('contracts.forceMajeure.notice.notRelied'))}</div></td>`;
  }
  if (e.notifiedAt) return `<td class="nowrap notice-due">${esc(dueBy(e.noticeDueAt))}${e.noticeDueAt && new Date(e.notifiedAt) > new Date(e.noticeDueAt) ? late : ''}</td>`;
  if (!e.noticeDueAt) return `<td class="nowrap notice-due small">${esc(msg('contracts.forceMajeure.notice.noCalendar'))}</td>`;
  return isPast(e.noticeDueAt)
    ? `<td class="nowrap notice-due late">${esc(dueBy(e.noticeDueAt))}${missing}</td>`
    : `<td class="nowrap notice-due">${esc(dueBy(e.noticeDueAt))}<div class="small">${esc(msg('contracts.forceMajeure.notice.notYet'))}</div></td>`;
}

async function loadForceMajeure() {
  const { events } = await call('GET', '/staff/v1/force-majeure');
  const ongoing = events.filter((e) => !e.endedAt).length;
  $('force-majeure-count').textContent = ongoing ? msg('contracts.forceMajeure.ongoingCount', { count: String(ongoing) }) : '';
  const body = $('force-majeure').tBodies[0];
  body.innerHTML = events.map((e) => `
    <tr data-id="${esc(e.id)}" class="${[!e.notifiedAt && isPast(e.noticeDueAt) ? 'notice-late' : '', e.terminationMayBeAgreed ? 'may-terminate' : ''].filter(Boolean).join(' ')}">
      <td class="nowrap">${esc(when(e.startedAt))}</td>
      <td class="nowrap ended">${e.endedAt ? esc(when(e.endedAt)) : `<span class="late">${esc(msg('contracts.forceMajeure.ongoing'))}</span>`}</td>
      <td>${e.processes.map((p) => esc(processName(p))).join(', ')}</td>
      <td class="text">${esc(e.description)}${e.evidence ? `<div class="small">${esc(msg('contracts.forceMajeure.evidence', { evidence: e.evidence }))}</div>` : ''}</td>
      ${noticeCell(e)}
      <td class="nowrap">${e.notifiedAt ? esc(when(e.notifiedAt)) : `<button class="notify small-button" title="${esc(msg('contracts.forceMajeure.notifyTitle'))}">${esc(msg('contracts.forceMajeure.notify'))}</button>`}</td>
      <td class="termination">${e.terminationMayBeAgreed ? `<span class="flag may-terminate-flag">${esc(msg('contracts.forceMajeure.mayTerminate'))}</span>` : `<span class="small">${esc(msg('contracts.forceMajeure.notYet'))}</span>`}</td>
      <td>${fourEyes(e)}${e.endedAt ? '' : `<input class="end-at" type="datetime-local" value="${esc(localInput(Date.now()))}"><button class="end danger small-button">${esc(msg('contracts.forceMajeure.end'))}</button>`}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${esc(msg('contracts.forceMajeure.empty'))}</td></tr>`;
  wireDecisions(body, '/staff/v1/force-majeure', loadForceMajeure);
  await loadDeclarations();
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.end');
    if (button) button.onclick = () => busy(button, () => endForceMajeure(row));
    const notify = row.querySelector('button.notify');
    if (notify) notify.onclick = () => busy(notify, () => notifyOfForceMajeure(row));
  }
}

/** A late-noticed event proposed to be relied on (8.3): who proposed it and why; another admin confirms or rejects it. */
function fourEyes(e) {
  const why = e.lateNoticeReason ? `<div class="small">${esc(msg('contracts.fourEyes.reason', { reason: e.lateNoticeReason }))}</div>` : '';
  if (e.status === 'confirmed') return `<div class="small four-eyes">${esc(msg('contracts.fourEyes.confirmed', { when: when(e.decidedAt) }))}</div>${why}`;
  if (e.status === 'rejected') return `<div class="small four-eyes">${esc(msg('contracts.fourEyes.rejected', { reason: e.rejectionReason }))}</div>${why}`;
  if (e.status !== 'pending_confirmation') return '';
  return `<div class="four-eyes"><span class="flag pending-confirmation">${esc(msg('contracts.fourEyes.pending'))}</span></div>${why}${decisionButtons(e.recordedBy)}`;
}

/** Confirm / reject of a proposal: only for an admin other than its proposer. */
const decisionButtons = (proposedBy) => (proposedBy === me.id ? `<div class="small">${esc(msg('contracts.fourEyes.otherAdminOnly'))}</div>` : `<div><button class="confirm small-button">${esc(msg('contracts.fourEyes.confirm'))}</button> <input class="reject-reason" type="text" placeholder="${esc(msg('contracts.fourEyes.rejectReason'))}"><button class="reject danger small-button">${esc(msg('contracts.fourEyes.reject'))}</button></div>`);

function wireDecisions(body, base, reload) {
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const path = (action) => `${base}/${encodeURIComponent(row.dataset.id)}/${action}`;
    const confirmButton = row.querySelector('button.confirm');
    if (confirmButton) confirmButton.onclick = () => busy(confirmButton, async () => { await call('POST', path('confirm')); await reload(); say('info', msg('contracts.fourEyes.confirmedMessage')); });
    const rejectButton = row.querySelector('button.reject');
    if (rejectButton) {
      rejectButton.onclick = () => busy(rejectButton, async () => {
        const reason = row.querySelector('input.reject-reason').value.trim();
        if (reason.length < 10) throw new Error(`VALIDATION: ${msg('contracts.fourEyes.validation.rejectReason')}`);
        await call('POST', path('reject'), { reason });
        await reload();
        say('info', msg('contracts.fourEyes.rejectedMessage'));
      });
    }
  }
}

const DECLARATION_STATUSES = 'contracts.declarations.status.';
const EVIDENCE_KINDS = 'contracts.declarations.evidenceKind.';

async function loadDeclarations() {
  const { declarations } = await call('GET', '/staff/v1/force-majeure/declarations');
  const body = $('force-majeure-declarations').tBodies[0];
  body.innerHTML = declarations.map((d) => `
    <tr data-id="${esc(d.id)}" class="${d.status}">
      <td>${esc(d.clientName)}</td>
      <td class="nowrap">${esc(when(d.receivedAt))}</td>
      <td class="nowrap">${esc(when(d.startedAt))} — ${d.endedAt ? esc(when(d.endedAt)) : `<span class="late">${esc(msg('contracts.forceMajeure.ongoing'))}</span>${d.expectedEndAt ? `<div class="small">${esc(msg('contracts.declarations.expectedEnd', { when: when(d.expectedEndAt) }))}</div>` : ''}`}</td>
      <td>${d.obligations.map((o) => esc(processName(o))).join(', ')}</td>
      <td class="text">${esc(d.description)}<div class="small">${d.wellKnown ? esc(msg('contracts.declarations.wellKnown')) : d.evidence.map((f) => `${esc(msgOr(EVIDENCE_KINDS, f.kind))}: ${esc(f.filename)}`).join('; ') || `<span class="late">${esc(msg('contracts.declarations.noEvidence'))}</span>`}</div></td>
      <td class="nowrap${d.noticeInTime ? '' : ' late'}">${esc(dueBy(d.noticeDueAt))}${d.noticeInTime ? '' : `<div>${esc(msg('contracts.declarations.receivedLate'))}</div>`}</td>
      <td>${esc(msgOr(DECLARATION_STATUSES, d.status))}${d.rejectionReason ? `<div class="small">${esc(d.rejectionReason)}</div>` : ''}${d.lateNoticeReason ? `<div class="small">${esc(msg('contracts.fourEyes.reason', { reason: d.lateNoticeReason }))}</div>` : ''}</td>
      <td>${d.status === 'under_review' ? `<input class="late-reason" type="text" placeholder="${esc(msg(d.noticeInTime ? 'contracts.declarations.reasonNotNeeded' : 'contracts.declarations.lateReason'))}"><button class="accept small-button">${esc(msg('contracts.declarations.accept'))}</button> <input class="reject-reason" type="text" placeholder="${esc(msg('contracts.fourEyes.rejectReason'))}"><button class="reject danger small-button">${esc(msg('contracts.fourEyes.reject'))}</button>` : d.status === 'pending_confirmation' ? decisionButtons(d.reviewedBy) : ''}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${esc(msg('contracts.declarations.empty'))}</td></tr>`;
  wireDecisions(body, '/staff/v1/force-majeure/declarations', loadForceMajeure);
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const accept = row.querySelector('button.accept');
    if (!accept) continue;
    accept.onclick = () => busy(accept, async () => {
      const lateNoticeReason = row.querySelector('input.late-reason').value.trim();
      const d = await call('POST', `/staff/v1/force-majeure/declarations/${encodeURIComponent(row.dataset.id)}/accept`, lateNoticeReason ? { lateNoticeReason } : {});
      await loadForceMajeure();
      say('info', msg('contracts.declarations.decided', { client: d.clientName, status: msgOr(DECLARATION_STATUSES, d.status) }));
    });
  }
  const waiting = declarations.filter((d) => d.status === 'under_review' || d.status === 'pending_confirmation').length;
  if (waiting) $('force-majeure-count').textContent += ` ${msg('contracts.declarations.waitingCount', { count: String(waiting) })}`;
}

async function notifyOfForceMajeure(row) {
  if (!confirm(msg('contracts.forceMajeure.notifyConfirm'))) return;
  const e = await call('POST', `/staff/v1/force-majeure/${encodeURIComponent(row.dataset.id)}/notify`);
  await loadForceMajeure();
  say('info', msg('contracts.forceMajeure.notified', { when: when(e.notifiedAt) }));
}

async function endForceMajeure(row) {
  const endedAt = instant(row.querySelector('input.end-at').value, msg('contracts.field.ended'));
  if (!endedAt) throw new Error(`VALIDATION: ${msg('contracts.forceMajeure.validation.ended')}`);
  const e = await call('POST', `/staff/v1/force-majeure/${encodeURIComponent(row.dataset.id)}/end`, { endedAt });
  await loadForceMajeure();
  say('info', msg('contracts.forceMajeure.ended', { when: when(e.endedAt), count: count(e.workflowsSignalled ?? 0) }));
}

async function recordForceMajeure() {
  const startedAt = instant($('f-started').value, msg('contracts.field.started'));
  if (!startedAt) throw new Error(`VALIDATION: ${msg('contracts.forceMajeure.validation.started')}`);
  const processes = [...$('f-processes').querySelectorAll('input:checked')].map((i) => i.value);
  if (!processes.length) throw new Error(`VALIDATION: ${msg('contracts.forceMajeure.validation.processes')}`);
  const description = $('f-description').value.trim();
  if (description.length < 5) throw new Error(`VALIDATION: ${msg('contracts.forceMajeure.validation.description')}`);
  const body = { startedAt, processes: processes.includes('all') ? ['all'] : processes, description };
  const endedAt = instant($('f-ended').value, msg('contracts.field.ended'));
  if (endedAt) body.endedAt = endedAt;
  const notifiedAt = instant($('f-notified').value, msg('contracts.field.notified'));
  if (notifiedAt) body.notifiedAt = notifiedAt;
  const evidence = $('f-evidence').value.trim();
  if (evidence) body.evidence = evidence;
  if ($('f-well-known').checked) body.wellKnown = true;
  const lateNoticeReason = $('f-late-reason').value.trim();
  if (lateNoticeReason) body.lateNoticeReason = lateNoticeReason;
  const e = await call('POST', '/staff/v1/force-majeure', body);
  for (const id of ['f-started', 'f-ended', 'f-notified', 'f-description', 'f-evidence', 'f-late-reason']) $(id).value = '';
  for (const box of $('f-processes').querySelectorAll('input')) box.checked = false;
  $('f-well-known').checked = false;
  await loadForceMajeure();
  say('info', e.status === 'pending_confirmation'
    ? msg('contracts.forceMajeure.recordedPending', { when: when(e.startedAt) })
    : msg('contracts.forceMajeure.recorded', { when: when(e.startedAt), due: dueBy(e.noticeDueAt), count: count(e.workflowsSignalled ?? 0) }));
}

// ——— EDS trust store (docs/EDS.md) ———

const CRL_STATUSES = 'contracts.crls.status.';
const fingerprint = (hex) => (hex.match(/.{1,2}/g) || []).join(':').toUpperCase();

/** A file as the API takes it: PEM as its text, anything else (DER) base64-encoded. */
async function fileForApi(file) {
  if (!file.size) throw new Error(`VALIDATION: ${msg('contracts.validation.emptyFile')}`);
  const head = new TextDecoder('latin1').decode(await file.slice(0, 4096).arrayBuffer());
  if (head.includes('-----BEGIN ')) return file.text();
  const dataUrl = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error || new Error(msg('contracts.file.unreadable')));
    reader.readAsDataURL(file);
  });
  return dataUrl.slice(dataUrl.indexOf(',') + 1);
}

async function loadTrustStore() {
  await Promise.all([loadCertificates(), loadCrls(), loadEdsSettings()]);
}

async function loadCertificates() {
  const { certificates } = await call('GET', `/staff/v1/eds/trusted-certificates${$('certificates-removed').checked ? '?includeRemoved=true' : ''}`);
  const now = Date.now();
  $('certificates').querySelector('tbody').innerHTML = certificates.map((c) => `
    <tr data-id="${esc(c.id)}" data-sha256="${esc(c.sha256)}" class="${c.removedAt ? 'removed' : ''}">
      <td class="text">${esc(c.subject)}<br><span class="small">${esc(msg(c.selfSigned ? 'contracts.certificates.root' : 'contracts.certificates.intermediate'))}${c.note ? ` · ${esc(c.note)}` : ''}</span></td>
      <td class="text">${esc(c.issuer)}</td>
      <td class="nowrap">${esc(msg('contracts.certificates.validFrom', { date: dayOf(c.notBefore) }))}<br><span class="${new Date(c.notAfter).getTime() < now ? 'bad' : ''}">${esc(msg('contracts.certificates.validTo', { date: dayOf(c.notAfter) }))}</span></td>
      <td class="small text">${esc(fingerprint(c.sha256))}</td>
      <td>${c.addedBy ? esc(c.addedBy.name) : c.source === 'directory' ? esc(msg('contracts.certificates.fromDirectory')) : '—'}<br><span class="small">${when(c.addedAt)}</span>
        ${c.removedAt ? `<br><span class="bad">${esc(c.removedBy ? msg('contracts.certificates.removedBy', { when: when(c.removedAt), name: c.removedBy.name }) : msg('contracts.certificates.removed', { when: when(c.removedAt) }))}</span>` : ''}</td>
      <td>${c.removedAt ? '' : `<button class="danger small-button remove-certificate" aria-label="${esc(msg('contracts.certificates.removeLabel', { subject: c.subject }))}">${esc(msg('contracts.certificates.remove'))}</button>`}</td>
    </tr>`).join('') || `<tr><td colspan="6" class="bad">${esc(msg('contracts.certificates.empty'))}</td></tr>`;
  for (const row of $('certificates').querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.remove-certificate');
    if (button) button.onclick = () => busy(button, () => removeCertificate(row));
  }
}

async function addCertificate() {
  const file = $('c-file').files[0];
  const pasted = $('c-pem').value.trim();
  if (file && pasted) throw new Error(`VALIDATION: ${msg('contracts.certificates.validation.both')}`);
  if (!file && !pasted) throw new Error(`VALIDATION: ${msg('contracts.certificates.validation.none')}`);
  const body = { certificate: file ? await fileForApi(file) : pasted };
  const note = $('c-note').value.trim();
  if (note) body.note = note;
  const c = await call('POST', '/staff/v1/eds/trusted-certificates', body);
  $('c-file').value = '';
  $('c-pem').value = '';
  $('c-note').value = '';
  await loadCertificates();
  say('info', msg('contracts.certificates.added', { subject: c.subject, date: dayOf(c.notAfter), fingerprint: fingerprint(c.sha256) }));
}

async function removeCertificate(row) {
  const c = await call('DELETE', `/staff/v1/eds/trusted-certificates/${row.dataset.id}`);
  await loadCertificates();
  say('info', msg('contracts.certificates.removedMessage', { subject: c.subject }));
}

async function loadCrls() {
  const { crls } = await call('GET', '/staff/v1/eds/crls');
  $('crls').querySelector('tbody').innerHTML = crls.map((c) => `
    <tr data-id="${esc(c.id)}" class="${c.status === 'expired' ? 'overdue' : ''}">
      <td class="text">${esc(c.issuer)}</td><td>${esc(c.crlNumber ?? '—')}</td><td class="nowrap">${when(c.thisUpdate)}</td><td class="nowrap">${when(c.nextUpdate)}</td>
      <td class="num">${count(c.revokedCount)}</td><td class="st-${esc(c.status)} ${c.status === 'expired' ? 'bad' : c.status === 'current' ? 'ok' : ''}">${esc(msgOr(CRL_STATUSES, c.status))}</td>
      <td>${c.importedBy ? esc(c.importedBy.name) : '—'}<br><span class="small">${when(c.importedAt)}${c.note ? ` · ${esc(c.note)}` : ''}</span></td>
    </tr>`).join('') || `<tr><td colspan="7">${esc(msg('contracts.crls.empty'))}</td></tr>`;
}

async function importCrl() {
  const file = $('crl-file').files[0];
  if (!file) throw new Error(`VALIDATION: ${msg('contracts.crls.validation.file')}`);
  const body = { crl: await fileForApi(file) };
  const note = $('crl-note').value.trim();
  if (note) body.note = note;
  const c = await call('POST', '/staff/v1/eds/crls', body);
  $('crl-file').value = '';
  $('crl-note').value = '';
  await loadCrls();
  say('info', msg('contracts.crls.imported', { issuer: c.issuer, count: count(c.revokedCount), when: when(c.nextUpdate) }));
}

function showEdsSettings(s) {
  $('s-strict').checked = s.strictRevocation;
  $('s-tolerance').value = String(s.signingTimeToleranceMinutes);
  $('s-version').textContent = msg('contracts.settings.version', { version: String(s.version), when: when(s.changedAt) });
}

async function loadEdsSettings() {
  showEdsSettings(await call('GET', '/staff/v1/eds/settings'));
}

async function saveEdsSettings() {
  const minutes = Number($('s-tolerance').value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 525600) throw new Error(`VALIDATION: ${msg('contracts.settings.validation.tolerance')}`);
  const s = await call('PUT', '/staff/v1/eds/settings', { strictRevocation: $('s-strict').checked, signingTimeToleranceMinutes: minutes });
  showEdsSettings(s);
  say('info', msg('contracts.settings.saved', { strict: s.strictRevocation ? 'on' : 'off', minutes: count(s.signingTimeToleranceMinutes) }));
}

// ——— Wiring ———

$('f-processes').innerHTML = PROCESSES.map((value) => `<label><input type="checkbox" value="${esc(value)}"> <span data-i18n="contracts.process.${esc(value)}">${esc(processName(value))}</span></label>`).join('');
basisOptions();
compensationBasis();
for (const tab of document.querySelectorAll('nav button[data-view]')) tab.onclick = () => { switchTo(tab.dataset.view); busy(tab, LOADERS[tab.dataset.view]); };
$('t-initiator').onchange = basisOptions;
$('t-basis').onchange = shortenable;
$('t-submit').onclick = () => submitWithEarliest($('t-submit'), $('t-earliest'), $('t-date'), recordTermination);
$('terminations-refresh').onclick = () => busy($('terminations-refresh'), loadTerminations);
$('grounds-refresh').onclick = () => busy($('grounds-refresh'), loadGrounds);
$('v-publish').onclick = () => submitWithEarliest($('v-publish'), $('v-earliest'), $('v-effective'), publishVersion);
$('versions-refresh').onclick = () => busy($('versions-refresh'), loadVersions);
$('claims-refresh').onclick = () => busy($('claims-refresh'), loadClaims);
$('claims-status').onchange = () => busy($('claims-refresh'), loadClaims);
$('r-submit').onclick = () => busy($('r-submit'), registerClaim);
$('compensations-refresh').onclick = () => busy($('compensations-refresh'), loadCompensations);
$('compensations-status').onchange = () => busy($('compensations-refresh'), loadCompensations);
$('m-basis').onchange = compensationBasis;
$('m-load-breaches').onclick = () => busy($('m-load-breaches'), loadBreaches);
$('m-submit').onclick = () => busy($('m-submit'), recordCompensation);
$('force-majeure-refresh').onclick = () => busy($('force-majeure-refresh'), loadForceMajeure);
$('f-submit').onclick = () => busy($('f-submit'), recordForceMajeure);
$('certificates-refresh').onclick = () => busy($('certificates-refresh'), loadCertificates);
$('certificates-removed').onchange = () => busy($('certificates-refresh'), loadCertificates);
$('c-add').onclick = () => busy($('c-add'), addCertificate);
$('crls-refresh').onclick = () => busy($('crls-refresh'), loadCrls);
$('crl-import').onclick = () => busy($('crl-import'), importCrl);
$('s-save').onclick = () => busy($('s-save'), saveEdsSettings);
wireSignIn(TOKEN_KEY, signIn, () => history.replaceState(null, '', location.pathname));
