import Negotiator from 'negotiator';

/**
 * The languages of what a client or an official reads: Kazakh, the state language, and Russian (the law «О языках в
 * Республике Казахстан», art. 21). Kazakh comes first wherever both are shown.
 */
export const LANGUAGES = ['kk', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The API's messages: the two languages, or English — the language the code's own messages are written in. */
export const API_LANGUAGES = ['en', 'kk', 'ru'] as const;
export type ApiLanguage = (typeof API_LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/** The language an `Accept-Language` header asks for among the API's; English when it asks for none of them. */
export function apiLanguageOf(acceptLanguage: string | undefined): ApiLanguage {
  if (!acceptLanguage) return 'en';
  const negotiator = new Negotiator({ headers: { 'accept-language': acceptLanguage } });
  return (negotiator.language([...API_LANGUAGES]) as ApiLanguage | undefined) ?? 'en';
}
