import type { Knex } from 'knex';

/**
 * Issue #21: the language a client chose at joining (changeable in the profile) — Kazakh, the state language, or
 * Russian — in which its e-mails and cabinet come first, the other below. Clients before it keep Russian, the only
 * language they had.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE clients ADD COLUMN language text NOT NULL DEFAULT 'ru' CHECK (language IN ('kk', 'ru'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE clients DROP COLUMN language');
}
