import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseScript, tokenizer } from 'acorn';
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { CONSOLE_PAGES, consoleCatalogue, type ConsolePage } from '../../lib/i18n/console-messages';

// Every word a console or the cabinet shows comes from its catalogue in the page's language (api/consoles/i18n.js):
// the pages' HTML marks its texts with data-i18n (keeping the Russian for reading, which must be the catalogue's),
// their scripts ask msg('<page>.<key>') and hold no Russian of their own; and no message is left unused.

const CONSOLES = join(__dirname, '..', '..', 'api', 'consoles');
const CYRILLIC = /[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]/;
const ATTRIBUTES = ['placeholder', 'title', 'aria-label', 'alt', 'value'];
/** The shared scripts: their messages are the common catalogue's. */
const SHARED_SCRIPTS = ['console.js', 'i18n.js', 'format.js', 'ncalayer.js'];

/** The switch names each language in itself (i18n.js): not a Russian text to translate. */
const LANGUAGE_NAMES = ['Қазақша', 'Русский'];

const normal = (text: string) => text.replace(/\s+/g, ' ').trim();
const read = (file: string) => readFileSync(join(CONSOLES, file), 'utf8');
const ru = (page: ConsolePage) => ({ ...consoleCatalogue('ru', 'common'), ...consoleCatalogue('ru', page) });

interface Marked {
  key: string;
  text: string;
  where: string;
}

/** The texts a page's HTML marks (data-i18n, data-i18n-<attribute>), and the Russian it shows unmarked. */
function htmlTexts(html: string) {
  const marked: Marked[] = [];
  const unmarked: string[] = [];
  const attributeValues: string[] = [];
  const visit = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        if (CYRILLIC.test(node.data)) unmarked.push(normal(node.data));
        continue;
      }
      if (node.type !== 'tag') continue;
      const element = node as Element;
      for (const [name, value] of Object.entries(element.attribs)) {
        attributeValues.push(value);
        if (ATTRIBUTES.includes(name) && CYRILLIC.test(value)) {
          const key = element.attribs[`data-i18n-${name}`];
          if (key) marked.push({ key, text: normal(value), where: `${element.name}[${name}]` });
          else unmarked.push(`${element.name}[${name}="${value}"]`);
        }
      }
      const key = element.attribs['data-i18n'];
      if (key) {
        const children = element.children.filter((child) => child.type !== 'comment');
        if (children.some((child) => child.type !== 'text'))
          unmarked.push(`<${element.name} data-i18n="${key}"> holds elements: mark the texts inside it instead`);
        marked.push({
          key,
          text: normal(children.map((child) => (child as { data: string }).data).join('')),
          where: element.name,
        });
        continue;
      }
      if (element.name === 'style' || element.name === 'script') continue;
      visit(element.children);
    }
  };
  visit(parseDocument(html).children);
  return { marked, unmarked, attributeValues };
}

/** A script's string literals and template chunks, the Russian among them, and the keys it asks msg() for. */
function scriptTexts(js: string) {
  const strings: string[] = [];
  for (const token of tokenizer(js, { ecmaVersion: 'latest' })) {
    if (token.type.label === 'string' || token.type.label === 'template')
      strings.push(String((token as unknown as { value: unknown }).value));
  }
  const keys = [...js.matchAll(/\bmsg\(\s*'([^']+)'/g)].map((match) => match[1]);
  return { strings, russian: strings.filter((s) => CYRILLIC.test(s) && !LANGUAGE_NAMES.includes(s)), keys };
}

/** The names a classic script declares at its top level: every page script sharing the page shares them. */
function topLevelNames(js: string): string[] {
  const program = parseScript(js, { ecmaVersion: 'latest', sourceType: 'script' }) as unknown as {
    body: { type: string; id?: { name: string }; declarations?: { id: { type: string; name?: string } }[] }[];
  };
  return program.body.flatMap((node) =>
    node.type === 'VariableDeclaration'
      ? node.declarations!.flatMap((d) => (d.id.type === 'Identifier' ? [d.id.name!] : []))
      : node.id
        ? [node.id.name]
        : [],
  );
}

/** A key is asked for when a script or the HTML names it whole, or names a prefix of it ending in a dot. */
const named = (key: string, names: string[]) => names.some((n) => n === key || (n.endsWith('.') && key.startsWith(n)));

describe.each(CONSOLE_PAGES)('the %s page', (page) => {
  const html = read(`${page}.html`);
  const js = read(`${page}.js`);
  const messages = ru(page);

  test('loads the formatter, its catalogue and the language before its scripts', () => {
    const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
    expect(scripts.slice(0, 3)).toEqual([
      '/console/intl-messageformat.js',
      `/console/messages/${page}.js`,
      '/console/i18n.js',
    ]);
  });

  test('its HTML shows no Russian but through data-i18n, and that Russian is the catalogue’s', () => {
    const { marked, unmarked } = htmlTexts(html);
    expect(unmarked).toEqual([]);
    for (const { key, text, where } of marked) {
      expect({ key, where, known: key in messages }).toEqual({ key, where, known: true });
      expect({ key, where, text }).toEqual({ key, where, text: normal(messages[key]) });
      expect({
        key,
        placeholders: parse(messages[key], { ignoreTag: true }).some((e) => e.type !== TYPE.literal),
      }).toEqual({
        key,
        placeholders: false,
      });
    }
  });

  test('its script holds no Russian and asks only for messages its catalogue has', () => {
    const { russian, keys } = scriptTexts(js);
    expect(russian).toEqual([]);
    for (const key of keys) expect({ key, known: key in messages }).toEqual({ key, known: true });
  });

  test('its scripts declare no name twice (a page whose scripts collide does not run)', () => {
    const scripts = [...html.matchAll(/<script src="\/console\/([a-z-]+\.js)"><\/script>/g)]
      .map((m) => m[1])
      .filter(
        (file) => !file.startsWith('messages') && file !== 'intl-messageformat.js' && file !== 'ncalayer-client.js',
      );
    const names = scripts.flatMap((file) => topLevelNames(read(file)).map((name) => `${name} (${file})`));
    const bare = names.map((n) => n.split(' ')[0]);
    expect(names.filter((_, i) => bare.indexOf(bare[i]) !== i)).toEqual([]);
  });

  test('every message of its catalogue is asked for by the page', () => {
    const names = [...scriptTexts(js).strings, ...htmlTexts(html).attributeValues];
    const unused = Object.keys(consoleCatalogue('ru', page)).filter((key) => !named(key, names));
    expect(unused).toEqual([]);
  });
});

describe('the shared scripts', () => {
  const common = consoleCatalogue('ru', 'common');
  const scripts = SHARED_SCRIPTS.map((file) => ({ file, ...scriptTexts(read(file)) }));

  test('hold no Russian and ask only for common messages', () => {
    for (const { file, russian, keys } of scripts) {
      expect({ file, russian }).toEqual({ file, russian: [] });
      for (const key of keys) expect({ file, key, known: key in common }).toEqual({ file, key, known: true });
    }
  });

  test('every common message is asked for', () => {
    const names = [
      ...scripts.flatMap((s) => s.strings),
      ...CONSOLE_PAGES.flatMap((page) => [
        ...scriptTexts(read(`${page}.js`)).strings,
        ...htmlTexts(read(`${page}.html`)).attributeValues,
      ]),
    ];
    expect(Object.keys(common).filter((key) => !named(key, names))).toEqual([]);
  });
});
