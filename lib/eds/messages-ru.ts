import type { EdsProblem, EdsProblemCode } from './types';

/**
 * What an applicant or a client reads when a signature is refused: in Russian, what happened and
 * what to do. Staff read the English `message` with the details; this never names settings.
 */
export const EDS_PROBLEM_MESSAGES_RU: Record<EdsProblemCode, string> = {
  MALFORMED_SIGNATURE:
    'Подпись не распознана: ожидается подпись CMS (PKCS#7) с сертификатом подписавшего, например сформированная NCALayer. Подпишите документ ещё раз.',
  DOCUMENT_MISMATCH:
    'Подписан не тот документ: подпись относится к другому тексту. Подпишите документ, полученный для подписания, без изменений.',
  SIGNATURE_INVALID: 'Подпись недействительна: она не проверяется ключом сертификата. Подпишите документ ещё раз.',
  CERTIFICATE_NOT_YET_VALID:
    'Срок действия сертификата ЭЦП на момент получения документа ещё не начался. Проверьте сертификат и подпишите документ ещё раз.',
  CERTIFICATE_EXPIRED:
    'Срок действия сертификата ЭЦП на момент получения документа истёк. Получите новый сертификат в Национальном удостоверяющем центре РК и подпишите документ ещё раз.',
  UNTRUSTED_CHAIN:
    'Сертификат ЭЦП выдан не Национальным удостоверяющим центром РК, или его цепочка сертификатов не проверяется. Подпишите документ ключом НУЦ РК.',
  KEY_USAGE:
    'Этот ключ не предназначен для подписания документов (например, ключ AUTH служит только для входа). Подпишите документ ключом для подписи (RSA или GOST, не AUTH).',
  SIGNER_MISMATCH:
    'Сертификат ЭЦП выдан не заявителю: БИН/ИИН в сертификате не совпадает с БИН/ИИН в документе. Подпишите документ ключом своей организации.',
  SIGNING_TIME_IN_FUTURE:
    'Время подписания позже времени получения документа. Проверьте дату и время на компьютере и подпишите документ ещё раз.',
  SIGNING_TIME_TOO_OLD: 'Документ подписан задолго до отправки. Подпишите документ ещё раз и сразу отправьте его.',
  UNSUPPORTED_ALGORITHM: 'Алгоритм подписи не поддерживается. Подпишите документ ключом НУЦ РК через NCALayer.',
  CERTIFICATE_REVOKED:
    'Сертификат ЭЦП отозван: он есть в списке отозванных сертификатов НУЦ РК. Получите новый сертификат и подпишите документ ещё раз.',
  REVOCATION_UNKNOWN:
    'Не удалось проверить, не отозван ли сертификат ЭЦП: у оператора нет актуального списка отозванных сертификатов НУЦ РК. Повторите попытку позже или обратитесь в службу поддержки оператора.',
};

/** The operator has not added NCA RK's certificates yet: nothing the applicant can fix. */
export const NO_TRUSTED_CA_RU =
  'Оператор ещё не настроил сертификаты Национального удостоверяющего центра РК, поэтому подпись пока не может быть проверена. Пожалуйста, обратитесь в службу поддержки оператора и повторите попытку позже.';

export const problemMessageRu = (problem: EdsProblem): string =>
  problem.messageRu ?? EDS_PROBLEM_MESSAGES_RU[problem.code];

/** One Russian text for a refused signature: each distinct reason once. */
export function refusalMessageRu(problems: EdsProblem[]): string {
  const reasons = [...new Set(problems.map(problemMessageRu))];
  return `Подпись ЭЦП не принята. ${reasons.join(' ')}`;
}
