import type { ApiLanguage } from './languages';
import { hasMessage, message } from './messages';

/** A problem JSON Schema's validator (Ajv) found in one field: its keyword, the keyword's parameters, its English words. */
export interface SchemaProblem {
  keyword: string;
  params?: Record<string, unknown>;
  message?: string;
}

/**
 * A field's problem in the language asked, from the catalogues' `validation` namespace by the schema keyword, its
 * parameters filled (a list joined with commas); in English as Ajv words it — also for a keyword the catalogues do not
 * name, or parameters a message cannot take.
 */
export function validationMessage(language: ApiLanguage, problem: SchemaProblem): string {
  const english = problem.message ?? problem.keyword;
  const key = `validation.${problem.keyword}`;
  if (language === 'en' || !hasMessage(language, key)) return english;
  const values = Object.fromEntries(
    Object.entries(problem.params ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : typeof value === 'number' ? value : String(value),
    ]),
  );
  try {
    return message(language, key, values);
  } catch {
    return english;
  }
}
