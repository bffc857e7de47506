import type { Knex } from 'knex';
import * as foundation from './20261124_001_foundation';

/**
 * Migrations in order. Listed here (not discovered on disk) so they run the same from
 * TypeScript sources, compiled dist/ and jest. Append new ones; never edit a released one.
 */
export const migrations: Record<string, Knex.Migration> = {
  '20261124_001_foundation': foundation,
};
