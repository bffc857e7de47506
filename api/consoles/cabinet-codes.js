'use strict';
/*
 * The cabinet's page of products and codes (/cabinet/codes, issue #17): a shop without an integrator
 * registers its products, orders codes from the order station, gets (downloads) them after seeing the
 * charge, prints the labels and introduces the codes into circulation — all in the browser, through
 * the JSON API (console.js: api(), download(); format.js: when(), day(), money(), count()).
 */
const TOKEN_KEY = 'ismet-client-token';
/** The order station's extension for footwear. */
const STATION = '/api/v2/shoes';

/*
 * The names of the rights' statuses and bases, the orders' and the buffers' statuses and the product attributes are
 * the catalogue's messages `<table><value>` (nameIn): a value the catalogue does not name is shown as it is.
 */
const RIGHTS = 'cabinet-codes.rightStatus.';
const RIGHT_BASES = 'cabinet-codes.rightBasis.';
const ORDER_STATUSES = 'cabinet-codes.orderStatus.';
const IN_PROGRESS = ['CREATED', 'PENDING', 'APPROVED'];
const BUFFER_STATUSES = 'cabinet-codes.bufferStatus.';
const ATTRIBUTE_NAMES = 'cabinet-codes.attribute.';
const ATTRIBUTES = [
  ['brand', 'product-brand'],
  ['model', 'product-model'],
  ['size', 'product-size'],
  ['color', 'product-color'],
  ['material', 'product-material'],
  ['country', 'product-country'],
];
/** GS1 character set 82: what a serial (AI 21) may hold. */
const CSET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const SERIAL_LENGTH = 13;
const GS = '\u001d';

let me = null;
let omsId = null;
let price = null;
let products = [];
let orders = [];
/** The SELF_MADE serials read from the chosen file (null: none chosen). */
let serials = null;
/** One idempotency key per intended order: a second click (or a lost answer) gives the same order. */
let orderKey = null;
/** The download awaiting confirmation: { orderId, gtin, available, passedBefore, key }. */
let pending = null;
/** The buffer awaiting confirmation of its closing: { orderId, gtin }. */
let closing = null;
/** Buffers the page asked to close whose closing the list does not show yet (`orderId|gtin`): asked again shortly. */
const closingBuffers = new Set();
/** The scanner's list: [{ code, ki }]. */
let scanned = [];
let slowTimer = null;

/* ---- small helpers ---- */

/** Today in the operator's zone, YYYY-MM-DD. */
const localToday = () => new Date().toLocaleDateString('sv-SE', { timeZone: zone });

/** A deadline as «до 14:05 04.12.2026» (Astana time). */
function until(iso) {
  const [date, time] = when(iso).split(', ');
  return time ? msg('cabinet-codes.deadline.until', { time, date }) : msg('cabinet-codes.deadline.untilDay', { date });
}

/** Milliseconds to a deadline → «осталось 2 ч 10 мин» / «просрочено на 1 ч 20 мин». */
function timeLeft(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const values = { days, hours, minutes: minutes % 60 };
  if (ms >= 0) return msg(days ? 'cabinet-codes.timeLeft.days' : hours ? 'cabinet-codes.timeLeft.hours' : 'cabinet-codes.timeLeft.minutes', values);
  return msg(days ? 'cabinet-codes.overdue.days' : hours ? 'cabinet-codes.overdue.hours' : 'cabinet-codes.overdue.minutes', values);
}

function tickDeadlines() {
  for (const cell of document.querySelectorAll('.time-left[data-deadline]')) {
    const ms = new Date(cell.dataset.deadline).getTime() - Date.now();
    cell.textContent = timeLeft(ms);
    cell.classList.toggle('bad', ms < 0);
  }
}

/** A fresh idempotency key (randomUUID needs a secure context; getRandomValues does not). */
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The GS1 check digit of a GTIN is right (8, 12, 13 or 14 digits). */
function validGtin(gtin) {
  if (!/^(\d{8}|\d{12,14})$/.test(gtin)) return false;
  const digits = [...gtin].map(Number);
  const check = digits.pop();
  const sum = digits.reverse().reduce((s, d, i) => s + d * (i % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === check;
}

/** The price of `codes` codes: net × price, VAT half-up on the whole net (6.1), in integer tiyn. */
function priceOf(codes) {
  const net = BigInt(codes) * BigInt(price.pricePerCodeTiyn);
  const vat = (2n * net * BigInt(price.vatRateBp) + 10_000n) / 20_000n;
  return { net, vat, total: net + vat };
}

/** What a download of `codes` is charged when `before` codes of the order were charged already (cumulative, as the ledger does). */
function chargeOf(before, codes) {
  const a = priceOf(before);
  const b = priceOf(before + codes);
  return { net: Number(b.net - a.net), vat: Number(b.vat - a.vat), total: Number(b.total - a.total) };
}

const bytes = (n) => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1).replace('.', ',')} ${msg('cabinet-codes.size.mb')}` : `${Math.max(1, Math.round(n / 1024))} ${msg('cabinet-codes.size.kb')}`);

/** A file's lines: BOM, carriage returns and empty lines dropped; a CSV cell in quotes unquoted. */
function fileLines(text, { unquote }) {
  return text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/[\u200b-\u200d\ufeff]/g, '').trim())
    .filter((line) => line.length > 0)
    .map((line) => (unquote(line) && /^"(?:[^"]|"")*"$/.test(line) ? line.slice(1, -1).replace(/""/g, '"') : line));
}

/** A product's name for a GTIN, when in the catalogue. */
const productName = (gtin) => (products.find((p) => p.gtin === gtin) || {}).name || '';

/** The code as shown: the invisible GS as ␝. */
const shown = (code) => String(code).replace(/\u001d/g, '␝');

/* ---- sign-in and loading ---- */

async function signIn() {
  try {
    me = await api('GET', '/client/v1/me');
    signedIn('cabinet', () => msg('cabinet-codes.who', { name: me.name, binIin: me.binIin }), me);
    omsId = me.omsId || null;
    $('oms-id').textContent = omsId || '—';
    if (!$('order-contact').value) $('order-contact').value = localStorage.getItem('ismet-order-contact') || '';
    $('intro-date').value = localToday();
    $('intro-date').max = localToday();
    const results = await Promise.allSettled([loadAccount(), loadProducts()]);
    // The orders and the downloads name their products: loaded after the catalogue.
    results.push(...(await Promise.allSettled([loadOrders(), loadDownloads()])));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) say('error', failed.reason.message);
  } catch (error) {
    notSignedIn(error);
  }
}

async function loadAccount() {
  const a = await api('GET', '/client/v1/account');
  price = a.price;
  $('available').textContent = money(a.available);
  $('available').dataset.tiyn = String(a.available);
  $('reserved').textContent = money(a.reserved);
  $('price-net').textContent = a.price ? money(a.price.pricePerCodeTiyn) : msg('cabinet-codes.balance.noTariff');
  $('price-gross').textContent = a.price ? money(a.price.grossPerCodeTiyn) : '—';
  $('vat-rate').textContent = a.price ? percent(a.price.vatRateBp) : '—';
  orderCost();
  if (pending) confirmCost();
}

/* ---- 1. Product cards ---- */

function rightsCell(p) {
  const r = p.rights;
  const basis = r.basis ? msgOr(RIGHT_BASES, r.basis) : '';
  return `<span class="st st-${esc(r.status)} rights">${esc(msgOr(RIGHTS, r.status))}</span>` +
    `${r.status === 'accepted' && basis ? `<div class="small">${esc(basis)}${r.gs1Prefix ? ` ${esc(r.gs1Prefix)}` : ''}${r.decidedAt ? ` · ${esc(when(r.decidedAt))}` : ''}</div>` : ''}` +
    `${r.status === 'pending' ? `<div class="small">${esc(msg('cabinet-codes.rights.pendingNote'))}</div>` : ''}` +
    `${r.status === 'rejected' && r.reason ? `<div class="small bad">${esc(msg('cabinet-codes.rights.reason', { reason: r.reason }))}</div>` : ''}` +
    `${p.active ? '' : `<div class="small">${esc(msg('cabinet-codes.rights.inactive'))}</div>`}`;
}

async function loadProducts() {
  ({ products } = await api('GET', '/client/v1/products'));
  const body = $('products-list').tBodies[0];
  body.innerHTML = products.map((p) => {
    const attrs = Object.entries(p.attributes || {}).map(([k, v]) => {
      const known = ATTRIBUTES.find(([key]) => key === k);
      return `${esc(known ? msgOr(ATTRIBUTE_NAMES, k) : k)}: ${esc(v)}`;
    }).join(', ');
    return `<tr data-gtin="${esc(p.gtin)}">
      <td class="nowrap code">${esc(p.gtin)}</td>
      <td>${esc(p.name)}${attrs ? `<div class="small">${attrs}</div>` : ''}</td>
      <td>${rightsCell(p)}</td>
      <td class="nowrap">${esc(when(p.createdAt))}</td>
    </tr>`;
  }).join('') || `<tr class="empty"><td colspan="4">${esc(msg('cabinet-codes.products.empty'))}</td></tr>`;
  const select = $('order-gtin');
  const chosen = select.value;
  const orderable = products.filter((p) => p.active && p.rights.status === 'accepted');
  select.innerHTML = orderable.length
    ? orderable.map((p) => `<option value="${esc(p.gtin)}">${esc(p.name)} — ${esc(p.gtin)}</option>`).join('')
    : `<option value="">${esc(msg('cabinet-codes.ordering.noProducts'))}</option>`;
  if (orderable.some((p) => p.gtin === chosen)) select.value = chosen;
  $('place-order').disabled = !orderable.length;
}

const PRODUCT_ERRORS = {
  GTIN_OF_ANOTHER_COMPANY: (gtin) => msg('cabinet-codes.productError.gtinOfAnotherCompany', { gtin }),
  PRODUCT_EXISTS: (gtin) => msg('cabinet-codes.productError.productExists', { gtin }),
  GTIN_ACCEPTED_FOR_ANOTHER_CLIENT: (gtin) => msg('cabinet-codes.productError.gtinAcceptedForAnotherClient', { gtin }),
  CLIENT_SUSPENDED: () => msg('cabinet-codes.productError.clientSuspended'),
  TOKEN_SCOPE: () => msg('cabinet-codes.error.viewOnly'),
};

function productRefused(text) {
  $('product-error').textContent = text;
  say('error', text);
}

/** A file as base64 (for the evidence document). */
function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function registerProduct() {
  $('product-error').textContent = '';
  const gtin = $('product-gtin').value.replace(/\s/g, '');
  const name = $('product-name').value.trim();
  if (!/^\d{8}$|^\d{12,14}$/.test(gtin)) return productRefused(msg('cabinet-codes.product.gtinLength'));
  if (!validGtin(gtin)) return productRefused(msg('cabinet-codes.product.gtinCheckDigit', { gtin }));
  if (!name) return productRefused(msg('cabinet-codes.product.nameMissing'));
  const attributes = {};
  for (const [key, id] of ATTRIBUTES) {
    const value = $(id).value.trim();
    if (value) attributes[key] = value;
  }
  const evidence = {};
  const evidenceText = $('product-evidence').value.trim();
  if (evidenceText) evidence.text = evidenceText;
  const file = $('product-evidence-file').files[0];
  if (file) {
    if (file.size > 2 * 1024 * 1024) return productRefused(msg('cabinet-codes.product.documentTooLarge'));
    evidence.document = { filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: await readBase64(file) };
  }
  let product;
  try {
    product = await api('POST', '/client/v1/products', { gtin, name, ...(Object.keys(attributes).length ? { attributes } : {}), ...(Object.keys(evidence).length ? { evidence } : {}) });
  } catch (error) {
    const known = PRODUCT_ERRORS[error.code];
    if (known) return productRefused(known(gtin));
    if (error.code === 'VALIDATION_FAILED') return productRefused(msg('cabinet-codes.product.invalid', { message: error.message }));
    return productRefused(msg('cabinet-codes.product.notRegistered', { message: error.message }));
  }
  for (const id of ['product-gtin', 'product-name', 'product-evidence', 'product-evidence-file', ...ATTRIBUTES.map(([, i]) => i)]) $(id).value = '';
  await loadProducts();
  say('info', product.rights.status === 'accepted'
    ? msg('cabinet-codes.product.registered', { name: product.name, gtin: product.gtin })
    : msg('cabinet-codes.product.registeredForModeration', { name: product.name, gtin: product.gtin }));
}

/* ---- 2. Orders of codes ---- */

const serialType = () => ($('serial-self').checked ? 'SELF_MADE' : 'OPERATOR');

function serialTypeChanged() {
  const self = serialType() === 'SELF_MADE';
  $('serials-box').hidden = !self;
  $('order-quantity').readOnly = self;
  if (self && serials) $('order-quantity').value = String(serials.length);
  orderKey = null;
  orderCost();
}

/** The serials a file holds, checked as the station checks them: 13 characters of CSET 82, none repeated. */
async function readSerials() {
  const file = $('order-serials-file').files[0];
  serials = null;
  $('order-serials-info').className = 'small';
  if (!file) return void ($('order-serials-info').textContent = '');
  const list = fileLines(await file.text(), { unquote: (line) => [...line].length !== SERIAL_LENGTH });
  const problems = [];
  const seen = new Map();
  list.forEach((serial, i) => {
    const chars = [...serial];
    if (chars.length !== SERIAL_LENGTH) problems.push(msg('cabinet-codes.serials.length', { line: i + 1, length: chars.length, expected: SERIAL_LENGTH }));
    const bad = [...new Set(chars.filter((c) => !CSET82.includes(c)))];
    if (bad.length) problems.push(msg('cabinet-codes.serials.badCharacters', { line: i + 1, characters: bad.map((c) => `«${c}»`).join(' ') }));
    if (seen.has(serial)) problems.push(msg('cabinet-codes.serials.repeats', { line: i + 1, first: seen.get(serial) + 1 }));
    else seen.set(serial, i);
  });
  if (!list.length) problems.push(msg('cabinet-codes.serials.none'));
  if (problems.length) {
    $('order-serials-info').className = 'small bad';
    const listed = problems.slice(0, 10);
    if (problems.length > 10) listed.push(msg('cabinet-codes.serials.more', { count: problems.length - 10 }));
    $('order-serials-info').textContent = msg('cabinet-codes.serials.unfit', { file: file.name, problems: listed.join('; ') });
  } else {
    serials = list;
    $('order-quantity').value = String(list.length);
    $('order-serials-info').textContent = msg('cabinet-codes.serials.read', { count: count(list.length), file: file.name });
  }
  orderKey = null;
  orderCost();
}

/** The order's price at today's tariff: reserved at emission (3.2). */
function orderCost() {
  const quantity = Number($('order-quantity').value);
  if (!price || !Number.isInteger(quantity) || quantity < 1) return void ($('order-cost').textContent = '');
  const p = priceOf(quantity);
  const available = Number($('available').dataset.tiyn || 0);
  const short = Number(p.total) > available;
  $('order-cost').className = `cost${short ? ' bad' : ''}`;
  $('order-cost').textContent = `${msg('cabinet-codes.orderCost.total', { quantity: count(quantity), price: money(price.pricePerCodeTiyn), net: money(Number(p.net)), rate: percent(price.vatRateBp), vat: money(Number(p.vat)), total: money(Number(p.total)) })} ` +
    msg(short ? 'cabinet-codes.orderCost.short' : 'cabinet-codes.orderCost.enough', { available: money(available) });
}

/** The station's answers about order lines, in the page's language. */
function lineProblem(text) {
  const rules = [
    [/awaiting the operator.s acceptance/, () => msg('cabinet-codes.lineProblem.awaitingAcceptance')],
    [/rejected the client.s right/, () => msg('cabinet-codes.lineProblem.rightRejected')],
    [/GS1 company prefix recorded for another company/, () => msg('cabinet-codes.lineProblem.anotherCompany')],
    [/not in the client.s product catalogue/, () => msg('cabinet-codes.lineProblem.notInCatalogue')],
    [/deactivated/, () => msg('cabinet-codes.lineProblem.deactivated')],
    [/not a GTIN-14 with a valid check digit/, () => msg('cabinet-codes.lineProblem.checkDigit')],
    [/^must be 1\.\.(\d+)/, (m) => msg('cabinet-codes.lineProblem.quantity', { max: m[1] })],
    [/SELF_MADE needs exactly quantity \((\d+)\) serials, got (\d+)/, (m) => msg('cabinet-codes.lineProblem.serialCount', { needed: m[1], got: m[2] })],
    [/must be (\d+) characters, has (\d+)/, (m) => msg('cabinet-codes.lineProblem.serialLength', { expected: m[1], length: m[2] })],
    [/not in GS1 CSET 82/, () => msg('cabinet-codes.lineProblem.cset82')],
    [/repeats the serial at index (\d+)/, (m) => msg('cabinet-codes.lineProblem.repeats', { line: Number(m[1]) + 1 })],
    [/serial (.+) was already used/, (m) => msg('cabinet-codes.lineProblem.serialUsed', { serial: m[1] })],
    [/appears twice/, () => msg('cabinet-codes.lineProblem.gtinTwice')],
  ];
  for (const [re, russian] of rules) {
    const m = re.exec(text);
    if (m) return russian(m);
  }
  return text;
}

const ORDER_ERRORS = {
  TOO_MANY_QUEUED_ORDERS: () => msg('cabinet-codes.orderError.tooManyQueued'),
  TOO_MANY_ACTIVE_ORDERS: () => msg('cabinet-codes.orderError.tooManyActive'),
  CLIENT_NOT_ACTIVE: () => msg('cabinet-codes.orderError.clientNotActive'),
  CLIENT_SUSPENDED: () => msg('cabinet-codes.orderError.clientSuspended'),
  CONTRACT_NOT_IN_EFFECT: () => msg('cabinet-codes.orderError.contractNotInEffect'),
  CONTRACT_TERMINATING: () => msg('cabinet-codes.orderError.contractTerminating'),
  CONTRACT_ENDING: () => msg('cabinet-codes.orderError.contractEnding'),
  OMS_ID_MISMATCH: () => msg('cabinet-codes.orderError.omsIdMismatch'),
  TOKEN_SCOPE: () => msg('cabinet-codes.orderError.tokenScope'),
  IDEMPOTENCY_CONFLICT: () => msg('cabinet-codes.orderError.idempotencyConflict'),
};

function orderRefused(error) {
  const fields = Array.isArray(error.details) ? error.details : [];
  const known = Object.prototype.hasOwnProperty.call(ORDER_ERRORS, error.code) ? ORDER_ERRORS[error.code]() : null;
  const lines = fields.map((f) => `<li>${esc(/serialNumbers/.test(f.fieldName || '') ? msg('cabinet-codes.orderField.serialNumbers') : /gtin/.test(f.fieldName || '') ? 'GTIN' : /quantity/.test(f.fieldName || '') ? msg('cabinet-codes.orderField.quantity') : f.fieldName)}: ${esc(lineProblem(f.fieldError || ''))}</li>`);
  const head = known || (error.code === 'INVALID_ORDER_LINES' ? msg('cabinet-codes.orderRefused.lines') : msg('cabinet-codes.orderRefused.message', { message: error.message }));
  $('order-error').innerHTML = `${esc(head)}${lines.length ? `<ul>${lines.join('')}</ul>` : ''}`;
  say('error', `${head}${fields.length ? ` ${fields.map((f) => lineProblem(f.fieldError || '')).join('; ')}` : ''}`);
}

async function placeOrder() {
  $('order-error').textContent = '';
  const gtin = $('order-gtin').value;
  const quantity = Number($('order-quantity').value);
  const contactPerson = $('order-contact').value.trim();
  const type = serialType();
  const stop = (text) => { $('order-error').textContent = text; say('error', text); };
  if (!omsId) return stop(msg('cabinet-codes.placeOrder.noStation'));
  if (!gtin) return stop(msg('cabinet-codes.placeOrder.noProduct'));
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 150_000) return stop(msg('cabinet-codes.placeOrder.quantity'));
  if (!contactPerson) return stop(msg('cabinet-codes.placeOrder.noContact'));
  if (type === 'SELF_MADE' && !serials) return stop(msg('cabinet-codes.placeOrder.noSerials'));
  if (type === 'SELF_MADE' && serials.length !== quantity) return stop(msg('cabinet-codes.placeOrder.serialCount', { quantity, serials: serials.length }));
  const body = {
    contactPerson,
    releaseMethodType: $('order-release').value,
    createMethodType: 'SELF_MADE',
    products: [{ gtin, quantity, serialNumberType: type, ...(type === 'SELF_MADE' ? { serialNumbers: serials } : {}), templateId: 1, cisType: 'UNIT' }],
  };
  orderKey = orderKey || uuid();
  let result;
  try {
    result = await api('POST', `${STATION}/orders?omsId=${encodeURIComponent(omsId)}`, body, { 'idempotency-key': orderKey });
  } catch (error) {
    return orderRefused(error);
  }
  orderKey = null;
  localStorage.setItem('ismet-order-contact', contactPerson);
  say('info', msg('cabinet-codes.placeOrder.placed', { orderId: result.orderId, count: quantity }));
  await loadOrders();
  await loadAccount();
}

/* ---- the list of orders and their progress ---- */

function deadlineCell(o) {
  const by = `<span class="deadline">${esc(until(o.emissionDeadline))}</span>`;
  if (IN_PROGRESS.includes(o.orderStatus)) {
    const ms = new Date(o.emissionDeadline).getTime() - Date.now();
    return `${by}<div class="small time-left${ms < 0 ? ' bad' : ''}" data-deadline="${esc(o.emissionDeadline)}">${esc(timeLeft(ms))}</div>` +
      `${o.deadlineMissed ? `<div class="bad missed">${esc(msg('cabinet-codes.deadline.missed'))}</div>` : ''}`;
  }
  if (o.orderStatus === 'DECLINED') return `${by}<div class="small">${esc(msg('cabinet-codes.deadline.declined'))}</div>`;
  return `${by}<div class="small ${o.deadlineMissed ? 'bad missed' : 'ok'}">${esc(msg(o.deadlineMissed ? 'cabinet-codes.deadline.emittedLate' : 'cabinet-codes.deadline.emittedInTime'))}</div>`;
}

function declineReason(reason) {
  if (/insufficient funds/i.test(reason)) return msg('cabinet-codes.declined.insufficientFunds');
  return reason;
}

function progressCell(o) {
  return o.buffers.map((b) => {
    const emitted = b.emittedCodes ?? (b.totalCodes - b.unavailableCodes);
    const ready = b.bufferStatus === 'ACTIVE';
    const expires = b.expiredDate ? ` · ${msg('cabinet-codes.progress.getBy', { by: dueBy(new Date(b.expiredDate).toISOString()) })}` : '';
    const available = ready ? ` · ${msgHtml('cabinet-codes.progress.available', {}, { count: `<b class="available">${esc(count(b.availableCodes))}</b>` })}` : '';
    return `<div class="buffer" data-gtin="${esc(b.gtin)}">
      <progress max="${esc(b.totalCodes)}" value="${esc(emitted)}" aria-label="${esc(msg('cabinet-codes.progress.label', { gtin: b.gtin }))}"></progress>
      <span class="codes">${esc(msg('cabinet-codes.progress.emitted', { emitted: count(emitted), total: count(b.totalCodes) }))}</span>
      <div class="small">${esc(msgOr(BUFFER_STATUSES, b.bufferStatus))}${available} · ${esc(msg('cabinet-codes.progress.received', { count: count(b.totalPassed) }))}${esc(expires)}</div>
    </div>`;
  }).join('');
}

function orderRow(o) {
  const passed = o.buffers.reduce((s, b) => s + b.totalPassed, 0);
  const actions = o.buffers
    .filter((b) => o.orderStatus === 'READY' && b.bufferStatus === 'ACTIVE' && b.availableCodes > 0)
    .map((b) => {
      if (closingBuffers.has(`${o.orderId}|${b.gtin}`)) return `<div class="small closing">${esc(msg('cabinet-codes.orders.closing'))}</div>`;
      const which = o.buffers.length > 1 ? ` (${esc(b.gtin)})` : '';
      const data = `data-order="${esc(o.orderId)}" data-gtin="${esc(b.gtin)}" data-available="${esc(b.availableCodes)}" data-passed="${esc(passed)}" data-total="${esc(o.totalCodes)}"`;
      return `<div><button class="get-codes" ${data}>${esc(msg('cabinet-codes.orders.getCodes'))}${which}</button> <button class="secondary close-buffer" ${data}>${esc(msg('cabinet-codes.orders.giveUp'))}${which}</button></div>`;
    })
    .join('');
  return `<tr data-id="${esc(o.orderId)}" class="order-${esc(o.orderStatus)}">
    <td class="ref small">${esc(o.orderId)}<div>${esc(when(new Date(o.createdTimestamp).toISOString()))}</div></td>
    <td>${o.buffers.map((b) => `<div><span class="code">${esc(b.gtin)}</span>${productName(b.gtin) ? `<div class="small">${esc(productName(b.gtin))}</div>` : ''}</div>`).join('')}</td>
    <td><span class="st st-${esc(o.orderStatus)} status">${esc(msgOr(ORDER_STATUSES, o.orderStatus))}</span>${o.declineReason ? `<div class="small bad">${esc(declineReason(o.declineReason))}</div>` : ''}</td>
    <td>${progressCell(o)}</td>
    <td class="nowrap due">${deadlineCell(o)}</td>
    <td class="actions">${actions || '<span class="small">—</span>'}</td>
  </tr>`;
}

/** Refreshes while an order is being emitted: every second for a while (pollSoon), then every 10 seconds. */
function refreshWhileInProgress(inProgress) {
  pollSoon('orders', inProgress, loadOrders);
  clearTimeout(slowTimer);
  slowTimer = inProgress ? setTimeout(() => loadOrders().catch((error) => say('error', error.message)), 10_000) : null;
}

async function loadOrders() {
  const body = $('orders-list').tBodies[0];
  if (!omsId) {
    body.innerHTML = `<tr class="empty"><td colspan="6">${esc(msg('cabinet-codes.orders.noStation'))}</td></tr>`;
    return;
  }
  const before = new Map(orders.map((o) => [o.orderId, o.orderStatus]));
  ({ orderInfos: orders } = await api('GET', `${STATION}/orders?omsId=${encodeURIComponent(omsId)}`));
  for (const key of [...closingBuffers]) {
    const [orderId, gtin] = key.split('|');
    const order = orders.find((o) => o.orderId === orderId);
    const buffer = order && order.buffers.find((b) => b.gtin === gtin);
    // Closed once the buffer is; the order closes too (a little later) when it was its last open buffer.
    const done = !buffer || order.orderStatus !== 'READY' || (buffer.bufferStatus !== 'ACTIVE' && order.buffers.some((b) => b.bufferStatus === 'ACTIVE'));
    if (done) closingBuffers.delete(key);
  }
  body.innerHTML = orders.map(orderRow).join('') || `<tr class="empty"><td colspan="6">${esc(msg('cabinet-codes.orders.empty'))}</td></tr>`;
  for (const button of body.querySelectorAll('button.get-codes')) {
    button.onclick = () => askDownload(button.dataset);
  }
  for (const button of body.querySelectorAll('button.close-buffer')) {
    button.onclick = () => askClose(button.dataset);
  }
  const inProgress = orders.some((o) => IN_PROGRESS.includes(o.orderStatus)) || closingBuffers.size > 0;
  refreshWhileInProgress(inProgress);
  // An order that finished meanwhile changed the reservation.
  if (orders.some((o) => before.has(o.orderId) && before.get(o.orderId) !== o.orderStatus)) await loadAccount();
  if (pending && !orders.some((o) => o.orderId === pending.orderId && o.orderStatus === 'READY')) closeConfirmation();
  if (closing && !orders.some((o) => o.orderId === closing.orderId && o.orderStatus === 'READY')) cancelClose();
}

/* ---- giving up the codes not received: the buffer closed, its reservation released ---- */

function askClose(data) {
  closeConfirmation();
  closing = { orderId: data.order, gtin: data.gtin };
  const left = Number(data.available);
  const release = price ? Number(priceOf(Number(data.total)).total - priceOf(Number(data.passed)).total) : null;
  const values = { product: productName(closing.gtin) || msg('cabinet-codes.product.fallback'), gtin: closing.gtin, count: left };
  const html = { order: `<span class="ref">${esc(closing.orderId)}</span>`, codes: `<b id="close-codes">${esc(count(left))}</b>` };
  $('close-what').innerHTML = release === null
    ? msgHtml('cabinet-codes.close.what', values, html)
    : msgHtml('cabinet-codes.close.whatAndRelease', values, { ...html, release: `<b id="close-release">${esc(money(release))}</b>` });
  $('close-error').textContent = '';
  $('close-confirm').hidden = false;
  $('close-confirm').focus();
}

function cancelClose() {
  closing = null;
  $('close-confirm').hidden = true;
}

async function confirmClose() {
  if (!closing) return;
  const { orderId, gtin } = closing;
  try {
    await api('POST', `${STATION}/buffer/close?omsId=${encodeURIComponent(omsId)}&orderId=${encodeURIComponent(orderId)}&gtin=${encodeURIComponent(gtin)}`);
  } catch (error) {
    const text = error.code === 'BUFFER_NOT_CLOSABLE' ? msg('cabinet-codes.close.notClosable') : msg('cabinet-codes.close.failed', { message: error.message });
    $('close-error').textContent = text;
    say('error', text);
    return;
  }
  cancelClose();
  closingBuffers.add(`${orderId}|${gtin}`);
  await Promise.all([loadOrders(), loadAccount()]);
  say('info', msg('cabinet-codes.close.done', { orderId, gtin }));
}

/* ---- 3. Getting codes: the charge shown and confirmed first ---- */

function askDownload(data) {
  cancelClose();
  pending = { orderId: data.order, gtin: data.gtin, available: Number(data.available), passedBefore: Number(data.passed), key: uuid() };
  $('confirm-order').textContent = pending.orderId;
  $('confirm-product').textContent = `${productName(pending.gtin) || msg('cabinet-codes.product.fallback')} · GTIN ${pending.gtin}`;
  $('confirm-available').textContent = msg('cabinet-codes.download.codes', { count: pending.available });
  $('confirm-quantity').max = String(pending.available);
  $('confirm-quantity').value = String(pending.available);
  $('confirm-error').textContent = '';
  $('download-confirm').hidden = false;
  confirmCost();
  $('download-confirm').focus();
}

function confirmQuantity() {
  const quantity = Number($('confirm-quantity').value);
  return Number.isInteger(quantity) && quantity >= 1 && quantity <= pending.available ? quantity : null;
}

function confirmCost() {
  const quantity = confirmQuantity();
  $('confirm-download').disabled = !quantity || !price;
  if (!price) return void ($('confirm-cost').textContent = msg('cabinet-codes.download.noTariff'));
  if (!quantity) return void ($('confirm-cost').textContent = msg('cabinet-codes.download.quantityRange', { max: count(pending.available) }));
  const c = chargeOf(pending.passedBefore, quantity);
  const how = msg('cabinet-codes.download.costDetails', { quantity: count(quantity), price: money(price.pricePerCodeTiyn), net: money(c.net), rate: percent(price.vatRateBp), vat: money(c.vat) });
  $('confirm-cost').innerHTML = msgHtml('cabinet-codes.download.cost', {}, { total: `<b id="confirm-total">${esc(money(c.total))}</b>`, details: `<span class="small">${esc(how)}</span>` });
  // A new quantity is a new request.
  if (pending.quantity !== quantity) { pending.quantity = quantity; pending.key = uuid(); }
}

function closeConfirmation() {
  pending = null;
  $('download-confirm').hidden = true;
}

const DOWNLOAD_ERRORS = {
  BUFFER_EXHAUSTED: () => msg('cabinet-codes.downloadError.bufferExhausted'),
  BUFFER_NOT_ACTIVE: () => msg('cabinet-codes.downloadError.bufferNotActive'),
  ORDER_CLOSED: () => msg('cabinet-codes.downloadError.orderClosed'),
  CLIENT_SUSPENDED: () => msg('cabinet-codes.downloadError.clientSuspended'),
  TOKEN_SCOPE: () => msg('cabinet-codes.error.viewOnly'),
};

async function confirmDownload() {
  const quantity = confirmQuantity();
  if (!quantity || !pending) return;
  const { orderId, gtin, key } = pending;
  let block;
  try {
    block = await api('POST', `/client/v1/orders/${encodeURIComponent(orderId)}/downloads`, { gtin, quantity }, { 'idempotency-key': key });
  } catch (error) {
    const text = Object.prototype.hasOwnProperty.call(DOWNLOAD_ERRORS, error.code) ? DOWNLOAD_ERRORS[error.code]() : msg('cabinet-codes.downloadError.failed', { message: error.message });
    $('confirm-error').textContent = text;
    say('error', text);
    return;
  }
  // The last codes of the buffer: the order closes shortly after, shown when it does.
  if (block.quantity >= pending.available) closingBuffers.add(`${orderId}|${gtin}`);
  closeConfirmation();
  await Promise.all([loadDownloads(), loadOrders(), loadAccount()]);
  say('info', msg('cabinet-codes.download.done', { count: count(block.quantity), amount: money(block.amountTiyn) }));
  const row = document.querySelector(`#downloads-list tr[data-id="${CSS.escape(block.blockId)}"]`);
  if (row) row.scrollIntoView({ block: 'nearest' });
}

/* ---- the blocks received and their files ---- */

const fileButton = (url, label, name, kind) => `<button class="secondary file ${esc(kind)}" data-url="${esc(url)}" data-name="${esc(name)}" data-label="${esc(label)}">${esc(label)}</button>`;

async function loadDownloads() {
  const { downloads } = await api('GET', '/client/v1/downloads');
  const today = localToday();
  const body = $('downloads-list').tBodies[0];
  body.innerHTML = downloads.map((d) => `<tr data-id="${esc(d.blockId)}">
      <td class="nowrap">${esc(when(d.deliveredAt))}</td>
      <td><span class="code gtin">${esc(d.gtin)}</span>${productName(d.gtin) ? ` ${esc(productName(d.gtin))}` : ''}<div class="small ref">${esc(msg('cabinet-codes.downloads.order', { orderId: d.orderId }))}</div></td>
      <td class="num">${esc(count(d.quantity))}</td>
      <td class="num">${esc(money(d.amountTiyn))}</td>
      <td class="nowrap apply-by">${d.applyBy ? `${esc(day(d.applyBy))}${d.applyBy < today ? ` <span class="bad">${esc(msg('cabinet-codes.downloads.expired'))}</span>` : ''}` : '—'}</td>
      <td class="files">${[
        fileButton(d.files.pdf, msg('cabinet-codes.files.labelsPdf'), `labels_${d.blockId}.pdf`, 'labels-pdf'),
        fileButton(`${d.files.zip}?format=png`, 'DataMatrix PNG (ZIP)', `datamatrix_${d.blockId}.zip`, 'zip-png'),
        fileButton(`${d.files.zip}?format=svg`, 'DataMatrix SVG (ZIP)', `datamatrix_${d.blockId}.zip`, 'zip-svg'),
        fileButton(`${d.files.csv}?gs=raw`, msg('cabinet-codes.files.csvRaw'), `codes_${d.blockId}.csv`, 'csv-raw'),
        fileButton(`${d.files.csv}?gs=escape`, msg('cabinet-codes.files.csvEscape'), `codes_${d.blockId}.csv`, 'csv-escape'),
        fileButton(`${d.files.csv}?gs=human`, msg('cabinet-codes.files.csvHuman'), `codes_${d.blockId}.csv`, 'csv-human'),
        fileButton(d.files.json, 'JSON', `codes_${d.blockId}.json`, 'json'),
      ].join('')}</td>
    </tr>`).join('') || `<tr class="empty"><td colspan="6">${esc(msg('cabinet-codes.downloads.empty'))}</td></tr>`;
  for (const button of body.querySelectorAll('button.file')) {
    const url = () => (button.classList.contains('labels-pdf') ? withLayout(button.dataset.url) : button.dataset.url);
    button.onclick = () => busy(button, () => fetchFile(url(), button.dataset.name, button.dataset.label).catch(fileRefused));
  }
}

/** The PDF's address with the label layout the form asks for (empty fields: the server's default). */
function withLayout(url) {
  const query = new URLSearchParams();
  if ($('label-page').value !== 'A4') query.set('page', $('label-page').value);
  for (const [id, name] of [['label-columns', 'columns'], ['label-rows', 'rows'], ['label-width', 'labelWidthMm'], ['label-height', 'labelHeightMm'], ['label-symbol', 'symbolSizeMm']]) {
    const value = $(id).value.trim().replace(',', '.');
    if (value) query.set(name, value);
  }
  const q = query.toString();
  return q ? `${url}?${q}` : url;
}

function fileRefused(error) {
  if (error.code === 'BAD_LAYOUT') throw new Error(msg('cabinet-codes.file.badLayout'));
  if (error.code === 'VALIDATION_FAILED') throw new Error(msg('cabinet-codes.file.invalidLayout', { message: error.message }));
  if (error.code === 'NOT_FOUND') throw new Error(msg('cabinet-codes.file.notFound'));
  throw new Error(msg('cabinet-codes.file.failed', { message: error.message }));
}

/**
 * A file behind the page's credentials, read as a stream so that its progress shows (a PDF of many
 * labels takes a while): bytes received, and the share of the whole when the server gives its length.
 */
async function fetchFile(path, fallbackName, label) {
  const box = $('file-progress-box');
  const bar = $('file-progress');
  const note = $('file-progress-text');
  box.hidden = false;
  bar.removeAttribute('value');
  note.textContent = msg('cabinet-codes.file.requesting', { label });
  let received = 0;
  let file;
  try {
    file = await fetchBytes(path, fallbackName, (got, total) => {
      received = got;
      if (total) {
        bar.max = total;
        bar.value = got;
      }
      note.textContent = total
        ? msg('cabinet-codes.file.receivedOf', { label, received: bytes(got), total: bytes(total), percent: Math.floor((got * 100) / total) })
        : msg('cabinet-codes.file.received', { label, received: bytes(got) });
    });
  } catch (error) {
    note.textContent = msg('cabinet-codes.file.error', { label });
    throw error;
  }
  saveBlob(file.blob, file.name);
  bar.max = 1;
  bar.value = 1;
  note.textContent = msg('cabinet-codes.file.saved', { label, size: bytes(received), file: file.name });
}

/* ---- 4. Introduction into circulation: a scanner or a file ---- */

/** A scanned code as the API reads it; a scanner that drops the GS separators gets them put back at their fixed places. */
function normaliseCode(raw) {
  const text = String(raw).replace(/[\u200b-\u200d\ufeff]/g, '').trim();
  const bare = /^(?:\]d2)?(01\d{14}21[\x21-\x7e]{13})(91[\x21-\x7e]{4})(92[\x21-\x7e]{44})$/.exec(text);
  return bare ? `${bare[1]}${GS}${bare[2]}${GS}${bare[3]}` : text;
}

/** The identification code (КИ: 01 GTIN 21 serial) a code names, to find repeats; the text itself when it names none. */
function kiOf(code) {
  const text = code.replace(/^\]d2/, '').replace(/^(?:\u001d|\\u001d|\\x1d|<GS>|\^FNC1|\u00e8)/i, '');
  const human = /^\(01\)(\d{14})\(21\)([\s\S]{13})/.exec(text);
  if (human) return `01${human[1]}21${human[2]}`;
  const plain = /^01(\d{14})21([\s\S]{13})/.exec(text);
  return plain ? `01${plain[1]}21${plain[2]}` : text;
}

function addCodes(list) {
  for (const raw of list) {
    const code = normaliseCode(raw);
    if (code) scanned.push({ code, ki: kiOf(code) });
  }
  drawScanned();
}

function drawScanned() {
  const first = new Map();
  let repeats = 0;
  const items = scanned.map((s, i) => {
    const dup = first.has(s.ki);
    if (dup) repeats += 1;
    else first.set(s.ki, i);
    return `<li class="${dup ? 'dup' : ''}" data-index="${i}">${esc(shown(s.code))}${dup ? ` <strong class="dup-flag">${esc(msg('cabinet-codes.scan.repeat', { line: first.get(s.ki) + 1 }))}</strong>` : ''}<button class="secondary remove" data-index="${i}" aria-label="${esc(msg('cabinet-codes.scan.removeLabel', { line: i + 1 }))}">${esc(msg('cabinet-codes.scan.remove'))}</button></li>`;
  });
  $('scan-list').innerHTML = items.join('');
  $('scan-count').innerHTML = `${esc(msg('cabinet-codes.scan.inList'))} <b id="scan-total">${esc(count(scanned.length))}</b>${repeats ? ` · <span class="bad">${esc(msg('cabinet-codes.scan.repeats'))} <b id="scan-repeats">${esc(count(repeats))}</b></span>` : ''} · ${esc(msg('cabinet-codes.scan.toSend'))} <b id="scan-unique">${esc(count(scanned.length - repeats))}</b>`;
  for (const button of $('scan-list').querySelectorAll('button.remove')) {
    button.onclick = () => {
      scanned.splice(Number(button.dataset.index), 1);
      drawScanned();
      $('scan').focus();
    };
  }
  const last = $('scan-list').lastElementChild;
  if (last) last.scrollIntoView({ block: 'nearest' });
}

async function readIntroFile() {
  const file = $('intro-file').files[0];
  if (!file) return;
  // A CSV of this cabinet may start with the header «code»; cells with quotes or commas come in quotes.
  const lines = fileLines(await file.text(), { unquote: (line) => line.startsWith('"') }).filter((line, i) => !(i === 0 && /^code$/i.test(line)));
  addCodes(lines);
  $('intro-file').value = '';
  say('info', msg('cabinet-codes.scan.fromFile', { file: file.name, count: count(lines.length) }));
}

const REFUSALS = [
  [/not a footwear marking code/, () => msg('cabinet-codes.refusal.notFootwear')],
  [/appears twice/, () => msg('cabinet-codes.refusal.twice')],
  [/unknown code/, () => msg('cabinet-codes.refusal.unknown')],
  [/verification code does not match/, () => msg('cabinet-codes.refusal.verification')],
  [/эмитирован/, () => msg('cabinet-codes.refusal.notReceived')],
  [/cancelled/, () => msg('cabinet-codes.refusal.cancelled')],
  [/the code is (\w+)/, (m) => msg('cabinet-codes.refusal.status', { status: m[1] })],
];

function outcome(r) {
  if (r.outcome === 'INTRODUCED') return `<span class="ok">${esc(msg('cabinet-codes.outcome.introduced'))}</span>`;
  if (r.outcome === 'ALREADY_INTRODUCED') {
    const at = /introduced (\S+)/.exec(r.reason || '');
    return `<span class="warn">${esc(at ? msg('cabinet-codes.outcome.alreadySince', { since: when(at[1]) }) : msg('cabinet-codes.outcome.already'))}</span>`;
  }
  const reason = r.reason || '';
  const rule = REFUSALS.find(([re]) => re.test(reason));
  return `<span class="bad">${esc(msg('cabinet-codes.outcome.refused', { reason: rule ? rule[1](rule[0].exec(reason)) : reason }))}</span>`;
}

async function introduce() {
  $('intro-error').textContent = '';
  const seen = new Set();
  const codes = scanned.filter((s) => (seen.has(s.ki) ? false : seen.add(s.ki))).map((s) => s.code);
  const stop = (text) => { $('intro-error').textContent = text; say('error', text); };
  if (!codes.length) return stop(msg('cabinet-codes.introduce.empty'));
  if (codes.length > 30_000) return stop(msg('cabinet-codes.introduce.tooMany'));
  const introducedOn = $('intro-date').value || localToday();
  if (introducedOn > localToday()) return stop(msg('cabinet-codes.introduce.future'));
  const documentNumber = $('intro-doc').value.trim();
  let answer;
  try {
    answer = await api('POST', '/client/v1/circulation/introductions', { codes, introducedOn, ...(documentNumber ? { documentNumber } : {}) }, { 'idempotency-key': uuid() });
  } catch (error) {
    return stop(error.code === 'CLIENT_SUSPENDED' ? msg('cabinet-codes.introduce.suspended') : msg('cabinet-codes.introduce.failed', { message: error.message }));
  }
  $('intro-results').hidden = false;
  $('intro-results').tBodies[0].innerHTML = answer.results.map((r, i) => `<tr class="result-${esc(r.outcome)}">
      <td class="num">${i + 1}</td>
      <td class="code">${esc(shown(r.ki || r.input))}</td>
      <td class="outcome">${outcome(r)}</td>
    </tr>`).join('');
  const summary = msg('cabinet-codes.introduce.summary', { introduced: count(answer.introduced), already: count(answer.alreadyIntroduced), refused: count(answer.refused), date: day(answer.introducedOn) });
  $('intro-summary').textContent = summary;
  $('intro-summary').className = answer.refused ? 'bad' : 'ok';
  scanned = [];
  drawScanned();
  say(answer.refused ? 'error' : 'info', summary);
}

/* ---- wiring ---- */

$('refresh').onclick = () => busy($('refresh'), async () => {
  await Promise.all([loadAccount(), loadProducts()]);
  await Promise.all([loadOrders(), loadDownloads()]);
  say('info', msg('cabinet-codes.balance.refreshed'));
});
$('register-product').onclick = () => busy($('register-product'), registerProduct);
$('product-gtin').onkeydown = $('product-name').onkeydown = (event) => { if (event.key === 'Enter') $('register-product').click(); };
$('serial-operator').onchange = $('serial-self').onchange = serialTypeChanged;
$('order-serials-file').onchange = () => readSerials().catch((error) => say('error', msg('cabinet-codes.file.unreadable', { message: error.message })));
$('order-quantity').oninput = () => { orderKey = null; orderCost(); };
$('order-gtin').onchange = $('order-release').onchange = $('order-contact').oninput = () => { orderKey = null; };
$('place-order').onclick = () => busy($('place-order'), placeOrder);
$('confirm-quantity').oninput = confirmCost;
$('confirm-download').onclick = () => busy($('confirm-download'), confirmDownload);
$('cancel-download').onclick = () => { closeConfirmation(); say('info', msg('cabinet-codes.download.cancelled')); };
$('confirm-close').onclick = () => busy($('confirm-close'), confirmClose);
$('cancel-close').onclick = () => { cancelClose(); say('info', msg('cabinet-codes.close.cancelled')); };
$('close-confirm').onkeydown = (event) => { if (event.key === 'Escape') $('cancel-close').click(); };
$('download-confirm').onkeydown = (event) => { if (event.key === 'Escape') $('cancel-download').click(); };
$('scan').onkeydown = (event) => {
  if (event.key !== 'Enter') return;
  event.preventDefault();
  const value = $('scan').value;
  $('scan').value = '';
  if (value.trim()) addCodes([value]);
};
$('scan').onpaste = (event) => {
  const text = event.clipboardData && event.clipboardData.getData('text');
  if (!text || !/[\r\n]/.test(text)) return;
  event.preventDefault();
  addCodes(fileLines(text, { unquote: () => false }));
};
$('intro-file').onchange = () => readIntroFile().catch((error) => say('error', msg('cabinet-codes.file.unreadable', { message: error.message })));
$('introduce').onclick = () => busy($('introduce'), introduce);
$('clear-scan').onclick = () => { scanned = []; drawScanned(); $('scan').focus(); };
drawScanned();
setInterval(tickDeadlines, 30_000);
wireSignIn(TOKEN_KEY, signIn);
