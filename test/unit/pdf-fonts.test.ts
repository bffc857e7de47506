import fc from 'fast-check';
import { dejaVu, rememberingLayout } from '../../lib/documents/fonts';
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

describe('rememberingLayout', () => {
  const shapedRun = (file: string, text: string) => {
    const run = dejaVu(file).layout(text);
    return { ids: run.glyphs.map((glyph) => glyph.id), positions: run.positions.map((p) => ({ ...p })) };
  };
  const remembered = (font: ReturnType<typeof dejaVu>, text: string) => {
    const run = font.layout(text);
    return { ids: run.glyphs.map((glyph) => glyph.id), positions: run.positions.map((p) => ({ ...p })) };
  };

  test('printable ASCII in DejaVu Sans Mono, composed character by character, is exactly what fontkit shapes', () => {
    const mono = rememberingLayout(dejaVu('DejaVuSansMono.ttf'), { monospaced: true });
    const printable = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
    const texts = [
      printable,
      '(01)04630726321637(21)3(VhN1qGejx<%',
      'ffi fl -> <= != == www ...',
      ...fc.sample(fc.string({ unit: fc.constantFrom(...printable), minLength: 1, maxLength: 60 }), {
        numRuns: 300,
        seed: 7,
      }),
    ];
    for (const text of texts) expect(remembered(mono, text)).toEqual(shapedRun('DejaVuSansMono.ttf', text));
    // Beyond ASCII it shapes as fontkit does.
    expect(remembered(mono, 'Кроссовки ӘҒҚ')).toEqual(shapedRun('DejaVuSansMono.ttf', 'Кроссовки ӘҒҚ'));
  });

  test('a word laid out again is the same run, with positions of its own (pdfkit scales them in place)', () => {
    const sans = rememberingLayout(dejaVu('DejaVuSans.ttf'));
    const first = sans.layout('Кроссовки');
    expect(first.advanceWidth).toBe(dejaVu('DejaVuSans.ttf').layout('Кроссовки').advanceWidth);
    for (const position of first.positions) position.xAdvance *= 1000;
    const again = sans.layout('Кроссовки');
    expect({ ids: again.glyphs.map((g) => g.id), positions: again.positions.map((p) => ({ ...p })) }).toEqual(
      shapedRun('DejaVuSans.ttf', 'Кроссовки'),
    );
    expect(again.advanceWidth).toBe(dejaVu('DejaVuSans.ttf').layout('Кроссовки').advanceWidth);
  });
});
