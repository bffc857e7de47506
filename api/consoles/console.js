'use strict';
/*
 * Shared by the consoles and the cabinet (served at /console/console.js): the API token and the
 * sign-in form — or, on the staff consoles when the operator's OpenID Connect provider is configured,
 * «Войти через единый вход» and the session cookie —, calls of the JSON API with it, files behind it,
 * the message box and busy buttons.
 * A page loads it before its own script and keeps only its own logic; names declared here
 * (token, zone, $, api, …) are the page's globals too, as are i18n.js's (msg, esc, …), which a page loads first.
 */

/** The operator's zone: every date and time on the pages is Astana (Almaty) local time. */
const zone = 'Asia/Almaty';
/** The API token the page signed in with (a staff or a client token). */
let token = '';
/** The sessionStorage key the token is kept under (set by wireSignIn). */
let tokenKey = '';
/**
 * Signed in through the provider (single sign-on): the HttpOnly session cookie speaks for the page — no
 * token is kept anywhere the page's script can read. Calls that change something say they come from the
 * page (x-requested-with): the API refuses a session's request without it (cross-site request forgery).
 */
let session = false;
const FROM_PAGE = { 'x-requested-with': 'ismet-console' };
/** The person of a cabinet session (signed in with EDS): { id, fullName, roles }. */
let sessionPerson = null;
/** What a call carries to say who calls: the session (the browser adds its cookie) or the token. */
const credentials = () => (session ? { ...FROM_PAGE } : { authorization: `Bearer ${token}` });
/** The deadlines the workflows have yet to record, asked again shortly: by list. */
const polls = {};

const $ = (id) => document.getElementById(id);

/**
 * The API's error {code, message, details} — or the order station's RestResult {code, globalErrors,
 * fieldErrors} — as an Error «CODE: message» that keeps its code and details.
 */
async function failure(response) {
  const data = await response.json().catch(() => ({}));
  const message = data.message || (data.globalErrors || []).join('; ') || response.statusText;
  const error = new Error(`${data.code || response.status}: ${message}`);
  error.code = data.code;
  error.details = data.details || data.fieldErrors;
  return error;
}

/** A JSON call of the API with the page's token; a refusal is thrown (see failure). */
async function api(method, path, body, headers = {}) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...credentials(), 'accept-language': lang, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    const error = await failure(response);
    if (session && response.status === 401) sessionEnded(error);
    throw error;
  }
  return response.json();
}

/**
 * A file of the API fetched with the page's credentials: its bytes (a Blob) and the name its server gives
 * (Content-Disposition), else `fallbackName`. `onProgress(received, total)` is told as bytes arrive (total 0
 * when the server does not give the length); where the browser cannot read a stream, only at the end.
 */
async function fetchBytes(path, fallbackName, onProgress) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { ...credentials(), 'accept-language': lang } });
  if (!response.ok) throw await failure(response);
  const type = response.headers.get('content-type') || 'application/octet-stream';
  const total = Number(response.headers.get('content-length')) || 0;
  let blob;
  if (onProgress && response.body && typeof response.body.getReader === 'function') {
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received, total);
    }
    blob = new Blob(chunks, { type });
  } else {
    blob = await response.blob();
    if (onProgress) onProgress(blob.size, total);
  }
  return { blob, name: fileNameOf(response, fallbackName) };
}

/** The file name a response's Content-Disposition gives (filename* first), else `fallbackName`. */
function fileNameOf(response, fallbackName) {
  const disposition = response.headers.get('content-disposition') || '';
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  try {
    return star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName;
  } catch {
    return fallbackName;
  }
}

/** A file behind the page's credentials: fetched, then saved through a Blob and an object URL. */
async function download(path, fallbackName) {
  const { blob, name } = await fetchBytes(path, fallbackName);
  saveBlob(blob, name);
}

/** Saves a Blob as a file named `name`, through an object URL. */
function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The message box (#message): kind 'info' or 'error'. A page may draw it only later (then nothing is shown). */
function say(kind, text) {
  const box = $('message');
  if (!box) return;
  box.className = kind;
  box.textContent = text;
}

/** Runs a button's action with the button disabled; errors go to the message box. */
async function busy(button, action) {
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    say('error', error.message);
  } finally {
    button.disabled = false;
  }
}

/**
 * A deadline the workflow has yet to record (just after a request): the list `key` is loaded again
 * in a second, up to 20 times in a row; once nothing is `needed` (or after a new action) the count starts again.
 */
function pollSoon(key, needed, load) {
  const p = polls[key] || (polls[key] = { count: 0, timer: null });
  if (!needed) { p.count = 0; return; }
  if (p.timer || p.count >= 20) return;
  p.count += 1;
  p.timer = setTimeout(() => { p.timer = null; load().catch((error) => say('error', error.message)); }, 1000);
}

/**
 * Signed in: the token is kept (not a session's), the login form (#login) gives way to the page (#`main`) and the
 * sign-out button; #who says who it is. A cabinet page names the person of a session (`me.person`) with `personLabel`.
 * `me` (GET …/me) brings the user's language, which the page takes before it draws its data; `whoIs` may be a function
 * giving the text in that language.
 */
function signedIn(main, whoIs, me) {
  if (me) languageOfUser(me);
  const who = typeof whoIs === 'function' ? whoIs() : whoIs;
  if (!session) sessionStorage.setItem(tokenKey, token);
  $('who').textContent = !session ? who : sessionPerson ? `${personLabel(sessionPerson)} · ${who}` : msg('common.singleSignOn.who', { who });
  $('login').hidden = true;
  $(main).hidden = false;
  if ($('signout')) $('signout').hidden = false;
}

/**
 * The signed-in user's language (i18n.js): a staff user's and a cabinet person's is kept on the server, wherever they
 * sign in; an API token's in this browser, by client. A cabinet starts from its client's language.
 */
function languageOfUser(me) {
  const cabinet = location.pathname === '/cabinet' || location.pathname.startsWith('/cabinet/');
  if (!cabinet) {
    useLanguageOf(me.language, null, (language) => api('PUT', '/staff/v1/me/language', { language }));
  } else if (me.person) {
    useLanguageOf(me.person.language, me.language, (language) => api('PUT', '/client/v1/me/language', { language }));
  } else {
    const key = `ismet-language:client:${me.id}`;
    useLanguageOf(localStorage.getItem(key), me.language, (language) => localStorage.setItem(key, language));
  }
}

/** Not signed in: the kept token is dropped and the reason shown under the form (#login-error). */
function notSignedIn(error, prefix = msg('common.signIn.failed')) {
  sessionStorage.removeItem(tokenKey);
  session = false;
  $('login-error').textContent = `${prefix}: ${error.message}`;
}

/**
 * The sign-in form (#token, #signin) and #signout of a page whose token is kept in sessionStorage
 * under `key`: `signIn()` opens the page with `token`, at once when a token is kept. Signing out
 * forgets the token (or ends the session), runs `leave()` (to clear the address, say) and reloads the page.
 * On a staff console the single sign-on is offered too when configured (see singleSignOn). Called last.
 */
function wireSignIn(key, signIn, leave = () => {}) {
  tokenKey = key;
  token = sessionStorage.getItem(key) || '';
  $('signin').onclick = () => { session = false; token = $('token').value.trim(); $('login-error').textContent = ''; signIn(); };
  $('token').onkeydown = (event) => { if (event.key === 'Enter') $('signin').click(); };
  if ($('signout')) {
    $('signout').onclick = async () => {
      sessionStorage.removeItem(key);
      if (session) await fetch(cabinet ? '/client/v1/sign-out' : '/staff/sign-out', { method: 'POST', credentials: 'same-origin', headers: FROM_PAGE }).catch(() => undefined);
      leave();
      location.reload();
    };
  }
  const staffConsole = location.pathname.startsWith('/console/');
  const cabinet = location.pathname === '/cabinet' || location.pathname.startsWith('/cabinet/');
  if (token) signIn();
  if (staffConsole) singleSignOn(signIn).catch(() => undefined);
  if (cabinet) cabinetSession(signIn).catch(() => undefined);
}

/** The reason a session ended (kept over the reload), shown once under the login form. */
function showSessionEnded() {
  const ended = sessionStorage.getItem('ismet-session-ended');
  if (!ended) return;
  sessionStorage.removeItem('ismet-session-ended');
  $('login-error').textContent = msg('common.sessionEnded', { reason: ended });
}

/**
 * A cabinet page: the login form offers «Войти с ЭЦП» (the person's EDS through NCALayer, at /cabinet/sign-in,
 * then back to this page), the API token staying for machines; a session the browser already holds opens the
 * page at once.
 */
async function cabinetSession(signIn) {
  if (!$('eds-signin')) {
    const link = document.createElement('a');
    link.id = 'eds-signin';
    link.href = `/cabinet/sign-in?returnTo=${encodeURIComponent(location.pathname)}`;
    link.textContent = msg('common.signIn.withEds');
    link.className = 'eds-signin';
    link.style.cssText = 'display:inline-block;margin:8px 0 4px;padding:8px 18px;border-radius:4px;background:#16324f;color:#fff;text-decoration:none;font-weight:600';
    const note = document.createElement('p');
    note.style.cssText = 'color:#5b6875;font-size:12px;margin:10px 0 0';
    note.textContent = msg('common.signIn.edsNote');
    const heading = $('login').querySelector('h2');
    if (heading) heading.after(link, note); else $('login').prepend(link, note);
  }
  showSessionEnded();
  if (token) return;
  const me = await fetch('/client/v1/me', { credentials: 'same-origin', headers: FROM_PAGE });
  if (me.ok && !token) {
    session = true;
    sessionPerson = (await me.json()).person || null;
    signIn();
  }
}

/** «Иванов Иван (администратор, бухгалтерия)» for the person of a cabinet session; '' for a token. */
const PERSON_ROLES = ['admin', 'ordering', 'accounting', 'support'];
const personRole = (role) => (PERSON_ROLES.includes(role) ? msg(`common.personRole.${role}`) : role);
const personLabel = (person) => person ? `${person.fullName} (${person.roles.map(personRole).join(', ')})` : '';

/** The session ended meanwhile (expired, signed out elsewhere, the staff user deactivated): the page starts again at its login form, saying why. */
function sessionEnded(error) {
  session = false;
  sessionStorage.setItem('ismet-session-ended', error.message);
  location.reload();
}

/**
 * A staff console when the operator's OpenID Connect provider is configured (GET /staff/sign-in/config):
 * the login form offers «Войти через единый вход» (to the provider, then back to this console), the token
 * field staying for machines; and a session the browser already holds opens the page at once.
 */
async function singleSignOn(signIn) {
  const response = await fetch('/staff/sign-in/config');
  const config = response.ok ? await response.json() : { oidc: false };
  if (!config.oidc || $('sso-signin')) return;
  const link = document.createElement('a');
  link.id = 'sso-signin';
  link.href = `${config.signInUrl}?returnTo=${encodeURIComponent(location.pathname)}`;
  link.textContent = msg('common.signIn.singleSignOn');
  link.style.cssText = 'display:inline-block;margin:8px 0 4px;padding:8px 18px;border-radius:4px;background:#16324f;color:#fff;text-decoration:none;font-weight:600';
  const note = document.createElement('p');
  note.id = 'sso-note';
  note.style.cssText = 'color:#5b6875;font-size:12px;margin:10px 0 0';
  note.textContent = msg('common.signIn.singleSignOnNote');
  const heading = $('login').querySelector('h2');
  if (heading) heading.after(link, note); else $('login').prepend(link, note);
  showSessionEnded();
  if (token) return;
  const me = await fetch('/staff/v1/me', { credentials: 'same-origin', headers: FROM_PAGE });
  if (me.ok && !token) {
    session = true;
    signIn();
  }
}

/**
 * For an admin (`me` from /staff/v1/me): a banner under the page's header naming each year whose official business
 * calendar is missing (GET /staff/v1/calendar/warnings: from 1 October the next year); deadlines in such a year are
 * computed with the holidays derived from the law until an admin enters the year. Nothing for other roles or on an error.
 */
async function calendarBanner(me) {
  if (!me || !me.roles.includes('admin')) return;
  let warnings;
  try {
    ({ warnings } = await api('GET', '/staff/v1/calendar/warnings'));
  } catch {
    return;
  }
  let banner = $('calendar-warning');
  if (!warnings.length) {
    if (banner) banner.remove();
    return;
  }
  if (!banner) {
    banner = document.createElement('div');
    banner.id = 'calendar-warning';
    banner.setAttribute('role', 'alert');
    banner.style.cssText = 'background:#fff4e5;color:#7a4100;border-bottom:1px solid #f0c36d;padding:8px 20px';
    document.querySelector('header').after(banner);
  }
  banner.innerHTML = warnings
    .map((w) =>
      `<div>${esc(msg(w.status === 'provisional' ? 'common.calendar.provisional' : 'common.calendar.missing', { year: String(w.year) }))} ` +
      `<code>PUT /staff/v1/calendar/years/${esc(w.year)}</code>.</div>`)
    .join('');
}

/**
 * Tables of class «cards» read as a stack of cards on a phone (the stylesheet's narrow-screen rule): every
 * cell carries its column's heading as data-label, also in rows the page renders later.
 */
function labelCardCells(table) {
  const headings = [...table.tHead.rows[0].cells].map((th) => th.textContent.trim());
  for (const row of table.tBodies[0].rows) {
    if (row.cells.length !== headings.length) continue;
    [...row.cells].forEach((td, i) => { if (!td.hasAttribute('data-label')) td.dataset.label = headings[i]; });
  }
}
document.addEventListener('DOMContentLoaded', () => {
  for (const table of document.querySelectorAll('table.cards')) {
    if (!table.tHead || !table.tBodies[0]) continue;
    labelCardCells(table);
    new MutationObserver(() => labelCardCells(table)).observe(table.tBodies[0], { childList: true });
  }
});
