'use strict';
const TOKEN_KEY = 'ismet-staff-token';
const UI_KEY = 'ismet-temporal-ui';
// The values the page names (each name is the catalogue's support.<table>.<value>); another value shows as it is.
const STATUSES = ['new', 'in_progress', 'waiting_client', 'resolved', 'closed'];
const PRIORITIES = ['high', 'medium', 'low'];
const CHANNELS = ['api', 'phone', 'email', 'system'];
const KINDS = ['solution', 'workaround', 'forecast'];
const DUE_KINDS = ['reaction', 'resolution'];
const EVENTS = [
  'registered', 'registration_sent', 'classified', 'escalated', 'waiting_for_client', 'client_replied', 'replied', 'resolved',
  'reopened', 'reopened_by_client', 'closed', 'reaction_warning', 'resolution_warning', 'reaction_breached', 'resolution_breached',
];
const REASONS = ['NOT_A_TICKET_CONTACT', 'SENDER_NOT_AUTHENTICATED', 'RATE_LIMITED'];
const VERDICTS = ['pass', 'fail', 'none'];
const HELD_STATUSES = ['pending', 'released', 'discarded'];
const statusName = (v) => (STATUSES.includes(v) ? msg(`support.status.${v}`) : v);
const priorityName = (v) => (PRIORITIES.includes(v) ? msg(`support.priority.${v}`) : v);
/** The contract's definition of a priority (Прил. 3 п.4e) in the page's language; the API gives it in Russian. */
const priorityHint = (v) => (PRIORITIES.includes(v) ? msg(`support.priorityHint.${v}`) : priorityHints[v] || '');
const channelName = (v) => (CHANNELS.includes(v) ? msg(`support.channel.${v}`) : v);
const kindName = (v) => (KINDS.includes(v) ? msg(`support.kind.${v}`) : v);
const dueKindName = (v) => (DUE_KINDS.includes(v) ? msg(`support.dueKind.${v}`) : v);
const eventName = (v) => (EVENTS.includes(v) ? msg(`support.event.${v}`) : v);
const reasonName = (v) => (REASONS.includes(v) ? msg(`support.reason.${v}`) : v);
const verdictName = (v) => (VERDICTS.includes(v) ? msg(`support.verdict.${v}`) : v);
const heldStatusName = (v) => (HELD_STATUSES.includes(v) ? msg(`support.held.${v}`) : v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let selected = location.hash.slice(1) || null;
let me = null;
let priorityHints = {};
let current = null;
let shownSignature = '';
let queueTimer = null;
let refreshing = null;

const pad = (n) => String(n).padStart(2, '0');
const thisMonth = () => new Date().toLocaleDateString('sv-SE', { timeZone: zone }).slice(0, 7);
const defaultUiBase = () => `${location.protocol}//${location.hostname}:8233`;

/** Milliseconds → «04:59», «1 ч 12 мин 05 с», «2 дн 3 ч 12 мин 05 с»; past the deadline «просрочено на …». */
function countdown(ms) {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const text = days ? msg('support.time.days', { days, hours, minutes: pad(minutes), seconds: pad(seconds) })
    : hours ? msg('support.time.hours', { hours, minutes: pad(minutes), seconds: pad(seconds) })
    : `${pad(minutes)}:${pad(seconds)}`;
  return ms >= 0 ? text : msg('support.time.overdue', { time: text });
}

/** Every element with a deadline (data-due) shows the time left, turning each second; a queue row past it is breached. */
function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll('.countdown[data-due]')) {
    const ms = new Date(el.dataset.due).getTime() - now;
    const text = countdown(ms);
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle('late', ms < 0);
    const row = el.closest('tr[data-id]');
    if (row) row.classList.toggle('breached', row.dataset.breached === '1' || ms < 0);
  }
}

function actor(a) {
  if (!a) return '—';
  if (a === 'client') return msg('support.actor.client');
  if (a === 'operator') return msg('support.actor.operator');
  if (a === 'system') return msg('support.actor.system');
  if (a.startsWith('agent:')) return me && a.slice(6) === me.id ? msg('support.actor.me', { name: me.name }) : msg('support.actor.agent', { id: a.slice(6, 14) });
  if (a.startsWith('email:')) return msg('support.actor.email', { email: a.slice(6) });
  return a;
}
const isBreached = (t) => !!(t.reactionBreachedAt || t.resolutionBreachedAt);

function uiBase() {
  const saved = (localStorage.getItem(UI_KEY) || '').trim().replace(/\/+$/, '');
  return /^https?:\/\/[^\s]+$/i.test(saved) ? saved : defaultUiBase();
}

async function signIn() {
  try {
    me = await api('GET', '/staff/v1/me');
    if (!me.roles.some((r) => r === 'support' || r === 'admin')) throw new Error(`FORBIDDEN: ${msg('support.signIn.forbidden')}`);
    signedIn('console', `${me.name} (${me.roles.join(', ')})`, me);
    calendarBanner(me);
    $('temporal-ui').value = uiBase();
    $('report-month').value = thisMonth();
    await loadQueue().catch((error) => say('error', error.message));
    if (selected) await show(selected).catch((error) => say('error', error.message));
    countQuarantine().catch(() => undefined);
    queueTimer = setInterval(() => refresh().catch((error) => say('error', error.message)), 15_000);
  } catch (error) {
    me = null;
    notSignedIn(error);
  }
}

function switchTo(view) {
  for (const tab of document.querySelectorAll('nav button')) tab.classList.toggle('active', tab.dataset.view === view);
  for (const id of ['queue-view', 'phone-view', 'report-view', 'quarantine-view']) $(id).hidden = view !== id;
  if (view === 'report-view') busy($('report-show'), loadReport);
  if (view === 'quarantine-view') busy($('quarantine-refresh'), loadQuarantine);
}

// ——— Queue ———

function queueQuery() {
  const query = new URLSearchParams();
  if ($('filter-line').value) query.set('line', $('filter-line').value);
  if ($('filter-priority').value) query.set('priority', $('filter-priority').value);
  if ($('filter-status').value) query.set('status', $('filter-status').value);
  if ($('filter-breached').checked) query.set('breached', 'true');
  return query;
}

/** The time-left cell: live for a deadline; otherwise why there is none. */
function countdownCell(t) {
  if (t.dueAt) return `<td class="countdown" data-due="${esc(t.dueAt)}">${esc(countdown(new Date(t.dueAt).getTime() - Date.now()))}</td>`;
  const why = t.status === 'waiting_client' ? msg('support.queue.paused') : t.status === 'new' || t.status === 'in_progress' ? msg('support.computing') : '—';
  return `<td class="countdown small">${esc(why)}</td>`;
}

/** Deadlines the workflow has yet to record (just after registration or an action): asked again shortly. */
function awaitingDeadline(t) {
  return (t.status === 'new' && !t.reactionDueAt) || (t.status === 'in_progress' && !t.resolutionDueAt);
}

async function loadQueue() {
  const { tickets, priorityHints: hints } = await api('GET', `/staff/v1/tickets?${queueQuery()}`);
  priorityHints = hints || {};
  $('queue-count').textContent = `(${tickets.length})`;
  const body = $('queue').tBodies[0];
  body.innerHTML = tickets.map((t) => `
    <tr data-id="${esc(t.id)}" data-status="${esc(t.status)}" data-breached="${isBreached(t) ? '1' : ''}" class="${[isBreached(t) ? 'breached' : '', t.id === selected ? 'selected' : ''].filter(Boolean).join(' ')}">
      <td class="nowrap">${esc(t.number)}<div class="small">${esc(channelName(t.channel))}</div></td>
      <td class="text subject">${esc(t.subject)}</td>
      <td class="email">${esc(t.contactEmail)}</td>
      <td class="num">${esc(t.line)}</td>
      <td>${t.priority ? esc(priorityName(t.priority)) : `<span class="small">${esc(msg('support.unclassified'))}</span>`}</td>
      <td class="st-${esc(t.status)}">${esc(statusName(t.status))}${isBreached(t) ? `<div class="late small">${esc(msg('support.queue.breached'))}</div>` : ''}</td>
      <td>${esc(when(t.dueAt))}${t.dueKind ? `<div class="small">${esc(t.dueKind === 'reaction' ? msg('support.queue.dueOnLine', { kind: dueKindName(t.dueKind), line: t.line }) : dueKindName(t.dueKind))}</div>` : ''}</td>
      ${countdownCell(t)}
    </tr>`).join('') || `<tr class="empty"><td colspan="8">${esc(msg('support.queue.empty'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    row.onclick = () => show(row.dataset.id).then(() => $('ticket').scrollIntoView({ block: 'nearest' }), (error) => say('error', error.message));
  }
  tick();
  return tickets;
}

/** The queue and the open ticket, again (every 15 s, after actions, and while a deadline is being recorded). */
async function refresh() {
  // One at a time; a refresh asked for during another (e.g. after an action) starts afresh once it ends.
  while (refreshing) await refreshing.catch(() => undefined);
  refreshing = (async () => {
    try {
      const tickets = await loadQueue();
      let waiting = tickets.some((t) => (t.status === 'new' || t.status === 'in_progress') && !t.dueAt);
      if (selected) {
        const detail = await show(selected, { keepInputs: true });
        waiting ||= awaitingDeadline(detail.ticket);
      }
      pollSoon('queue', waiting, refresh);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

// ——— The ticket ———

function workflowUrl(workflowId) {
  return `${uiBase()}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;
}

function deadlines(t) {
  const live = (iso) => `<span class="countdown" data-due="${esc(iso)}">${esc(countdown(new Date(iso).getTime() - Date.now()))}</span>`;
  const reaction = t.status === 'new'
    ? (t.reactionDueAt ? `${esc(when(t.reactionDueAt))} · ${live(t.reactionDueAt)}` : `<span class="small">${esc(msg('support.computing'))}</span>`)
    : t.reactionDueAt ? `${esc(when(t.reactionDueAt))} <span class="small">${esc(msg('support.deadline.classified'))}</span>` : '—';
  const resolution = !t.priority ? `<span class="small">${esc(msg('support.deadline.afterClassification'))}</span>`
    : t.status === 'in_progress' ? (t.resolutionDueAt ? `${esc(when(t.resolutionDueAt))} · ${live(t.resolutionDueAt)}` : `<span class="small">${esc(msg('support.computing'))}</span>`)
    : t.status === 'waiting_client' ? `${esc(when(t.resolutionDueAt))} <span class="small">${esc(msg('support.deadline.paused'))}</span>`
    : esc(when(t.resolutionDueAt));
  const breaches = [
    t.reactionBreachedAt ? esc(msg('support.deadline.reactionBreached', { when: when(t.reactionBreachedAt) })) : '',
    t.resolutionBreachedAt ? esc(msg('support.deadline.resolutionBreached', { when: when(t.resolutionBreachedAt) })) : '',
  ].filter(Boolean);
  return `
    <dt>${esc(msg('support.deadline.reaction', { line: t.line }))}</dt><dd id="reaction-due">${reaction}</dd>
    <dt>${esc(msg('support.deadline.resolution'))}</dt><dd id="resolution-due">${resolution}</dd>
    <dt>${esc(msg('support.deadline.breaches'))}</dt><dd id="breaches">${breaches.length ? `<span class="late">${breaches.join('; ')}</span>` : `<span class="ok">${esc(msg('support.deadline.none'))}</span>`}</dd>`;
}

function actionsFor(t) {
  const parts = [];
  if (t.status === 'new') {
    const options = ['high', 'medium', 'low'].map((p) => `<option value="${p}" ${t.priority === p ? 'selected' : ''} title="${esc(priorityHint(p))}">${esc(priorityName(p))}</option>`).join('');
    parts.push(`
      <div class="action" id="action-classify">
        <h3>${esc(msg('support.classify.title', { line: t.line }))}</h3>
        <div class="row">
          <label>${esc(msg('support.field.priority'))} <select id="priority"><option value="" ${t.priority ? '' : 'selected'}>${esc(msg('support.classify.choose'))}</option>${options}</select></label>
          <input id="classify-note" placeholder="${esc(msg('support.classify.notePlaceholder'))}" autocomplete="off" size="36">
          <button id="classify">${esc(msg('support.classify.button'))}</button>
        </div>
        <div id="priority-hint" class="hint small"></div>
      </div>`);
  }
  if (t.status === 'in_progress' && t.line < 3) {
    parts.push(`
      <div class="action" id="action-escalate">
        <h3>${esc(msg('support.escalate.title', { line: t.line + 1 }))}</h3>
        <textarea id="escalate-note" placeholder="${esc(msg('support.escalate.notePlaceholder'))}"></textarea>
        <p class="row"><button id="escalate" class="secondary">${esc(msg('support.escalate.title', { line: t.line + 1 }))}</button></p>
      </div>`);
  }
  if (t.status === 'in_progress') {
    parts.push(`
      <div class="action" id="action-wait">
        <h3>${esc(msg('support.wait.title'))}</h3>
        <p class="small">${esc(msg('support.wait.note'))}</p>
        <textarea id="question" placeholder="${esc(msg('support.wait.placeholder'))}"></textarea>
        <p class="row"><button id="wait" class="secondary">${esc(msg('support.wait.button'))}</button></p>
      </div>`);
  }
  if (['new', 'in_progress', 'waiting_client', 'resolved'].includes(t.status)) {
    parts.push(`
      <div class="action" id="action-reply">
        <h3>${esc(msg('support.reply.title'))}</h3>
        <textarea id="reply-text" placeholder="${esc(msg('support.reply.placeholder'))}"></textarea>
        <p class="row"><button id="reply" class="secondary">${esc(msg('support.reply.button'))}</button></p>
      </div>`);
  }
  if (t.status === 'in_progress') {
    parts.push(`
      <div class="action" id="action-resolve">
        <h3>${esc(msg('support.resolve.title'))}</h3>
        <div class="row"><label>${esc(msg('support.resolve.kind'))} <select id="resolve-kind">${KINDS.map((k) => `<option value="${k}">${esc(kindName(k))}</option>`).join('')}</select></label></div>
        <textarea id="resolution" placeholder="${esc(msg('support.resolve.placeholder'))}"></textarea>
        <p class="row"><button id="resolve">${esc(msg('support.resolve.button'))}</button></p>
      </div>`);
  }
  if (t.status === 'resolved') {
    parts.push(`
      <div class="action" id="action-reopen">
        <h3>${esc(msg('support.reopen.title'))}</h3>
        <textarea id="reopen-note" placeholder="${esc(msg('support.reopen.placeholder'))}"></textarea>
        <p class="row"><button id="reopen" class="danger">${esc(msg('support.reopen.title'))}</button></p>
      </div>`);
  }
  if (t.status === 'closed') parts.push(`<p class="small">${esc(msg('support.ticket.isClosed'))}</p>`);
  return parts.join('');
}

function showHint() {
  const select = $('priority');
  if (!select) return;
  const hint = priorityHint(select.value);
  $('priority-hint').innerHTML = hint ? `<b>${esc(priorityName(select.value))}:</b> ${esc(hint)}`
    : PRIORITIES.map((p) => `<div><b>${esc(priorityName(p))}:</b> ${esc(priorityHint(p))}</div>`).join('');
}

/** The ticket's panel; `keepInputs` (a refresh) keeps what the agent typed and redraws only on a change. */
async function show(id, { keepInputs = false } = {}) {
  const detail = await api('GET', `/staff/v1/tickets/${encodeURIComponent(id)}`);
  const { ticket: t, messages, history, workflowId } = detail;
  const signature = JSON.stringify([detail, uiBase(), Object.keys(priorityHints).length]);
  const sameTicket = current && current.id === t.id;
  selected = t.id;
  if (location.hash.slice(1) !== t.id) location.hash = t.id;
  for (const row of $('queue').querySelectorAll('tbody tr')) row.classList.toggle('selected', row.dataset.id === t.id);
  if (keepInputs && sameTicket && signature === shownSignature) return detail;
  const kept = {};
  if (keepInputs && sameTicket) for (const input of $('ticket').querySelectorAll('input[id], textarea[id], select[id]')) kept[input.id] = input.value;
  const focused = document.activeElement && $('ticket').contains(document.activeElement) ? document.activeElement.id : null;
  current = t;
  shownSignature = signature;
  $('ticket').innerHTML = `
    <h2>${esc(msg('support.ticket.title', { number: t.number }))} <small id="ticket-status" class="st-${esc(t.status)}">${esc(statusName(t.status))}</small></h2>
    <p id="ticket-subject" class="text"><b>${esc(t.subject)}</b></p>
    <dl>
      <dt>${esc(msg('support.field.client'))}</dt><dd>${esc(t.contactEmail)}${t.clientId ? ` <span class="small">${esc(t.clientId)}</span>` : ` <span class="small">${esc(msg('support.ticket.notClient'))}</span>`}</dd>
      <dt>${esc(msg('support.ticket.channel'))}</dt><dd>${esc(channelName(t.channel))}</dd>
      <dt>${esc(msg('support.ticket.received'))}</dt><dd>${esc(when(t.receivedAt))}</dd>
      <dt>${esc(msg('support.field.line'))}</dt><dd id="ticket-line">${esc(t.line)}</dd>
      <dt>${esc(msg('support.field.priority'))}</dt><dd id="ticket-priority">${esc(t.priority ? priorityName(t.priority) : msg('support.unclassified'))}</dd>
      ${deadlines(t)}
      ${t.resolvedAt ? `<dt>${esc(msg('support.ticket.resolved'))}</dt><dd>${esc(when(t.resolvedAt))}</dd>` : ''}
      ${t.closedAt ? `<dt>${esc(msg('support.ticket.closed'))}</dt><dd>${esc(when(t.closedAt))}</dd>` : ''}
      <dt>${esc(msg('support.ticket.workflow'))}</dt><dd><a id="workflow-link" href="${esc(workflowUrl(workflowId))}" target="_blank" rel="noopener noreferrer">${esc(workflowId)}</a> <span class="small">${esc(msg('support.ticket.inTemporal'))}</span></dd>
    </dl>
    <h3>${esc(msg('support.ticket.messages'))}</h3>
    <div id="messages" class="messages">${messages.map((m) => `
      <div class="msg ${m.direction === 'out' ? 'out' : 'in'}" data-direction="${esc(m.direction)}">
        <div class="small">${m.direction === 'out' ? esc(msg('support.ticket.toClient', { who: actor(m.author) })) : m.author.startsWith('agent:') ? esc(msg('support.ticket.fromClientBy', { who: actor(m.author) })) : `← ${esc(actor(m.author))}`} · ${esc(when(m.at))}</div>
        <div class="text">${esc(m.body)}</div>
      </div>`).join('') || `<p class="small">${esc(msg('support.ticket.noMessages'))}</p>`}</div>
    ${actionsFor(t)}
    <h3>${esc(msg('support.ticket.history'))}</h3>
    <table id="history">
      <thead><tr><th>${esc(msg('support.ticket.time'))}</th><th>${esc(msg('support.ticket.event'))}</th><th>${esc(msg('support.ticket.who'))}</th><th>${esc(msg('support.field.note'))}</th></tr></thead>
      <tbody>${history.map((e) => `<tr><td class="nowrap">${esc(when(e.at))}</td><td>${esc(eventName(e.kind))}</td><td>${esc(actor(e.actor))}</td><td class="text">${esc(e.note)}</td></tr>`).join('') || `<tr><td colspan="4">${esc(msg('support.ticket.noEvents'))}</td></tr>`}</tbody>
    </table>`;
  for (const [inputId, value] of Object.entries(kept)) if ($(inputId)) $(inputId).value = value;
  if (focused && $(focused)) $(focused).focus();
  if ($('priority')) { $('priority').onchange = showHint; showHint(); }
  const bind = (buttonId, run) => { if ($(buttonId)) $(buttonId).onclick = () => busy($(buttonId), () => run(t)); };
  bind('classify', classify);
  bind('escalate', escalate);
  bind('wait', waitForClient);
  bind('reply', reply);
  bind('resolve', resolve);
  bind('reopen', reopen);
  tick();
  return detail;
}

function required(inputId, what) {
  const value = $(inputId).value.trim();
  if (!value) throw new Error(`VALIDATION: ${what}.`);
  return value;
}

/** An action on the ticket's workflow; the page then shows the ticket as it now stands. */
async function act(t, path, body, done) {
  const updated = await api('POST', `/staff/v1/tickets/${encodeURIComponent(t.id)}/${path}`, body);
  // What was sent is not kept for the next draw (the panel keeps only unsent drafts).
  const action = $(`action-${path === 'wait-for-client' ? 'wait' : path}`);
  if (action) for (const input of action.querySelectorAll('input, textarea')) input.value = '';
  pollSoon('queue', false);
  await refresh();
  say('info', done(updated));
}

async function classify(t) {
  const priority = $('priority').value;
  if (!priority) throw new Error(`VALIDATION: ${msg('support.classify.priorityRequired')}`);
  const note = $('classify-note').value.trim();
  await act(t, 'classify', { priority, ...(note ? { note } : {}) }, (u) => msg('support.classify.done', { number: u.number, line: u.line, priority: priorityName(u.priority), status: statusName(u.status) }));
}

async function escalate(t) {
  const note = required('escalate-note', msg('support.escalate.noteRequired'));
  await act(t, 'escalate', { note }, (u) => msg('support.escalate.done', { number: u.number, line: u.line }));
}

async function waitForClient(t) {
  const question = required('question', msg('support.wait.questionRequired'));
  await act(t, 'wait-for-client', { question }, (u) => msg('support.wait.done', { number: u.number }));
}

async function reply(t) {
  const text = required('reply-text', msg('support.reply.textRequired'));
  await act(t, 'reply', { text }, (u) => msg('support.reply.done', { number: u.number }));
}

async function resolve(t) {
  const kind = $('resolve-kind').value;
  const text = required('resolution', msg('support.resolve.textRequired'));
  await act(t, 'resolve', { kind, text }, (u) => msg('support.resolve.done', { number: u.number, kind: kindName(kind) }));
}

async function reopen(t) {
  const note = required('reopen-note', msg('support.reopen.noteRequired'));
  await act(t, 'reopen', { note }, (u) => msg('support.reopen.done', { number: u.number, status: statusName(u.status) }));
}

// ——— A phone call ———

async function createFromPhone() {
  const contactEmail = $('phone-email').value.trim();
  const clientId = $('phone-client').value.trim();
  const contactName = $('phone-name').value.trim();
  const subject = $('phone-subject').value.trim();
  const body = $('phone-body').value.trim();
  if (clientId && !UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('support.clientUuid')}`);
  if (!clientId && !contactEmail) throw new Error(`VALIDATION: ${msg('support.phone.contactRequired')}`);
  if (contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contactEmail)) throw new Error(`VALIDATION: ${msg('support.phone.emailInvalid')}`);
  if (subject.length < 3) throw new Error(`VALIDATION: ${msg('support.phone.subjectShort')}`);
  if (!body) throw new Error(`VALIDATION: ${msg('support.phone.bodyRequired')}`);
  const t = await api('POST', '/staff/v1/tickets', {
    subject, body, ...(contactEmail ? { contactEmail } : {}), ...(clientId ? { clientId } : {}), ...(contactName ? { contactName } : {}),
  });
  for (const id of ['phone-email', 'phone-client', 'phone-name', 'phone-subject', 'phone-body']) $(id).value = '';
  switchTo('queue-view');
  selected = t.id;
  pollSoon('queue', false);
  await refresh();
  say('info', msg('support.phone.done', { number: t.number, email: t.contactEmail }));
}

// ——— The report ———

const REPORT_LABEL = (r) => r.group === 'all' ? msg('support.report.all') : r.group === 'priority' ? msg('support.report.byPriority', { priority: priorityName(r.priority) }) : msg('support.report.byLine', { line: r.line });
const minutes = (m) => m === null || m === undefined ? '—' : m >= 60 ? msg('support.report.hoursMinutes', { hours: Math.floor(m / 60), minutes: pad(m % 60) }) : msg('support.report.minutes', { minutes: m });
const rate = (x) => `${(Math.round(x * 1000) / 10).toLocaleString('ru-RU')}%`;

function reportMonth() {
  const month = $('report-month').value;
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`VALIDATION: ${msg('support.report.monthRequired')}`);
  return month;
}

async function loadReport() {
  const month = reportMonth();
  const { rows } = await api('GET', `/staff/v1/tickets/report?month=${encodeURIComponent(month)}`);
  $('report').tBodies[0].innerHTML = rows.map((r) => `
    <tr data-group="${esc(r.group)}" data-priority="${esc(r.priority)}" data-line="${esc(r.line)}" class="${r.group === 'all' ? 'total' : ''}">
      <td>${r.group === 'all' ? `<b>${esc(REPORT_LABEL(r))}</b>` : esc(REPORT_LABEL(r))}</td>
      <td class="num tickets">${esc(r.tickets)}</td>
      <td class="num breached">${esc(r.breached)}</td>
      <td class="num rate${r.breached ? ' late' : ''}">${esc(rate(r.breachRate))}</td>
      <td class="num">${esc(minutes(r.medianReactionMinutes))}</td>
      <td class="num">${esc(minutes(r.medianResolutionMinutes))}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="6">${esc(msg('support.report.noData'))}</td></tr>`;
}

async function reportCsv() {
  const month = reportMonth();
  await download(`/staff/v1/tickets/report?month=${encodeURIComponent(month)}&format=csv`, `tickets_${month}.csv`);
  say('info', msg('support.report.downloaded', { month }));
}

// ——— The mail quarantine ———

/** The tab's count: messages waiting for an agent. */
async function countQuarantine() {
  const { messages } = await api('GET', '/staff/v1/mail-quarantine?status=pending');
  $('quarantine-count').textContent = messages.length ? `(${messages.length})` : '';
  return messages;
}

/** The decision cell of a held message: for one waiting, where to release it and the two buttons; otherwise what was decided. */
function decisionCell(m) {
  if (m.status !== 'pending') {
    return `<td class="small">${esc(heldStatusName(m.status))} ${esc(when(m.decidedAt))}${m.decidedBy ? `<div>${esc(actor(`agent:${m.decidedBy}`))}</div>` : ''}${m.decisionNote ? `<div class="text">${esc(m.decisionNote)}</div>` : ''}</td>`;
  }
  return `<td class="decide">
      <input class="q-ticket" placeholder="${esc(msg(m.ticketId ? 'support.quarantine.toSubjectTicket' : 'support.quarantine.ticketPlaceholder'))}" autocomplete="off" spellcheck="false">
      <input class="q-client" placeholder="${esc(msg('support.quarantine.clientPlaceholder'))}" autocomplete="off" spellcheck="false"${m.ticketId ? ' hidden' : ''}>
      <input class="q-note" placeholder="${esc(msg('support.quarantine.notePlaceholder'))}" autocomplete="off">
      <div class="row"><button class="release">${esc(msg('support.quarantine.release'))}</button><button class="discard danger">${esc(msg('support.quarantine.discard'))}</button></div>
    </td>`;
}

async function loadQuarantine() {
  const status = $('quarantine-status').value;
  const { messages } = await api('GET', `/staff/v1/mail-quarantine?status=${encodeURIComponent(status)}`);
  if (status === 'pending') $('quarantine-count').textContent = messages.length ? `(${messages.length})` : '';
  const body = $('quarantine').tBodies[0];
  body.innerHTML = messages.map((m) => `
    <tr data-id="${esc(m.id)}" data-status="${esc(m.status)}">
      <td class="nowrap">${esc(when(m.receivedAt))}</td>
      <td class="email">${esc(m.sender)}${m.senderName ? `<div class="small">${esc(m.senderName)}</div>` : ''}</td>
      <td class="text"><b class="subject">${esc(m.subject)}</b><div class="preview small">${esc(m.body)}</div></td>
      <td class="reason" data-reason="${esc(m.reason)}">${esc(reasonName(m.reason))}<div class="small">${esc(verdictName(m.authVerdict))}</div></td>
      <td>${m.ticketId ? `<a class="q-open" href="#${esc(m.ticketId)}">${esc(m.ticketId.slice(0, 8))}…</a>` : '<span class="small">—</span>'}</td>
      ${decisionCell(m)}
    </tr>`).join('') || `<tr class="empty"><td colspan="6">${esc(msg(status === 'pending' ? 'support.quarantine.nonePending' : 'support.quarantine.none'))}</td></tr>`;
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const held = messages.find((m) => m.id === row.dataset.id);
    const open = row.querySelector('.q-open');
    if (open) open.onclick = (event) => { event.preventDefault(); switchTo('queue-view'); show(held.ticketId).catch((error) => say('error', error.message)); };
    const release = row.querySelector('button.release');
    if (release) release.onclick = () => busy(release, () => releaseHeld(row, held));
    const discard = row.querySelector('button.discard');
    if (discard) discard.onclick = () => busy(discard, () => discardHeld(row, held));
  }
  return messages;
}

async function releaseHeld(row, held) {
  const ticketId = row.querySelector('.q-ticket').value.trim();
  const clientId = row.querySelector('.q-client').value.trim();
  const note = row.querySelector('.q-note').value.trim();
  if (ticketId && !UUID.test(ticketId)) throw new Error(`VALIDATION: ${msg('support.quarantine.ticketUuid')}`);
  if (clientId && !UUID.test(clientId)) throw new Error(`VALIDATION: ${msg('support.clientUuid')}`);
  const released = await api('POST', `/staff/v1/mail-quarantine/${encodeURIComponent(held.id)}/release`, {
    ...(ticketId ? { ticketId } : {}), ...(clientId && !ticketId ? { clientId } : {}), ...(note ? { note } : {}),
  });
  await loadQuarantine();
  refresh().catch((error) => say('error', error.message));
  say('info', ticketId || held.ticketId
    ? msg('support.quarantine.releasedToTicket', { sender: released.sender })
    : msg('support.quarantine.releasedAsNew', { sender: released.sender }));
}

async function discardHeld(row, held) {
  const note = row.querySelector('.q-note').value.trim();
  if (note.length < 3) throw new Error(`VALIDATION: ${msg('support.quarantine.noteRequired')}`);
  const discarded = await api('POST', `/staff/v1/mail-quarantine/${encodeURIComponent(held.id)}/discard`, { note });
  await loadQuarantine();
  say('info', msg('support.quarantine.discarded', { sender: discarded.sender }));
}

for (const tab of document.querySelectorAll('nav button')) tab.onclick = () => switchTo(tab.dataset.view);
for (const id of ['filter-line', 'filter-priority', 'filter-status', 'filter-breached']) $(id).onchange = () => busy($('refresh'), loadQueue);
$('refresh').onclick = () => busy($('refresh'), refresh);
$('temporal-ui').onchange = () => {
  const value = $('temporal-ui').value.trim().replace(/\/+$/, '');
  if (value && !/^https?:\/\/[^\s]+$/i.test(value)) { say('error', `VALIDATION: ${msg('support.temporalUi.invalid')}`); return; }
  if (value) localStorage.setItem(UI_KEY, value); else localStorage.removeItem(UI_KEY);
  $('temporal-ui').value = uiBase();
  const link = $('workflow-link');
  if (link) link.href = workflowUrl(link.textContent);
};
$('phone-create').onclick = () => busy($('phone-create'), createFromPhone);
$('report-show').onclick = () => busy($('report-show'), loadReport);
$('report-month').onchange = () => busy($('report-show'), loadReport);
$('report-csv').onclick = () => busy($('report-csv'), reportCsv);
$('quarantine-status').onchange = () => busy($('quarantine-refresh'), loadQuarantine);
$('quarantine-refresh').onclick = () => busy($('quarantine-refresh'), loadQuarantine);
// Four times a second: each deadline's seconds turn at its own instant, and a 1-second timer drifting
// across that instant would show the same second twice and then skip one.
setInterval(tick, 250);
wireSignIn(TOKEN_KEY, signIn, () => { location.hash = ''; });
