import vm from 'node:vm';
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
