import type { Knex } from 'knex';

/**
 * Issue #21: the language each user reads the consoles and the cabinet in, kept per user wherever they sign in —
 * a staff user, a person of a client's cabinet. None until they choose: a staff console then follows the browser,
 * a cabinet its client's language.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['staff_users', 'client_people'])
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN language text CHECK (language IN ('kk', 'ru'))`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['staff_users', 'client_people']) await knex.raw(`ALTER TABLE ${table} DROP COLUMN language`);
}
