'use strict';
const TOKEN_KEY = 'ismet-staff-token';
const VIEWS = ['terminations-view', 'versions-view', 'claims-view', 'compensations-view', 'force-majeure-view', 'trust-store-view'];
/** The grounds of termination in the contract's words (lib/termination.ts BASIS_TITLES) and who may invoke each. */
const BASES = {
  '4.1.1': { title: 'отказ Клиента от Договора при отсутствии необходимости подключения к ИС МПТ (п. 4.1.1)', by: ['client'] },
  '4.3.1a': { title: 'неоднократное нарушение Клиентом существенных условий Договора (пп. a) п. 4.3.1)', by: ['operator'] },
  '4.3.1b': { title: 'Клиент не подал Заявку в течение одного года с даты заключения Договора (пп. b) п. 4.3.1)', by: ['operator'] },
  '4.3.1c': { title: 'отмена или изменение Правил маркировки обувных изделий либо назначение другого Единого оператора (пп. c) п. 4.3.1)', by: ['operator'] },
  '4.3.1d': { title: 'иные случаи, предусмотренные законодательством Республики Казахстан (пп. d) п. 4.3.1)', by: ['operator'] },
  '10.4.2': { title: 'неоднократное нарушение другой Стороной существенных условий Договора (п. 10.4.2)', by: ['operator', 'client'] },
  '10.4.3': { title: 'соглашение Сторон (п. 10.4.3)', by: ['operator', 'client'] },
};
const SHORTENABLE = ['10.4.3', '4.3.1c', '4.3.1d'];
const INITIATORS = { operator: 'Оператор', client: 'Клиент' };
const TERMINATION_STATUSES = { scheduled: 'запланировано', withdrawn: 'отменено', settling: 'дата наступила: идут взаиморасчёты', terminated: 'Договор прекращён' };
const VERSION_REASONS = { original: 'исходная редакция', services: 'необходимо для оказания услуг', law: 'приведение в соответствие с законодательством' };
const VERSION_STATUSES = { announced: 'объявлена', in_force: 'действует', withdrawn: 'отозвана' };
const CLAIM_STATUSES = { under_review: 'на рассмотрении', not_considered: 'не подлежит рассмотрению (п. 9.4)', satisfied: 'удовлетворена полностью', partially_satisfied: 'удовлетворена частично', refused: 'в удовлетворении отказано' };
const CHANNELS = { api: 'кабинет / API', email: 'e-mail', post: 'почта' };
const DOC_KINDS = { authority: 'полномочия подписавшего лица', damage: 'ущерб', basis: 'основание', other: 'прочее' };
const AUTHORITY_BASES = { client_eds: 'ЭЦП клиента', power_of_attorney: 'личная ЭЦП представителя по доверенности', paper_originals: 'оригиналы или нотариальные копии (почта)' };
const NOT_CONSIDERED_REASONS = { NOT_SIGNED: 'не подписана ЭЦП клиента или его представителя', SIGNER_NOT_AUTHORISED: 'полномочия подписавшего лица не подтверждены' };
const signedBy = (s) => (s ? [s.commonName, s.iin && `ИИН ${s.iin}`, s.bin && `БИН ${s.bin}`].filter(Boolean).join(', ') : '');
const COMPENSATION_BASES = { defect_act: 'дефектный акт (п. 7.2)', late_service: 'просрочка услуг (п. 7.3)' };
const COMPENSATION_STATUSES = { pending: 'ожидает решения', paid: 'выплачена', refused: 'отказано' };
const PAY_TO = { account: 'лицевой счёт', bank: 'банковский счёт' };
const MISSED = { reaction: 'срок реакции', resolution: 'срок решения' };
/** The processes a force-majeure event may stop (lib/force-majeure.ts), short, in the words of the obligations the clients' notice names (8.3). */
const PROCESSES = {
  all: 'все обязанности по Договору',
  emission: 'эмиссия кодов за 4 часа (п. 4.4.4)',
  tickets: 'сроки обращений в поддержку (Прил. 3)',
  acts: 'акты выполненных работ (пп. 6.5-6.9)',
  notices: 'ответы на уведомления и запросы (п. 10.2.1)',
  application: 'сроки нанесения кодов (п. 4.1.6)',
  onboarding: 'рассмотрение заявлений о присоединении (п. 10.5)',
  refunds: 'возврат денег с лицевого счёта (пп. 3.7, 6.11)',
  claims: 'претензии и компенсации (пп. 7.2, 7.3, 9.3)',
};
/**
 * The API's refusals this console meets, in Russian (a function reads the refusal's details);
 * any other is shown with its code and message as the API sent it.
 */
const ERRORS = {
  FORBIDDEN: 'Недостаточно прав: с этим ключом API действие недоступно.',
  NOT_FOUND: 'Не найдено: проверьте идентификатор.',
  CONTRACT_ENDED: 'Договор прекратил действие.',
  NOTICE_PERIOD_TOO_SHORT: 'Слишком ранняя дата: срок уведомления не соблюдён.',
  TERMINATION_DATE_PAST: (d) => `Дата расторжения уже прошла${d.today ? ` (сегодня ${day(d.today)})` : ''}.`,
  BASIS_NOT_FOR_INITIATOR: 'По этому основанию инициатор не может расторгнуть Договор.',
  PERIOD_NOT_SHORTENABLE: 'Сокращённый срок допускается только по соглашению Сторон (п. 10.4.3) или в случаях пп. c), d) п. 4.3.1.',
  NOTICE_IN_FUTURE: 'Уведомление не может быть датировано будущим временем.',
  TERMINATION_PENDING: 'Расторжение этого Договора уже идёт.',
  TERMINATION_NOT_SCHEDULED: 'Расторжение уже не запланировано: отменить его нельзя.',
  VERSION_EXISTS: 'Редакция с таким номером уже опубликована.',
  RECEIVED_IN_FUTURE: 'Претензия не может быть получена в будущем.',
  EMPTY_DOCUMENT: 'Один из файлов пуст.',
  BAD_SIGNATURE: 'Подпись ЭЦП не проверяется над этой претензией (п. 9.4): проверьте, что поля и файлы претензии те же, что подписаны; претензия не записана.',
  CLAIM_NOT_UNDER_REVIEW: 'Претензия уже не на рассмотрении: ответ дан или она не подлежит рассмотрению (п. 9.4).',
  AMOUNT_WITH_REFUSAL: 'При отказе в удовлетворении сумма не присуждается.',
  AMOUNT_EXCEEDS_CLAIM: (d) => `Сумма больше заявленной клиентом${d.amountClaimedTiyn ? `: не более ${money(d.amountClaimedTiyn)}` : ''} (п. 7.3).`,
  AMOUNT_FIXED_BY_ACT: (d) => `Дефектный акт возмещается в сумме, указанной в нём${d.amountClaimedTiyn ? `: ${money(d.amountClaimedTiyn)}` : ''} (п. 7.2).`,
  BAD_AMOUNT: 'Сумма к выплате — больше нуля и не больше заявленной.',
  REFUSAL_NOT_ALLOWED: 'Подписанный дефектный акт подлежит возмещению: отказ не допускается (п. 7.2).',
  COMPENSATION_DECIDED: 'По этой компенсации решение уже принято.',
  ALREADY_DECIDED: 'По этой компенсации решение уже принято.',
  NO_BREACH: 'Требование по п. 7.3 указывает нарушенные сроки, на которых оно основано: отметьте их.',
  NOT_A_BREACH: 'Отмеченный срок не значится среди нарушенных сроков клиента, по которым можно заявить требование.',
  PAY_TO_ACCOUNT: 'Дефектный акт возмещается на лицевой счёт (п. 7.2).',
  EVENT_IN_FUTURE: 'Дефектный акт не может быть подписан, а требование — получено в будущем.',
  CLAIM_NOT_FOUND: 'У этого клиента нет претензии с таким идентификатором.',
  ALREADY_ENDED: 'Окончание события уже записано.',
  ALREADY_NOTIFIED: 'Клиенты уже уведомлены об этом событии.',
  BAD_PERIOD: 'Окончание события должно быть позже его начала.',
  SAME_PERSON: 'Подтвердить или отклонить предложение может только другой администратор.',
  NOT_PENDING_CONFIRMATION: 'Решение уже принято: подтверждения не ждёт.',
  REASON_NOT_NEEDED: 'Уведомление в срок или общеизвестный факт: причина опоздания не нужна.',
  NOTICE_LATE: 'Заявление получено позже 5 рабочих дней (п. 8.3): укажите причину (потребуется подтверждение другого администратора) или отклоните его.',
  EVIDENCE_REQUIRED: 'Нет свидетельства уполномоченного органа или организации (п. 8.5), и это не общеизвестный факт.',
  NOT_UNDER_REVIEW: 'Заявление уже рассмотрено.',
  INVALID_CERTIFICATE: 'Это не сертификат X.509: нужен файл .cer/.crt (DER) или PEM («-----BEGIN CERTIFICATE-----»).',
  NOT_A_CA_CERTIFICATE: 'Это не сертификат удостоверяющего центра (нет признака CA или права подписывать сертификаты): доверенными добавляются только корневые и промежуточные сертификаты НУЦ РК.',
  ALREADY_TRUSTED: 'Этот сертификат уже в доверенных.',
  ALREADY_REMOVED: 'Сертификат уже удалён из доверенных.',
  INVALID_CRL: 'Это не список отозванных сертификатов (CRL): нужен файл .crl (DER) или PEM («-----BEGIN X509 CRL-----»).',
  DELTA_CRL: 'Это дельта-CRL: импортируются только полные списки отозванных сертификатов НУЦ РК.',
  CRL_NOT_SIGNED_BY_TRUSTED_CA: 'CRL не подписан доверенным удостоверяющим центром: сначала добавьте сертификат его издателя.',
  CRL_ALREADY_IMPORTED: 'Этот CRL уже импортирован.',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let me = null;
let selectedClaim = null;
let terminationsUnderWay = new Set();

/** A call of the API (see api) whose refusal reads in Russian where ERRORS knows its code. */
async function call(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (error) {
    const text = error.code && Object.hasOwn(ERRORS, error.code) ? ERRORS[error.code] : null;
    if (text) error.message = typeof text === 'function' ? text(error.details || {}) : text;
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
  if (!m) throw new Error(`VALIDATION: ${what}: сумма в тенге, например 1 234,56 (не больше двух знаков после запятой).`);
  const whole = m[1].replace(/^0+(?=\d)/, '');
  if (whole.length > 13) throw new Error(`VALIDATION: ${what}: слишком большая сумма.`);
  const value = Number(whole) * 100 + Number((m[2] || '').padEnd(2, '0'));
  if (!zero && value <= 0) throw new Error(`VALIDATION: ${what}: сумма должна быть больше нуля.`);
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
  if (!m) throw new Error(`VALIDATION: ${what}: укажите дату и время.`);
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
    if (!me.roles.some((r) => r === 'admin' || r === 'accountant')) throw new Error('FORBIDDEN: нужна роль admin или accountant');
    signedIn('console', `${me.name} (${me.roles.join(', ')})`);
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
  box.innerHTML = `Самая ранняя допустимая дата: <b class="earliest-date">${esc(day(earliest))}</b> <button class="secondary small-button use-earliest">Выбрать ${esc(day(earliest))}</button>`;
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
    say('error', earliest ? `${error.message}\nСамая ранняя допустимая дата: ${day(earliest)}.` : error.message);
    showEarliest(box, input, error);
  } finally {
    button.disabled = false;
  }
}

// ——— Terminations ———

function basisOptions() {
  const initiator = $('t-initiator').value;
  const current = $('t-basis').value;
  $('t-basis').innerHTML = Object.entries(BASES).filter(([, b]) => b.by.includes(initiator)).map(([code, b]) => `<option value="${esc(code)}">${esc(b.title)}</option>`).join('');
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
      <td>${esc(t.clientName)}<div class="small">БИН/ИИН ${esc(t.bin)} · ${esc(t.clientId)}</div></td>
      <td><b>${esc(t.basis)}</b><div class="small">${esc(BASES[t.basis] ? BASES[t.basis].title : '')}</div><div class="small text">${esc(t.grounds)}</div>${t.evidence ? `<div class="small text">Подтверждающие документы: ${esc(t.evidence)}</div>` : ''}</td>
      <td>${esc(INITIATORS[t.initiator] || t.initiator)}</td>
      <td class="nowrap">${esc(when(t.notifiedAt))}</td>
      <td class="nowrap">${esc(day(t.earliestDate))}</td>
      <td class="nowrap"><b>${esc(day(t.terminationDate))}</b></td>
      <td class="status"><span class="st-${esc(t.status)}">${esc(TERMINATION_STATUSES[t.status] || t.status)}</span>${t.withdrawnAt ? `<div class="small">${esc(when(t.withdrawnAt))}: ${esc(t.withdrawalReason)}</div>` : ''}${t.accessEndedAt ? `<div class="small">доступ прекращён ${esc(when(t.accessEndedAt))}</div>` : ''}</td>
      <td>${t.status === 'scheduled' ? `<input class="withdraw-reason" type="text" placeholder="Причина отмены" autocomplete="off"><button class="withdraw danger small-button">Отменить</button>` : ''}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="8">Расторжений нет.</td></tr>';
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.withdraw');
    if (button) button.onclick = () => busy(button, () => withdraw(row));
  }
}

async function withdraw(row) {
  const reason = row.querySelector('input.withdraw-reason').value.trim();
  if (reason.length < 5) throw new Error('VALIDATION: укажите причину отмены (не короче 5 символов).');
  const t = await call('POST', `/staff/v1/terminations/${encodeURIComponent(row.dataset.id)}/withdraw`, { reason });
  await loadTerminations();
  await loadGrounds();
  say('info', `Расторжение Договора с клиентом ${t.clientName} с ${day(t.terminationDate)} отменено; клиент уведомлён.`);
}

async function recordTermination() {
  const clientId = $('t-client').value.trim();
  if (!UUID.test(clientId)) throw new Error('VALIDATION: укажите идентификатор клиента (UUID).');
  const grounds = $('t-grounds').value.trim();
  if (grounds.length < 10) throw new Error('VALIDATION: опишите обстоятельства (не короче 10 символов).');
  if (!$('t-date').value) throw new Error('VALIDATION: укажите дату расторжения.');
  const body = { clientId, initiator: $('t-initiator').value, basis: $('t-basis').value, grounds, terminationDate: $('t-date').value };
  const evidence = $('t-evidence').value.trim();
  if (evidence) body.evidence = evidence;
  const notifiedAt = instant($('t-notified').value, 'уведомление направлено');
  if (notifiedAt) body.notifiedAt = notifiedAt;
  if ($('t-shortened').checked) body.periodShortened = true;
  const t = await call('POST', '/staff/v1/terminations', body);
  await loadTerminations();
  await loadGrounds();
  for (const id of ['t-client', 't-grounds', 't-evidence', 't-notified', 't-date']) $(id).value = '';
  $('t-shortened').checked = false;
  say('info', `Расторжение Договора с клиентом ${t.clientName} запланировано на ${day(t.terminationDate)} (самая ранняя допустимая дата — ${day(t.earliestDate)}); уведомление направлено.`);
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
      <td>${terminationsUnderWay.has(c.clientId) ? '<span class="small">расторжение уже идёт</span>' : '<button class="prefill secondary small-button">Подготовить расторжение</button>'}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="5">Клиентов без Заявок в течение года нет.</td></tr>';
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
  $('t-grounds').value = `Клиент ${c.name} (БИН/ИИН ${c.bin}) присоединился к Договору ${day(c.joinedOn)} и не подал ни одной Заявки в течение одного года с даты заключения Договора (до ${day(c.yearEndedOn)}) — пп. b) п. 4.3.1 Договора.`;
  $('t-evidence').value = `Выписка из ИС МПТ: заявок Клиента с ${day(c.joinedOn)} по ${day(c.yearEndedOn)} нет.`;
  $('t-notified').value = '';
  showEarliest($('t-earliest'), $('t-date'), null);
  $('termination-form').scrollIntoView({ block: 'start' });
  $('t-date').focus();
  say('info', `Форма заполнена для клиента ${c.name}: выберите дату расторжения (уведомление за 30 рабочих дней, п. 10.4.4).`);
}

// ——— Contract versions ———

async function loadVersions() {
  const { versions } = await call('GET', '/staff/v1/contract-versions');
  const body = $('versions').tBodies[0];
  body.innerHTML = versions.map((v) => `
    <tr data-id="${esc(v.id)}">
      <td class="nowrap"><b>${esc(v.version)}</b></td>
      <td>${esc(v.title)}<div class="small text">${esc(v.summary)}</div></td>
      <td>${esc(VERSION_REASONS[v.reason] || v.reason)}</td>
      <td class="nowrap">${esc(when(v.publishedAt))}</td>
      <td class="nowrap effective">${esc(dayOf(v.effectiveAt))}</td>
      <td><span class="st-${esc(v.status)}">${esc(VERSION_STATUSES[v.status] || v.status)}</span></td>
      <td class="num">${esc(count(v.clientsNotified))}</td>
      <td>${/^https?:\/\//i.test(v.documentUrl || '') ? `<a href="${esc(v.documentUrl)}" target="_blank" rel="noopener noreferrer">текст</a>` : '—'}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="8">Редакций нет.</td></tr>';
  pollSoon('versions', versions.some((v) => v.status === 'announced' && v.clientsNotified === 0), loadVersions);
}

async function publishVersion() {
  const body = { version: $('v-version').value.trim(), title: $('v-title').value.trim(), summary: $('v-summary').value.trim(), reason: $('v-reason').value };
  if (!body.version) throw new Error('VALIDATION: укажите редакцию.');
  if (body.title.length < 3) throw new Error('VALIDATION: укажите название (не короче 3 символов).');
  if (body.summary.length < 10) throw new Error('VALIDATION: кратко опишите изменения (не короче 10 символов).');
  const url = $('v-url').value.trim();
  if (url) {
    if (!/^https?:\/\/\S+$/i.test(url)) throw new Error('VALIDATION: ссылка на текст начинается с https://');
    body.documentUrl = url;
  }
  if ($('v-effective').value) body.effectiveFrom = $('v-effective').value;
  const v = await call('POST', '/staff/v1/contract-versions', body);
  await loadVersions();
  for (const id of ['v-version', 'v-title', 'v-summary', 'v-url', 'v-effective']) $(id).value = '';
  say('info', `Редакция ${v.version} опубликована; вступает в силу ${dayOf(v.effectiveAt)}. Клиенты уведомляются.`);
}

// ——— Claims ———

const claimOverdue = (c) => c.overdue || (c.status === 'under_review' && isPast(c.dueAt));

function dueCell(item, pending, overdue) {
  if (!pending) return `<td class="nowrap small">${esc(dueBy(item.dueAt))}</td>`;
  if (!item.dueAt) return '<td class="nowrap small">рассчитывается…</td>';
  return `<td class="nowrap due${overdue ? ' late' : ''}">${esc(dueBy(item.dueAt))}${overdue ? '<div>срок истёк</div>' : ''}</td>`;
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
      <td class="nowrap">${esc(when(c.receivedAt))}<div class="small">${esc(CHANNELS[c.channel] || c.channel)}</div></td>
      <td>${esc(c.subject)}</td>
      <td class="num">${esc(money(c.amountClaimedTiyn))}</td>
      <td><span class="st-${esc(c.status)}">${esc(CLAIM_STATUSES[c.status] || c.status)}</span></td>
      ${dueCell(c, c.status === 'under_review', claimOverdue(c))}
      <td class="num">${esc(c.documents.length)}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="8">Претензий нет.</td></tr>';
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
    <h2>Претензия № ${esc(c.number)} <small class="st-${esc(c.status)}" id="claim-status">${esc(CLAIM_STATUSES[c.status] || c.status)}</small></h2>
    <dl>
      <dt>Клиент</dt><dd>${esc(c.clientName)} <span class="small">${esc(c.clientId)}</span></dd>
      <dt>Получена</dt><dd>${esc(when(c.receivedAt))} · ${esc(CHANNELS[c.channel] || c.channel)}</dd>
      <dt>Тема</dt><dd>${esc(c.subject)}</dd>
      <dt>Подписал</dt><dd>${esc(c.signerName)}${c.authority.signer ? ` <span class="small">ЭЦП: ${esc(signedBy(c.authority.signer))}</span>` : ''}</dd>
      <dt>Полномочия (п. 9.4)</dt><dd id="claim-authority">${esc(c.authority.basis ? AUTHORITY_BASES[c.authority.basis] || c.authority.basis : NOT_CONSIDERED_REASONS[c.authority.notConsideredReason] || 'не подтверждены')}</dd>
      <dt>Заявленный ущерб</dt><dd>${esc(money(c.amountClaimedTiyn))}</dd>
      <dt>Срок ответа (п. 9.3)</dt><dd class="${overdue ? 'late' : ''}">${c.status === 'under_review' && !c.dueAt ? 'рассчитывается…' : esc(dueBy(c.dueAt))}${overdue ? ' · срок истёк' : ''}</dd>
      ${c.answeredAt ? `<dt>Ответ дан</dt><dd>${esc(when(c.answeredAt))}</dd><dt>Присуждено</dt><dd id="claim-awarded">${esc(money(c.amountAwardedTiyn))}</dd>` : ''}
    </dl>
    <h3>Требования</h3>
    <p class="text">${esc(c.demands)}</p>
    <h3>Документы</h3>
    <ul id="claim-documents">${c.documents.map((d) => `<li><a class="doc" href="/staff/v1/claims/${esc(encodeURIComponent(c.id))}/documents/${esc(d.id)}" data-name="${esc(d.filename)}">${esc(d.filename)}</a> <span class="small">${esc(DOC_KINDS[d.kind] || d.kind)} · ${esc(d.contentType)} · sha256 ${esc(d.sha256.slice(0, 12))}…</span></li>`).join('') || '<li class="small">нет</li>'}</ul>
    ${c.status === 'not_considered' ? `<p class="hint">Полномочия подписавшего лица не подтверждены: претензия считается непредъявленной и рассмотрению не подлежит (п. 9.4).${c.authority.message ? ` <span class="small">${esc(c.authority.message)}</span>` : ''}</p>` : ''}
    ${c.answer ? `<h3>Ответ</h3><p class="text" id="claim-answer">${esc(c.answer)}</p>` : ''}
    ${c.status === 'under_review' ? `
      <div class="answer form">
        <h3>Ответ по существу (п. 9.3)</h3>
        <div class="inline">
          <label class="field"><span>Решение</span><select id="c-decision">
            <option value="satisfied">удовлетворить полностью</option>
            <option value="partially_satisfied">удовлетворить частично</option>
            <option value="refused">отказать в удовлетворении</option>
          </select></label>
          <label class="field"><span>Присуждённая сумма, ₸ (необязательно)</span><input id="c-amount" type="text" inputmode="decimal" autocomplete="off"></label>
        </div>
        <label class="field"><span>Ответ с обоснованием (направляется клиенту)</span><textarea id="c-answer-text" rows="5"></textarea></label>
        <p class="row"><button id="c-answer">Отправить ответ</button></p>
      </div>` : ''}
    <p class="row"><button id="c-to-compensation" class="secondary">Записать компенсацию по этой претензии (п. 7.3)</button></p>`;
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
    $('m-description').value = `По претензии № ${c.number}: ${c.subject}`;
    $('compensation-form').scrollIntoView({ block: 'start' });
  };
}

async function answerClaim(c) {
  const answer = $('c-answer-text').value.trim();
  if (answer.length < 10) throw new Error('VALIDATION: ответ должен содержать обоснование (не короче 10 символов).');
  const body = { decision: $('c-decision').value, answer };
  if ($('c-amount').value.trim()) body.amountAwardedTiyn = tiyn($('c-amount').value, 'присуждённая сумма');
  const answered = await call('POST', `/staff/v1/claims/${encodeURIComponent(c.id)}/answer`, body);
  showClaim(answered);
  await loadClaims();
  say('info', `Ответ на претензию № ${answered.number} направлен: ${CLAIM_STATUSES[answered.status] || answered.status}${answered.amountAwardedTiyn ? `, присуждено ${money(answered.amountAwardedTiyn)}` : ''}. Клиент уведомлён.`);
}

/** A chosen file → the API's document: base64 of its bytes. */
function readFile(file, kind) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ kind, filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error(`Файл ${file.name} не прочитан`));
    reader.readAsDataURL(file);
  });
}

async function registerClaim() {
  const clientId = $('r-client').value.trim();
  if (!UUID.test(clientId)) throw new Error('VALIDATION: укажите идентификатор клиента (UUID).');
  const receivedAt = instant($('r-received').value, 'претензия получена');
  if (!receivedAt) throw new Error('VALIDATION: укажите, когда претензия отправлена (получена).');
  const body = { clientId, channel: $('r-channel').value, receivedAt, subject: $('r-subject').value.trim(), demands: $('r-demands').value.trim(), signerName: $('r-signer').value.trim(), documents: [] };
  if (body.subject.length < 3) throw new Error('VALIDATION: укажите тему (не короче 3 символов).');
  if (body.demands.length < 10) throw new Error('VALIDATION: изложите требования (не короче 10 символов).');
  if (body.signerName.length < 3) throw new Error('VALIDATION: укажите, кто подписал претензию.');
  if ($('r-amount').value.trim()) body.amountClaimedTiyn = tiyn($('r-amount').value, 'заявленный ущерб');
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
  say('info', `Претензия № ${c.number} зарегистрирована: ${CLAIM_STATUSES[c.status] || c.status}.`);
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
      <td class="nowrap">${esc(COMPENSATION_BASES[c.basis] || c.basis)}${c.claimId ? '<div class="small">по претензии</div>' : ''}</td>
      <td class="text">${esc(c.description)}${c.breaches.length ? `<div class="small">${c.breaches.map((b) => `${esc(b.type === 'ticket' ? 'обращение' : 'нарушение срока по заявке')} ${esc(b.id)}`).join('; ')}</div>` : ''}</td>
      <td class="nowrap">${esc(when(c.eventAt))}</td>
      <td class="num">${esc(money(c.amountClaimedTiyn))}${c.amountPaidTiyn ? `<div class="small">выплачено ${esc(money(c.amountPaidTiyn))}</div>` : ''}</td>
      <td>${esc(PAY_TO[c.payTo] || c.payTo)}</td>
      <td class="status"><span class="st-${esc(c.status)}">${esc(COMPENSATION_STATUSES[c.status] || c.status)}</span>${c.decidedAt ? `<div class="small">${esc(when(c.decidedAt))}</div>` : ''}${c.decisionReason ? `<div class="small text">${esc(c.decisionReason)}</div>` : ''}</td>
      ${dueCell(c, c.status === 'pending', compensationOverdue(c))}
      <td>${c.status === 'pending' ? `
        <input class="pay-amount money" type="text" inputmode="decimal" autocomplete="off" value="${esc(tengeInput(c.amountClaimedTiyn))}" ${c.basis === 'defect_act' ? 'readonly title="Дефектный акт возмещается в сумме, указанной в нём (п. 7.2)"' : ''}>
        <button class="pay small-button">Выплатить</button>
        ${c.basis === 'late_service'
          ? '<input class="refuse-reason" type="text" placeholder="Причина отказа" autocomplete="off"><button class="refuse danger small-button">Отказать</button>'
          : '<div class="small">Подписанный дефектный акт подлежит возмещению, отказ не допускается (п. 7.2).</div>'}` : ''}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="9">Компенсаций нет.</td></tr>';
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const pay = row.querySelector('button.pay');
    const refuse = row.querySelector('button.refuse');
    if (pay) pay.onclick = () => busy(pay, () => payCompensation(row));
    if (refuse) refuse.onclick = () => busy(refuse, () => refuseCompensation(row));
  }
  pollSoon('compensations', pending.some((c) => !c.dueAt), loadCompensations);
}

async function payCompensation(row) {
  const amountTiyn = tiyn(row.querySelector('input.pay-amount').value, 'сумма к выплате');
  const c = await call('POST', `/staff/v1/compensations/${encodeURIComponent(row.dataset.id)}/pay`, { amountTiyn });
  await loadCompensations();
  say('info', `Компенсация ${money(c.amountPaidTiyn)} выплачена клиенту ${c.clientName} на ${PAY_TO[c.payTo] || c.payTo}; клиент уведомлён.`);
}

async function refuseCompensation(row) {
  const reason = row.querySelector('input.refuse-reason').value.trim();
  if (reason.length < 5) throw new Error('VALIDATION: укажите причину отказа (не короче 5 символов).');
  const c = await call('POST', `/staff/v1/compensations/${encodeURIComponent(row.dataset.id)}/refuse`, { reason });
  await loadCompensations();
  say('info', `В возмещении ущерба клиенту ${c.clientName} отказано; клиент уведомлён.`);
}

function compensationBasis() {
  const late = $('m-basis').value === 'late_service';
  $('m-late').hidden = !late;
  $('m-event-label').textContent = late ? 'Требование получено (пусто — сейчас)' : 'Дефектный акт подписан (пусто — сейчас)';
  if (!late) $('m-payto').value = 'account';
  $('m-payto').disabled = !late;
}

async function loadBreaches() {
  const clientId = $('m-client').value.trim();
  if (!UUID.test(clientId)) throw new Error('VALIDATION: сначала укажите идентификатор клиента (UUID).');
  const { orderBreaches, tickets } = await call('GET', `/staff/v1/clients/${encodeURIComponent(clientId)}/compensation-eligibility`);
  const box = $('m-breaches');
  box.innerHTML = [
    ...orderBreaches.map((b) => `<label><input type="checkbox" class="breach" data-type="order_breach" value="${esc(b.id)}"> заявка ${esc(b.orderId)}: коды — до ${esc(when(b.deadlineAt))}, готовы ${esc(when(b.codesReadyAt))}</label>`),
    ...tickets.map((t) => `<label><input type="checkbox" class="breach" data-type="ticket" value="${esc(t.id)}"> обращение ${esc(t.number)} «${esc(t.subject)}»: нарушен ${esc(t.missed.map((m) => MISSED[m] || m).join(', '))}</label>`),
  ].join('<br>') || 'У клиента нет зафиксированных нарушений сроков, по которым можно заявить требование.';
}

async function recordCompensation() {
  const clientId = $('m-client').value.trim();
  if (!UUID.test(clientId)) throw new Error('VALIDATION: укажите идентификатор клиента (UUID).');
  const description = $('m-description').value.trim();
  if (description.length < 10) throw new Error('VALIDATION: опишите услуги или ущерб (не короче 10 символов).');
  const basis = $('m-basis').value;
  const body = {
    clientId,
    basis,
    description,
    amountTiyn: tiyn($('m-amount').value, 'сумма'),
    eventAt: instant($('m-event').value, 'подписан / получено') || new Date().toISOString(),
    payTo: basis === 'defect_act' ? 'account' : $('m-payto').value,
  };
  if (basis === 'late_service') {
    body.breaches = [...$('m-breaches').querySelectorAll('input.breach:checked')].map((i) => ({ type: i.dataset.type, id: i.value }));
    const claimId = $('m-claim').value.trim();
    if (claimId) {
      if (!UUID.test(claimId)) throw new Error('VALIDATION: идентификатор претензии — UUID.');
      body.claimId = claimId;
    }
  }
  const c = await call('POST', '/staff/v1/compensations', body);
  for (const id of ['m-client', 'm-description', 'm-amount', 'm-event', 'm-claim']) $(id).value = '';
  $('m-breaches').textContent = '';
  $('compensations-status').value = '';
  await loadCompensations();
  say('info', `Компенсация записана: ${COMPENSATION_BASES[c.basis] || c.basis}, ${money(c.amountClaimedTiyn)}, клиент ${c.clientName}.`);
}

// ——— Force majeure ———

function noticeCell(e) {
  if (e.wellKnown) return '<td class="nowrap notice-due small">общеизвестный факт: уведомление не требуется (п. 8.5)</td>';
  if (!e.reliedOn) {
    const what = e.notifiedAt ? '<div class="late">уведомление направлено с опозданием</div>' : '<div><span class="flag red notice-missing">срок истёк, уведомление не направлено</span></div>';
    return `<td class="nowrap notice-due${e.notifiedAt ? '' : ' late'}">${esc(dueBy(e.noticeDueAt))}${what}<div class="small not-relied">ссылаться на событие нельзя: сроки не приостановлены (п. 8.3)</div></td>`;
  }
  if (e.notifiedAt) return `<td class="nowrap notice-due">${esc(dueBy(e.noticeDueAt))}${e.noticeDueAt && new Date(e.notifiedAt) > new Date(e.noticeDueAt) ? '<div class="late">уведомление направлено с опозданием</div>' : ''}</td>`;
  if (!e.noticeDueAt) return '<td class="nowrap notice-due small">нет производственного календаря на этот год</td>';
  return isPast(e.noticeDueAt)
    ? `<td class="nowrap notice-due late">${esc(dueBy(e.noticeDueAt))}<div><span class="flag red notice-missing">срок истёк, уведомление не направлено</span></div></td>`
    : `<td class="nowrap notice-due">${esc(dueBy(e.noticeDueAt))}<div class="small">уведомление ещё не направлено</div></td>`;
}

async function loadForceMajeure() {
  const { events } = await call('GET', '/staff/v1/force-majeure');
  const ongoing = events.filter((e) => !e.endedAt).length;
  $('force-majeure-count').textContent = ongoing ? `(продолжается: ${ongoing})` : '';
  const body = $('force-majeure').tBodies[0];
  body.innerHTML = events.map((e) => `
    <tr data-id="${esc(e.id)}" class="${[!e.notifiedAt && isPast(e.noticeDueAt) ? 'notice-late' : '', e.terminationMayBeAgreed ? 'may-terminate' : ''].filter(Boolean).join(' ')}">
      <td class="nowrap">${esc(when(e.startedAt))}</td>
      <td class="nowrap ended">${e.endedAt ? esc(when(e.endedAt)) : '<span class="late">продолжается</span>'}</td>
      <td>${e.processes.map((p) => esc(PROCESSES[p] || p)).join(', ')}</td>
      <td class="text">${esc(e.description)}${e.evidence ? `<div class="small">Подтверждающий документ: ${esc(e.evidence)}</div>` : ''}</td>
      ${noticeCell(e)}
      <td class="nowrap">${e.notifiedAt ? esc(when(e.notifiedAt)) : '<button class="notify small-button" title="Уведомить каждого клиента с Договором в Личном кабинете и по e-mail (п. 8.3)">Уведомить клиентов</button>'}</td>
      <td class="termination">${e.terminationMayBeAgreed ? '<span class="flag may-terminate-flag">30 суток: Стороны могут согласовать расторжение (п. 8.6)</span>' : '<span class="small">ещё нет</span>'}</td>
      <td>${fourEyes(e)}${e.endedAt ? '' : `<input class="end-at" type="datetime-local" value="${esc(localInput(Date.now()))}"><button class="end danger small-button">Завершить</button>`}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="8">Событий непреодолимой силы нет.</td></tr>';
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
  const why = e.lateNoticeReason ? `<div class="small">Причина: ${esc(e.lateNoticeReason)}</div>` : '';
  if (e.status === 'confirmed') return `<div class="small four-eyes">опоздание уведомления принято, подтверждено ${esc(when(e.decidedAt))}</div>${why}`;
  if (e.status === 'rejected') return `<div class="small four-eyes">учитывать отказано: ${esc(e.rejectionReason)}</div>${why}`;
  if (e.status !== 'pending_confirmation') return '';
  return `<div class="four-eyes"><span class="flag pending-confirmation">ждёт подтверждения другого администратора</span></div>${why}${decisionButtons(e.recordedBy)}`;
}

/** Confirm / reject of a proposal: only for an admin other than its proposer. */
const decisionButtons = (proposedBy) => (proposedBy === me.id ? '<div class="small">Подтвердить может только другой администратор.</div>' : '<div><button class="confirm small-button">Подтвердить</button> <input class="reject-reason" type="text" placeholder="причина отказа"><button class="reject danger small-button">Отклонить</button></div>');

function wireDecisions(body, base, reload) {
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const path = (action) => `${base}/${encodeURIComponent(row.dataset.id)}/${action}`;
    const confirmButton = row.querySelector('button.confirm');
    if (confirmButton) confirmButton.onclick = () => busy(confirmButton, async () => { await call('POST', path('confirm')); await reload(); say('info', 'Подтверждено.'); });
    const rejectButton = row.querySelector('button.reject');
    if (rejectButton) {
      rejectButton.onclick = () => busy(rejectButton, async () => {
        const reason = row.querySelector('input.reject-reason').value.trim();
        if (reason.length < 10) throw new Error('VALIDATION: укажите причину отказа (не короче 10 символов).');
        await call('POST', path('reject'), { reason });
        await reload();
        say('info', 'Отклонено.');
      });
    }
  }
}

const DECLARATION_STATUSES = { under_review: 'на рассмотрении', pending_confirmation: 'ждёт подтверждения другого администратора', accepted: 'принято: сроки клиента приостановлены (п. 8.4)', rejected: 'отклонено' };
const EVIDENCE_KINDS = { certificate: 'свидетельство', other: 'прочее' };

async function loadDeclarations() {
  const { declarations } = await call('GET', '/staff/v1/force-majeure/declarations');
  const body = $('force-majeure-declarations').tBodies[0];
  body.innerHTML = declarations.map((d) => `
    <tr data-id="${esc(d.id)}" class="${d.status}">
      <td>${esc(d.clientName)}</td>
      <td class="nowrap">${esc(when(d.receivedAt))}</td>
      <td class="nowrap">${esc(when(d.startedAt))} — ${d.endedAt ? esc(when(d.endedAt)) : `<span class="late">продолжается</span>${d.expectedEndAt ? `<div class="small">ожидается до ${esc(when(d.expectedEndAt))}</div>` : ''}`}</td>
      <td>${d.obligations.map((o) => esc(PROCESSES[o] || o)).join(', ')}</td>
      <td class="text">${esc(d.description)}<div class="small">${d.wellKnown ? 'общеизвестный факт (п. 8.5)' : d.evidence.map((f) => `${esc(EVIDENCE_KINDS[f.kind] || f.kind)}: ${esc(f.filename)}`).join('; ') || '<span class="late">доказательств нет (п. 8.5)</span>'}</div></td>
      <td class="nowrap${d.noticeInTime ? '' : ' late'}">${esc(dueBy(d.noticeDueAt))}${d.noticeInTime ? '' : '<div>получено с опозданием</div>'}</td>
      <td>${esc(DECLARATION_STATUSES[d.status] || d.status)}${d.rejectionReason ? `<div class="small">${esc(d.rejectionReason)}</div>` : ''}${d.lateNoticeReason ? `<div class="small">Причина: ${esc(d.lateNoticeReason)}</div>` : ''}</td>
      <td>${d.status === 'under_review' ? `<input class="late-reason" type="text" placeholder="${d.noticeInTime ? 'причина не нужна' : 'причина опоздания'}"><button class="accept small-button">Принять</button> <input class="reject-reason" type="text" placeholder="причина отказа"><button class="reject danger small-button">Отклонить</button>` : d.status === 'pending_confirmation' ? decisionButtons(d.reviewedBy) : ''}</td>
    </tr>`).join('') || '<tr class="empty"><td colspan="8">Заявлений нет.</td></tr>';
  wireDecisions(body, '/staff/v1/force-majeure/declarations', loadForceMajeure);
  for (const row of body.querySelectorAll('tr[data-id]')) {
    const accept = row.querySelector('button.accept');
    if (!accept) continue;
    accept.onclick = () => busy(accept, async () => {
      const lateNoticeReason = row.querySelector('input.late-reason').value.trim();
      const d = await call('POST', `/staff/v1/force-majeure/declarations/${encodeURIComponent(row.dataset.id)}/accept`, lateNoticeReason ? { lateNoticeReason } : {});
      await loadForceMajeure();
      say('info', `Заявление клиента ${d.clientName}: ${DECLARATION_STATUSES[d.status] || d.status}.`);
    });
  }
  const waiting = declarations.filter((d) => d.status === 'under_review' || d.status === 'pending_confirmation').length;
  if (waiting) $('force-majeure-count').textContent += ` (заявлений: ${waiting})`;
}

async function notifyOfForceMajeure(row) {
  if (!confirm('Направить уведомление о форс-мажоре (п. 8.3) каждому клиенту с Договором?')) return;
  const e = await call('POST', `/staff/v1/force-majeure/${encodeURIComponent(row.dataset.id)}/notify`);
  await loadForceMajeure();
  say('info', `Уведомление направляется каждому клиенту с Договором; записано как направленное ${when(e.notifiedAt)}.`);
}

async function endForceMajeure(row) {
  const endedAt = instant(row.querySelector('input.end-at').value, 'окончание');
  if (!endedAt) throw new Error('VALIDATION: укажите, когда событие закончилось.');
  const e = await call('POST', `/staff/v1/force-majeure/${encodeURIComponent(row.dataset.id)}/end`, { endedAt });
  await loadForceMajeure();
  say('info', `Событие завершено ${when(e.endedAt)}; приостановленные сроки снова идут (процессам сообщено: ${count(e.workflowsSignalled ?? 0)}).`);
}

async function recordForceMajeure() {
  const startedAt = instant($('f-started').value, 'начало');
  if (!startedAt) throw new Error('VALIDATION: укажите начало события.');
  const processes = [...$('f-processes').querySelectorAll('input:checked')].map((i) => i.value);
  if (!processes.length) throw new Error('VALIDATION: выберите процессы, которые оно затрагивает.');
  const description = $('f-description').value.trim();
  if (description.length < 5) throw new Error('VALIDATION: опишите событие (не короче 5 символов).');
  const body = { startedAt, processes: processes.includes('all') ? ['all'] : processes, description };
  const endedAt = instant($('f-ended').value, 'окончание');
  if (endedAt) body.endedAt = endedAt;
  const notifiedAt = instant($('f-notified').value, 'уведомление направлено');
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
    ? `Форс-мажор с ${when(e.startedAt)} записан и ждёт подтверждения другого администратора: до него сроки не приостановлены (п. 8.3).`
    : `Форс-мажор с ${when(e.startedAt)} записан; уведомить клиентов — до ${dueBy(e.noticeDueAt)} (п. 8.3); идущих процессов, пересчитывающих сроки: ${count(e.workflowsSignalled ?? 0)}.`);
}

// ——— EDS trust store (docs/EDS.md) ———

const CRL_STATUSES = { current: 'действует', expired: 'истёк срок обновления: статус отзыва неизвестен', superseded: 'заменён более новым' };
const fingerprint = (hex) => (hex.match(/.{1,2}/g) || []).join(':').toUpperCase();

/** A file as the API takes it: PEM as its text, anything else (DER) base64-encoded. */
async function fileForApi(file) {
  if (!file.size) throw new Error('VALIDATION: файл пуст.');
  const head = new TextDecoder('latin1').decode(await file.slice(0, 4096).arrayBuffer());
  if (head.includes('-----BEGIN ')) return file.text();
  const dataUrl = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error || new Error('файл не прочитан'));
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
      <td class="text">${esc(c.subject)}<br><span class="small">${c.selfSigned ? 'корневой' : 'промежуточный'}${c.note ? ` · ${esc(c.note)}` : ''}</span></td>
      <td class="text">${esc(c.issuer)}</td>
      <td class="nowrap">с ${dayOf(c.notBefore)}<br>до <span class="${new Date(c.notAfter).getTime() < now ? 'bad' : ''}">${dayOf(c.notAfter)}</span></td>
      <td class="small text">${esc(fingerprint(c.sha256))}</td>
      <td>${c.addedBy ? esc(c.addedBy.name) : c.source === 'directory' ? 'из каталога при запуске' : '—'}<br><span class="small">${when(c.addedAt)}</span>
        ${c.removedAt ? `<br><span class="bad">удалён ${when(c.removedAt)}${c.removedBy ? `, ${esc(c.removedBy.name)}` : ''}</span>` : ''}</td>
      <td>${c.removedAt ? '' : `<button class="danger small-button remove-certificate" aria-label="Удалить из доверенных: ${esc(c.subject)}">Удалить</button>`}</td>
    </tr>`).join('') || '<tr><td colspan="6" class="bad">Доверенных сертификатов нет: любая подпись ЭЦП будет отклонена.</td></tr>';
  for (const row of $('certificates').querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('button.remove-certificate');
    if (button) button.onclick = () => busy(button, () => removeCertificate(row));
  }
}

async function addCertificate() {
  const file = $('c-file').files[0];
  const pasted = $('c-pem').value.trim();
  if (file && pasted) throw new Error('VALIDATION: выберите файл или вставьте PEM — что-то одно.');
  if (!file && !pasted) throw new Error('VALIDATION: выберите файл сертификата или вставьте PEM.');
  const body = { certificate: file ? await fileForApi(file) : pasted };
  const note = $('c-note').value.trim();
  if (note) body.note = note;
  const c = await call('POST', '/staff/v1/eds/trusted-certificates', body);
  $('c-file').value = '';
  $('c-pem').value = '';
  $('c-note').value = '';
  await loadCertificates();
  say('info', `Сертификат «${c.subject}» добавлен в доверенные (действителен до ${dayOf(c.notAfter)}).\nСверьте отпечаток SHA-256 с опубликованным НУЦ РК: ${fingerprint(c.sha256)}`);
}

async function removeCertificate(row) {
  const c = await call('DELETE', `/staff/v1/eds/trusted-certificates/${row.dataset.id}`);
  await loadCertificates();
  say('info', `Сертификат «${c.subject}» удалён из доверенных: подписи по его цепочке больше не принимаются.`);
}

async function loadCrls() {
  const { crls } = await call('GET', '/staff/v1/eds/crls');
  $('crls').querySelector('tbody').innerHTML = crls.map((c) => `
    <tr data-id="${esc(c.id)}" class="${c.status === 'expired' ? 'overdue' : ''}">
      <td class="text">${esc(c.issuer)}</td><td>${esc(c.crlNumber ?? '—')}</td><td class="nowrap">${when(c.thisUpdate)}</td><td class="nowrap">${when(c.nextUpdate)}</td>
      <td class="num">${count(c.revokedCount)}</td><td class="st-${esc(c.status)} ${c.status === 'expired' ? 'bad' : c.status === 'current' ? 'ok' : ''}">${esc(CRL_STATUSES[c.status] || c.status)}</td>
      <td>${c.importedBy ? esc(c.importedBy.name) : '—'}<br><span class="small">${when(c.importedAt)}${c.note ? ` · ${esc(c.note)}` : ''}</span></td>
    </tr>`).join('') || '<tr><td colspan="7">CRL не импортированы: статус отзыва сертификатов неизвестен.</td></tr>';
}

async function importCrl() {
  const file = $('crl-file').files[0];
  if (!file) throw new Error('VALIDATION: выберите файл CRL.');
  const body = { crl: await fileForApi(file) };
  const note = $('crl-note').value.trim();
  if (note) body.note = note;
  const c = await call('POST', '/staff/v1/eds/crls', body);
  $('crl-file').value = '';
  $('crl-note').value = '';
  await loadCrls();
  say('info', `CRL «${c.issuer}» импортирован: отозвано сертификатов — ${count(c.revokedCount)}, следующее обновление ${when(c.nextUpdate)}.`);
}

function showEdsSettings(s) {
  $('s-strict').checked = s.strictRevocation;
  $('s-tolerance').value = String(s.signingTimeToleranceMinutes);
  $('s-version').textContent = `Версия хранилища ${s.version}, изменено ${when(s.changedAt)}.`;
}

async function loadEdsSettings() {
  showEdsSettings(await call('GET', '/staff/v1/eds/settings'));
}

async function saveEdsSettings() {
  const minutes = Number($('s-tolerance').value);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 525600) throw new Error('VALIDATION: допустимое время — целое число минут от 1 до 525 600.');
  const s = await call('PUT', '/staff/v1/eds/settings', { strictRevocation: $('s-strict').checked, signingTimeToleranceMinutes: minutes });
  showEdsSettings(s);
  say('info', `Настройки сохранены: строгая проверка отзыва ${s.strictRevocation ? 'включена' : 'выключена'}, допустимое время ${count(s.signingTimeToleranceMinutes)} мин.`);
}

// ——— Wiring ———

$('f-processes').innerHTML = Object.entries(PROCESSES).map(([value, label]) => `<label><input type="checkbox" value="${esc(value)}"> ${esc(label)}</label>`).join('');
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
