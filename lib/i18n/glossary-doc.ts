import { GLOSSARY } from './glossary';

/** docs/GLOSSARY.md as rendered from the glossary (ops/i18n-glossary.ts writes it; a unit test keeps it current). */
export function glossaryMarkdown(): string {
  const rows = GLOSSARY.map((t) => `| ${t.kk} | ${t.ru} | ${t.en} | ${t.meaning} |`);
  return [
    '# Glossary: the contract’s terms in Kazakh and Russian',
    '',
    'Rendered from `lib/i18n/glossary.ts` by `npx tsx ops/i18n-glossary.ts`; edit the glossary there. Every message',
    'catalogue (`lib/i18n/catalogues/`) is checked against it: a Russian message naming a term names it in Kazakh by',
    'the Kazakh term below, and never by another name (`test/unit/i18n-catalogues.test.ts`). Kazakh comes first, as',
    'in the documents (the law «О языках в Республике Казахстан», art. 21).',
    '',
    '| Қазақша | Русский | English name in code | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
