import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../../http/deps';
import { ContractVersion } from '../../schemas/lifecycle';
import { publishedContractVersions } from '../../views/contract';

/** The versions of the standard contract, published for anyone (10.3.2: placed on the operator’s website). */
export const contractVersionRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/contract-versions',
      {
        schema: {
          tags: ['contract'],
          summary: 'The version in force and the published amendments, newest first',
          response: { 200: Type.Object({ versions: Type.Array(ContractVersion) }) },
        },
      },
      async () => ({ versions: await publishedContractVersions(db) }),
    );
  };
