/**
 * The expected first day of Kurban ait (Eid al-Adha): 10 Dhu al-Hijjah, the 12th month of the
 * Hijri year, in the Umm al-Qura calendar (Saudi Arabia's astronomical calendar), which the
 * JavaScript engine's ICU carries (`Intl.DateTimeFormat('en-u-ca-islamic-umalqura')`).
 *
 * Only an estimate: the Ministry of Labour sets the date for the production calendar on the
 * proposal of the Spiritual Administration of Muslims of Kazakhstan (ДУМК), which may differ
 * by a day with the moon sighting (2024: announced 17 June, then 16 June). In 2024-2027 the
 * Umm al-Qura date is the one ДУМК announced (16.06.2024, 06.06.2025, 27.05.2026, 16.05.2027).
 *
 * Pure: no Node built-ins, safe in workflow code.
 */

const UMM_AL_QURA = 'en-u-ca-islamic-umalqura';
const DAY_MS = 86_400_000;
const DHU_AL_HIJJAH = 12;
const SACRIFICE_DAY = 10;

export interface KurbanAitDate {
  /** Gregorian date, YYYY-MM-DD. */
  date: string;
  /** The Hijri year (AH) whose 10 Dhu al-Hijjah it is. */
  hijriYear: number;
}

let formatter: Intl.DateTimeFormat | undefined;
const found = new Map<number, readonly KurbanAitDate[]>();

function ummAlQura(): Intl.DateTimeFormat {
  if (!formatter) {
    const candidate = new Intl.DateTimeFormat(UMM_AL_QURA, {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    if (candidate.resolvedOptions().calendar !== 'islamic-umalqura') {
      throw new Error(
        'This JavaScript engine has no Umm al-Qura calendar (ICU with full data is needed, as in the official Node.js builds)',
      );
    }
    formatter = candidate;
  }
  return formatter;
}

/**
 * Every 10 Dhu al-Hijjah (Umm al-Qura) in a Gregorian year: one, or two in the years the Hijri
 * year (354-355 days) fits twice, e.g. 10 January and 31 December 2006.
 */
export function kurbanAitDates(year: number): readonly KurbanAitDate[] {
  const known = found.get(year);
  if (known) return known;
  const format = ummAlQura();
  const dates: KurbanAitDate[] = [];
  // Noon UTC of each day of the year: the Gregorian date and its Hijri date, whole days.
  for (let t = Date.UTC(year, 0, 1, 12); new Date(t).getUTCFullYear() === year; t += DAY_MS) {
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(t))) parts[part.type] = part.value;
    if (Number(parts.month) === DHU_AL_HIJJAH && Number(parts.day) === SACRIFICE_DAY) {
      dates.push({ date: new Date(t).toISOString().slice(0, 10), hijriYear: Number(parts.year) });
    }
  }
  found.set(year, dates);
  return dates;
}
