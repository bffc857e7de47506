import { validationMessage } from '../../lib/i18n/validation-messages';

// A field the schema refuses is named in the language asked (issue #21), from the validator's keyword and parameters.

const required = {
  keyword: 'required',
  params: { missingProperty: 'gtin' },
  message: "must have required property 'gtin'",
};
const short = { keyword: 'minLength', params: { limit: 21 }, message: 'must NOT have fewer than 21 characters' };

test('Russian and Kazakh from the keyword, plurals as each language has them; English as the validator words it', () => {
  expect(validationMessage('ru', required)).toBe('Обязательное поле gtin');
  expect(validationMessage('kk', required)).toBe('gtin өрісі міндетті');
  expect(validationMessage('en', required)).toBe(required.message);
  expect(validationMessage('ru', short)).toBe('Не короче 21 символа');
  expect(validationMessage('ru', { ...short, params: { limit: 5 } })).toBe('Не короче 5 символов');
  expect(validationMessage('kk', short)).toBe('Кемінде 21 таңба болуы керек');
  expect(validationMessage('ru', { keyword: 'enum', params: { allowedValues: ['kk', 'ru'] } })).toBe(
    'Должно быть одним из значений: kk, ru',
  );
});

test('a keyword the catalogues do not name, or parameters its message cannot take, stay in English', () => {
  const contains = {
    keyword: 'contains',
    params: { minContains: 1 },
    message: 'must contain at least 1 valid item(s)',
  };
  expect(validationMessage('kk', contains)).toBe(contains.message);
  expect(validationMessage('ru', { keyword: 'required', params: {}, message: 'must have required property' })).toBe(
    'must have required property',
  );
});
