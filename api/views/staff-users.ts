import type { Knex } from 'knex';

/** A staff user's row. */
export const staffUserById = (db: Knex, staffUserId: string) => db('staff_users').where({ id: staffUserId }).first();
