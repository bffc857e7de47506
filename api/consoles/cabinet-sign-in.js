'use strict';
/*
 * A person signs in to the client's cabinet with EDS (served at /console/cabinet-sign-in.js): a challenge from
 * the API (POST /v1/cabinet/sign-in/challenge), its text signed through NCALayer (ncalayer.js), the signature
 * sent (POST /client/v1/sign-in): the API sets the session cookie and the page goes back where it was asked from.
 */
const FROM_PAGE = { 'x-requested-with': 'ismet-console', 'content-type': 'application/json' };
const $ = (id) => document.getElementById(id);

/** Back to a cabinet page only (never another site). */
function returnTo() {
  const target = new URLSearchParams(location.search).get('returnTo') || '/cabinet';
  return /^\/cabinet(\/[a-z-]*)?$/.test(target) ? target : '/cabinet';
}

function status(kind, text) {
  $('status').className = kind;
  $('status').textContent = text;
}

async function post(path, body) {
  const response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: FROM_PAGE, body: JSON.stringify(body || {}) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error((data.details && data.details.messageRu) || data.message || response.statusText), { code: data.code, details: data.details });
  return data;
}

/** Signs a fresh challenge and sends it; a person of several companies is asked which (binIin). */
async function signInWithEds(binIin) {
  status('info', 'Запрос на вход получен — подпишите его в окне NCALayer…');
  const challenge = await post('/v1/cabinet/sign-in/challenge');
  const signature = await ncaLayerSign(challenge.documentBase64, { base64: true, purpose: 'auth' });
  status('info', 'Подпись проверяется…');
  try {
    const signedIn = await post('/v1/cabinet/sign-in', { challengeId: challenge.challengeId, signature, ...(binIin ? { binIin } : {}) });
    status('info', `${signedIn.person.fullName}, вы вошли в кабинет «${signedIn.client.name}»${signedIn.firstAdministrator ? ' как его первый администратор' : ''}.`);
    location.assign(returnTo());
  } catch (error) {
    if (error.code === 'CHOOSE_COMPANY') return chooseCompany(error.details.companies);
    throw error;
  }
}

function chooseCompany(companies) {
  const list = $('company-list');
  list.replaceChildren(
    ...companies.map((c, i) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'company';
      input.value = c.binIin;
      input.checked = i === 0;
      label.append(input, ` ${c.name} (БИН/ИИН ${c.binIin})`);
      return label;
    }),
  );
  $('companies').hidden = false;
  status('info', 'Выберите организацию и подпишите вход ещё раз.');
}

async function run(button, action) {
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    status('error', error.message);
  } finally {
    button.disabled = false;
  }
}

$('sign-in-eds').onclick = () => run($('sign-in-eds'), () => signInWithEds());
$('sign-in-company').onclick = () => run($('sign-in-company'), () => signInWithEds(document.querySelector('input[name="company"]:checked')?.value));
$('token-link').href = returnTo();
