import { message } from './i18n/messages';
import type { Language } from './i18n/languages';

/**
 * The Operator's details as the contract gives them (section 11), printed on invoices, acts
 * and reconciliation acts, and the bank account payments to personal accounts arrive on
 * (6.2). The contract (2021) says «г. Нур-Султан»: the capital has been Астана again since
 * 17 September 2022 (Закон РК «О внесении изменения в Конституцию Республики Казахстан» от
 * 17.09.2022), so documents issued now give the address as it is today.
 */
export interface OperatorDetails {
  name: string;
  legalAddress: string;
  binIin: string;
  /** The branch that receives the payments. */
  beneficiary: { name: string; address: string; binIin: string };
  bankName: string;
  iik: string;
  bik: string;
  /** КНП: payment purpose code for these services. */
  knp: string;
  kbe: string;
}

export const OPERATOR: OperatorDetails = {
  name: 'АО «Казахтелеком»',
  legalAddress: '010000, г. Астана, район Есиль, ул. Сауран, дом 12',
  binIin: '941240000193',
  beneficiary: {
    name: 'Дирекция информационных систем — филиал АО «Казахтелеком»',
    address: '050004, г. Алматы, Алмалинский район, ул. Чайковского, дом 39',
    binIin: '060441003301',
  },
  bankName: 'АО «Народный Банк Казахстана»',
  iik: 'KZ456018861000033571',
  bik: 'HSBKKZKX',
  knp: '859',
  kbe: '16',
};

/**
 * The contract's one name and date, everywhere it is cited (documents, notices, the join application); the documents
 * catalogue's `contract.title` is the same in Russian, with its Kazakh (test/unit/bilingual-documents.test.ts).
 */
export const CONTRACT_TITLE =
  'Типовой договор предоставления доступа к услугам Единого оператора маркировки и прослеживаемости товаров от 23.07.2021';

/**
 * The contract as a client's documents cite it in a language: its name and date, and the client's date of joining
 * (10.5). From the documents catalogue (`contract.title`, `contract.joined`); its Russian title is CONTRACT_TITLE.
 */
export function contractReferenceIn(language: Language, joinedOn: string | null | undefined): string {
  const title = message(language, 'documents.contract.title');
  if (!joinedOn) return title;
  return message(language, 'documents.contract.joined', { title, date: joinedOn.split('-').reverse().join('.') });
}

/** The contract as a client's documents cite it, in Russian: «<CONTRACT_TITLE> (присоединение от 05.01.2027)». */
export const contractReference = (joinedOn: string | null | undefined): string => contractReferenceIn('ru', joinedOn);

/** The contract as a client's bilingual documents cite it, in Kazakh and in Russian (lib/documents/bilingual.ts). */
export const contractReferences = (joinedOn: string | null | undefined): { kk: string; ru: string } => ({
  kk: contractReferenceIn('kk', joinedOn),
  ru: contractReferenceIn('ru', joinedOn),
});
