import type { Language } from '../i18n/languages';
import canonicalize from 'canonicalize';
import { CONTRACT_TITLE } from '../operator';
import { isValidBik, isValidBinIin, isValidIik, isValidKbe, normalisePhone } from '../kz-identifiers';

/** The fields of the join application form (Прил. 1) and the consent of 10.7. */
export interface JoinForm {
  /** Full name of the legal entity or individual entrepreneur. */
  companyName: string;
  /** Who signs: full name and position, and the basis of authority (charter, power of attorney...). */
  signerName: string;
  signerPosition: string;
  authorityBasis: string;
  binIin: string;
  legalAddress: string;
  actualAddress: string;
  /** ИИК: the bank account, a Kazakhstan IBAN. */
  iik: string;
  bankName: string;
  kbe: string;
  bik: string;
  phone: string;
  email: string;
  /** 10.7.1: consent to the collection and processing of personal data; required. */
  personalDataConsent: boolean;
  /** The language the client reads first (issue #21); Russian when not given. */
  language?: Language;
}

/** The client details kept from the form (and changed later under 10.2.2). */
export const DETAIL_FIELDS = [
  'companyName',
  'signerName',
  'signerPosition',
  'authorityBasis',
  'legalAddress',
  'actualAddress',
  'iik',
  'bankName',
  'kbe',
  'bik',
  'phone',
  'email',
] as const;
export type ClientDetails = Pick<JoinForm, (typeof DETAIL_FIELDS)[number]>;

export interface FieldProblem {
  path: string;
  message: string;
}

/** Checks the values a schema cannot: check digits, the bank's codes, phone, consent. */
export function checkJoinForm(form: JoinForm): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: keyof JoinForm, message: string) => problems.push({ path: `/form/${field}`, message });
  if (!isValidBinIin(form.binIin)) problem('binIin', 'BIN/IIN must be 12 digits with a valid check digit');
  problems.push(...checkDetails(form).map((p) => ({ ...p, path: `/form${p.path}` })));
  if (form.personalDataConsent !== true)
    problem('personalDataConsent', 'consent to personal-data processing is required to join (10.7)');
  return problems;
}

/** Checks changed details; paths are relative (`/iik`). */
export function checkDetails(details: Partial<ClientDetails>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (details.iik !== undefined && !isValidIik(details.iik)) {
    problems.push({
      path: '/iik',
      message: 'IIK must be a Kazakhstan IBAN: KZ, 2 check digits, 16 characters, passing the mod-97 check',
    });
  }
  if (details.bik !== undefined && !isValidBik(details.bik)) {
    problems.push({
      path: '/bik',
      message: 'BIK must be the 8 or 11 character SWIFT code of a Kazakhstan bank (e.g. HSBKKZKX)',
    });
  }
  if (details.kbe !== undefined && !isValidKbe(details.kbe)) {
    problems.push({ path: '/kbe', message: 'KBe is two digits: residency (1 or 2) and the economic sector (1-9)' });
  }
  if (details.phone !== undefined && !normalisePhone(details.phone)) {
    problems.push({ path: '/phone', message: 'not a valid phone number (e.g. +7 701 123 45 67)' });
  }
  return problems;
}

/** The form as stored and signed: trimmed, upper-case bank codes, E.164 phone, lower-case e-mail. */
export function normaliseJoinForm(form: JoinForm): JoinForm {
  const trimmed = Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
  ) as JoinForm;
  return {
    ...trimmed,
    iik: trimmed.iik.toUpperCase().replace(/\s/g, ''),
    bik: trimmed.bik.toUpperCase(),
    phone: normalisePhone(trimmed.phone) ?? trimmed.phone,
    email: trimmed.email.toLowerCase(),
  };
}

export const JOIN_DOCUMENT_TYPE = 'ismet-backoffice/join-application';
export { CONTRACT_TITLE };

/**
 * The document the client signs with its EDS: the normalised form inside a typed envelope,
 * serialised by the JSON Canonicalization Scheme (RFC 8785), UTF-8. The same form always
 * gives the same bytes, so the operator recomputes them to check the signature.
 */
export function joinApplicationDocument(form: JoinForm): Buffer {
  const envelope = {
    type: JOIN_DOCUMENT_TYPE,
    version: 1,
    contract: CONTRACT_TITLE,
    statement:
      'Полностью и безусловно присоединяюсь к Договору в соответствии со статьей 389 Гражданского кодекса Республики Казахстан',
    form: normaliseJoinForm(form),
  };
  return Buffer.from(canonicalize(envelope)!, 'utf8');
}

export function detailsOf(form: JoinForm): ClientDetails {
  return Object.fromEntries(DETAIL_FIELDS.map((f) => [f, form[f]])) as ClientDetails;
}
