import { createHash } from 'node:crypto';
import { renderActPdf, renderVatInvoicePdf, type ActDocument, type ActLine } from '../lib/documents/act-pdf';
import { amountsForNet } from '../lib/money';
import { contractReference, OPERATOR } from '../lib/operator';

const PRICE = 268;
function line(name: string, quantity: number): ActLine {
  const { net, vat, total } = amountsForNet(quantity * PRICE, 1600);
  return { name, quantity, unit: 'шт.', priceTiyn: PRICE, netTiyn: net, vatRateBp: 1600, vatTiyn: vat, totalTiyn: total };
}
const lines = [line('Коды маркировки, обувь', 3)];
const act = (i: number): ActDocument => ({
  number: `АВР-2026-${String(i).padStart(6, '0')}`, issuedOn: '2026-11-01', periodFrom: '2026-10-01', periodTo: '2026-10-31',
  revision: 1, replaces: null, operator: OPERATOR,
  client: { name: `ТОО «Обувь ${i}»`, binIin: '180540012345', address: 'г. Алматы, ул. Абая, 10', iik: 'KZ12722S000012345678', bankName: 'АО «Kaspi Bank»', bik: 'CASPKZKA', kbe: '17' },
  contract: contractReference('2026-03-14'), lines, codes: 3, netTiyn: lines[0].netTiyn, vatTiyn: lines[0].vatTiyn, totalTiyn: lines[0].totalTiyn,
  signingDeadline: '2026-11-09T18:00:00+05:00',
});
async function main() {
  const n = Number(process.argv[2] ?? 200);
  const h = createHash('sha256');
  for (let i = 0; i < 5; i++) { await renderActPdf(act(i)); }
  const t0 = performance.now(); const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const a = act(i);
    h.update(await renderActPdf(a));
    h.update(await renderVatInvoicePdf({ number: `СФ-${i}`, issuedOn: '2026-11-01', turnoverDate: '2026-10-31', act: a }));
  }
  const ms = performance.now() - t0; const cpu = process.cpuUsage(c0);
  console.log(`${n} acts: ${(ms / n).toFixed(2)} ms/act wall, ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/act CPU; sha ${h.digest('hex').slice(0, 16)}`);
}
main();
