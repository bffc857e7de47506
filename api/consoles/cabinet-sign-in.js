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
  const response = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { ...FROM_PAGE, 'accept-language': lang }, body: JSON.stringify(body || {}) });
  const data = await response.json().catch(() => ({}));
  // The API's message is in the page's language; more precise are a refused signature's problems (edsProblem), or the
  // details' messageRu, which the API words in Russian only.
  const problems = data.details && Array.isArray(data.details.problems) ? data.details.problems : [];
  const precise = problems.length ? [...new Set(problems.map(edsProblem))].join(' ') : lang === 'ru' && data.details && data.details.messageRu;
  if (!response.ok) throw Object.assign(new Error(precise || data.message || response.statusText), { code: data.code, details: data.details });
  return data;
}

/** Signs a fresh challenge and sends it; a person of several companies is asked which (binIin). */
async function signInWithEds(binIin) {
  status('info', msg('cabinet-sign-in.status.sign'));
  const challenge = await post('/v1/cabinet/sign-in/challenge');
  const signature = await ncaLayerSign(challenge.documentBase64, { base64: true, purpose: 'auth' });
  status('info', msg('cabinet-sign-in.status.checking'));
  try {
    const signedIn = await post('/v1/cabinet/sign-in', { challengeId: challenge.challengeId, signature, ...(binIin ? { binIin } : {}) });
    const names = { name: signedIn.person.fullName, company: signedIn.client.name };
    status('info', msg(signedIn.firstAdministrator ? 'cabinet-sign-in.status.signedInFirstAdministrator' : 'cabinet-sign-in.status.signedIn', names));
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
      label.append(input, ` ${msg('cabinet-sign-in.company', { name: c.name, binIin: c.binIin })}`);
      return label;
    }),
  );
  $('companies').hidden = false;
  status('info', msg('cabinet-sign-in.status.chooseCompany'));
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
