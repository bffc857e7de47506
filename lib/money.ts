import { convert as convertToWords } from 'number-to-words-ru';
/**
 * Money is integer tiyn (1 tenge = 100 tiyn); rates are basis points (16% = 1600).
 *
 * The one rounding rule (6.1): VAT is computed per document or per charge on its net amount
 * and rounded half-up to the tiyn. Where a reservation is charged in parts (download by
 * download), each part is the difference of the cumulative amounts, so the parts and the
 * release of the rest always add up to the reservation exactly.
 */

export interface Price {
  /** Price per code excluding VAT, tiyn (6.1: 2.68 KZT = 268). */
  pricePerCodeTiyn: number;
  /** VAT rate in force, basis points. */
  vatRateBp: number;
}

export interface Amounts {
  net: number;
  vat: number;
  total: number;
}

const BP = 10_000;

function assertTiyn(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number of tiyn, got ${value}`);
}

/** `numerator / denominator` rounded half-up, for non-negative integers, exactly (no float error). */
export function divideHalfUp(numerator: number, denominator: number): number {
  if (numerator < 0 || denominator <= 0)
    throw new RangeError('divideHalfUp takes a non-negative numerator and a positive denominator');
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  return Number((2n * n + d) / (2n * d));
}

/** VAT on a net amount, half-up to the tiyn. */
export function vatOn(netTiyn: number, vatRateBp: number): number {
  assertTiyn(netTiyn, 'net');
  assertTiyn(vatRateBp, 'VAT rate');
  return divideHalfUp(netTiyn * vatRateBp, BP);
}

/** Net, VAT and total for a net amount. */
export function amountsForNet(netTiyn: number, vatRateBp: number): Amounts {
  const vat = vatOn(netTiyn, vatRateBp);
  return { net: netTiyn, vat, total: netTiyn + vat };
}

/** The price of `codes` marking codes (6.1): net = codes × price, VAT on top. */
export function priceOfCodes(codes: number, price: Price): Amounts {
  if (!Number.isSafeInteger(codes) || codes < 0)
    throw new RangeError(`a number of codes must be a whole number ≥ 0, got ${codes}`);
  return amountsForNet(codes * price.pricePerCodeTiyn, price.vatRateBp);
}

/**
 * The most codes `availableTiyn` pays for, VAT included (priceOfCodes ≤ available): estimated from the exact price
 * per code, net × (1 + rate), then checked against priceOfCodes — a step or two, whatever the balance.
 */
export function codesAffordable(availableTiyn: number, price: Price): number {
  assertTiyn(availableTiyn, 'available');
  const perCodeTimesBp = BigInt(price.pricePerCodeTiyn) * BigInt(BP + price.vatRateBp);
  if (availableTiyn <= 0 || perCodeTimesBp === 0n) return 0;
  let codes = Number((BigInt(availableTiyn) * BigInt(BP)) / perCodeTimesBp);
  while (codes > 0 && priceOfCodes(codes, price).total > availableTiyn) codes--;
  while (priceOfCodes(codes + 1, price).total <= availableTiyn) codes++;
  return codes;
}

/**
 * An amount that includes VAT split into net and VAT («в том числе НДС»): VAT is the
 * amount's part rate/(1 + rate), half-up; the net is the rest.
 */
export function splitTotal(totalTiyn: number, vatRateBp: number): Amounts {
  assertTiyn(totalTiyn, 'total');
  const vat = divideHalfUp(totalTiyn * vatRateBp, BP + vatRateBp);
  return { net: totalTiyn - vat, vat, total: totalTiyn };
}

/**
 * The charge for codes delivered now out of a reservation priced at `price`: the cumulative
 * price of everything delivered so far minus what was charged before. Summed over any
 * sequence of deliveries it equals the price of all delivered codes, never more than the
 * reservation of all ordered codes.
 */
export function chargeForDelivery(price: Price, codesChargedBefore: number, codesNow: number): Amounts {
  const before = priceOfCodes(codesChargedBefore, price);
  const after = priceOfCodes(codesChargedBefore + codesNow, price);
  return { net: after.net - before.net, vat: after.vat - before.vat, total: after.total - before.total };
}

/** 1600 bp → '16%', 1250 bp → '12,5%'. */
export function formatRate(rateBp: number): string {
  if (!Number.isSafeInteger(rateBp) || rateBp < 0)
    throw new RangeError(`a rate must be whole basis points ≥ 0, got ${rateBp}`);
  const whole = Math.floor(rateBp / 100);
  const fraction = String(rateBp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole},${fraction}%` : `${whole}%`;
}

/** 123456 tiyn → "1 234,56" (the Russian-style grouping used in documents). */
export function formatTenge(tiyn: number): string {
  assertTiyn(tiyn, 'amount');
  const sign = tiyn < 0 ? '-' : '';
  const abs = Math.abs(tiyn);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}`;
}

/** 123456 tiyn → "1234.56", for CSV and machine-readable exports. */
export function tiynToDecimal(tiyn: number): string {
  assertTiyn(tiyn, 'amount');
  const sign = tiyn < 0 ? '-' : '';
  const abs = Math.abs(tiyn);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * "1 234,56" / "1234.56" / "1234" (tenge, as banks write them) → tiyn; exact, no float.
 * Returns undefined for anything else.
 */
export function parseTenge(text: string): number | undefined {
  const cleaned = text
    .trim()
    .replace(/[\s\u00a0]/g, '')
    .replace(',', '.');
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  const tiyn = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(tiyn) ? tiyn : undefined;
}

/**
 * An amount in words as Kazakhstan's payment documents write it, e.g. 3 225 380,05 tenge →
 * «Три миллиона двести двадцать пять тысяч триста восемьдесят тенге 05 тиын» (тенге and тиын
 * do not decline).
 */
export function amountInWords(tiyn: number): string {
  if (!Number.isSafeInteger(tiyn) || tiyn < 0) throw new Error(`not an amount in tiyn: ${tiyn}`);
  return convertToWords(`${Math.floor(tiyn / 100)}.${String(tiyn % 100).padStart(2, '0')}`, {
    currency: {
      currencyNameCases: ['тенге', 'тенге', 'тенге'],
      fractionalPartNameCases: ['тиын', 'тиын', 'тиын'],
      currencyNounGender: { integer: 0, fractionalPart: 0 },
    },
  });
}
