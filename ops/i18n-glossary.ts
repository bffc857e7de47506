/** Writes docs/GLOSSARY.md from lib/i18n/glossary.ts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { glossaryMarkdown } from '../lib/i18n/glossary-doc';

writeFileSync(join(__dirname, '..', 'docs', 'GLOSSARY.md'), glossaryMarkdown());
