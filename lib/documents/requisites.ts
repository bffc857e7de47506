import type { OperatorDetails } from '../operator';

/** A client's requisites as the operator's documents print them (from the joining application, Прил. 1). */
export interface ClientRequisites {
  name: string;
  binIin: string;
  address: string;
  iik: string;
  bankName: string;
  bik: string;
  kbe: string;
}

type Rows = Array<[label: string, value: string]>;

/** The operator's requisites with its bank — and the beneficiary, for an act and an invoice for payment (not a VAT invoice). */
export const operatorRequisites = (operator: OperatorDetails, { beneficiary = true } = {}): Rows => [
  ['Наименование', operator.name],
  ['БИН', operator.binIin],
  ['Адрес', operator.legalAddress],
  ...(beneficiary
    ? ([
        ['Бенефициар', operator.beneficiary.name],
        ['БИН бенефициара', operator.beneficiary.binIin],
      ] satisfies Rows)
    : []),
  ['Банк', operator.bankName],
  ['ИИК', operator.iik],
  ['БИК', operator.bik],
  ['КБе', operator.kbe],
];

/** The client's requisites — with its КБе, for an act and an invoice for payment (not a VAT invoice). */
export const clientRequisites = (client: ClientRequisites, { kbe = true } = {}): Rows => [
  ['Наименование', client.name],
  ['БИН/ИИН', client.binIin],
  ['Адрес', client.address],
  ['ИИК', client.iik],
  ['Банк', client.bankName],
  ['БИК', client.bik],
  ...(kbe ? ([['КБе', client.kbe]] satisfies Rows) : []),
];
