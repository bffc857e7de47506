'use strict';
/*
 * The company in the client's cabinet (served at /console/cabinet-company.js, after console.js and
 * format-ru.js): its people and their roles (1.1), the API tokens of its integration software, and what
 * each person did. Changes are the administrator's (the API refuses others with PERSON_ROLE).
 */
const ROLE_ORDER = ['admin', 'ordering', 'accounting', 'support'];
const SCOPES_RU = { station: 'станция управления заказами', cabinet_read: 'чтение кабинета', cabinet: 'весь кабинет' };
/** What a person did, in words: by the route as the API declares it. */
const ACTIONS_RU = [
  [/^POST \/v1\/cabinet\/sign-in$/, 'вход с ЭЦП'],
  [/^POST \/client\/v1\/sign-out$/, 'выход из кабинета'],
  [/^POST \/client\/v1\/people$/, 'добавил(а) сотрудника'],
  [/^PATCH \/client\/v1\/people\//, 'изменил(а) роли сотрудника'],
  [/^DELETE \/client\/v1\/people\//, 'удалил(а) сотрудника'],
  [/^POST \/client\/v1\/tokens$/, 'выдал(а) ключ API'],
  [/^POST \/client\/v1\/tokens\/.*\/revoke$/, 'отозвал(а) ключ API'],
  [/^POST \/client\/v1\/products$/, 'зарегистрировал(а) товар'],
  [/^PATCH \/client\/v1\/products\//, 'изменил(а) карточку товара'],
  [/^POST \/api\/v2\/[^/]+\/orders$/, 'заказал(а) коды маркировки'],
  [/^POST \/api\/v2\/[^/]+\/buffer\/close$/, 'закрыл(а) заказ кодов'],
  [/^POST \/api\/v2\//, 'отправил(а) данные в станцию управления заказами'],
  [/^POST \/client\/v1\/(downloads|orders\/.*\/downloads)/, 'получил(а) коды'],
  [/^POST \/client\/v1\/circulation/, 'ввёл(а) коды в оборот'],
  [/^POST \/client\/v1\/acts\/.*\/sign$/, 'подписал(а) акт выполненных работ'],
  [/^POST \/client\/v1\/acts\/.*\/refuse$/, 'отказал(а) в подписании акта'],
  [/^POST \/client\/v1\/reconciliation-acts$/, 'запросил(а) акт сверки'],
  [/^POST \/client\/v1\/reconciliation-acts\/.*\/sign$/, 'подписал(а) акт сверки'],
  [/^POST \/client\/v1\/reconciliation-acts\/.*\/refuse$/, 'направил(а) возражения по акту сверки'],
  [/^POST \/client\/v1\/invoices$/, 'запросил(а) счёт на оплату'],
  [/^POST \/client\/v1\/refunds$/, 'запросил(а) возврат аванса'],
  [/^POST \/client\/v1\/tickets$/, 'открыл(а) обращение в поддержку'],
  [/^POST \/client\/v1\/tickets\/.*\/messages$/, 'ответил(а) в обращении'],
  [/^POST \/client\/v1\/tickets\/.*\/confirm$/, 'подтвердил(а) решение обращения'],
  [/^POST \/client\/v1\/claims$/, 'направил(а) претензию'],
  [/^POST \/client\/v1\/compensation-demands$/, 'потребовал(а) возмещения'],
  [/^(PATCH|POST) \/client\/v1\/profile/, 'изменил(а) реквизиты'],
  [/^POST \/client\/v1\/termination/, 'направил(а) уведомление о расторжении'],
  [/^POST \/client\/v1\/consent\/withdraw$/, 'отозвал(а) согласие'],
  [/^POST \/client\/v1\/force-majeure/, 'сообщил(а) о форс-мажоре'],
  [/^POST \/client\/v1\/notices\//, 'ответил(а) на уведомление'],
];
const actionText = (a) => (ACTIONS_RU.find(([pattern]) => pattern.test(`${a.method} ${a.route}`)) || [null, `другое действие (${a.method} ${a.route})`])[1];
const outcome = (code) => (code < 300 ? '<span class="ok">выполнено</span>' : code === 403 ? '<span class="bad">нет прав</span>' : `<span class="bad">отказ (${esc(code)})</span>`);
const rolesText = (roles) => roles.map((r) => PERSON_ROLES_RU[r] || r).join(', ');
let actionsBefore = null;

function roleBoxes(name, checked = []) {
  return ROLE_ORDER.map((r) => `<label><input type="checkbox" name="${esc(name)}" value="${r}"${checked.includes(r) ? ' checked' : ''}> ${esc(PERSON_ROLES_RU[r])}</label>`).join('');
}
const checkedRoles = (container) => [...container.querySelectorAll('input[type="checkbox"]:checked')].map((i) => i.value);

async function signIn() {
  try {
    const me = await api('GET', '/client/v1/me');
    signedIn('cabinet', `${me.name} · БИН/ИИН ${me.binIin}`);
    $('person-roles').insertAdjacentHTML('beforeend', roleBoxes('new-role', ['ordering']));
    const results = await Promise.allSettled([loadPeople(), loadTokens(), loadActions()]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) say('error', failed.reason.message);
  } catch (error) {
    notSignedIn(error);
  }
}

async function loadPeople() {
  const { people } = await api('GET', '/client/v1/people');
  $('people-rows').innerHTML = people.length
    ? people
        .map(
          (p) => `<tr data-id="${esc(p.id)}" data-iin="${esc(p.iin)}">
      <td><b>${esc(p.fullName)}</b>${p.email ? `<div class="small">${esc(p.email)}</div>` : ''}${sessionPerson && sessionPerson.id === p.id ? '<div class="small">это вы</div>' : ''}</td>
      <td>${esc(p.iin)}</td>
      <td><fieldset class="roles" aria-label="Роли: ${esc(p.fullName)}">${roleBoxes(`roles-${p.id}`, p.roles)}</fieldset><div class="small current-roles">${esc(rolesText(p.roles))}</div></td>
      <td>${esc(p.lastSignInAt ? when(p.lastSignInAt) : 'не входил(а)')}</td>
      <td><button class="secondary save-roles" type="button">Сохранить роли</button> <button class="danger remove" type="button">Удалить…</button><div class="confirm-box"></div></td>
    </tr>`,
        )
        .join('')
    : '<tr class="empty"><td colspan="5">Сотрудников пока нет: добавьте их ниже.</td></tr>';
  for (const row of $('people-rows').querySelectorAll('tr[data-id]')) {
    const id = row.dataset.id;
    const name = row.querySelector('b').textContent;
    row.querySelector('.save-roles').onclick = (event) =>
      busy(event.currentTarget, async () => {
        await api('PATCH', `/client/v1/people/${id}`, { roles: checkedRoles(row.querySelector('fieldset')) });
        say('info', `Роли сотрудника ${name} сохранены.`);
        await Promise.all([loadPeople(), loadActions()]);
      });
    row.querySelector('.remove').onclick = () => confirmRemoval(row, id, name);
  }
}

/** Removal asks once more in the page: the person's sessions end at once. */
function confirmRemoval(row, id, name) {
  const box = row.querySelector('.confirm-box');
  box.innerHTML = `<div class="confirm" role="alert">Удалить ${esc(name)} из кабинета? Его (её) сеансы завершатся сразу. <button class="danger confirm-remove" type="button">Удалить</button> <button class="secondary cancel-remove" type="button">Отмена</button></div>`;
  box.querySelector('.cancel-remove').onclick = () => { box.innerHTML = ''; };
  box.querySelector('.confirm-remove').onclick = (event) =>
    busy(event.currentTarget, async () => {
      await api('DELETE', `/client/v1/people/${id}`);
      say('info', `${name} удалён(а) из кабинета; сеансы завершены.`);
      await Promise.all([loadPeople(), loadActions()]);
    });
  box.querySelector('.confirm-remove').focus();
}

const PERSON_ERRORS = {
  PERSON_EXISTS: 'Сотрудник с этим ИИН уже есть в кабинете.',
  INVALID_IIN: 'ИИН указан с ошибкой (не сходится контрольная цифра).',
  LAST_ADMINISTRATOR: 'В кабинете должен остаться хотя бы один администратор: сначала назначьте другого.',
  PERSON_ROLE: 'Это может только администратор кабинета.',
};

async function addPerson() {
  const body = { fullName: $('person-name').value.trim(), iin: $('person-iin').value.trim(), roles: checkedRoles($('person-roles')) };
  const email = $('person-email').value.trim();
  if (email) body.email = email;
  if (!/^\d{12}$/.test(body.iin)) throw new Error('ИИН — 12 цифр.');
  if (body.fullName.length < 3) throw new Error('Укажите ФИО сотрудника.');
  if (!body.roles.length) throw new Error('Отметьте хотя бы одну роль.');
  const person = await api('POST', '/client/v1/people', body);
  say('info', `${person.fullName} добавлен(а): войдёт своей ЭЦП с ИИН ${person.iin}.`);
  for (const id of ['person-name', 'person-iin', 'person-email']) $(id).value = '';
  await Promise.all([loadPeople(), loadActions()]);
}

async function loadTokens() {
  const { tokens } = await api('GET', '/client/v1/tokens');
  const live = tokens.filter((t) => !t.revokedAt);
  $('token-rows').innerHTML = live.length
    ? live
        .map(
          (t) => `<tr data-id="${esc(t.id)}">
      <td>${esc(t.label)}</td>
      <td>${esc(t.scopes.map((s) => SCOPES_RU[s] || s).join(', '))}</td>
      <td>${esc(when(t.createdAt))}</td>
      <td>${esc(t.expiresAt ? dayOf(t.expiresAt) : 'бессрочно')}</td>
      <td>${esc(t.lastUsedAt ? when(t.lastUsedAt) : 'не использовался')}</td>
      <td>${t.current ? '<span class="small">этот сеанс</span>' : '<button class="danger revoke" type="button">Отозвать</button>'}</td>
    </tr>`,
        )
        .join('')
    : '<tr class="empty"><td colspan="6">Действующих ключей нет.</td></tr>';
  for (const row of $('token-rows').querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('.revoke');
    if (button) {
      button.onclick = () =>
        busy(button, async () => {
          await api('POST', `/client/v1/tokens/${row.dataset.id}/revoke`, { reason: 'отозван в кабинете' });
          say('info', 'Ключ отозван: программы с ним больше не работают.');
          await Promise.all([loadTokens(), loadActions()]);
        });
    }
  }
}

async function issueToken() {
  const label = $('token-label').value.trim();
  if (!label) throw new Error('Назовите ключ: для какой программы он.');
  const issued = await api('POST', '/client/v1/tokens', { label, scopes: [$('token-scope').value], expiresInDays: Number($('token-days').value) || 365 });
  $('issued-secret').textContent = issued.token;
  $('issued').hidden = false;
  say('info', `Ключ «${label}» выдан до ${issued.expiresAt ? dayOf(issued.expiresAt) : '—'}.`);
  await Promise.all([loadTokens(), loadActions()]);
}

async function loadActions(more = false) {
  const query = new URLSearchParams({ limit: '50' });
  if (more && actionsBefore) query.set('before', String(actionsBefore));
  const { actions, nextBefore } = await api('GET', `/client/v1/people/actions?${query}`);
  actionsBefore = nextBefore;
  const rows = actions
    .map((a) => `<tr><td>${esc(when(a.at))}</td><td>${esc(a.personName)}</td><td>${esc(actionText(a))}</td><td>${outcome(a.statusCode)}</td></tr>`)
    .join('');
  if (more) $('action-rows').insertAdjacentHTML('beforeend', rows);
  else $('action-rows').innerHTML = rows || '<tr class="empty"><td colspan="4">Действий пока нет.</td></tr>';
  $('more-actions').hidden = !nextBefore;
}

$('add-person').onclick = () => busy($('add-person'), () => addPerson().catch((e) => { throw new Error(PERSON_ERRORS[e.code] || e.message); }));
$('issue-token').onclick = () => busy($('issue-token'), issueToken);
$('more-actions').onclick = () => busy($('more-actions'), () => loadActions(true));
wireSignIn('ismet-client-token', signIn);
