import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../http/deps';
import { ContractVersion, toContractVersion } from '../../schemas/lifecycle';

/** The versions of the standard contract, published for anyone (10.3.2: placed on the operator’s website). */
export const contractVersionRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/contract-versions',
      { schema: { tags: ['contract'], summary: 'The version in force and the published amendments, newest first', response: { 200: Type.Object({ versions: Type.Array(ContractVersion) }) } } },
      async () => ({ versions: (await db('contract_versions').whereNot({ status: 'withdrawn' }).orderBy('effective_at', 'desc')).map(toContractVersion) }),
    );
  };
