import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Text extraction turns no-break spaces, tabs and line wraps into assorted whitespace. */
export const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

/**
 * pdf-parse (pdf.js) loads its worker with a dynamic import(), which jest's CommonJS VM
 * refuses without --experimental-vm-modules ("A dynamic import callback was invoked without
 * --experimental-vm-modules"), so the text is extracted by a plain Node process instead.
 */
const EXTRACT = `
import { PDFParse } from 'pdf-parse';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: Buffer.concat(chunks) });
try {
  const { text, total } = await parser.getText();
  const { info } = await parser.getInfo();
  process.stdout.write(JSON.stringify({ text, total, info }));
} finally {
  await parser.destroy();
}
`;

export interface ExtractedPdf {
  /** The text of every page, whitespace squashed to single spaces. */
  text: string;
  pages: number;
  info: Record<string, unknown>;
}

/** A PDF's text and metadata, read by an independent parser (pdf.js through pdf-parse). */
export function extractPdf(pdf: Buffer): ExtractedPdf {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', EXTRACT], {
    input: pdf,
    cwd: path.resolve(__dirname, '../..'),
    maxBuffer: 64 * 1024 * 1024,
  });
  const { text, total, info } = JSON.parse(output.toString('utf8')) as {
    text: string;
    total: number;
    info: Record<string, unknown>;
  };
  return { text: squash(text), pages: total, info };
}
