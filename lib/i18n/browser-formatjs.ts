import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * FormatJS's IntlMessageFormat for the pages, as a classic script that defines the global `IntlMessageFormat`. The
 * package's browser bundle (intl-messageformat.iife.js) is an ES module despite its name: it ends in `export {…}`,
 * which a page's classic scripts cannot load; its code is otherwise self-contained, so it runs in a function scope
 * that hands out the one class the pages use.
 */
export function intlMessageFormatScript(): string {
  const file = path.join(path.dirname(require.resolve('intl-messageformat')), 'intl-messageformat.iife.js');
  const source = readFileSync(file, 'utf8');
  const exports = /^export \{[^}]*\bIntlMessageFormat\b[^}]*\};?[ \t]*$/m;
  if (!exports.test(source) || /^import\b/m.test(source))
    throw new Error(`${file} is not the self-contained bundle ending in export {…} that this wraps`);
  const body = source.replace(exports, '').replace(/^\/\/# sourceMappingURL=.*$/m, '');
  return `'use strict';\n(function () {\n${body}\nwindow.IntlMessageFormat = IntlMessageFormat;\n})();\n`;
}
