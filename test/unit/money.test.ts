import fc from 'fast-check';
import {
  amountInWords,
  chargeForDelivery,
  codesAffordable,
  divideHalfUp,
  formatTenge,
  parseTenge,
  priceOfCodes,
  splitTotal,
  tiynToDecimal,
  vatOn,
} from '../../lib/money';

const CONTRACT_2026 = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
const CONTRACT_2025 = { pricePerCodeTiyn: 268, vatRateBp: 1200 };

describe('VAT on the net, half-up to the tiyn (6.1)', () => {
  test.each([
    // net, rate, VAT
    [268, 1600, 43], // 42.88
    [1340, 1600, 214], // 214.40
    [268, 1200, 32], // 32.16
    [50, 100, 1], // 0.50 → up
    [49, 100, 0], // 0.49 → down
    [150, 100, 2], // 1.50 → up
    [0, 1600, 0],
    [26_800_000_000, 1600, 4_288_000_000],
  ])('net %i at %i bp → VAT %i', (net, rate, vat) => {
    expect(vatOn(net, rate)).toBe(vat);
  });

  test('the price of codes: net = codes × 268, VAT on the whole net, not per code', () => {
    expect(priceOfCodes(1, CONTRACT_2026)).toEqual({ net: 268, vat: 43, total: 311 });
    // 5 × 43 would be 215; on the net of 1340 it is 214.40 → 214.
    expect(priceOfCodes(5, CONTRACT_2026)).toEqual({ net: 1340, vat: 214, total: 1554 });
    expect(priceOfCodes(1000, CONTRACT_2025)).toEqual({ net: 268_000, vat: 32_160, total: 300_160 });
    expect(() => priceOfCodes(1.5, CONTRACT_2026)).toThrow(RangeError);
    expect(() => priceOfCodes(-1, CONTRACT_2026)).toThrow(RangeError);
  });

  test('an amount including VAT is split so that net + VAT is the amount', () => {
    expect(splitTotal(116_000, 1600)).toEqual({ net: 100_000, vat: 16_000, total: 116_000 });
    expect(splitTotal(100, 1600)).toEqual({ net: 86, vat: 14, total: 100 }); // 13.79 → 14
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 3000 }), (total, rate) => {
        const split = splitTotal(total, rate);
        return split.net + split.vat === total && split.vat >= 0 && split.net >= 0;
      }),
    );
  });

  test('half-up division is exact for large amounts (no floating point)', () => {
    expect(divideHalfUp(2 ** 52 + 1, 2)).toBe(2 ** 51 + 1);
    expect(divideHalfUp(7, 2)).toBe(4);
    expect(divideHalfUp(5, 2)).toBe(3);
  });
});

describe('charging a reservation in parts', () => {
  test('partial charges plus the release of the rest always sum exactly to the reservation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 150_000 }),
        fc.array(fc.integer({ min: 1, max: 150_000 }), { maxLength: 30 }),
        (price, rate, ordered, deliveries) => {
          const tariff = { pricePerCodeTiyn: price, vatRateBp: rate };
          const reservation = priceOfCodes(ordered, tariff).total;
          let delivered = 0;
          let charged = 0;
          let net = 0;
          let vat = 0;
          for (const wanted of deliveries) {
            const codes = Math.min(wanted, ordered - delivered);
            if (codes === 0) break;
            const charge = chargeForDelivery(tariff, delivered, codes);
            if (charge.total < 0 || charge.net < 0 || charge.vat < 0 || charge.net + charge.vat !== charge.total)
              return false;
            delivered += codes;
            charged += charge.total;
            net += charge.net;
            vat += charge.vat;
          }
          const released = reservation - charged;
          // What was charged is exactly the price of what was delivered, and never more than reserved.
          const expected = priceOfCodes(delivered, tariff);
          return released >= 0 && charged + released === reservation && net === expected.net && vat === expected.vat;
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('delivering everything in single codes charges the same as one delivery', () => {
    let total = 0;
    for (let i = 0; i < 5; i++) total += chargeForDelivery(CONTRACT_2026, i, 1).total;
    expect(total).toBe(priceOfCodes(5, CONTRACT_2026).total);
  });
});

describe('formats', () => {
  test('tenge for documents and for CSV', () => {
    expect(formatTenge(123_456_789)).toBe('1\u00a0234\u00a0567,89');
    expect(formatTenge(5)).toBe('0,05');
    expect(formatTenge(-1554)).toBe('-15,54');
    expect(tiynToDecimal(123_456)).toBe('1234.56');
    expect(tiynToDecimal(-7)).toBe('-0.07');
  });

  test('amounts as banks write them parse exactly', () => {
    expect(parseTenge('1234.56')).toBe(123_456);
    expect(parseTenge('1 234,5')).toBe(123_450);
    expect(parseTenge('150000')).toBe(15_000_000);
    expect(parseTenge('0.1')).toBe(10);
    expect(parseTenge('12.345')).toBeUndefined();
    expect(parseTenge('-5')).toBeUndefined();
    expect(parseTenge('abc')).toBeUndefined();
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 13 }), (tiyn) => parseTenge(tiynToDecimal(tiyn)) === tiyn));
  });
});

describe('amounts in words (payment documents)', () => {
  test('tenge and tiyn, indeclinable; thousands feminine, millions masculine', () => {
    expect(amountInWords(322_538_005)).toBe('Три миллиона двести двадцать пять тысяч триста восемьдесят тенге 05 тиын');
    expect(amountInWords(200_100)).toBe('Две тысячи один тенге 00 тиын');
    expect(amountInWords(99)).toBe('Ноль тенге 99 тиын');
    expect(() => amountInWords(-1)).toThrow();
  });
});

describe('codes a balance pays for', () => {
  test('the most codes whose price with VAT is within the balance, whatever the balance and the rates', () => {
    const price = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
    expect(codesAffordable(0, price)).toBe(0);
    expect(codesAffordable(310, price)).toBe(0);
    expect(codesAffordable(311, price)).toBe(1);
    // 1,000,000 tenge: VAT rounded on the whole net buys 124 codes more than 311 tiyn a code would.
    expect(codesAffordable(100_000_000, price)).toBe(321_667);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 ** 13 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        (available, pricePerCodeTiyn, vatRateBp) => {
          const p = { pricePerCodeTiyn, vatRateBp };
          const codes = codesAffordable(available, p);
          return priceOfCodes(codes, p).total <= available && priceOfCodes(codes + 1, p).total > available;
        },
      ),
    );
  });
});
