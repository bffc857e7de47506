/**
 * An amount in Kazakh words, as an invoice writes it: «Үш миллион екі жүз жиырма бес мың үш жүз сексен теңге 05 тиын».
 * Kazakh numerals do not decline or change with gender: a number is its groups of three digits, each «[N жүз] [tens]
 * [ones]» and its scale (мың, миллион, миллиард, триллион), «бір» written before «жүз» and «мың» as payment documents
 * write it. No maintained library spells Kazakh numbers (number-to-words-ru, n2words and to-words have no Kazakh).
 */
const ONES = ['', 'бір', 'екі', 'үш', 'төрт', 'бес', 'алты', 'жеті', 'сегіз', 'тоғыз'];
const TENS = ['', 'он', 'жиырма', 'отыз', 'қырық', 'елу', 'алпыс', 'жетпіс', 'сексен', 'тоқсан'];
const SCALES = ['', 'мың', 'миллион', 'миллиард', 'триллион', 'квадриллион'];

/** 0–999 in words; '' for 0. */
function group(n: number): string[] {
  const [hundreds, tens, ones] = [Math.floor(n / 100), Math.floor(n / 10) % 10, n % 10];
  return [hundreds ? `${ONES[hundreds]} жүз` : '', TENS[tens], ONES[ones]].filter(Boolean);
}

/** A whole number ≥ 0 in Kazakh words: 2026 → «екі мың жиырма алты». */
export function kazakhNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole number ≥ 0: ${n}`);
  if (n === 0) return 'нөл';
  const words: string[] = [];
  for (let rest = n, scale = 0; rest > 0; rest = Math.floor(rest / 1000), scale++) {
    const part = group(rest % 1000);
    if (part.length) words.unshift(...part, ...(SCALES[scale] ? [SCALES[scale]] : []));
  }
  return words.join(' ');
}

/** Tiyn as «… теңге NN тиын», the first letter capital. */
export function kazakhAmountInWords(tiyn: number): string {
  if (!Number.isSafeInteger(tiyn) || tiyn < 0) throw new RangeError(`not an amount in tiyn: ${tiyn}`);
  const words = `${kazakhNumber(Math.floor(tiyn / 100))} теңге ${String(tiyn % 100).padStart(2, '0')} тиын`;
  return words[0].toUpperCase() + words.slice(1);
}
