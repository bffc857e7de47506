import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
const font = fontkit.create(readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'))) as fontkit.Font;
const id = font.glyphForCodePoint(0x54).id;
console.log('T id', id, font.characterSet.filter((c) => font.glyphForCodePoint(c).id === id).map((c) => c.toString(16)));
const run = font.layout('«Т»');
console.log(run.glyphs.map((g) => [g.id, g.codePoints]));
const r2 = font.layout("T'");
console.log(r2.glyphs.map((g) => [g.id, g.codePoints]));
