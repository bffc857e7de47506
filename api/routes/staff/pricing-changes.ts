import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { decidePricingChange, listPricingChanges, proposePricingChange } from '../../intake/pricing-changes';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { PricingChange, PricingChangeBody, PricingChangeList, PricingDecisionBody } from '../../schemas/tariffs';

const security = [{ staffToken: [] }];
const pricing = { staff: ['accountant', 'admin'] as const };
const ChangeParams = IdParams('changeId');

/** Withdrawing or replacing a dated tariff or VAT rate before it takes effect: proposed by one person, decided by another. */
export const staffPricingChangeRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/pricing-changes',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support', 'moderator'] } },
        schema: {
          tags: ['tariffs'],
          summary: 'Proposed, confirmed and rejected changes of tariffs and VAT rates (the audit trail)',
          security,
          response: { 200: PricingChangeList, ...authErrors },
        },
      },
      async () => ({ changes: await listPricingChanges(deps) }),
    );

    app.post(
      '/pricing-changes',
      {
        config: { auth: pricing },
        schema: {
          tags: ['tariffs'],
          summary:
            'Propose to withdraw or replace a tariff or VAT rate that has not taken effect; a second person confirms it',
          description:
            'Only a record whose date is still ahead (409 ALREADY_IN_EFFECT otherwise). A replacement tariff keeps the 20 working days of notice (6.1, 422 ' +
            'TARIFF_NOTICE_TOO_SHORT); a replacement VAT rate cannot rewrite the past (422 VAT_RATE_REWRITES_PAST). Nothing changes until confirmed.',
          security,
          body: PricingChangeBody,
          response: { 201: PricingChange, ...authErrors, ...errorResponses(404, 409, 422, 503) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await proposePricingChange(deps, requireStaff(request).staffUserId, request.body)),
    );

    for (const decision of ['confirm', 'reject'] as const) {
      app.post(
        `/pricing-changes/:changeId/${decision}`,
        {
          config: { auth: pricing },
          schema: {
            tags: ['tariffs'],
            summary:
              decision === 'confirm'
                ? 'Confirm a proposed change (a second person): the record is withdrawn, the replacement recorded; clients told of a tariff'
                : 'Reject a proposed change (a second person): nothing changes',
            description: 'The person who proposed the change cannot decide it (403 SAME_PERSON).',
            security,
            params: ChangeParams,
            body: PricingDecisionBody,
            response: { 200: PricingChange, ...authErrors, ...errorResponses(404, 409, 422, 503) },
          },
        },
        async (request) =>
          decidePricingChange(
            deps,
            requireStaff(request).staffUserId,
            request.params.changeId,
            decision,
            request.body.note,
          ),
      );
    }
  };
