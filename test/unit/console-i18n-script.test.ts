import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { EDS_PROBLEM_MESSAGES_RU, NO_TRUSTED_CA_RU } from '../../lib/eds';
import { intlMessageFormatScript } from '../../lib/i18n/browser-formatjs';
import { CONSOLE_PAGES, consoleMessagesScript } from '../../lib/i18n/console-messages';

// What the pages load before their own scripts: FormatJS's formatter as a classic script, and each page's messages.

test('the formatter runs as a classic script and formats ICU messages with each language’s plurals', () => {
  const window: Record<string, unknown> = {};
  vm.runInNewContext(intlMessageFormatScript(), { window, Intl });
  const IntlMessageFormat = window.IntlMessageFormat as new (
    message: string,
    locale: string,
  ) => { format(values: object): string };
  const ru = new IntlMessageFormat('{n, plural, one {# код} few {# кода} many {# кодов} other {# кода}}', 'ru-RU');
  expect([1, 3, 5, 1000].map((n) => ru.format({ n }).replace(/\s/g, ' '))).toEqual([
    '1 код',
    '3 кода',
    '5 кодов',
    '1 000 кодов',
  ]);
  expect(new IntlMessageFormat('{n, plural, other {# таңбалау коды}}', 'kk-KZ').format({ n: 600 })).toBe(
    '600 таңбалау коды',
  );
});

test.each(CONSOLE_PAGES)('the %s page’s messages script gives both languages, its own and the common ones', (page) => {
  const context: { MESSAGES?: Record<string, Record<string, string>> } = {};
  vm.runInNewContext(`${consoleMessagesScript(page)}\nthis.MESSAGES = MESSAGES;`, context);
  expect(Object.keys(context.MESSAGES!)).toEqual(['kk', 'ru']);
  for (const language of ['kk', 'ru']) {
    const keys = Object.keys(context.MESSAGES![language]);
    expect(keys).toContain('common.signIn.button');
    expect(keys.every((key) => key.startsWith('common.') || key.startsWith(`${page}.`))).toBe(true);
  }
});

/** The page's language script run as a page with `stored` as the browser's last choice: its globals. */
function pageScripts(page: (typeof CONSOLE_PAGES)[number], stored: string | null) {
  const storage = new Map<string, string>(stored ? [['ismet-language', stored]] : []);
  const context: Record<string, unknown> = {
    window: {},
    Intl,
    console,
    navigator: { languages: ['en-US'] },
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => storage.set(k, v),
    },
    document: {
      querySelectorAll: () => [],
      querySelector: () => null,
      getElementById: () => null,
      documentElement: {},
    },
  };
  vm.createContext(context);
  vm.runInContext(intlMessageFormatScript(), context);
  context.IntlMessageFormat = (context.window as Record<string, unknown>).IntlMessageFormat;
  vm.runInContext(consoleMessagesScript(page), context);
  vm.runInContext(readFileSync(join(__dirname, '../../api/consoles/i18n.js'), 'utf8'), context);
  return vm.runInContext('({ lang, msg, msgOr, edsProblem })', context) as {
    lang: string;
    msg(key: string, values?: object): string;
    msgOr(prefix: string, value: string): string;
    edsProblem(problem: { code: string; messageRu?: string; message?: string }): string;
  };
}

test('a refused signature’s problems, worded by the API in Russian, read in the page’s language', () => {
  const [kk, ru] = [pageScripts('cabinet', 'kk'), pageScripts('cabinet', 'ru')];
  expect([kk.lang, ru.lang]).toEqual(['kk', 'ru']);
  const expired = { code: 'CERTIFICATE_EXPIRED', messageRu: EDS_PROBLEM_MESSAGES_RU.CERTIFICATE_EXPIRED };
  expect(ru.edsProblem(expired)).toBe(EDS_PROBLEM_MESSAGES_RU.CERTIFICATE_EXPIRED);
  expect(kk.edsProblem(expired)).toMatch(/^Құжат алынған сәтте ЭЦҚ сертификатының/);
  // The chain's problem when the operator has no trusted CA yet has its own words.
  expect(kk.edsProblem({ code: 'UNTRUSTED_CHAIN', messageRu: NO_TRUSTED_CA_RU })).toMatch(/^Оператор ҚР Ұлттық/);
  // Words the API gives for the case (not the usual ones) stay as given.
  expect(kk.edsProblem({ code: 'SIGNATURE_INVALID', messageRu: 'Особый случай.' })).toBe('Особый случай.');
  expect(kk.msgOr('common.personRole.', 'admin')).toBe('әкімші');
  expect(kk.msgOr('common.personRole.', 'auditor')).toBe('auditor');
});
