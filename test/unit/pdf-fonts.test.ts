import { dejaVu } from '../../lib/documents/fonts';
import { createPdf, toBuffer } from '../../lib/documents/pdf';
import { extractPdf, squash } from '../helpers/pdf-text';

// The fonts are parsed once per process (lib/documents/fonts.ts); each document still reads back as it was written.
const pdfOf = async (text: string) => {
  const doc = createPdf({ title: text, author: 'АО «Казахтелеком»', createdAt: new Date('2026-11-01T00:00:00Z') });
  doc.text(text);
  return toBuffer(doc);
};

test('a Latin word after a Cyrillic one in another document reads back as Latin, and the other way round', async () => {
  const cyrillicFirst = await pdfOf('ТОО «Тест»');
  const latinAfter = await pdfOf('GTIN 04870001234567');
  expect(squash(extractPdf(cyrillicFirst).text)).toContain('ТОО «Тест»');
  expect(squash(extractPdf(latinAfter).text)).toContain('GTIN 04870001234567');
  expect(squash(extractPdf(await pdfOf('ТОО «Тест»')).text)).toContain('ТОО «Тест»');
});

test('the same document renders to the same bytes whatever was rendered before it in the process', async () => {
  const first = await pdfOf('Акт № АВР-2026-000001, GTIN');
  await pdfOf('Другой документ: ТТТ TTT ӘҒҚҢӨҰҮҺІ');
  expect((await pdfOf('Акт № АВР-2026-000001, GTIN')).equals(first)).toBe(true);
});

test('a face is parsed once: each document gets a view of the same tables with glyphs of its own', () => {
  const a = dejaVu('DejaVuSans.ttf');
  const b = dejaVu('DejaVuSans.ttf');
  expect(a).not.toBe(b);
  expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
  expect(a.getGlyph(55)).not.toBe(b.getGlyph(55));
});
