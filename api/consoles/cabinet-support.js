'use strict';
/*
 * The client's cabinet: support tickets (Прил. 3) and claims (9.2-9.4), served at /cabinet/support
 * (after /console/console.js, /console/format-ru.js, /console/ncalayer-client.js, /console/ncalayer.js).
 * Tickets: opened, listed with their deadlines (Astana time, counting down), read, answered, and a
 * resolution confirmed or said not to have helped. Claims: listed with their answer deadline,
 * presented EDS-signed — through NCALayer or with a signature made elsewhere.
 */
const TOKEN_KEY = 'ismet-client-token';
const TICKET_STATUSES = {
  new: 'зарегистрировано, ожидает классификации',
  in_progress: 'в работе',
  waiting_client: 'ожидает вашего ответа',
  resolved: 'решено — ждём вашего подтверждения',
  closed: 'закрыто',
};
const PRIORITIES = { high: 'высокий', medium: 'средний', low: 'низкий' };
const CHANNELS = { api: 'кабинет / API', phone: 'телефон', email: 'e-mail', system: 'система' };
const CLAIM_STATUSES = {
  not_considered: 'не рассматривается (п. 9.4)',
  under_review: 'на рассмотрении',
  satisfied: 'удовлетворена',
  partially_satisfied: 'удовлетворена частично',
  refused: 'в удовлетворении отказано',
};
const NOT_CONSIDERED = {
  NOT_SIGNED: 'претензия не подписана ЭЦП организации или её представителя',
  SIGNER_NOT_AUTHORISED: 'подписавший не подтвердил полномочия: это не ЭЦП вашей организации, а доверенность на него оператором не зарегистрирована или не действовала в день получения',
};
const AUTHORITY = { client_eds: 'ЭЦП организации', power_of_attorney: 'ЭЦП представителя по доверенности', paper_originals: 'оригиналы документов (почта)' };
const CLAIM_CHANNELS = { api: 'кабинет / API', email: 'e-mail', post: 'почта' };
const DOCUMENT_KINDS = { basis: 'основание претензии', damage: 'расчёт ущерба', authority: 'полномочия (копия доверенности, устава)', other: 'другое' };
/** The API's refusals, in Russian. */
const ERRORS = {
  TICKET_CLOSED: 'Обращение закрыто: если проблема осталась, откройте новое обращение.',
  TICKET_NOT_RESOLVED: 'Подтвердить можно только решённое обращение: служба поддержки ещё работает над ним.',
  BAD_SIGNATURE: 'Подпись ЭЦП не принята: она не подходит к документу претензии или сертификат недействителен. Подпишите претензию заново.',
  SIGNER_NOT_AUTHORISED: 'Подпись сделана не ЭЦП вашей организации и не представителем по доверенности, зарегистрированной оператором (п. 9.4).',
  NOT_SIGNED: 'Претензия не подписана ЭЦП (п. 9.4).',
  CONCERNS_DATE_REQUIRED: 'Договор прекратил действие: укажите дату событий, к которым относится претензия.',
  CLAIM_AFTER_CONTRACT: 'Дата событий позже прекращения Договора: претензия может касаться только времени его действия.',
  INVALID_BASE64: 'Файл документа не прочитан: выберите его заново.',
  EMPTY_DOCUMENT: 'Один из файлов пуст: уберите его или выберите другой.',
  BODY_TOO_LARGE: 'Слишком большой объём: уменьшите или уберите приложенные файлы.',
  VALIDATION_FAILED: 'Проверьте поля формы: ',
  UNAUTHENTICATED: 'Сеанс завершён: войдите снова.',
  FORBIDDEN: 'Недостаточно прав для этого действия.',
  SERVICE_UNAVAILABLE: 'Сервис временно недоступен: повторите через минуту.',
  CLIENT_SUSPENDED: 'Доступ приостановлен: кабинет доступен только для просмотра.',
  CONTRACT_ENDED: 'Договор прекратил действие: доступны только претензии о времени его действия (пп. 9.2–9.4).',
  TOKEN_SCOPE: 'Этот ключ API не даёт права на это действие (например, ключ только для чтения).',
  CROSS_SITE_REQUEST: 'Запрос отклонён: обновите страницу и повторите.',
};
/** The company's cabinet roles of a person (PERSON_ROLE refusals name the one needed). */
const PERSON_ROLES = { admin: 'администратор', ordering: 'заказ кодов', accounting: 'бухгалтерия', support: 'обращения' };
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
  return time ? `до ${time} ${date}` : `до ${date}`;
}
/** The deadline as an element (HTML), with its instant for machines. */
const due = (iso, small = false) => iso ? `<time class="deadline${small ? ' small' : ''}" datetime="${esc(iso)}">${esc(deadline(iso))}</time>` : '—';

/** Milliseconds to a deadline → «осталось 2 дн 3 ч 05 мин» / «просрочено на 1 ч 20 мин». */
function timeLeft(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days ? `${days} дн ${hours} ч ${pad(minutes % 60)} мин` : hours ? `${hours} ч ${pad(minutes % 60)} мин` : `${minutes % 60} мин`;
  return ms >= 0 ? `осталось ${text}` : `просрочено на ${text}`;
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

/** The API's refusal in Russian (details' `messageRu` when it gives them); the code stays for support. */
function russian(error) {
  const problems = (error.details && Array.isArray(error.details.problems) ? error.details.problems : []).map((p) => p.messageRu).filter(Boolean);
  if (error.code === 'BAD_SIGNATURE' && problems.length) return `Подпись ЭЦП не принята. ${[...new Set(problems)].join(' ')}`;
  if (error.details && error.details.messageRu) return String(error.details.messageRu);
  if (error.code === 'VALIDATION_FAILED') return `${ERRORS.VALIDATION_FAILED}${error.message.replace(/^VALIDATION_FAILED:\s*/, '')}`;
  if (error.code === 'PERSON_ROLE') {
    const needed = error.details && error.details.needed;
    return `Для этого действия нужна роль «${PERSON_ROLES[needed] || needed || '—'}» в кабинете компании: обратитесь к её администратору.`;
  }
  if (ERRORS[error.code]) return ERRORS[error.code];
  if (error.code && /^NCALAYER_/.test(error.code)) return error.message;
  return error.message;
}
/** An action whose refusal is said in Russian (in the message box and, when given, beside its form). */
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
    signedIn('cabinet', `${me.name} · БИН/ИИН ${me.binIin}`);
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
  signedIn('cabinet', 'Договор прекращён');
  for (const id of ['new-ticket', 'tickets', 'ticket']) $(id).hidden = true;
  $('claims-ended').hidden = false;
  $('claim-concerns').required = true;
  say('info', ERRORS.CONTRACT_ENDED);
}

/* ---- Tickets (Прил. 3) ---- */

/** The reaction deadline: live while the ticket awaits classification. */
function reactionCell(t) {
  if (t.status === 'new') {
    if (!t.reactionDueAt) return '<span class="small">рассчитывается…</span>';
    return `${due(t.reactionDueAt)}<br>${left(t.reactionDueAt)}`;
  }
  // Classified: the reaction is done (its deadline is no longer kept), in time or not.
  return `${t.reactionDueAt ? `${due(t.reactionDueAt, true)}<br>` : ''}${t.reactionBreachedAt ? '<span class="left late">срок нарушен</span>' : '<span class="small ok">соблюдён</span>'}`;
}

/** The resolution deadline: set at classification, live while in work, paused while the client is asked. */
function resolutionCell(t) {
  if (!t.priority) return '<span class="small">после классификации</span>';
  // In work — or passed to the next line, where the resolution clock keeps running.
  if (t.status === 'in_progress' || (t.status === 'new' && t.resolutionDueAt)) {
    if (!t.resolutionDueAt) return '<span class="small">рассчитывается…</span>';
    return `${due(t.resolutionDueAt)}<br>${left(t.resolutionDueAt)}`;
  }
  if (t.status === 'waiting_client') return `${t.resolutionDueAt ? `${due(t.resolutionDueAt)}<br>` : ''}<span class="paused">срок приостановлен до вашего ответа</span>`;
  const done = t.resolvedAt ? `<span class="small ok">решено ${esc(when(t.resolvedAt))}</span>` : '';
  return `${t.resolutionDueAt ? `${due(t.resolutionDueAt, true)}<br>` : ''}${t.resolutionBreachedAt ? '<span class="left late">срок нарушен</span>' : done || '—'}`;
}

/** Deadlines the ticket's workflow has yet to record (just after registration or classification). */
const awaitingDeadline = (t) => (t.status === 'new' && !t.reactionDueAt) || (t.status === 'in_progress' && !t.resolutionDueAt);

function ticketRow(t) {
  return `<tr data-id="${esc(t.id)}" data-status="${esc(t.status)}" class="${t.id === selected ? 'selected' : ''}">
    <td class="nowrap number" data-label="Номер">${esc(t.number)}<div class="small">${esc(when(t.receivedAt))} · ${esc(CHANNELS[t.channel] || t.channel)}</div></td>
    <td class="subject" data-label="Тема">${esc(t.subject)}</td>
    <td class="status st-${esc(t.status)}" data-label="Статус">${esc(TICKET_STATUSES[t.status] || t.status)}</td>
    <td class="priority" data-label="Приоритет">${t.priority ? esc(PRIORITIES[t.priority] || t.priority) : '<span class="small">не присвоен</span>'}<div class="small">линия ${esc(t.line)}</div></td>
    <td class="due reaction" data-label="Срок реакции">${reactionCell(t)}</td>
    <td class="due resolution" data-label="Срок решения">${resolutionCell(t)}</td>
    <td><button class="secondary open" data-id="${esc(t.id)}" aria-label="Открыть обращение ${esc(t.number)}">Открыть</button></td>
  </tr>`;
}

async function loadTickets() {
  ({ tickets } = await api('GET', '/client/v1/tickets'));
  $('tickets-count').textContent = tickets.length ? `(${tickets.length})` : '';
  const body = $('tickets-list').tBodies[0];
  body.innerHTML = tickets.map(ticketRow).join('') || '<tr class="empty"><td colspan="7">Обращений пока нет.</td></tr>';
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
  if (m.direction === 'out') return 'Служба поддержки';
  if (m.author === 'client') return 'Вы (кабинет)';
  if (m.author.startsWith('email:')) return `Вы, e-mail ${m.author.slice(6)}`;
  if (m.author.startsWith('agent:')) return 'Записано службой поддержки (звонок)';
  if (m.author === 'system') return 'Система';
  return m.author;
}

function ticketFacts(t) {
  const breaches = [
    t.reactionBreachedAt ? `срок реакции нарушен ${when(t.reactionBreachedAt)}` : '',
    t.resolutionBreachedAt ? `срок решения нарушен ${when(t.resolutionBreachedAt)}` : '',
  ].filter(Boolean);
  return `
    <dt>Статус</dt><dd id="ticket-status" class="st-${esc(t.status)}">${esc(TICKET_STATUSES[t.status] || t.status)}</dd>
    <dt>Приоритет</dt><dd id="ticket-priority">${t.priority ? esc(PRIORITIES[t.priority] || t.priority) : 'не присвоен (присваивается при классификации)'}</dd>
    <dt>Линия поддержки</dt><dd>${esc(t.line)}</dd>
    <dt>Получено</dt><dd>${esc(when(t.receivedAt))} · ${esc(CHANNELS[t.channel] || t.channel)}</dd>
    <dt>Срок реакции (классификации)</dt><dd id="ticket-reaction">${reactionCell(t)}</dd>
    <dt>Срок решения</dt><dd id="ticket-resolution">${resolutionCell(t)}</dd>
    <dt>Нарушения сроков</dt><dd id="ticket-breaches">${breaches.length ? `<span class="late">${esc(breaches.join('; '))}</span> <span class="small">— вы вправе потребовать возмещения ущерба (п. 7.3)</span>` : '<span class="ok">нет</span>'}</dd>
    ${t.closedAt ? `<dt>Закрыто</dt><dd>${esc(when(t.closedAt))}</dd>` : ''}`;
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
  $('ticket-title').textContent = `Обращение № ${t.number}: ${t.subject}`;
  $('ticket-title').tabIndex = -1;
  $('ticket-facts').innerHTML = ticketFacts(t);
  $('conversation').innerHTML = d.messages.map((m) => `<li class="${m.direction === 'out' ? 'out' : 'in'}" data-id="${esc(m.id)}">
      <p class="meta"><b class="author">${esc(author(m))}</b> · <time datetime="${esc(m.at)}">${esc(when(m.at))}</time></p>
      <p class="body">${esc(m.body)}</p>
    </li>`).join('') || '<li class="small">Сообщений нет.</li>';
  const resolved = t.status === 'resolved';
  const closed = t.status === 'closed';
  $('ticket-resolved').hidden = !resolved;
  $('ticket-reply-form').hidden = closed;
  $('ticket-closed').hidden = !closed;
  $('ticket-reply').hidden = resolved;
  $('ticket-not-resolved').hidden = !resolved;
  $('reply-label').textContent = resolved ? 'Что осталось нерешённым (если проблема не решена)' : t.status === 'waiting_client' ? 'Ответ на запрос службы поддержки (срок решения приостановлен до вашего ответа)' : 'Ваше сообщение';
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
  if ([...subject].length < 3) throw new Error('Укажите тему обращения — не короче 3 символов.');
  if (!body) throw new Error('Опишите проблему.');
  const ticket = await api('POST', '/client/v1/tickets', { subject, body });
  $('ticket-subject').value = '';
  $('ticket-body').value = '';
  await loadTickets();
  await showTicket(ticket.id);
  say('info', `Обращение зарегистрировано под номером ${ticket.number}; номер придёт и на e-mail. Сроки реакции и решения показаны в списке.`);
}

async function reply() {
  const t = detail && detail.ticket;
  if (!t) throw new Error('Выберите обращение.');
  const body = $('reply-text').value.trim();
  if (!body) throw new Error(t.status === 'resolved' ? 'Опишите, что осталось нерешённым.' : 'Напишите сообщение.');
  const before = t.status;
  await api('POST', `/client/v1/tickets/${encodeURIComponent(t.id)}/messages`, { body });
  $('reply-text').value = '';
  // A reply to a question, or to a resolution that did not help, puts the ticket back in work (the workflow does it).
  if (before === 'waiting_client' || before === 'resolved') expecting = { id: t.id, done: (x) => x.status !== before };
  await showTicket(t.id);
  await loadTickets();
  say('info', before === 'resolved' ? `Обращение № ${t.number} открыто снова: служба поддержки продолжит работу.` : `Сообщение по обращению № ${t.number} отправлено.`);
}

async function confirmResolution() {
  const t = detail && detail.ticket;
  if (!t) throw new Error('Выберите обращение.');
  await api('POST', `/client/v1/tickets/${encodeURIComponent(t.id)}/confirm`);
  expecting = { id: t.id, done: (x) => x.status === 'closed' };
  await showTicket(t.id);
  say('info', `Решение по обращению № ${t.number} подтверждено; обращение закрывается.`);
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
    const why = NOT_CONSIDERED[c.authority.notConsideredReason] || 'полномочия подписавшего не подтверждены';
    return `<span class="bad">Не рассматривается: ${esc(why)}.</span>`;
  }
  if (!c.answeredAt) return '<span class="small">ответа пока нет</span>';
  return `<div class="small">${esc(when(c.answeredAt))}</div><div class="answer">${esc(c.answer)}</div>${c.amountAwardedTiyn ? `<div>Присуждено: <b>${esc(money(c.amountAwardedTiyn))}</b></div>` : ''}`;
}

function claimDue(c) {
  if (c.status !== 'under_review') return due(c.dueAt, true);
  if (!c.dueAt) return '<span class="small">рассчитывается…</span>';
  return `${due(c.dueAt)}<br>${c.overdue ? '<span class="left late">срок ответа истёк</span>' : left(c.dueAt)}`;
}

function claimSigner(c) {
  const s = c.authority.signer;
  const who = s ? [s.commonName, s.bin ? `БИН ${s.bin}` : '', s.iin ? `ИИН ${s.iin}` : ''].filter(Boolean).join(', ') : '';
  return `${esc(c.signerName)}${who ? `<div class="small">ЭЦП: ${esc(who)}</div>` : '<div class="small">без ЭЦП</div>'}${c.authority.basis ? `<div class="small ok">${esc(AUTHORITY[c.authority.basis] || c.authority.basis)}</div>` : ''}`;
}

async function loadClaims() {
  const { claims } = await api('GET', '/client/v1/claims');
  const body = $('claims-list').tBodies[0];
  body.innerHTML = claims.map((c) => `<tr data-id="${esc(c.id)}" data-status="${esc(c.status)}">
      <td class="nowrap number" data-label="№">${esc(c.number)}</td>
      <td class="nowrap" data-label="Получена">${esc(when(c.receivedAt))}<div class="small">${esc(CLAIM_CHANNELS[c.channel] || c.channel)}</div></td>
      <td class="subject" data-label="Тема">${esc(c.subject)}${c.amountClaimedTiyn ? `<div class="small">требование: ${esc(money(c.amountClaimedTiyn))}</div>` : ''}${c.documents.length ? `<div class="small">файлы: ${c.documents.map((d) => esc(d.filename)).join(', ')}</div>` : ''}</td>
      <td class="status st-${esc(c.status)}" data-label="Статус">${esc(CLAIM_STATUSES[c.status] || c.status)}</td>
      <td class="due" data-label="Срок ответа">${claimDue(c)}</td>
      <td class="signer" data-label="Подписант">${claimSigner(c)}</td>
      <td class="answer-cell" data-label="Ответ">${claimAnswer(c)}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="7">Претензий нет.</td></tr>';
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
      <span>${esc(f.file.name)} <span class="small">(${esc(count(Math.ceil(f.file.size / 1024)))} КБ)</span></span>
      <label for="claim-file-kind-${i}">вид</label>
      <select id="claim-file-kind-${i}" data-index="${i}">${Object.entries(DOCUMENT_KINDS).map(([k, v]) => `<option value="${k}"${k === f.kind ? ' selected' : ''}>${esc(v)}</option>`).join('')}</select>
      <button class="secondary remove" data-index="${i}" aria-label="Убрать файл ${esc(f.file.name)}">Убрать</button>
    </li>`).join('');
  for (const select of $('claim-files-list').querySelectorAll('select')) select.onchange = () => { claimFiles[Number(select.dataset.index)].kind = select.value; contentChanged(); };
  for (const button of $('claim-files-list').querySelectorAll('button.remove')) button.onclick = () => { claimFiles.splice(Number(button.dataset.index), 1); drawClaimFiles(); contentChanged(); };
}

function addClaimFiles() {
  for (const file of $('claim-files').files) {
    if (claimFiles.length >= 20) { say('error', 'К претензии можно приложить не больше 20 файлов.'); break; }
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
  if ([...subject].length < 3) throw new Error('Укажите тему претензии — не короче 3 символов.');
  if ([...demands].length < 10) throw new Error('Изложите требования и их обоснование — не короче 10 символов.');
  if ([...signerName].length < 3) throw new Error('Укажите, кто подписывает претензию (должность, ФИО).');
  const amountClaimedTiyn = amountText ? parseTenge(amountText) : undefined;
  if (amountText && !amountClaimedTiyn) throw new Error('Сумма — в тенге, не больше двух знаков после запятой, например 50 000,00.');
  const documents = [];
  for (const f of claimFiles) {
    if (f.base64 === null) f.base64 = await fileBase64(f.file);
    if (!f.base64) throw new Error(`Файл «${f.file.name}» пуст.`);
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
    $('claim-sign-info').textContent = 'Поля претензии изменились после подписания: подпишите её заново.';
  }
}

/** 9.4: the exact document to sign (its bytes as base64, and their SHA-256). */
const claimDocument = async (content) => api('POST', '/client/v1/claims/document', content);

async function signWithNcaLayer() {
  const content = await claimContent();
  const doc = await claimDocument(content);
  $('claim-sign-info').textContent = 'Выберите ключ ЭЦП в окне NCALayer и введите пароль…';
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
  $('claim-sign-info').textContent = `Претензия подписана ЭЦП (SHA-256 документа ${doc.sha256}). Нажмите «Направить претензию».`;
}

async function downloadClaimDocument() {
  const content = await claimContent();
  const doc = await claimDocument(content);
  const bytes = Uint8Array.from(atob(doc.documentBase64), (c) => c.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: 'application/json' }), 'Претензия — документ для подписи.json');
  signedSha = doc.sha256;
  delete $('claim-signature').dataset.source;
  $('claim-sign-info').textContent = `Документ скачан (SHA-256 ${doc.sha256}). Подпишите этот файл без изменений и вставьте подпись ниже.`;
}

async function presentClaim() {
  const content = await claimContent();
  const signature = $('claim-signature').value.trim();
  if (signature.length < 16) throw new Error('Претензия без ЭЦП не рассматривается (п. 9.4): подпишите её через NCALayer или вставьте подпись, сделанную другим средством ЭЦП.');
  if (signedSha) {
    const doc = await claimDocument(content);
    if (doc.sha256 !== signedSha) throw new Error('Поля или файлы претензии изменились после подписания: подпишите претензию заново.');
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
    const why = NOT_CONSIDERED[claim.authority.notConsideredReason] || 'полномочия подписавшего не подтверждены';
    const text = `Претензия № ${claim.number} зарегистрирована, но не будет рассмотрена (п. 9.4): ${why}.`;
    $('claim-error').textContent = text;
    say('error', text);
    return;
  }
  say('info', `Претензия № ${claim.number} принята к рассмотрению: ответ — в течение 15 рабочих дней (п. 9.3); срок показан в списке.`);
}

$('ticket-open').onclick = () => act($('ticket-open'), openTicket);
$('tickets-refresh').onclick = () => act($('tickets-refresh'), async () => { await Promise.all([refresh(), loadClaims()]); say('info', 'Данные обновлены.'); });
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
