'use strict';
/*
 * The client's cabinet: support tickets (Прил. 3) and claims (9.2-9.4), served at /cabinet/support
 * (after /console/console.js, /console/format.js, /console/ncalayer-client.js, /console/ncalayer.js).
 * Tickets: opened, listed with their deadlines (Astana time, counting down), read, answered, and a
 * resolution confirmed or said not to have helped. Claims: listed with their answer deadline,
 * presented EDS-signed — through NCALayer or with a signature made elsewhere.
 */
const TOKEN_KEY = 'ismet-client-token';
/** The names of a ticket's and a claim's values (the catalogue's cabinet-support.<table>.<value>); another value shows as itself. */
const TICKET_STATUSES = ['new', 'in_progress', 'waiting_client', 'resolved', 'closed'];
const PRIORITIES = ['high', 'medium', 'low'];
/** How a ticket or a claim came (e-mail is named alike in both languages). */
const CHANNELS = ['api', 'phone', 'system', 'post'];
const CLAIM_STATUSES = ['not_considered', 'under_review', 'satisfied', 'partially_satisfied', 'refused'];
const NOT_CONSIDERED = ['NOT_SIGNED', 'SIGNER_NOT_AUTHORISED'];
const AUTHORITY = ['client_eds', 'power_of_attorney', 'paper_originals'];
/** The kinds of a claim's document, in the order the form offers them. */
const DOCUMENT_KINDS = ['basis', 'damage', 'authority', 'other'];
/** The API's refusals the page words itself (in the page's language). */
const ERRORS = [
  'TICKET_CLOSED',
  'TICKET_NOT_RESOLVED',
  'BAD_SIGNATURE',
  'SIGNER_NOT_AUTHORISED',
  'NOT_SIGNED',
  'CONCERNS_DATE_REQUIRED',
  'CLAIM_AFTER_CONTRACT',
  'INVALID_BASE64',
  'EMPTY_DOCUMENT',
  'BODY_TOO_LARGE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'SERVICE_UNAVAILABLE',
  'CLIENT_SUSPENDED',
  'CONTRACT_ENDED',
  'TOKEN_SCOPE',
  'CROSS_SITE_REQUEST',
];
const ticketStatus = (s) => (TICKET_STATUSES.includes(s) ? msg(`cabinet-support.ticketStatus.${s}`) : s);
const priority = (p) => (PRIORITIES.includes(p) ? msg(`cabinet-support.priority.${p}`) : p);
const channel = (c) => (c === 'email' ? 'e-mail' : CHANNELS.includes(c) ? msg(`cabinet-support.channel.${c}`) : c);
const claimStatus = (s) => (CLAIM_STATUSES.includes(s) ? msg(`cabinet-support.claimStatus.${s}`) : s);
/** Why a claim is not considered (9.4), as a clause. */
const notConsidered = (reason) =>
  NOT_CONSIDERED.includes(reason) ? msg(`cabinet-support.notConsidered.${reason}`) : msg('cabinet-support.notConsidered.unconfirmed');
const authority = (basis) => (AUTHORITY.includes(basis) ? msg(`cabinet-support.authority.${basis}`) : basis);
const documentKind = (kind) => msg(`cabinet-support.documentKind.${kind}`);
const RELOAD_MS = 30_000;

let tickets = [];
let selected = /^#ticket=([0-9a-f-]{36})$/i.exec(location.hash)?.[1] || null;
let detail = null;
/** A change the workflow has yet to make after the client's step (a reply, a confirmation): asked again shortly. */
let expecting = null;
/** The claim form's files: { file, kind, base64 } in the order chosen. */
let claimFiles = [];
/** The SHA-256 of the claim document last signed through NCALayer or downloaded here. */
let signedSha = null;

const pad = (n) => String(n).padStart(2, '0');

/** A deadline as «до 15:30 04.12.2026» (Astana time; one at the end of a day «до 24:00 11.12.2026»). */
function deadline(iso) {
  if (!iso) return '—';
  const [date, time] = dueBy(iso).split(', ');
  return time ? msg('cabinet-support.deadline.at', { date, time }) : msg('cabinet-support.deadline.by', { date });
}
/** The deadline as an element (HTML), with its instant for machines. */
const due = (iso, small = false) => iso ? `<time class="deadline${small ? ' small' : ''}" datetime="${esc(iso)}">${esc(deadline(iso))}</time>` : '—';

/** Milliseconds to a deadline → «осталось 2 дн 3 ч 05 мин» / «просрочено на 1 ч 20 мин». */
function timeLeft(ms) {
  const total = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const key = `cabinet-support.left.${ms >= 0 ? 'remaining' : 'overdue'}.${days ? 'days' : hours ? 'hours' : 'minutes'}`;
  return msg(key, { days: String(days), hours: String(hours), minutes: days || hours ? pad(total % 60) : String(total % 60) });
}

/** A live time-left badge for a deadline (turned by tick). */
const left = (iso) => {
  const ms = new Date(iso).getTime() - Date.now();
  return `<span class="left${ms < 0 ? ' late' : ''}" data-due="${esc(iso)}">${esc(timeLeft(ms))}</span>`;
};

function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll('.left[data-due]')) {
    const ms = new Date(el.dataset.due).getTime() - now;
    const text = timeLeft(ms);
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle('late', ms < 0);
  }
}

/**
 * The API's refusal in the page's language (a refused signature's problems named by edsProblem; other details'
 * `messageRu`, which the API words in Russian only, as given); the code stays for support.
 */
function russian(error) {
  const problems = (error.details && Array.isArray(error.details.problems) ? error.details.problems : []).map(edsProblem).filter(Boolean);
  if (error.code === 'BAD_SIGNATURE' && problems.length) return msg('cabinet-support.errors.badSignatureProblems', { problems: [...new Set(problems)].join(' ') });
  if (error.details && error.details.messageRu) return String(error.details.messageRu);
  if (error.code === 'VALIDATION_FAILED') return msg('cabinet-support.errors.VALIDATION_FAILED', { details: error.message.replace(/^VALIDATION_FAILED:\s*/, '') });
  if (error.code === 'PERSON_ROLE') {
    const needed = error.details && error.details.needed;
    return msg('cabinet-support.errors.personRole', { role: needed ? personRole(needed) : '—' });
  }
  if (ERRORS.includes(error.code)) return msg(`cabinet-support.errors.${error.code}`);
  if (error.code && /^NCALAYER_/.test(error.code)) return error.message;
  return error.message;
}
/** An action whose refusal is said in the page's language (in the message box and, when given, beside its form). */
const act = (button, action, box) => busy(button, async () => {
  if (box) $(box).textContent = '';
  try {
    await action();
  } catch (error) {
    const text = russian(error);
    if (box) $(box).textContent = text;
    throw Object.assign(new Error(text), { code: error.code });
  }
});

async function signIn() {
  try {
    const me = await api('GET', '/client/v1/me');
    signedIn('cabinet', () => msg('cabinet-support.who', { name: me.name, binIin: me.binIin }), me);
    const results = await Promise.allSettled([loadTickets(), loadClaims()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) say('error', russian(failed.reason));
    if (selected) await showTicket(selected).catch((error) => say('error', russian(error)));
    setInterval(() => refresh().catch(() => undefined), RELOAD_MS);
  } catch (error) {
    if (error.code === 'CONTRACT_ENDED') return claimsOnly(error);
    notSignedIn(error);
  }
}

/**
 * The contract has ended: the token may still present and read claims about its time (9.2-9.4) —
 * the page opens with the claims only, the day the claim concerns required.
 */
async function claimsOnly(refusal) {
  try {
    await loadClaims();
  } catch {
    return notSignedIn(refusal);
  }
  signedIn('cabinet', msg('cabinet-support.contractEnded'));
  for (const id of ['new-ticket', 'tickets', 'ticket']) $(id).hidden = true;
  $('claims-ended').hidden = false;
  $('claim-concerns').required = true;
  say('info', msg('cabinet-support.errors.CONTRACT_ENDED'));
}

/* ---- Tickets (Прил. 3) ---- */

/** The reaction deadline: live while the ticket awaits classification. */
function reactionCell(t) {
  if (t.status === 'new') {
    if (!t.reactionDueAt) return `<span class="small">${esc(msg('cabinet-support.deadline.computing'))}</span>`;
    return `${due(t.reactionDueAt)}<br>${left(t.reactionDueAt)}`;
  }
  // Classified: the reaction is done (its deadline is no longer kept), in time or not.
  return `${t.reactionDueAt ? `${due(t.reactionDueAt, true)}<br>` : ''}${t.reactionBreachedAt ? `<span class="left late">${esc(msg('cabinet-support.deadline.breached'))}</span>` : `<span class="small ok">${esc(msg('cabinet-support.deadline.kept'))}</span>`}`;
}

/** The resolution deadline: set at classification, live while in work, paused while the client is asked. */
function resolutionCell(t) {
  if (!t.priority) return `<span class="small">${esc(msg('cabinet-support.deadline.afterClassification'))}</span>`;
  // In work — or passed to the next line, where the resolution clock keeps running.
  if (t.status === 'in_progress' || (t.status === 'new' && t.resolutionDueAt)) {
    if (!t.resolutionDueAt) return `<span class="small">${esc(msg('cabinet-support.deadline.computing'))}</span>`;
    return `${due(t.resolutionDueAt)}<br>${left(t.resolutionDueAt)}`;
  }
  if (t.status === 'waiting_client') return `${t.resolutionDueAt ? `${due(t.resolutionDueAt)}<br>` : ''}<span class="paused">${esc(msg('cabinet-support.deadline.paused'))}</span>`;
  const done = t.resolvedAt ? `<span class="small ok">${esc(msg('cabinet-support.deadline.resolvedAt', { at: when(t.resolvedAt) }))}</span>` : '';
  return `${t.resolutionDueAt ? `${due(t.resolutionDueAt, true)}<br>` : ''}${t.resolutionBreachedAt ? `<span class="left late">${esc(msg('cabinet-support.deadline.breached'))}</span>` : done || '—'}`;
}

/** Deadlines the ticket's workflow has yet to record (just after registration or classification). */
const awaitingDeadline = (t) => (t.status === 'new' && !t.reactionDueAt) || (t.status === 'in_progress' && !t.resolutionDueAt);

function ticketRow(t) {
  return `<tr data-id="${esc(t.id)}" data-status="${esc(t.status)}" class="${t.id === selected ? 'selected' : ''}">
    <td class="nowrap number" data-label="${esc(msg('cabinet-support.col.number'))}">${esc(t.number)}<div class="small">${esc(when(t.receivedAt))} · ${esc(channel(t.channel))}</div></td>
    <td class="subject" data-label="${esc(msg('cabinet-support.col.subject'))}">${esc(t.subject)}</td>
    <td class="status st-${esc(t.status)}" data-label="${esc(msg('cabinet-support.col.status'))}">${esc(ticketStatus(t.status))}</td>
    <td class="priority" data-label="${esc(msg('cabinet-support.col.priority'))}">${t.priority ? esc(priority(t.priority)) : `<span class="small">${esc(msg('cabinet-support.priority.none'))}</span>`}<div class="small">${esc(msg('cabinet-support.tickets.line', { line: String(t.line) }))}</div></td>
    <td class="due reaction" data-label="${esc(msg('cabinet-support.col.reactionDue'))}">${reactionCell(t)}</td>
    <td class="due resolution" data-label="${esc(msg('cabinet-support.col.resolutionDue'))}">${resolutionCell(t)}</td>
    <td><button class="secondary open" data-id="${esc(t.id)}" aria-label="${esc(msg('cabinet-support.tickets.openLabel', { number: t.number }))}">${esc(msg('cabinet-support.tickets.open'))}</button></td>
  </tr>`;
}

async function loadTickets() {
  ({ tickets } = await api('GET', '/client/v1/tickets'));
  $('tickets-count').textContent = tickets.length ? `(${tickets.length})` : '';
  const body = $('tickets-list').tBodies[0];
  body.innerHTML = tickets.map(ticketRow).join('') || `<tr class="empty"><td colspan="7">${esc(msg('cabinet-support.tickets.none'))}</td></tr>`;
  for (const button of body.querySelectorAll('button.open')) wireOpen(button);
  pollSoon('tickets', tickets.some(awaitingDeadline), loadTickets);
  return tickets;
}

function wireOpen(button) {
  button.onclick = () => busy(button, async () => {
    await showTicket(button.dataset.id).catch((error) => { throw new Error(russian(error)); });
    $('ticket').scrollIntoView({ block: 'start' });
    $('ticket-title').focus();
  });
}

/** The list's row of a ticket read afresh (the list may have been read just before it changed). */
function updateRow(t) {
  const i = tickets.findIndex((x) => x.id === t.id);
  const row = [...$('tickets-list').tBodies[0].rows].find((r) => r.dataset.id === t.id);
  if (i < 0 || !row || JSON.stringify(tickets[i]) === JSON.stringify(t)) return;
  tickets[i] = t;
  row.outerHTML = ticketRow(t);
  wireOpen([...$('tickets-list').tBodies[0].rows].find((r) => r.dataset.id === t.id).querySelector('button.open'));
}

/** Who wrote a message, as the client reads it (staff are «служба поддержки», not named). */
function author(m) {
  if (m.direction === 'out') return msg('cabinet-support.author.support');
  if (m.author === 'client') return msg('cabinet-support.author.client');
  if (m.author.startsWith('email:')) return msg('cabinet-support.author.email', { address: m.author.slice(6) });
  if (m.author.startsWith('agent:')) return msg('cabinet-support.author.agent');
  if (m.author === 'system') return msg('cabinet-support.author.system');
  return m.author;
}

function ticketFacts(t) {
  const breaches = [
    t.reactionBreachedAt ? msg('cabinet-support.facts.reactionBreached', { at: when(t.reactionBreachedAt) }) : '',
    t.resolutionBreachedAt ? msg('cabinet-support.facts.resolutionBreached', { at: when(t.resolutionBreachedAt) }) : '',
  ].filter(Boolean);
  return `
    <dt>${esc(msg('cabinet-support.col.status'))}</dt><dd id="ticket-status" class="st-${esc(t.status)}">${esc(ticketStatus(t.status))}</dd>
    <dt>${esc(msg('cabinet-support.col.priority'))}</dt><dd id="ticket-priority">${esc(t.priority ? priority(t.priority) : msg('cabinet-support.priority.notYet'))}</dd>
    <dt>${esc(msg('cabinet-support.facts.line'))}</dt><dd>${esc(t.line)}</dd>
    <dt>${esc(msg('cabinet-support.facts.received'))}</dt><dd>${esc(when(t.receivedAt))} · ${esc(channel(t.channel))}</dd>
    <dt>${esc(msg('cabinet-support.facts.reactionDue'))}</dt><dd id="ticket-reaction">${reactionCell(t)}</dd>
    <dt>${esc(msg('cabinet-support.col.resolutionDue'))}</dt><dd id="ticket-resolution">${resolutionCell(t)}</dd>
    <dt>${esc(msg('cabinet-support.facts.breaches'))}</dt><dd id="ticket-breaches">${breaches.length ? `<span class="late">${esc(breaches.join('; '))}</span> <span class="small">${esc(msg('cabinet-support.facts.compensation'))}</span>` : `<span class="ok">${esc(msg('cabinet-support.facts.noBreaches'))}</span>`}</dd>
    ${t.closedAt ? `<dt>${esc(msg('cabinet-support.facts.closed'))}</dt><dd>${esc(when(t.closedAt))}</dd>` : ''}`;
}

/** Shows one ticket with its conversation; the reply text the client is typing stays. */
async function showTicket(id) {
  const d = await api('GET', `/client/v1/tickets/${encodeURIComponent(id)}`);
  if (selected !== id) $('reply-text').value = '';
  selected = id;
  detail = d;
  history.replaceState(null, '', `#ticket=${id}`);
  const t = d.ticket;
  updateRow(t);
  for (const row of $('tickets-list').tBodies[0].rows) row.classList.toggle('selected', row.dataset.id === id);
  $('ticket').hidden = false;
  $('ticket-title').textContent = msg('cabinet-support.ticket.title', { number: t.number, subject: t.subject });
  $('ticket-title').tabIndex = -1;
  $('ticket-facts').innerHTML = ticketFacts(t);
  $('conversation').innerHTML = d.messages.map((m) => `<li class="${m.direction === 'out' ? 'out' : 'in'}" data-id="${esc(m.id)}">
      <p class="meta"><b class="author">${esc(author(m))}</b> · <time datetime="${esc(m.at)}">${esc(when(m.at))}</time></p>
      <p class="body">${esc(m.body)}</p>
    </li>`).join('') || `<li class="small">${esc(msg('cabinet-support.ticket.noMessages'))}</li>`;
  const resolved = t.status === 'resolved';
  const closed = t.status === 'closed';
  $('ticket-resolved').hidden = !resolved;
  $('ticket-reply-form').hidden = closed;
  $('ticket-closed').hidden = !closed;
  $('ticket-reply').hidden = resolved;
  $('ticket-not-resolved').hidden = !resolved;
  $('reply-label').textContent = msg(resolved ? 'cabinet-support.reply.unresolved' : t.status === 'waiting_client' ? 'cabinet-support.reply.answer' : 'cabinet-support.reply.message');
  if (expecting && expecting.id === id && expecting.done(t)) expecting = null;
  pollSoon('ticket', Boolean(expecting && expecting.id === id) || awaitingDeadline(t), () => refresh());
  return d;
}

async function refresh() {
  await loadTickets();
  if (selected) await showTicket(selected);
}

async function openTicket() {
  const subject = $('ticket-subject').value.trim();
  const body = $('ticket-body').value.trim();
  if ([...subject].length < 3) throw new Error(msg('cabinet-support.newTicket.subjectTooShort'));
  if (!body) throw new Error(msg('cabinet-support.newTicket.bodyRequired'));
  const ticket = await api('POST', '/client/v1/tickets', { subject, body });
  $('ticket-subject').value = '';
  $('ticket-body').value = '';
  await loadTickets();
  await showTicket(ticket.id);
  say('info', msg('cabinet-support.newTicket.registered', { number: ticket.number }));
}

async function reply() {
  const t = detail && detail.ticket;
  if (!t) throw new Error(msg('cabinet-support.ticket.choose'));
  const body = $('reply-text').value.trim();
  if (!body) throw new Error(msg(t.status === 'resolved' ? 'cabinet-support.reply.describeUnresolved' : 'cabinet-support.reply.empty'));
  const before = t.status;
  await api('POST', `/client/v1/tickets/${encodeURIComponent(t.id)}/messages`, { body });
  $('reply-text').value = '';
  // A reply to a question, or to a resolution that did not help, puts the ticket back in work (the workflow does it).
  if (before === 'waiting_client' || before === 'resolved') expecting = { id: t.id, done: (x) => x.status !== before };
  await showTicket(t.id);
  await loadTickets();
  say('info', msg(before === 'resolved' ? 'cabinet-support.reply.reopened' : 'cabinet-support.reply.sent', { number: t.number }));
}

async function confirmResolution() {
  const t = detail && detail.ticket;
  if (!t) throw new Error(msg('cabinet-support.ticket.choose'));
  await api('POST', `/client/v1/tickets/${encodeURIComponent(t.id)}/confirm`);
  expecting = { id: t.id, done: (x) => x.status === 'closed' };
  await showTicket(t.id);
  say('info', msg('cabinet-support.ticket.confirmed', { number: t.number }));
}

function closeTicket() {
  selected = null;
  detail = null;
  $('ticket').hidden = true;
  history.replaceState(null, '', location.pathname + location.search);
  for (const row of $('tickets-list').tBodies[0].rows) row.classList.remove('selected');
}

/* ---- Claims (9.2-9.4) ---- */

/** «50 000,5» → 5000050 tiyn, parsed as text (no floating point); null when not an amount. */
function parseTenge(text) {
  const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(String(text).replace(/[\s\u00a0\u202f]/g, ''));
  return m ? Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) : null;
}

function claimAnswer(c) {
  if (c.status === 'not_considered') {
    return `<span class="bad">${esc(msg('cabinet-support.claims.notConsidered', { why: notConsidered(c.authority.notConsideredReason) }))}</span>`;
  }
  if (!c.answeredAt) return `<span class="small">${esc(msg('cabinet-support.claims.noAnswer'))}</span>`;
  return `<div class="small">${esc(when(c.answeredAt))}</div><div class="answer">${esc(c.answer)}</div>${c.amountAwardedTiyn ? `<div>${esc(msg('cabinet-support.claims.awarded'))} <b>${esc(money(c.amountAwardedTiyn))}</b></div>` : ''}`;
}

function claimDue(c) {
  if (c.status !== 'under_review') return due(c.dueAt, true);
  if (!c.dueAt) return `<span class="small">${esc(msg('cabinet-support.deadline.computing'))}</span>`;
  return `${due(c.dueAt)}<br>${c.overdue ? `<span class="left late">${esc(msg('cabinet-support.claims.overdue'))}</span>` : left(c.dueAt)}`;
}

function claimSigner(c) {
  const s = c.authority.signer;
  const who = s
    ? [s.commonName, s.bin ? msg('cabinet-support.claims.bin', { bin: s.bin }) : '', s.iin ? msg('cabinet-support.claims.iin', { iin: s.iin }) : ''].filter(Boolean).join(', ')
    : '';
  return `${esc(c.signerName)}${who ? `<div class="small">${esc(msg('cabinet-support.claims.signedWith', { who }))}</div>` : `<div class="small">${esc(msg('cabinet-support.claims.unsigned'))}</div>`}${c.authority.basis ? `<div class="small ok">${esc(authority(c.authority.basis))}</div>` : ''}`;
}

async function loadClaims() {
  const { claims } = await api('GET', '/client/v1/claims');
  const body = $('claims-list').tBodies[0];
  body.innerHTML = claims.map((c) => `<tr data-id="${esc(c.id)}" data-status="${esc(c.status)}">
      <td class="nowrap number" data-label="№">${esc(c.number)}</td>
      <td class="nowrap" data-label="${esc(msg('cabinet-support.claims.col.received'))}">${esc(when(c.receivedAt))}<div class="small">${esc(channel(c.channel))}</div></td>
      <td class="subject" data-label="${esc(msg('cabinet-support.col.subject'))}">${esc(c.subject)}${c.amountClaimedTiyn ? `<div class="small">${esc(msg('cabinet-support.claims.claimed', { amount: money(c.amountClaimedTiyn) }))}</div>` : ''}${c.documents.length ? `<div class="small">${esc(msg('cabinet-support.claims.files', { files: c.documents.map((d) => d.filename).join(', ') }))}</div>` : ''}</td>
      <td class="status st-${esc(c.status)}" data-label="${esc(msg('cabinet-support.col.status'))}">${esc(claimStatus(c.status))}</td>
      <td class="due" data-label="${esc(msg('cabinet-support.claims.col.answerDue'))}">${claimDue(c)}</td>
      <td class="signer" data-label="${esc(msg('cabinet-support.claims.col.signer'))}">${claimSigner(c)}</td>
      <td class="answer-cell" data-label="${esc(msg('cabinet-support.claims.col.answer'))}">${claimAnswer(c)}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="7">${esc(msg('cabinet-support.claims.none'))}</td></tr>`;
  // The answer deadline (15 working days, 9.3) is recorded by the claim's workflow just after it is presented.
  pollSoon('claims', claims.some((c) => c.status === 'under_review' && !c.dueAt), loadClaims);
}

/** A file's bytes as base64. */
async function fileBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function drawClaimFiles() {
  $('claim-files-list').innerHTML = claimFiles.map((f, i) => `<li>
      <span>${esc(f.file.name)} <span class="small">${esc(msg('cabinet-support.files.size', { size: count(Math.ceil(f.file.size / 1024)) }))}</span></span>
      <label for="claim-file-kind-${i}">${esc(msg('cabinet-support.files.kind'))}</label>
      <select id="claim-file-kind-${i}" data-index="${i}">${DOCUMENT_KINDS.map((k) => `<option value="${k}"${k === f.kind ? ' selected' : ''}>${esc(documentKind(k))}</option>`).join('')}</select>
      <button class="secondary remove" data-index="${i}" aria-label="${esc(msg('cabinet-support.files.removeLabel', { name: f.file.name }))}">${esc(msg('cabinet-support.files.remove'))}</button>
    </li>`).join('');
  for (const select of $('claim-files-list').querySelectorAll('select')) select.onchange = () => { claimFiles[Number(select.dataset.index)].kind = select.value; contentChanged(); };
  for (const button of $('claim-files-list').querySelectorAll('button.remove')) button.onclick = () => { claimFiles.splice(Number(button.dataset.index), 1); drawClaimFiles(); contentChanged(); };
}

function addClaimFiles() {
  for (const file of $('claim-files').files) {
    if (claimFiles.length >= 20) { say('error', msg('cabinet-support.files.tooMany')); break; }
    claimFiles.push({ file, kind: 'basis', base64: null });
  }
  $('claim-files').value = '';
  drawClaimFiles();
  contentChanged();
}

/** The claim's content the form holds, as the API takes it (what is signed); an Error says what is missing. */
async function claimContent() {
  const subject = $('claim-subject').value.trim();
  const demands = $('claim-demands').value.trim();
  const signerName = $('claim-signer').value.trim();
  const amountText = $('claim-amount').value.trim();
  const concernsDate = $('claim-concerns').value;
  if ([...subject].length < 3) throw new Error(msg('cabinet-support.claim.subjectTooShort'));
  if ([...demands].length < 10) throw new Error(msg('cabinet-support.claim.demandsTooShort'));
  if ([...signerName].length < 3) throw new Error(msg('cabinet-support.claim.signerRequired'));
  const amountClaimedTiyn = amountText ? parseTenge(amountText) : undefined;
  if (amountText && !amountClaimedTiyn) throw new Error(msg('cabinet-support.claim.badAmount'));
  const documents = [];
  for (const f of claimFiles) {
    if (f.base64 === null) f.base64 = await fileBase64(f.file);
    if (!f.base64) throw new Error(msg('cabinet-support.claim.emptyFile', { name: f.file.name }));
    documents.push({ kind: f.kind, filename: f.file.name.slice(0, 200), contentType: (f.file.type || 'application/octet-stream').slice(0, 100), contentBase64: f.base64 });
  }
  return { subject, demands, ...(amountClaimedTiyn ? { amountClaimedTiyn } : {}), signerName, ...(concernsDate ? { concernsDate } : {}), documents };
}

/** The fields changed after signing: the signature no longer fits (NCALayer's is dropped; a pasted one is checked on sending). */
function contentChanged() {
  if (!signedSha) return;
  if ($('claim-signature').dataset.source === 'ncalayer') {
    $('claim-signature').value = '';
    delete $('claim-signature').dataset.source;
    $('claim-sign-info').textContent = msg('cabinet-support.sign.changed');
  }
}

/** 9.4: the exact document to sign (its bytes as base64, and their SHA-256). */
const claimDocument = async (content) => api('POST', '/client/v1/claims/document', content);

async function signWithNcaLayer() {
  const content = await claimContent();
  const doc = await claimDocument(content);
  $('claim-sign-info').textContent = msg('cabinet-support.sign.chooseKey');
  let cms;
  try {
    cms = await ncaLayerSign(doc.documentBase64, { base64: true });
  } catch (error) {
    $('claim-sign-info').textContent = '';
    throw error;
  }
  $('claim-signature').value = cms;
  $('claim-signature').dataset.source = 'ncalayer';
  signedSha = doc.sha256;
  $('claim-sign-info').textContent = msg('cabinet-support.sign.signed', { sha256: doc.sha256 });
}

async function downloadClaimDocument() {
  const content = await claimContent();
  const doc = await claimDocument(content);
  const bytes = Uint8Array.from(atob(doc.documentBase64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: 'application/json' }), `${msg('cabinet-support.sign.fileName')}.json`);
  signedSha = doc.sha256;
  delete $('claim-signature').dataset.source;
  $('claim-sign-info').textContent = msg('cabinet-support.sign.downloaded', { sha256: doc.sha256 });
}

async function presentClaim() {
  const content = await claimContent();
  const signature = $('claim-signature').value.trim();
  if (signature.length < 16) throw new Error(msg('cabinet-support.present.unsigned'));
  if (signedSha) {
    const doc = await claimDocument(content);
    if (doc.sha256 !== signedSha) throw new Error(msg('cabinet-support.present.changed'));
  }
  const claim = await api('POST', '/client/v1/claims', { ...content, signature });
  for (const id of ['claim-subject', 'claim-demands', 'claim-amount', 'claim-concerns', 'claim-signer', 'claim-signature']) $(id).value = '';
  delete $('claim-signature').dataset.source;
  claimFiles = [];
  signedSha = null;
  drawClaimFiles();
  $('claim-sign-info').textContent = '';
  await loadClaims();
  if (claim.status === 'not_considered') {
    const text = msg('cabinet-support.present.notConsidered', { number: claim.number, why: notConsidered(claim.authority.notConsideredReason) });
    $('claim-error').textContent = text;
    say('error', text);
    return;
  }
  say('info', msg('cabinet-support.present.accepted', { number: claim.number }));
}

$('ticket-open').onclick = () => act($('ticket-open'), openTicket);
$('tickets-refresh').onclick = () => act($('tickets-refresh'), async () => { await Promise.all([refresh(), loadClaims()]); say('info', msg('cabinet-support.tickets.refreshed')); });
$('ticket-reply').onclick = () => act($('ticket-reply'), reply);
$('ticket-not-resolved').onclick = () => act($('ticket-not-resolved'), reply);
$('ticket-confirm').onclick = () => act($('ticket-confirm'), confirmResolution);
$('ticket-close').onclick = closeTicket;
$('claim-files').onchange = addClaimFiles;
for (const id of ['claim-subject', 'claim-demands', 'claim-amount', 'claim-concerns', 'claim-signer']) $(id).addEventListener('input', contentChanged);
$('claim-signature').addEventListener('input', () => delete $('claim-signature').dataset.source);
$('claim-sign').onclick = () => act($('claim-sign'), signWithNcaLayer, 'claim-error');
$('claim-document').onclick = () => act($('claim-document'), downloadClaimDocument, 'claim-error');
$('claim-present').onclick = () => act($('claim-present'), presentClaim, 'claim-error');
$('claim-concerns').max = new Date().toLocaleDateString('sv-SE', { timeZone: zone });
setInterval(tick, 1000);
wireSignIn(TOKEN_KEY, signIn);
