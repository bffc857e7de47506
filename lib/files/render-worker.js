'use strict';
/**
 * The piscina worker of lib/files/render-pool.ts: encodes (and draws) a batch of DataMatrix symbols.
 *
 * Plain CommonJS because Node loads a worker thread's file itself, outside whatever compiles
 * TypeScript in the parent: in production the parent runs under `node --import tsx` (workers
 * inherit that execArgv, so `.ts` already loads), under jest the parent's TypeScript comes from
 * @swc/jest, which a worker thread never sees. So this file registers tsx's CommonJS hook when
 * no `.ts` loader is present and then requires ./datamatrix.ts: the workers and the main thread
 * share one encoder and renderer.
 */
if (!require.extensions['.ts']) require('tsx/cjs/api').register();
const { dataMatrixPdfContent, dataMatrixPng, dataMatrixSvg } = require('./datamatrix.ts');

/**
 * One task: { kind: 'png', codes, scale } → Buffer[] (they arrive as Uint8Array); { kind: 'svg', codes } → string[];
 * { kind: 'pdf', boxes } → Buffer, one deflated content stream drawing all the boxes' symbols.
 */
module.exports = async function render({ kind, codes, scale, boxes }) {
  if (kind === 'pdf') return dataMatrixPdfContent(boxes);
  if (kind === 'png') return Promise.all(codes.map((code) => dataMatrixPng(code, { scale })));
  if (kind === 'svg') return codes.map((code) => dataMatrixSvg(code));
  throw new TypeError(`unknown render task kind: ${kind}`);
};
