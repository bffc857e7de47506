'use strict';
/*
 * The pages' language (served at /console/i18n.js, after FormatJS's IntlMessageFormat and the page's catalogue
 * /console/messages/<page>.js, which sets MESSAGES; before console.js): Kazakh or Russian.
 * - msg(key, values) formats a message of the catalogue (ICU: the language's plurals, numbers as it writes them);
 *   msgOr(prefix, value) names a value by its message when there is one; msgHtml(key, values, html) gives a message
 *   as HTML with elements in its placeholders; esc(text) escapes text for HTML; edsProblem(problem) names a refused
 *   signature's problem, which the API words in Russian only;
 * - an element with data-i18n="key" shows that message, data-i18n-placeholder/-title/-aria-label/-alt/-value put it
 *   in that attribute: the page's HTML keeps the Russian text for reading, the catalogue is what is shown;
 * - the header gets the switch (Қазақша · Русский). The choice is kept per user: on the server for a staff user and a
 *   person of the cabinet (PUT …/me/language), on this browser for an API token; before sign-in the browser's last
 *   choice, else the browser's own language, else Russian. A cabinet starts from its client's language.
 */

const LANGUAGE_NAMES = { kk: 'Қазақша', ru: 'Русский' };
const LOCALES = { kk: 'kk-KZ', ru: 'ru-RU' };
const LAST_LANGUAGE = 'ismet-language';
const isLanguage = (value) => Object.prototype.hasOwnProperty.call(LANGUAGE_NAMES, value);

/** The language before anyone signs in: this browser's last choice, else the first of its languages we speak. */
function browserLanguage() {
  const kept = localStorage.getItem(LAST_LANGUAGE);
  if (isLanguage(kept)) return kept;
  const spoken = (navigator.languages || [navigator.language]).map((l) => String(l).slice(0, 2).toLowerCase());
  return spoken.find(isLanguage) || 'ru';
}

/** The page's language now: 'kk' or 'ru'. */
let lang = browserLanguage();
/** Where the signed-in user's choice is kept: { save(language) } (see useLanguageOf); none before sign-in. */
let languageKeeper = null;

const compiled = new Map();
/** A message of the page's catalogue in its language, its placeholders filled; a missing key shows as itself. */
function msg(key, values) {
  const text = MESSAGES[lang][key];
  if (text === undefined) {
    console.error(`no message ${key} in the ${lang} catalogue`);
    return key;
  }
  const id = `${lang} ${key}`;
  let format = compiled.get(id);
  if (!format) compiled.set(id, (format = new IntlMessageFormat(text, LOCALES[lang], undefined, { ignoreTag: true })));
  return format.format(values);
}

/** Every server string and message goes into HTML through this (every page's scripts use it). */
const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The message `<prefix><value>` when the catalogue has one (a status, a kind…), else `otherwise`: the value as it is. */
const msgOr = (prefix, value, otherwise = value) =>
  Object.prototype.hasOwnProperty.call(MESSAGES[lang], `${prefix}${value}`) ? msg(`${prefix}${value}`) : otherwise;

/**
 * A message as HTML: its text escaped, each of the `html` values (HTML already: an element, say) put in its placeholder,
 * wherever the language places it.
 */
function msgHtml(key, values = {}, html = {}) {
  const names = Object.keys(html);
  const marks = Object.fromEntries(names.map((name, i) => [name, `\u0001${i}\u0001`]));
  return names.reduce((text, name, i) => text.split(`\u0001${i}\u0001`).join(html[name]), esc(msg(key, { ...values, ...marks })));
}

/**
 * A refused signature's problem (the API's `details.problems[]`) in the page's language: by its code when the API words
 * it as it usually does (its `messageRu` is the catalogue's Russian for it), else as the API gives it.
 */
function edsProblem(problem) {
  for (const key of [`common.eds.${problem.code}`, 'common.eds.noTrustedCa'])
    if (MESSAGES.ru[key] !== undefined && MESSAGES.ru[key] === problem.messageRu) return msg(key);
  return problem.messageRu || problem.message || '';
}

const TRANSLATED_ATTRIBUTES = ['placeholder', 'title', 'aria-label', 'alt', 'value'];
/** Every marked element under `root` in the page's language (also what a page renders later, when it calls this). */
function translate(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = msg(element.dataset.i18n);
  for (const attribute of TRANSLATED_ATTRIBUTES)
    for (const element of root.querySelectorAll(`[data-i18n-${attribute}]`))
      element.setAttribute(attribute, msg(element.getAttribute(`data-i18n-${attribute}`)));
  document.documentElement.lang = lang;
}

/**
 * Signed in: the user's own language (`kept`, from the server or this browser), else `preferred` (the client's for a
 * cabinet), becomes the page's — before the page draws its data; `save(language)` keeps a new choice for the user.
 */
function useLanguageOf(kept, preferred, save) {
  languageKeeper = { save };
  const chosen = isLanguage(kept) ? kept : isLanguage(preferred) ? preferred : lang;
  localStorage.setItem(LAST_LANGUAGE, chosen);
  if (chosen !== lang) {
    lang = chosen;
    translate();
    languageSwitch();
  }
}

/** The user chose a language: kept (for the user when signed in), and the page is drawn again in it. */
async function chooseLanguage(language) {
  if (!isLanguage(language)) return;
  localStorage.setItem(LAST_LANGUAGE, language);
  if (languageKeeper) await Promise.resolve(languageKeeper.save(language)).catch((error) => console.error(error));
  location.reload();
}

/** The switch in the page's header: a select of the two languages, each named in itself. */
function languageSwitch() {
  const header = document.querySelector('header');
  if (!header) return;
  let select = document.getElementById('language');
  if (!select) {
    select = document.createElement('select');
    select.id = 'language';
    for (const [code, name] of Object.entries(LANGUAGE_NAMES)) {
      const option = document.createElement('option');
      option.value = code;
      option.lang = code;
      option.textContent = name;
      select.append(option);
    }
    select.onchange = () => chooseLanguage(select.value);
    // A label around it (named by aria-label): every field of the pages has one.
    const label = document.createElement('label');
    label.className = 'language';
    label.append(select);
    header.append(label);
  }
  select.setAttribute('aria-label', msg('common.language'));
  select.value = lang;
}

translate();
languageSwitch();
