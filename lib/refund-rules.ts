/**
 * What a refund of unused money returns, by the clause it is paid under:
 * - 6.11 (on the client's request): the whole unused advance — no deduction;
 * - 3.7 (a year without services): the advance «за вычетом фактических расходов Оператора на
 *   соответствующие банковские услуги» — the only clause that allows a deduction;
 * - 4.1.2 (the client ended the contract for the operator's substantial breach, 10.4.2): the
 *   unused advance «и соответствующих расходов по оплате банковских комиссий Клиентом» — the
 *   client's own bank fees, as the client documents them, paid on top;
 * - 10.4 (any other end of the contract): the whole unused advance.
 */

export type RefundClause = '6.11' | '3.7' | '4.1.2' | '10.4';
export type RefundKind = 'request' | 'one_year' | 'termination';

export function refundClause(kind: RefundKind, termination?: { basis: string; initiator: string }): RefundClause {
  if (kind === 'request') return '6.11';
  if (kind === 'one_year') return '3.7';
  return termination?.basis === '10.4.2' && termination.initiator === 'client' ? '4.1.2' : '10.4';
}

export interface RefundPayment {
  /** Leaves the personal account. */
  refundTiyn: number;
  /** The operator's actual bank cost kept from it (3.7 only). */
  operatorBankCostTiyn: number;
  /** The client's documented bank fees paid on top by the operator (4.1.2 only). */
  clientBankFeesTiyn: number;
  /** Transferred to the client's bank account. */
  transferTiyn: number;
}

export class RefundRuleError extends Error {
  constructor(
    readonly code:
      | 'NOTHING_TO_REFUND'
      | 'BANK_FEE_NOT_ALLOWED'
      | 'BAD_BANK_FEE'
      | 'CLIENT_FEES_NOT_ALLOWED'
      | 'CLIENT_FEES_UNDOCUMENTED',
    message: string,
  ) {
    super(message);
    this.name = 'RefundRuleError';
  }
}

const wholeTiyn = (n: number) => Number.isSafeInteger(n) && n >= 0;

export function refundPayment(
  clause: RefundClause,
  p: {
    availableTiyn: number;
    requestedTiyn?: number | null;
    operatorBankCostTiyn?: number;
    clientBankFeesTiyn?: number;
    clientBankFeesDocument?: string;
  },
): RefundPayment {
  const refundTiyn = Math.min(p.requestedTiyn ?? p.availableTiyn, p.availableTiyn);
  if (refundTiyn <= 0) throw new RefundRuleError('NOTHING_TO_REFUND', 'there is no unused money to return');
  const cost = p.operatorBankCostTiyn ?? 0;
  const fees = p.clientBankFeesTiyn ?? 0;
  if (!wholeTiyn(cost) || !wholeTiyn(fees))
    throw new RefundRuleError('BAD_BANK_FEE', 'bank fees are whole numbers of tiyn ≥ 0');
  if (cost > 0 && clause !== '3.7') {
    throw new RefundRuleError(
      'BANK_FEE_NOT_ALLOWED',
      `a refund under ${clause} returns the whole unused advance: only 3.7 allows deducting the operator's bank costs`,
    );
  }
  if (cost > refundTiyn) throw new RefundRuleError('BAD_BANK_FEE', `the bank cost must be 0..${refundTiyn} tiyn`);
  if (fees > 0 && clause !== '4.1.2') {
    throw new RefundRuleError(
      'CLIENT_FEES_NOT_ALLOWED',
      `the client's bank fees are reimbursed only when the client ended the contract for the operator's breach (4.1.2); this refund is under ${clause}`,
    );
  }
  if (fees > 0 && !p.clientBankFeesDocument?.trim())
    throw new RefundRuleError(
      'CLIENT_FEES_UNDOCUMENTED',
      "the client's bank fees are reimbursed as documented: name the client's document",
    );
  return { refundTiyn, operatorBankCostTiyn: cost, clientBankFeesTiyn: fees, transferTiyn: refundTiyn - cost + fees };
}
