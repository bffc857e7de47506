import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { TERMINATION_BASES } from '../../../lib/termination';
import { terminationWorkflowId, withdrawTerminationUpdate } from '../../../workflows/contract-termination';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { publishContractVersion } from '../../intake/contract-versions';
import { scheduleTermination } from '../../intake/termination';
import { contractVersions, terminationCase, terminationCases, terminationGrounds } from '../../views/contract';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { ContractVersion, Termination, toContractVersion } from '../../schemas/lifecycle';
import { updateOrRefuse } from '../../http/workflow-errors';

const security = [{ staffToken: [] }];
const lawyers = { staff: ['admin'] as const };
const everyone = { staff: ['admin', 'accountant', 'support', 'moderator'] as const };

const TerminationCase = Type.Object({ ...Termination.properties, clientName: Type.String(), bin: Type.String() });

/** The contract's ends and versions: terminations (4.1.1, 4.3.1, 10.4) and amendments (4.3.5, 10.3.2). */
export const staffContractRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, temporal } = deps;

    app.get(
      '/terminations',
      {
        config: { auth: everyone },
        schema: {
          tags: ['contract'],
          summary: 'Terminations, the ones under way first by date',
          security,
          response: { 200: Type.Object({ terminations: Type.Array(TerminationCase) }), ...authErrors },
        },
      },
      async () => ({ terminations: await terminationCases(db) }),
    );

    app.post(
      '/terminations',
      {
        config: { auth: lawyers },
        schema: {
          tags: ['contract'],
          summary:
            'Record a termination on notice: the operator’s (4.3.1, 10.4.2), one by agreement (10.4.3) or a client’s notice received on paper',
          description:
            '30 working days of notice (10.4.4) or 30 calendar days by agreement (10.4.3); 400 NOTICE_PERIOD_TOO_SHORT names details.earliestDate.',
          security,
          body: Type.Object(
            {
              clientId: Uuid,
              initiator: StringEnum(['operator', 'client'] as const),
              basis: StringEnum(TERMINATION_BASES),
              grounds: Type.String({ minLength: 10, maxLength: 10_000 }),
              evidence: Type.Optional(
                Type.String({
                  maxLength: 10_000,
                  description: 'The documents confirming the grounds, attached to the notice (10.4.4)',
                }),
              ),
              notifiedAt: Type.Optional(IsoInstant),
              terminationDate: Type.String({ format: 'date' }),
              periodShortened: Type.Optional(
                Type.Boolean({
                  description:
                    '10.4.3: both parties agreed on a shorter period; 4.3.1 c), d): the period the regulator’s act allows',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 201: TerminationCase, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request, reply) => {
        const row = await scheduleTermination(deps, { ...request.body, recordedBy: requireStaff(request).staffUserId });
        return reply.status(201).send(await terminationCase(db, row.id));
      },
    );

    app.post(
      '/terminations/:terminationId/withdraw',
      {
        config: { auth: lawyers },
        schema: {
          tags: ['contract'],
          summary: 'Withdraw a termination before its date',
          security,
          params: IdParams('terminationId'),
          body: Type.Object(
            { reason: Type.String({ minLength: 5, maxLength: 5000 }) },
            { additionalProperties: false },
          ),
          response: { 200: TerminationCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const t = await terminationCase(db, request.params.terminationId);
        await updateOrRefuse(
          temporal.client.workflow.getHandle(terminationWorkflowId(t.id)),
          withdrawTerminationUpdate,
          [{ reason: request.body.reason, staffId: requireStaff(request).staffUserId }],
          { refused: 'TERMINATION_NOT_SCHEDULED', closed: 'TERMINATION_NOT_SCHEDULED' },
        );
        return terminationCase(db, t.id);
      },
    );

    app.get(
      '/termination-grounds',
      {
        config: { auth: everyone },
        schema: {
          tags: ['contract'],
          summary: 'Clients the operator may terminate: no order within one year of the contract (4.3.1 b)',
          security,
          response: {
            200: Type.Object({
              clients: Type.Array(
                Type.Object({
                  clientId: Uuid,
                  name: Type.String(),
                  bin: Type.String(),
                  joinedOn: Type.String({ format: 'date' }),
                  yearEndedOn: Type.String({ format: 'date' }),
                }),
              ),
            }),
            ...authErrors,
          },
        },
      },
      async () => ({ clients: await terminationGrounds(deps) }),
    );

    app.get(
      '/contract-versions',
      {
        config: { auth: everyone },
        schema: {
          tags: ['contract'],
          summary: 'Every version of the contract, newest first',
          security,
          response: { 200: Type.Object({ versions: Type.Array(ContractVersion) }), ...authErrors },
        },
      },
      async () => ({ versions: await contractVersions(db) }),
    );

    app.post(
      '/contract-versions',
      {
        config: { auth: lawyers },
        schema: {
          tags: ['contract'],
          summary:
            'Publish an amendment (4.3.5, 10.3.2): every client is notified in the cabinet and by e-mail; in force 20 working days later at the earliest',
          security,
          body: Type.Object(
            {
              version: Type.String({ minLength: 1, maxLength: 50 }),
              title: Type.String({ minLength: 3, maxLength: 300 }),
              summary: Type.String({
                minLength: 10,
                maxLength: 20_000,
                description: 'What changes, in Russian, as the clients will read it',
              }),
              documentUrl: Type.Optional(
                Type.String({ format: 'uri', maxLength: 2000, description: 'The new text on the operator’s website' }),
              ),
              reason: StringEnum(['services', 'law'] as const, {
                description: 'Needed to render the services, or to comply with the law (10.3.2)',
              }),
              effectiveFrom: Type.Optional(
                Type.String({ format: 'date', description: 'Default: the earliest day allowed' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 201: ContractVersion, ...authErrors, ...errorResponses(409, 422) },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            toContractVersion(
              await publishContractVersion(deps, { ...request.body, recordedBy: requireStaff(request).staffUserId }),
            ),
          ),
    );
  };
