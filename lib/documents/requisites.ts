import type { OperatorDetails } from '../operator';
import { inline } from './bilingual';

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

/** The requisites' labels: Russian (a document not bilingual yet), or «Kazakh / Russian» (REQUISITES_LABEL_WIDTH wide). */
export type Labels = 'ru' | 'kk+ru';

const RUSSIAN: Record<string, string> = {
  name: 'Наименование',
  bin: 'БИН',
  binIin: 'БИН/ИИН',
  address: 'Адрес',
  beneficiary: 'Бенефициар',
  beneficiaryBin: 'БИН бенефициара',
  bank: 'Банк',
  iik: 'ИИК',
  bik: 'БИК',
  kbe: 'КБе',
};
const labelOf = (key: string, labels: Labels) => (labels === 'ru' ? RUSSIAN[key] : inline(`requisites.${key}`));
/** The width of the labels' column for requisites labelled in both languages. */
export const REQUISITES_LABEL_WIDTH = 175;

/** The operator's requisites with its bank — and the beneficiary, for an act and an invoice for payment (not a VAT invoice). */
export const operatorRequisites = (
  operator: OperatorDetails,
  { beneficiary = true, labels = 'ru' as Labels } = {},
): Rows => {
  const l = (key: string) => labelOf(key, labels);
  return [
    [l('name'), operator.name],
    [l('bin'), operator.binIin],
    [l('address'), operator.legalAddress],
    ...(beneficiary
      ? ([
          [l('beneficiary'), operator.beneficiary.name],
          [l('beneficiaryBin'), operator.beneficiary.binIin],
        ] satisfies Rows)
      : []),
    [l('bank'), operator.bankName],
    [l('iik'), operator.iik],
    [l('bik'), operator.bik],
    [l('kbe'), operator.kbe],
  ];
};

/** The client's requisites — with its КБе, for an act and an invoice for payment (not a VAT invoice). */
export const clientRequisites = (client: ClientRequisites, { kbe = true, labels = 'ru' as Labels } = {}): Rows => {
  const l = (key: string) => labelOf(key, labels);
  return [
    [l('name'), client.name],
    [l('binIin'), client.binIin],
    [l('address'), client.address],
    [l('iik'), client.iik],
    [l('bank'), client.bankName],
    [l('bik'), client.bik],
    ...(kbe ? ([[l('kbe'), client.kbe]] satisfies Rows) : []),
  ];
};
