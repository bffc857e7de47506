'use strict';
/*
 * The company in the client's cabinet (served at /console/cabinet-company.js, after console.js and
 * format.js): its people and their roles (1.1), the API tokens of its integration software, and what
 * each person did. Changes are the administrator's (the API refuses others with PERSON_ROLE).
 */
const ROLE_ORDER = ['admin', 'ordering', 'accounting', 'support'];
/** The scopes of a token, in words: their messages by the API's name. */
const SCOPES = {
  station: 'cabinet-company.tokens.scopes.station',
  cabinet_read: 'cabinet-company.tokens.scopes.cabinetRead',
  cabinet: 'cabinet-company.tokens.scopes.cabinet',
};
const scopeText = (s) => (SCOPES[s] ? msg(SCOPES[s]) : s);
/** What a person did, in words (the messages cabinet-company.action.<name>): by the route as the API declares it. */
const ACTIONS = [
  [/^POST \/v1\/cabinet\/sign-in$/, 'signIn'],
  [/^POST \/client\/v1\/sign-out$/, 'signOut'],
  [/^POST \/client\/v1\/people$/, 'addPerson'],
  [/^PATCH \/client\/v1\/people\//, 'changeRoles'],
  [/^DELETE \/client\/v1\/people\//, 'removePerson'],
  [/^POST \/client\/v1\/tokens$/, 'issueToken'],
  [/^POST \/client\/v1\/tokens\/.*\/revoke$/, 'revokeToken'],
  [/^POST \/client\/v1\/products$/, 'registerProduct'],
  [/^PATCH \/client\/v1\/products\//, 'editProduct'],
  [/^POST \/api\/v2\/[^/]+\/orders$/, 'orderCodes'],
  [/^POST \/api\/v2\/[^/]+\/buffer\/close$/, 'closeOrder'],
  [/^POST \/api\/v2\//, 'station'],
  [/^POST \/client\/v1\/(downloads|orders\/.*\/downloads)/, 'getCodes'],
  [/^POST \/client\/v1\/circulation/, 'circulation'],
  [/^POST \/client\/v1\/acts\/.*\/sign$/, 'signAct'],
  [/^POST \/client\/v1\/acts\/.*\/refuse$/, 'refuseAct'],
  [/^POST \/client\/v1\/reconciliation-acts$/, 'requestReconciliation'],
  [/^POST \/client\/v1\/reconciliation-acts\/.*\/sign$/, 'signReconciliation'],
  [/^POST \/client\/v1\/reconciliation-acts\/.*\/refuse$/, 'objectReconciliation'],
  [/^POST \/client\/v1\/invoices$/, 'requestInvoice'],
  [/^POST \/client\/v1\/refunds$/, 'requestRefund'],
  [/^POST \/client\/v1\/tickets$/, 'openTicket'],
  [/^POST \/client\/v1\/tickets\/.*\/messages$/, 'replyTicket'],
  [/^POST \/client\/v1\/tickets\/.*\/confirm$/, 'confirmTicket'],
  [/^POST \/client\/v1\/claims$/, 'claim'],
  [/^POST \/client\/v1\/compensation-demands$/, 'compensation'],
  [/^(PATCH|POST) \/client\/v1\/profile/, 'profile'],
  [/^POST \/client\/v1\/termination/, 'termination'],
  [/^POST \/client\/v1\/consent\/withdraw$/, 'withdrawConsent'],
  [/^POST \/client\/v1\/force-majeure/, 'forceMajeure'],
  [/^POST \/client\/v1\/notices\//, 'answerNotice'],
];
function actionText(a) {
  const found = ACTIONS.find(([pattern]) => pattern.test(`${a.method} ${a.route}`));
  return found ? msg(`cabinet-company.action.${found[1]}`) : msg('cabinet-company.action.other', { method: a.method, route: a.route });
}
const outcome = (code) =>
  code < 300
    ? `<span class="ok">${esc(msg('cabinet-company.outcome.done'))}</span>`
    : code === 403
      ? `<span class="bad">${esc(msg('cabinet-company.outcome.forbidden'))}</span>`
      : `<span class="bad">${esc(msg('cabinet-company.outcome.refused', { code: String(code) }))}</span>`;
const rolesText = (roles) => roles.map(personRole).join(', ');
let actionsBefore = null;

function roleBoxes(name, checked = []) {
  return ROLE_ORDER.map((r) => `<label><input type="checkbox" name="${esc(name)}" value="${r}"${checked.includes(r) ? ' checked' : ''}> ${esc(personRole(r))}</label>`).join('');
}
const checkedRoles = (container) => [...container.querySelectorAll('input[type="checkbox"]:checked')].map((i) => i.value);

async function signIn() {
  try {
    const me = await api('GET', '/client/v1/me');
    signedIn('cabinet', () => msg('cabinet-company.who', { name: me.name, binIin: me.binIin }), me);
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
      <td><b>${esc(p.fullName)}</b>${p.email ? `<div class="small">${esc(p.email)}</div>` : ''}${sessionPerson && sessionPerson.id === p.id ? `<div class="small">${esc(msg('cabinet-company.people.you'))}</div>` : ''}</td>
      <td>${esc(p.iin)}</td>
      <td><fieldset class="roles" aria-label="${esc(msg('cabinet-company.people.rolesOf', { name: p.fullName }))}">${roleBoxes(`roles-${p.id}`, p.roles)}</fieldset><div class="small current-roles">${esc(rolesText(p.roles))}</div></td>
      <td>${esc(p.lastSignInAt ? when(p.lastSignInAt) : msg('cabinet-company.people.neverSignedIn'))}</td>
      <td><button class="secondary save-roles" type="button">${esc(msg('cabinet-company.people.saveRoles'))}</button> <button class="danger remove" type="button">${esc(msg('cabinet-company.people.removeAsk'))}</button><div class="confirm-box"></div></td>
    </tr>`,
        )
        .join('')
    : `<tr class="empty"><td colspan="5">${esc(msg('cabinet-company.people.none'))}</td></tr>`;
  for (const row of $('people-rows').querySelectorAll('tr[data-id]')) {
    const id = row.dataset.id;
    const name = row.querySelector('b').textContent;
    row.querySelector('.save-roles').onclick = (event) =>
      busy(event.currentTarget, async () => {
        await api('PATCH', `/client/v1/people/${id}`, { roles: checkedRoles(row.querySelector('fieldset')) });
        say('info', msg('cabinet-company.people.rolesSaved', { name }));
        await Promise.all([loadPeople(), loadActions()]);
      });
    row.querySelector('.remove').onclick = () => confirmRemoval(row, id, name);
  }
}

/** Removal asks once more in the page: the person's sessions end at once. */
function confirmRemoval(row, id, name) {
  const box = row.querySelector('.confirm-box');
  box.innerHTML = `<div class="confirm" role="alert">${esc(msg('cabinet-company.people.confirmRemoval', { name }))} <button class="danger confirm-remove" type="button">${esc(msg('cabinet-company.people.remove'))}</button> <button class="secondary cancel-remove" type="button">${esc(msg('cabinet-company.people.cancel'))}</button></div>`;
  box.querySelector('.cancel-remove').onclick = () => { box.innerHTML = ''; };
  box.querySelector('.confirm-remove').onclick = (event) =>
    busy(event.currentTarget, async () => {
      await api('DELETE', `/client/v1/people/${id}`);
      say('info', msg('cabinet-company.people.removed', { name }));
      await Promise.all([loadPeople(), loadActions()]);
    });
  box.querySelector('.confirm-remove').focus();
}

/** The API's refusals of adding a person, in the page's own words: their messages by the error's code. */
const PERSON_ERRORS = {
  PERSON_EXISTS: 'cabinet-company.personErrors.exists',
  INVALID_IIN: 'cabinet-company.personErrors.invalidIin',
  LAST_ADMINISTRATOR: 'cabinet-company.personErrors.lastAdministrator',
  PERSON_ROLE: 'cabinet-company.personErrors.notAdministrator',
};

async function addPerson() {
  const body = { fullName: $('person-name').value.trim(), iin: $('person-iin').value.trim(), roles: checkedRoles($('person-roles')) };
  const email = $('person-email').value.trim();
  if (email) body.email = email;
  if (!/^\d{12}$/.test(body.iin)) throw new Error(msg('cabinet-company.people.iinDigits'));
  if (body.fullName.length < 3) throw new Error(msg('cabinet-company.people.nameMissing'));
  if (!body.roles.length) throw new Error(msg('cabinet-company.people.rolesMissing'));
  const person = await api('POST', '/client/v1/people', body);
  say('info', msg('cabinet-company.people.added', { name: person.fullName, iin: person.iin }));
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
      <td>${esc(t.scopes.map(scopeText).join(', '))}</td>
      <td>${esc(when(t.createdAt))}</td>
      <td>${esc(t.expiresAt ? dayOf(t.expiresAt) : msg('cabinet-company.tokens.noExpiry'))}</td>
      <td>${esc(t.lastUsedAt ? when(t.lastUsedAt) : msg('cabinet-company.tokens.neverUsed'))}</td>
      <td>${t.current ? `<span class="small">${esc(msg('cabinet-company.tokens.thisSession'))}</span>` : `<button class="danger revoke" type="button">${esc(msg('cabinet-company.tokens.revoke'))}</button>`}</td>
    </tr>`,
        )
        .join('')
    : `<tr class="empty"><td colspan="6">${esc(msg('cabinet-company.tokens.none'))}</td></tr>`;
  for (const row of $('token-rows').querySelectorAll('tr[data-id]')) {
    const button = row.querySelector('.revoke');
    if (button) {
      button.onclick = () =>
        busy(button, async () => {
          await api('POST', `/client/v1/tokens/${row.dataset.id}/revoke`, { reason: msg('cabinet-company.tokens.revokeReason') });
          say('info', msg('cabinet-company.tokens.revoked'));
          await Promise.all([loadTokens(), loadActions()]);
        });
    }
  }
}

async function issueToken() {
  const label = $('token-label').value.trim();
  if (!label) throw new Error(msg('cabinet-company.tokens.labelMissing'));
  const issued = await api('POST', '/client/v1/tokens', { label, scopes: [$('token-scope').value], expiresInDays: Number($('token-days').value) || 365 });
  $('issued-secret').textContent = issued.token;
  $('issued').hidden = false;
  say('info', msg('cabinet-company.tokens.issuedUntil', { label, until: issued.expiresAt ? dayOf(issued.expiresAt) : '—' }));
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
  else $('action-rows').innerHTML = rows || `<tr class="empty"><td colspan="4">${esc(msg('cabinet-company.journal.none'))}</td></tr>`;
  $('more-actions').hidden = !nextBefore;
}

$('add-person').onclick = () => busy($('add-person'), () => addPerson().catch((e) => { throw new Error(PERSON_ERRORS[e.code] ? msg(PERSON_ERRORS[e.code]) : e.message); }));
$('issue-token').onclick = () => busy($('issue-token'), issueToken);
$('more-actions').onclick = () => busy($('more-actions'), () => loadActions(true));
wireSignIn('ismet-client-token', signIn);
