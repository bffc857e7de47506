import { PNG } from 'pngjs';
import { dataMatrixModules, modulesPng } from '../../lib/files/datamatrix';
import { bilevelPng } from '../../lib/files/png';

// pngjs, an independent reader, decodes to RGBA: 0 black, 255 white.
const decoded = (png: Buffer) => PNG.sync.read(png);
const isBlack = (image: PNG, x: number, y: number) => image.data[(y * image.width + x) * 4] === 0;

test('a 1-bit PNG reads back pixel for pixel, rows of any width (a partial last byte)', () => {
  const width = 11;
  const height = 3;
  const black = (x: number, y: number) => (x + y) % 3 === 0;
  const rowBytes = Math.ceil(width / 8) + 1;
  const rows = Buffer.alloc(rowBytes * height, 0xff);
  for (let y = 0; y < height; y++) {
    rows[y * rowBytes] = 0;
    for (let x = 0; x < width; x++) if (black(x, y)) rows[y * rowBytes + 1 + (x >> 3)] &= ~(0x80 >> (x & 7));
  }
  const image = decoded(bilevelPng(width, height, rows));
  expect([image.width, image.height]).toEqual([width, height]);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) expect(isBlack(image, x, y)).toBe(black(x, y));
  expect(() => bilevelPng(width, height, rows.subarray(1))).toThrow(RangeError);
});

test.each([1, 2, 3])('a symbol at scale %i: a white quiet zone, each module 2 × scale pixels square', (scale) => {
  const modules = dataMatrixModules(
    '0104630726321637213(VhN1qGejx<%\u001d91EE07\u001d92ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=AB',
  );
  const png = modulesPng(modules, scale);
  expect(png.subarray(24, 26)).toEqual(Buffer.from([1, 0])); // bit depth 1, greyscale
  const image = decoded(png);
  const px = 2 * scale;
  expect(image.width).toBe((modules.size + 2) * px);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [mx, my] = [Math.floor(x / px) - 1, Math.floor(y / px) - 1];
      const inside = mx >= 0 && my >= 0 && mx < modules.size && my < modules.size;
      expect(isBlack(image, x, y)).toBe(inside && modules.dark[my * modules.size + mx] === 1);
    }
  }
});
