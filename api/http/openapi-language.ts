import { API_LANGUAGES } from '../../lib/i18n/languages';

type Operation = { parameters?: unknown[] };
type OpenApiDocument = {
  components?: { parameters?: Record<string, unknown> };
  paths?: Record<string, Record<string, Operation>>;
};

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** The header every operation reads for the language of its error messages (issue #21). */
export const ACCEPT_LANGUAGE_PARAMETER = {
  name: 'Accept-Language',
  in: 'header',
  required: false,
  description:
    'The language of `message` in an error answer (and `globalErrors` on /api/v2): kk (Kazakh), ru (Russian) or en ' +
    '(English, also when none of them is asked for); weights as RFC 9110 says. The machine `code` is the same in every ' +
    'language; the answer names its language in Content-Language.',
  schema: { type: 'string', examples: ['kk', 'ru', 'kk, ru;q=0.8'] },
  'x-languages': [...API_LANGUAGES],
};

/** The OpenAPI document with Accept-Language declared once and referred to by every operation. */
export function documentAcceptLanguage<T extends OpenApiDocument>(document: T): T {
  document.components = {
    ...document.components,
    parameters: { ...document.components?.parameters, AcceptLanguage: ACCEPT_LANGUAGE_PARAMETER },
  };
  for (const item of Object.values(document.paths ?? {}))
    for (const [method, operation] of Object.entries(item))
      if (METHODS.has(method))
        operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/AcceptLanguage' }];
  return document;
}
