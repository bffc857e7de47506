import type { Knex } from 'knex';

/**
 * Issue #20: the codes CSV and JSON are streamed by PostgreSQL's COPY … TO STDOUT (db/codes-copy.ts). Its text form
 * passes a value through unchanged unless it holds a backslash or a control character, and neither file has to guard
 * a field against a spreadsheet formula when the field starts with a digit. What emitCodeRange writes always meets
 * both (01 + GTIN + 21 + serial, then GS-separated GS1 CSET 82, notes 1.3); the constraint keeps it so for every row,
 * so no download has to look at its codes before streaming them: a digit first, then only GS and printable ASCII
 * but the backslash. (Checked so, it costs an emission ~0.7 µs a code; the full `^01[0-9]{14}21` pattern as well
 * cost three times that.)
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE marking_codes ADD CONSTRAINT marking_codes_copy_safe
      CHECK (ascii(code) BETWEEN 48 AND 57 AND code !~ '[^\\x1d!-\\[\\]-~]')`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE marking_codes DROP CONSTRAINT marking_codes_copy_safe');
}
