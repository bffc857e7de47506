import { refundClause, refundPayment, RefundRuleError } from '../../lib/refund-rules';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as RefundRuleError).code;
  }
  return 'no error';
};

describe('the clause a refund is paid under', () => {
  test('6.11 on request, 3.7 a year unused, 4.1.2 the client ending the contract for the operator’s breach (10.4.2), 10.4 otherwise', () => {
    expect(refundClause('request')).toBe('6.11');
    expect(refundClause('one_year')).toBe('3.7');
    expect(refundClause('termination', { basis: '10.4.2', initiator: 'client' })).toBe('4.1.2');
    expect(refundClause('termination', { basis: '10.4.2', initiator: 'operator' })).toBe('10.4');
    expect(refundClause('termination', { basis: '4.1.1', initiator: 'client' })).toBe('10.4');
    expect(refundClause('termination', { basis: '4.3.1b', initiator: 'operator' })).toBe('10.4');
  });
});

describe('what each clause returns', () => {
  test('6.11 and 10.4: the whole unused advance, nothing deducted or added', () => {
    for (const clause of ['6.11', '10.4'] as const) {
      expect(refundPayment(clause, { availableTiyn: 1_000_00 })).toEqual({
        refundTiyn: 1_000_00,
        operatorBankCostTiyn: 0,
        clientBankFeesTiyn: 0,
        transferTiyn: 1_000_00,
      });
      expect(code(() => refundPayment(clause, { availableTiyn: 1_000_00, operatorBankCostTiyn: 1 }))).toBe(
        'BANK_FEE_NOT_ALLOWED',
      );
      expect(
        code(() =>
          refundPayment(clause, { availableTiyn: 1_000_00, clientBankFeesTiyn: 1, clientBankFeesDocument: 'x' }),
        ),
      ).toBe('CLIENT_FEES_NOT_ALLOWED');
    }
    expect(refundPayment('6.11', { availableTiyn: 1_000_00, requestedTiyn: 250_00 }).refundTiyn).toBe(250_00);
  });

  test('3.7: less the operator’s actual bank cost, at most the refund', () => {
    expect(refundPayment('3.7', { availableTiyn: 1_000_00, operatorBankCostTiyn: 150_00 })).toEqual({
      refundTiyn: 1_000_00,
      operatorBankCostTiyn: 150_00,
      clientBankFeesTiyn: 0,
      transferTiyn: 850_00,
    });
    expect(code(() => refundPayment('3.7', { availableTiyn: 1_00, operatorBankCostTiyn: 1_01 }))).toBe('BAD_BANK_FEE');
    expect(code(() => refundPayment('3.7', { availableTiyn: 1_00, operatorBankCostTiyn: 0.5 }))).toBe('BAD_BANK_FEE');
  });

  test('4.1.2: the unused advance and the client’s documented bank fees on top', () => {
    expect(
      refundPayment('4.1.2', {
        availableTiyn: 700_00,
        clientBankFeesTiyn: 25_00,
        clientBankFeesDocument: 'выписка № 17',
      }),
    ).toEqual({ refundTiyn: 700_00, operatorBankCostTiyn: 0, clientBankFeesTiyn: 25_00, transferTiyn: 725_00 });
    expect(code(() => refundPayment('4.1.2', { availableTiyn: 700_00, clientBankFeesTiyn: 25_00 }))).toBe(
      'CLIENT_FEES_UNDOCUMENTED',
    );
    expect(code(() => refundPayment('4.1.2', { availableTiyn: 700_00, operatorBankCostTiyn: 1 }))).toBe(
      'BANK_FEE_NOT_ALLOWED',
    );
  });

  test('nothing unused: nothing to refund', () => {
    expect(code(() => refundPayment('6.11', { availableTiyn: 0 }))).toBe('NOTHING_TO_REFUND');
  });
});
