'use strict';
/*
 * The cabinet's page of products and codes (/cabinet/codes, issue #17): a shop without an integrator
 * registers its products, orders codes from the order station, gets (downloads) them after seeing the
 * charge, prints the labels and introduces the codes into circulation — all in the browser, through
 * the JSON API (console.js: api(), download(); format-ru.js: when(), day(), money(), count()).
 */
const TOKEN_KEY = 'ismet-client-token';
/** The order station's extension for footwear. */
const STATION = '/api/v2/shoes';

const RIGHTS = { accepted: 'подтверждено', pending: 'на модерации', rejected: 'отклонено' };
const RIGHT_BASES = { gs1_prefix: 'префикс GS1 компании', moderation: 'проверка модератором', legacy: 'принят до проверки прав' };
const ORDER_STATUSES = {
  CREATED: 'принят, ожидает эмиссии',
  PENDING: 'проверка баланса и резервирование',
  APPROVED: 'идёт эмиссия кодов',
  READY: 'готов: коды можно получить',
  DECLINED: 'отклонён',
  CLOSED: 'закрыт',
  EXPIRED: 'срок заказа истёк',
};
const IN_PROGRESS = ['CREATED', 'PENDING', 'APPROVED'];
const BUFFER_STATUSES = { PENDING: 'ожидает эмиссии', ACTIVE: 'коды выпущены', EXHAUSTED: 'все коды получены', REJECTED: 'отклонён', CLOSED: 'закрыт', EXPIRED: 'срок истёк' };
const ATTRIBUTES = [
  ['brand', 'product-brand', 'бренд'],
  ['model', 'product-model', 'модель'],
  ['size', 'product-size', 'размер'],
  ['color', 'product-color', 'цвет'],
  ['material', 'product-material', 'материал'],
  ['country', 'product-country', 'страна'],
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
  return time ? `до ${time} ${date}` : `до ${date}`;
}

/** Milliseconds to a deadline → «осталось 2 ч 10 мин» / «просрочено на 1 ч 20 мин». */
function timeLeft(ms) {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days ? `${days} дн ${hours} ч` : hours ? `${hours} ч ${minutes % 60} мин` : `${minutes % 60} мин`;
  return ms >= 0 ? `осталось ${text}` : `просрочено на ${text}`;
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

/** «код», «кода», «кодов» as the number asks. */
function codesWord(n) {
  const tens = n % 100;
  const units = n % 10;
  if (tens >= 11 && tens <= 14) return 'кодов';
  return units === 1 ? 'код' : units >= 2 && units <= 4 ? 'кода' : 'кодов';
}

const bytes = (n) => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1).replace('.', ',')} МБ` : `${Math.max(1, Math.round(n / 1024))} КБ`);

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
    signedIn('cabinet', `${me.name} · БИН/ИИН ${me.binIin}`);
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
  $('price-net').textContent = a.price ? money(a.price.pricePerCodeTiyn) : 'тариф не установлен';
  $('price-gross').textContent = a.price ? money(a.price.grossPerCodeTiyn) : '—';
  $('vat-rate').textContent = a.price ? percent(a.price.vatRateBp) : '—';
  orderCost();
  if (pending) confirmCost();
}

/* ---- 1. Product cards ---- */

function rightsCell(p) {
  const r = p.rights;
  const basis = r.basis ? RIGHT_BASES[r.basis] || r.basis : '';
  return `<span class="st st-${esc(r.status)} rights">${esc(RIGHTS[r.status] || r.status)}</span>` +
    `${r.status === 'accepted' && basis ? `<div class="small">${esc(basis)}${r.gs1Prefix ? ` ${esc(r.gs1Prefix)}` : ''}${r.decidedAt ? ` · ${esc(when(r.decidedAt))}` : ''}</div>` : ''}` +
    `${r.status === 'pending' ? '<div class="small">коды можно будет заказать после решения модератора</div>' : ''}` +
    `${r.status === 'rejected' && r.reason ? `<div class="small bad">Причина: ${esc(r.reason)}</div>` : ''}` +
    `${p.active ? '' : '<div class="small">карточка отключена</div>'}`;
}

async function loadProducts() {
  ({ products } = await api('GET', '/client/v1/products'));
  const body = $('products-list').tBodies[0];
  body.innerHTML = products.map((p) => {
    const attrs = Object.entries(p.attributes || {}).map(([k, v]) => {
      const known = ATTRIBUTES.find(([key]) => key === k);
      return `${esc(known ? known[2] : k)}: ${esc(v)}`;
    }).join(', ');
    return `<tr data-gtin="${esc(p.gtin)}">
      <td class="nowrap code">${esc(p.gtin)}</td>
      <td>${esc(p.name)}${attrs ? `<div class="small">${attrs}</div>` : ''}</td>
      <td>${rightsCell(p)}</td>
      <td class="nowrap">${esc(when(p.createdAt))}</td>
    </tr>`;
  }).join('') || '<tr class="empty"><td colspan="4">Карточек товаров пока нет: зарегистрируйте товар, чтобы заказывать для него коды.</td></tr>';
  const select = $('order-gtin');
  const chosen = select.value;
  const orderable = products.filter((p) => p.active && p.rights.status === 'accepted');
  select.innerHTML = orderable.length
    ? orderable.map((p) => `<option value="${esc(p.gtin)}">${esc(p.name)} — ${esc(p.gtin)}</option>`).join('')
    : '<option value="">— нет товаров с подтверждённым правом —</option>';
  if (orderable.some((p) => p.gtin === chosen)) select.value = chosen;
  $('place-order').disabled = !orderable.length;
}

const PRODUCT_ERRORS = {
  GTIN_OF_ANOTHER_COMPANY: (gtin) => `GTIN ${gtin} входит в префикс GS1, записанный за другой компанией: зарегистрировать этот товар на вашу компанию нельзя. Проверьте GTIN; если товар ваш, обратитесь в поддержку оператора с сертификатом GS1.`,
  PRODUCT_EXISTS: (gtin) => `Товар с GTIN ${gtin} уже есть в ваших карточках.`,
  GTIN_ACCEPTED_FOR_ANOTHER_CLIENT: (gtin) => `Право на GTIN ${gtin} уже подтверждено другой компании.`,
  CLIENT_SUSPENDED: () => 'Доступ к услугам приостановлен: кабинет доступен только для просмотра.',
  TOKEN_SCOPE: () => 'Ваш ключ доступа позволяет только просмотр кабинета.',
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
  if (!/^\d{8}$|^\d{12,14}$/.test(gtin)) return productRefused('GTIN — 8, 12, 13 или 14 цифр.');
  if (!validGtin(gtin)) return productRefused(`GTIN ${gtin} указан с ошибкой: не сходится контрольная цифра.`);
  if (!name) return productRefused('Укажите наименование товара.');
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
    if (file.size > 2 * 1024 * 1024) return productRefused('Документ больше 2 МБ: приложите файл меньшего размера.');
    evidence.document = { filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: await readBase64(file) };
  }
  let product;
  try {
    product = await api('POST', '/client/v1/products', { gtin, name, ...(Object.keys(attributes).length ? { attributes } : {}), ...(Object.keys(evidence).length ? { evidence } : {}) });
  } catch (error) {
    const known = PRODUCT_ERRORS[error.code];
    if (known) return productRefused(known(gtin));
    if (error.code === 'VALIDATION_FAILED') return productRefused(`Карточка не принята: проверьте поля (${error.message}).`);
    return productRefused(`Карточка не зарегистрирована: ${error.message}`);
  }
  for (const id of ['product-gtin', 'product-name', 'product-evidence', 'product-evidence-file', ...ATTRIBUTES.map(([, i]) => i)]) $(id).value = '';
  await loadProducts();
  say('info', product.rights.status === 'accepted'
    ? `Товар «${product.name}» (GTIN ${product.gtin}) зарегистрирован; право на GTIN подтверждено — можно заказывать коды.`
    : `Товар «${product.name}» (GTIN ${product.gtin}) зарегистрирован и направлен на модерацию: коды можно будет заказать после подтверждения права на GTIN.`);
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
    if (chars.length !== SERIAL_LENGTH) problems.push(`строка ${i + 1}: ${chars.length} символов вместо ${SERIAL_LENGTH}`);
    const bad = [...new Set(chars.filter((c) => !CSET82.includes(c)))];
    if (bad.length) problems.push(`строка ${i + 1}: недопустимые символы ${bad.map((c) => `«${c}»`).join(' ')}`);
    if (seen.has(serial)) problems.push(`строка ${i + 1}: повторяет строку ${seen.get(serial) + 1}`);
    else seen.set(serial, i);
  });
  if (!list.length) problems.push('в файле нет серийных номеров');
  if (problems.length) {
    $('order-serials-info').className = 'small bad';
    $('order-serials-info').textContent = `Файл «${file.name}» не подходит: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; и ещё ${problems.length - 10}` : ''}.`;
  } else {
    serials = list;
    $('order-quantity').value = String(list.length);
    $('order-serials-info').textContent = `Прочитано серийных номеров: ${count(list.length)} (файл «${file.name}»).`;
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
  $('order-cost').textContent = `К резервированию при эмиссии: ${count(quantity)} × ${money(price.pricePerCodeTiyn)} = ${money(Number(p.net))} + НДС ${percent(price.vatRateBp)} ${money(Number(p.vat))} = ${money(Number(p.total))}. ` +
    (short ? `На лицевом счёте доступно ${money(available)} — недостаточно: заказ будет отклонён (п. 4.3.7). Пополните счёт.` : `Доступно ${money(available)}.`);
}

/** The station's answers about order lines, in Russian. */
function lineProblem(text) {
  const rules = [
    [/awaiting the operator.s acceptance/, () => 'право на GTIN ещё не подтверждено оператором (карточка на модерации)'],
    [/rejected the client.s right/, () => 'оператор отклонил право на этот GTIN: коды для него заказать нельзя'],
    [/GS1 company prefix recorded for another company/, () => 'GTIN входит в префикс GS1 другой компании'],
    [/not in the client.s product catalogue/, () => 'товара нет в ваших карточках: зарегистрируйте его'],
    [/deactivated/, () => 'карточка товара отключена'],
    [/not a GTIN-14 with a valid check digit/, () => 'GTIN с ошибкой в контрольной цифре'],
    [/^must be 1\.\.(\d+)/, (m) => `количество — от 1 до ${m[1]}`],
    [/SELF_MADE needs exactly quantity \((\d+)\) serials, got (\d+)/, (m) => `нужно ${m[1]} серийных номеров, в файле ${m[2]}`],
    [/must be (\d+) characters, has (\d+)/, (m) => `серийный номер должен содержать ${m[1]} символов, а в нём ${m[2]}`],
    [/not in GS1 CSET 82/, () => 'недопустимые символы (вне набора GS1 CSET 82)'],
    [/repeats the serial at index (\d+)/, (m) => `повторяет номер в строке ${Number(m[1]) + 1}`],
    [/serial (.+) was already used/, (m) => `серийный номер ${m[1]} уже использовался для этого GTIN`],
    [/appears twice/, () => 'GTIN указан в заказе дважды'],
  ];
  for (const [re, russian] of rules) {
    const m = re.exec(text);
    if (m) return russian(m);
  }
  return text;
}

const ORDER_ERRORS = {
  TOO_MANY_QUEUED_ORDERS: 'Слишком много заказов ждут эмиссии (не более 100): дождитесь выполнения.',
  TOO_MANY_ACTIVE_ORDERS: 'Слишком много заказов с неполученными кодами (не более 100): получите коды или закройте заказы.',
  CLIENT_NOT_ACTIVE: 'Клиент не активен: заказы не принимаются.',
  CLIENT_SUSPENDED: 'Доступ к услугам приостановлен: заказы не принимаются.',
  CONTRACT_NOT_IN_EFFECT: 'Договор ещё не вступил в силу (п. 10.5.3): заказы принимаются со дня его вступления в силу.',
  CONTRACT_TERMINATING: 'Договор расторгнут: новые заказы не принимаются.',
  CONTRACT_ENDING: 'Договор прекращается (п. 3.7): новые заказы не принимаются.',
  OMS_ID_MISMATCH: 'Станция управления заказами не соответствует вашей компании: обновите страницу.',
  TOKEN_SCOPE: 'Ваш ключ доступа не даёт права заказывать коды в станции управления заказами (нужна область «station»): выпустите ключ с этой областью в разделе «Компания».',
  IDEMPOTENCY_CONFLICT: 'Заказ с этим ключом уже отправлен с другими данными: обновите страницу и повторите.',
};

function orderRefused(error) {
  const fields = Array.isArray(error.details) ? error.details : [];
  const known = ORDER_ERRORS[error.code];
  const lines = fields.map((f) => `<li>${esc(/serialNumbers/.test(f.fieldName || '') ? 'Серийные номера' : /gtin/.test(f.fieldName || '') ? 'GTIN' : /quantity/.test(f.fieldName || '') ? 'Количество' : f.fieldName)}: ${esc(lineProblem(f.fieldError || ''))}</li>`);
  const head = known || (error.code === 'INVALID_ORDER_LINES' ? 'Заказ не принят:' : `Заказ не принят: ${error.message}`);
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
  if (!omsId) return stop('Станция управления заказами не подключена: обратитесь к оператору.');
  if (!gtin) return stop('Выберите товар с подтверждённым правом на GTIN.');
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 150_000) return stop('Количество кодов — целое число от 1 до 150 000.');
  if (!contactPerson) return stop('Укажите контактное лицо.');
  if (type === 'SELF_MADE' && !serials) return stop('Выберите файл с серийными номерами (один номер в строке).');
  if (type === 'SELF_MADE' && serials.length !== quantity) return stop(`Количество (${quantity}) не совпадает с числом серийных номеров в файле (${serials.length}).`);
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
  say('info', `Заказ ${result.orderId} на ${count(quantity)} ${codesWord(quantity)} принят; коды будут сформированы в течение 4 часов.`);
  await loadOrders();
  await loadAccount();
}

/* ---- the list of orders and their progress ---- */

function deadlineCell(o) {
  const by = `<span class="deadline">${esc(until(o.emissionDeadline))}</span>`;
  if (IN_PROGRESS.includes(o.orderStatus)) {
    const ms = new Date(o.emissionDeadline).getTime() - Date.now();
    return `${by}<div class="small time-left${ms < 0 ? ' bad' : ''}" data-deadline="${esc(o.emissionDeadline)}">${esc(timeLeft(ms))}</div>` +
      `${o.deadlineMissed ? '<div class="bad missed">срок эмиссии нарушен: вы вправе требовать компенсацию (п. 7.3)</div>' : ''}`;
  }
  if (o.orderStatus === 'DECLINED') return `${by}<div class="small">заказ отклонён</div>`;
  return `${by}<div class="small ${o.deadlineMissed ? 'bad missed' : 'ok'}">${o.deadlineMissed ? 'коды выпущены с нарушением срока (п. 7.3)' : 'коды выпущены в срок'}</div>`;
}

function declineReason(reason) {
  if (/insufficient funds/i.test(reason)) return 'недостаточно средств на лицевом счёте (п. 4.3.7): пополните счёт и закажите снова';
  return reason;
}

function progressCell(o) {
  return o.buffers.map((b) => {
    const emitted = b.emittedCodes ?? (b.totalCodes - b.unavailableCodes);
    const ready = b.bufferStatus === 'ACTIVE';
    const expires = b.expiredDate ? ` · получить до ${dueBy(new Date(b.expiredDate).toISOString())}` : '';
    return `<div class="buffer" data-gtin="${esc(b.gtin)}">
      <progress max="${esc(b.totalCodes)}" value="${esc(emitted)}" aria-label="Выпущено кодов по GTIN ${esc(b.gtin)}"></progress>
      <span class="codes">выпущено ${esc(count(emitted))} из ${esc(count(b.totalCodes))}</span>
      <div class="small">${esc(BUFFER_STATUSES[b.bufferStatus] || b.bufferStatus)}${ready ? ` · доступно к получению <b class="available">${esc(count(b.availableCodes))}</b>` : ''} · получено ${esc(count(b.totalPassed))}${esc(expires)}</div>
    </div>`;
  }).join('');
}

function orderRow(o) {
  const passed = o.buffers.reduce((s, b) => s + b.totalPassed, 0);
  const actions = o.buffers
    .filter((b) => o.orderStatus === 'READY' && b.bufferStatus === 'ACTIVE' && b.availableCodes > 0)
    .map((b) => {
      if (closingBuffers.has(`${o.orderId}|${b.gtin}`)) return '<div class="small closing">закрывается…</div>';
      const which = o.buffers.length > 1 ? ` (${esc(b.gtin)})` : '';
      const data = `data-order="${esc(o.orderId)}" data-gtin="${esc(b.gtin)}" data-available="${esc(b.availableCodes)}" data-passed="${esc(passed)}" data-total="${esc(o.totalCodes)}"`;
      return `<div><button class="get-codes" ${data}>Получить коды${which}</button> <button class="secondary close-buffer" ${data}>Отказаться от остатка${which}</button></div>`;
    })
    .join('');
  return `<tr data-id="${esc(o.orderId)}" class="order-${esc(o.orderStatus)}">
    <td class="ref small">${esc(o.orderId)}<div>${esc(when(new Date(o.createdTimestamp).toISOString()))}</div></td>
    <td>${o.buffers.map((b) => `<div><span class="code">${esc(b.gtin)}</span>${productName(b.gtin) ? `<div class="small">${esc(productName(b.gtin))}</div>` : ''}</div>`).join('')}</td>
    <td><span class="st st-${esc(o.orderStatus)} status">${esc(ORDER_STATUSES[o.orderStatus] || o.orderStatus)}</span>${o.declineReason ? `<div class="small bad">${esc(declineReason(o.declineReason))}</div>` : ''}</td>
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
    body.innerHTML = '<tr class="empty"><td colspan="6">Станция управления заказами не подключена.</td></tr>';
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
  body.innerHTML = orders.map(orderRow).join('') || '<tr class="empty"><td colspan="6">Заказов пока нет.</td></tr>';
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
  $('close-what').innerHTML = `Заказ <span class="ref">${esc(closing.orderId)}</span>, ${esc(productName(closing.gtin) || 'товар')} · GTIN ${esc(closing.gtin)}: будет аннулировано <b id="close-codes">${esc(count(left))}</b> ${esc(codesWord(left))}` +
    (release === null ? '.' : `; на лицевой счёт вернётся резерв около <b id="close-release">${esc(money(release))}</b> (по тарифу заказа).`);
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
    const text = error.code === 'BUFFER_NOT_CLOSABLE' ? 'Этот заказ сейчас нельзя закрыть: коды ещё выпускаются или заказ уже закрыт.' : `Заказ не закрыт: ${error.message}`;
    $('close-error').textContent = text;
    say('error', text);
    return;
  }
  cancelClose();
  closingBuffers.add(`${orderId}|${gtin}`);
  await Promise.all([loadOrders(), loadAccount()]);
  say('info', `Вы отказались от неполученных кодов заказа ${orderId} (GTIN ${gtin}); резерв возвращён на лицевой счёт.`);
}

/* ---- 3. Getting codes: the charge shown and confirmed first ---- */

function askDownload(data) {
  cancelClose();
  pending = { orderId: data.order, gtin: data.gtin, available: Number(data.available), passedBefore: Number(data.passed), key: uuid() };
  $('confirm-order').textContent = pending.orderId;
  $('confirm-product').textContent = `${productName(pending.gtin) || 'товар'} · GTIN ${pending.gtin}`;
  $('confirm-available').textContent = `${count(pending.available)} ${codesWord(pending.available)}`;
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
  if (!price) return void ($('confirm-cost').textContent = 'Тариф не установлен: стоимость неизвестна.');
  if (!quantity) return void ($('confirm-cost').textContent = `Количество — от 1 до ${count(pending.available)}.`);
  const c = chargeOf(pending.passedBefore, quantity);
  $('confirm-cost').innerHTML = `Будет списано: <b id="confirm-total">${esc(money(c.total))}</b> <span class="small">(${esc(count(quantity))} × ${esc(money(price.pricePerCodeTiyn))} = ${esc(money(c.net))} без НДС + НДС ${esc(percent(price.vatRateBp))} ${esc(money(c.vat))})</span>`;
  // A new quantity is a new request.
  if (pending.quantity !== quantity) { pending.quantity = quantity; pending.key = uuid(); }
}

function closeConfirmation() {
  pending = null;
  $('download-confirm').hidden = true;
}

const DOWNLOAD_ERRORS = {
  BUFFER_EXHAUSTED: 'Все коды этого заказа уже получены.',
  BUFFER_NOT_ACTIVE: 'Коды этого заказа сейчас недоступны для получения (заказ не готов, закрыт или истёк).',
  ORDER_CLOSED: 'Заказ закрыт: кодов для получения нет.',
  CLIENT_SUSPENDED: 'Доступ к услугам приостановлен: получение кодов недоступно.',
  TOKEN_SCOPE: 'Ваш ключ доступа позволяет только просмотр кабинета.',
};

async function confirmDownload() {
  const quantity = confirmQuantity();
  if (!quantity || !pending) return;
  const { orderId, gtin, key } = pending;
  let block;
  try {
    block = await api('POST', `/client/v1/orders/${encodeURIComponent(orderId)}/downloads`, { gtin, quantity }, { 'idempotency-key': key });
  } catch (error) {
    const text = DOWNLOAD_ERRORS[error.code] || `Коды не получены: ${error.message}`;
    $('confirm-error').textContent = text;
    say('error', text);
    return;
  }
  // The last codes of the buffer: the order closes shortly after, shown when it does.
  if (block.quantity >= pending.available) closingBuffers.add(`${orderId}|${gtin}`);
  closeConfirmation();
  await Promise.all([loadDownloads(), loadOrders(), loadAccount()]);
  say('info', `Получено кодов: ${count(block.quantity)}; списано ${money(block.amountTiyn)}. Скачайте файлы в разделе «Полученные коды» — повторное скачивание бесплатно.`);
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
      <td><span class="code gtin">${esc(d.gtin)}</span>${productName(d.gtin) ? ` ${esc(productName(d.gtin))}` : ''}<div class="small ref">заказ ${esc(d.orderId)}</div></td>
      <td class="num">${esc(count(d.quantity))}</td>
      <td class="num">${esc(money(d.amountTiyn))}</td>
      <td class="nowrap apply-by">${d.applyBy ? `${esc(day(d.applyBy))}${d.applyBy < today ? ' <span class="bad">срок истёк</span>' : ''}` : '—'}</td>
      <td class="files">${[
        fileButton(d.files.pdf, 'Этикетки PDF', `labels_${d.blockId}.pdf`, 'labels-pdf'),
        fileButton(`${d.files.zip}?format=png`, 'DataMatrix PNG (ZIP)', `datamatrix_${d.blockId}.zip`, 'zip-png'),
        fileButton(`${d.files.zip}?format=svg`, 'DataMatrix SVG (ZIP)', `datamatrix_${d.blockId}.zip`, 'zip-svg'),
        fileButton(`${d.files.csv}?gs=raw`, 'CSV для принтера (GS-байт)', `codes_${d.blockId}.csv`, 'csv-raw'),
        fileButton(`${d.files.csv}?gs=escape`, 'CSV (GS как текст \\u001d)', `codes_${d.blockId}.csv`, 'csv-escape'),
        fileButton(`${d.files.csv}?gs=human`, 'CSV читаемый', `codes_${d.blockId}.csv`, 'csv-human'),
        fileButton(d.files.json, 'JSON', `codes_${d.blockId}.json`, 'json'),
      ].join('')}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="6">Полученных кодов пока нет.</td></tr>';
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
  if (error.code === 'BAD_LAYOUT') throw new Error('Этикетки с такими размерами не помещаются на лист: уменьшите число колонок или строк либо размер этикетки.');
  if (error.code === 'VALIDATION_FAILED') throw new Error(`Макет этикеток указан неверно: ${error.message}`);
  if (error.code === 'NOT_FOUND') throw new Error('Файл не найден: обновите страницу.');
  throw new Error(`Файл не скачан: ${error.message}`);
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
  note.textContent = `${label}: запрос…`;
  let received = 0;
  let file;
  try {
    file = await fetchBytes(path, fallbackName, (got, total) => {
      received = got;
      if (total) {
        bar.max = total;
        bar.value = got;
      }
      note.textContent = `${label}: получено ${bytes(got)}${total ? ` из ${bytes(total)} (${Math.floor((got * 100) / total)}%)` : ''}…`;
    });
  } catch (error) {
    note.textContent = `${label}: ошибка.`;
    throw error;
  }
  saveBlob(file.blob, file.name);
  bar.max = 1;
  bar.value = 1;
  note.textContent = `${label}: скачано ${bytes(received)} — файл «${file.name}».`;
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
    return `<li class="${dup ? 'dup' : ''}" data-index="${i}">${esc(shown(s.code))}${dup ? ` <strong class="dup-flag">— повтор строки ${first.get(s.ki) + 1}, не будет отправлен</strong>` : ''}<button class="secondary remove" data-index="${i}" aria-label="Убрать код ${i + 1} из списка">Убрать</button></li>`;
  });
  $('scan-list').innerHTML = items.join('');
  $('scan-count').innerHTML = `Кодов в списке: <b id="scan-total">${esc(count(scanned.length))}</b>${repeats ? ` · <span class="bad">повторов: <b id="scan-repeats">${esc(count(repeats))}</b></span>` : ''} · к отправке: <b id="scan-unique">${esc(count(scanned.length - repeats))}</b>`;
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
  say('info', `Из файла «${file.name}» добавлено кодов: ${count(lines.length)}.`);
}

const REFUSALS = [
  [/not a footwear marking code/, () => 'это не код маркировки обуви'],
  [/appears twice/, () => 'повтор в списке'],
  [/unknown code/, () => 'код не найден среди кодов вашей компании'],
  [/verification code does not match/, () => 'код проверки не совпадает: код искажён или подделан'],
  [/эмитирован/, () => 'код ещё не получен и не оплачен: сначала получите коды заказа'],
  [/cancelled/, () => 'код аннулирован (заказ закрыт до получения кода)'],
  [/the code is (\w+)/, (m) => `код в статусе ${m[1]}`],
];

function outcome(r) {
  if (r.outcome === 'INTRODUCED') return '<span class="ok">введён в оборот</span>';
  if (r.outcome === 'ALREADY_INTRODUCED') {
    const at = /introduced (\S+)/.exec(r.reason || '');
    return `<span class="warn">уже в обороте${at ? ` с ${esc(when(at[1]))}` : ''}</span>`;
  }
  const reason = r.reason || '';
  const rule = REFUSALS.find(([re]) => re.test(reason));
  return `<span class="bad">отказано: ${esc(rule ? rule[1](rule[0].exec(reason)) : reason)}</span>`;
}

async function introduce() {
  $('intro-error').textContent = '';
  const seen = new Set();
  const codes = scanned.filter((s) => (seen.has(s.ki) ? false : seen.add(s.ki))).map((s) => s.code);
  const stop = (text) => { $('intro-error').textContent = text; say('error', text); };
  if (!codes.length) return stop('Список пуст: отсканируйте коды или выберите файл.');
  if (codes.length > 30_000) return stop('За один раз — не более 30 000 кодов: разделите список.');
  const introducedOn = $('intro-date').value || localToday();
  if (introducedOn > localToday()) return stop('Дата ввода в оборот не может быть в будущем.');
  const documentNumber = $('intro-doc').value.trim();
  let answer;
  try {
    answer = await api('POST', '/client/v1/circulation/introductions', { codes, introducedOn, ...(documentNumber ? { documentNumber } : {}) }, { 'idempotency-key': uuid() });
  } catch (error) {
    return stop(error.code === 'CLIENT_SUSPENDED' ? 'Доступ к услугам приостановлен: ввод в оборот недоступен.' : `Коды не отправлены: ${error.message}`);
  }
  $('intro-results').hidden = false;
  $('intro-results').tBodies[0].innerHTML = answer.results.map((r, i) => `<tr class="result-${esc(r.outcome)}">
      <td class="num">${i + 1}</td>
      <td class="code">${esc(shown(r.ki || r.input))}</td>
      <td class="outcome">${outcome(r)}</td>
    </tr>`).join('');
  const summary = `Введено в оборот: ${count(answer.introduced)}; уже были в обороте: ${count(answer.alreadyIntroduced)}; отказано: ${count(answer.refused)} (дата ввода ${day(answer.introducedOn)}).`;
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
  say('info', 'Данные обновлены.');
});
$('register-product').onclick = () => busy($('register-product'), registerProduct);
$('product-gtin').onkeydown = $('product-name').onkeydown = (event) => { if (event.key === 'Enter') $('register-product').click(); };
$('serial-operator').onchange = $('serial-self').onchange = serialTypeChanged;
$('order-serials-file').onchange = () => readSerials().catch((error) => say('error', `Файл не прочитан: ${error.message}`));
$('order-quantity').oninput = () => { orderKey = null; orderCost(); };
$('order-gtin').onchange = $('order-release').onchange = $('order-contact').oninput = () => { orderKey = null; };
$('place-order').onclick = () => busy($('place-order'), placeOrder);
$('confirm-quantity').oninput = confirmCost;
$('confirm-download').onclick = () => busy($('confirm-download'), confirmDownload);
$('cancel-download').onclick = () => { closeConfirmation(); say('info', 'Получение кодов отменено: ничего не списано.'); };
$('confirm-close').onclick = () => busy($('confirm-close'), confirmClose);
$('cancel-close').onclick = () => { cancelClose(); say('info', 'Заказ не закрыт.'); };
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
$('intro-file').onchange = () => readIntroFile().catch((error) => say('error', `Файл не прочитан: ${error.message}`));
$('introduce').onclick = () => busy($('introduce'), introduce);
$('clear-scan').onclick = () => { scanned = []; drawScanned(); $('scan').focus(); };
drawScanned();
setInterval(tickDeadlines, 30_000);
wireSignIn(TOKEN_KEY, signIn);
