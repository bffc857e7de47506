/**
 * The files a client downloads its marking codes in (contract 3.2, 6.4): CSV, a ZIP of
 * DataMatrix images with a manifest, and PDF label sheets, all streamed; plus single symbols
 * and the worker pool that draws them; and every table people open in a spreadsheet as CSV
 * (RFC 4180, formula-guarded: table-csv.ts).
 */
export { codeText, codesCsv, type GsMode } from './csv';
export { csvField, csvRecords, formulaGuard, tableCsv, type Cell, type TableCsvOptions } from './table-csv';
export {
  dataMatrixModules,
  dataMatrixPdfContent,
  dataMatrixPng,
  dataMatrixSvg,
  type DataMatrixModules,
  type SymbolBox,
} from './datamatrix';
export { createRenderPool, type RenderPool } from './render-pool';
export { codesZip } from './zip';
export { DEFAULT_LABEL_LAYOUT, labelsPdf, type LabelLayout } from './labels-pdf';
