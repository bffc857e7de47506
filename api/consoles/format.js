'use strict';
/*
 * Dates, times and money as the pages show them (served at /console/format.js, after /console/console.js, whose
 * `zone` it uses): «26.11.2026, 14:05», «26.11.2026», «1 234,56 ₸» — written the same in Kazakh and in Russian, as
 * the documents and e-mails write them (lib/i18n/format.ts).
 */

/** An instant as «26.11.2026, 14:05», Astana local time; none as «—». */
const when = (iso) => iso ? new Date(iso).toLocaleString('ru-RU', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }) : '—';
/** A local date 'YYYY-MM-DD' as «26.11.2026». */
const day = (date) => /^\d{4}-\d{2}-\d{2}$/.test(date || '') ? date.split('-').reverse().join('.') : (date || '—');
/** An instant's local date, «26.11.2026». */
const dayOf = (iso) => iso ? new Date(iso).toLocaleDateString('ru-RU', { timeZone: zone }) : '—';
const group = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
const count = (n) => group(String(n));

/** A deadline at the end of a day (kept as the next midnight) as «11.12.2026, 24:00»; any other instant as `when` shows it. */
function dueBy(iso) {
  const shown = when(iso);
  return iso && /\s00:00$/.test(shown) ? `${when(new Date(new Date(iso).getTime() - 60_000)).replace(/\s\d{2}:\d{2}$/, '')} 24:00` : shown;
}

/** Integer tiyn → «1 234,56 ₸» (signed: «+1 234,56 ₸»; without the unit: «1 234,56»), by integer division and remainder only. */
function money(tiyn, { signed = false, unit = true } = {}) {
  if (tiyn === null || tiyn === undefined) return '—';
  const n = Number(tiyn);
  const abs = Math.abs(n);
  const cents = abs % 100;
  const whole = (abs - cents) / 100;
  const sign = n < 0 ? '−' : signed && n > 0 ? '+' : '';
  return `${sign}${group(String(whole))},${String(cents).padStart(2, '0')}${unit ? '\u00a0₸' : ''}`;
}

/** Basis points → «16%», «12,5%». */
function percent(bp) {
  const frac = bp % 100;
  return `${(bp - frac) / 100}${frac ? ',' + String(frac).padStart(2, '0').replace(/0$/, '') : ''}%`;
}
