'use strict';
/*
 * Shared by the consoles and the cabinet (served at /console/console.js): the API token and the
 * sign-in form, calls of the JSON API with it, files behind it, the message box and busy buttons.
 * A page loads it before its own script and keeps only its own logic; names declared here
 * (token, zone, $, esc, api, …) are the page's globals too.
 */

/** The operator's zone: every date and time on the pages is Astana (Almaty) local time. */
const zone = 'Asia/Almaty';
/** The API token the page signed in with (a staff or a client token). */
let token = '';
/** The sessionStorage key the token is kept under (set by wireSignIn). */
let tokenKey = '';
/** The deadlines the workflows have yet to record, asked again shortly: by list. */
const polls = {};

const $ = (id) => document.getElementById(id);
/** Every server string goes into HTML through this. */
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

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
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** A file behind the Authorization header: fetched, then saved through a Blob and an object URL. */
async function download(path, fallbackName) {
  const response = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get('content-disposition') || '';
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  let name = fallbackName;
  try { name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : fallbackName; } catch { name = fallbackName; }
  const url = URL.createObjectURL(await response.blob());
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

/** Signed in: the token is kept, the login form (#login) gives way to the page (#`main`) and the sign-out button; #who says who it is. */
function signedIn(main, who) {
  sessionStorage.setItem(tokenKey, token);
  $('who').textContent = who;
  $('login').hidden = true;
  $(main).hidden = false;
  if ($('signout')) $('signout').hidden = false;
}

/** Not signed in: the kept token is dropped and the reason shown under the form (#login-error). */
function notSignedIn(error, prefix = 'Вход не выполнен') {
  sessionStorage.removeItem(tokenKey);
  $('login-error').textContent = `${prefix}: ${error.message}`;
}

/**
 * The sign-in form (#token, #signin) and #signout of a page whose token is kept in sessionStorage
 * under `key`: `signIn()` opens the page with `token`, at once when a token is kept. Signing out
 * forgets the token, runs `leave()` (to clear the address, say) and reloads the page. Called last.
 */
function wireSignIn(key, signIn, leave = () => {}) {
  tokenKey = key;
  token = sessionStorage.getItem(key) || '';
  $('signin').onclick = () => { token = $('token').value.trim(); $('login-error').textContent = ''; signIn(); };
  $('token').onkeydown = (event) => { if (event.key === 'Enter') $('signin').click(); };
  if ($('signout')) $('signout').onclick = () => { sessionStorage.removeItem(key); leave(); location.reload(); };
  if (token) signIn();
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
      `<div>Производственный календарь на ${esc(w.year)} год не внесён${w.status === 'provisional' ? ' (только предварительные данные)' : ''}: ` +
      `сроки в ${esc(w.year)} году считаются по праздникам из Закона «О праздниках в Республике Казахстан», без переносов дней отдыха. ` +
      `Внесите официальный календарь: <code>PUT /staff/v1/calendar/years/${esc(w.year)}</code>.</div>`)
    .join('');
}
