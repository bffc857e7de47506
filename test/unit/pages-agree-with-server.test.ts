import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { CLIENT_PERSON_ROLES, CLIENT_ROLE_NAMES_RU } from '../../lib/client-roles';
import { consoleCatalogue } from '../../lib/i18n/console-messages';
import { PRIORITY_HINTS } from '../../lib/support';
import { EDS_PROBLEM_MESSAGES_RU, NO_TRUSTED_CA_RU } from '../../lib/eds';
import { OPERATION_NAMES } from '../../api/schemas/account';
import { formatDate, formatDateTime, formatMoney } from '../../lib/format-ru';

// The pages (api/consoles/format.js, console.js) and the server (lib/format-ru.ts, e-mails and documents;
// lib/client-roles.ts) each say dates, money and the people's roles: a client reads the same in both.
const CONSOLES = path.resolve(__dirname, '../../api/consoles');

/** The pages' formatting functions, run as the browser runs format.js (after console.js set `zone`). */
function pageFormat() {
  const context = vm.createContext({ zone: 'Asia/Almaty' });
  vm.runInContext(
    `${fs.readFileSync(path.join(CONSOLES, 'format.js'), 'utf8')}\n;({ when, day, dayOf, money })`,
    context,
  );
  return vm.runInContext('({ when, day, dayOf, money })', context) as {
    when(iso: string): string;
    day(date: string): string;
    dayOf(iso: string): string;
    money(tiyn: number): string;
  };
}

test('a date, an instant and an amount read the same on the pages and in e-mails and documents', () => {
  const page = pageFormat();
  for (const date of ['2027-01-05', '2026-12-31', '2028-02-29']) expect(page.day(date)).toBe(formatDate(date));
  // 19:00 UTC is the next day's 00:00 in Astana: both shift to the operator's zone.
  for (const iso of ['2027-01-04T19:00:00.000Z', '2026-11-26T09:05:00.000Z', '2026-06-30T18:59:00.000Z']) {
    expect(page.dayOf(iso)).toBe(formatDate(iso));
    expect(page.when(iso).replace(', ', ' ')).toBe(formatDateTime(iso));
  }
  for (const tiyn of [0, 5, 100, 123_456, 1_000_000_000_01]) expect(page.money(tiyn)).toBe(formatMoney(tiyn));
});

test('the roles of the company’s people are named on the pages as the server names them', () => {
  const common = consoleCatalogue('ru', 'common');
  const onPages = Object.fromEntries(CLIENT_PERSON_ROLES.map((role) => [role, common[`common.personRole.${role}`]]));
  expect(onPages).toEqual(CLIENT_ROLE_NAMES_RU);
});

test('a statement’s operations and the priorities’ definitions read on the pages, in Russian, as the API gives them', () => {
  const cabinet = consoleCatalogue('ru', 'cabinet');
  expect(
    Object.fromEntries(
      Object.keys(OPERATION_NAMES).map((kind) => [kind, cabinet[`cabinet.statement.operation.${kind}`]]),
    ),
  ).toEqual(OPERATION_NAMES);
  const support = consoleCatalogue('ru', 'support');
  expect(Object.fromEntries(Object.keys(PRIORITY_HINTS).map((p) => [p, support[`support.priorityHint.${p}`]]))).toEqual(
    PRIORITY_HINTS,
  );
});

test('a refused signature’s problems read on the pages, in Russian, as the API words them', () => {
  const common = consoleCatalogue('ru', 'common');
  const onPages = Object.fromEntries(
    Object.keys(EDS_PROBLEM_MESSAGES_RU).map((code) => [code, common[`common.eds.${code}`]]),
  );
  expect(onPages).toEqual(EDS_PROBLEM_MESSAGES_RU);
  expect(common['common.eds.noTrustedCa']).toBe(NO_TRUSTED_CA_RU);
});
