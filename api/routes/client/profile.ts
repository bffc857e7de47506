import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readCalendar } from '../../../db/calendar-store';
import { readHistory, readProfile } from '../../../db/client-profile-store';
import { BusinessCalendar, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { checkDetails } from '../../../lib/joining/form';
import { normalisePhone } from '../../../lib/kz-identifiers';
import { consentWithdrawnSignal, detailsChangedSignal } from '../../../workflows/client-lifecycle';
import { tellLifecycle } from '../../client-lifecycle';
import { requireClient } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError, conflict } from '../../errors';
import { authErrors, errorResponses } from '../../schemas/common';
import { ChangeDetailsBody, History, Profile, WithdrawConsentBody } from '../../schemas/profile';

/** The client's details (Прил. 1) and their changes (10.2.2); consent and its withdrawal (10.7.3). */
export const clientProfileRoutes =
  ({ db, temporal, clock, config }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const auth = { client: true };
    const security = [{ clientToken: [] }];
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    /** The lifecycle workflow keeps a running account; the database row is the record. */
    const tell = (clientId: string, send: Parameters<typeof tellLifecycle>[2], log: (e: unknown) => void) => tellLifecycle(temporal, clientId, send, log);

    app.get(
      '/profile',
      { config: { auth }, schema: { tags: ['client'], summary: "The client's details, personal account and consent", security, response: { 200: Profile, ...authErrors } } },
      async (request) => (await readProfile(db, requireClient(request).clientId))!,
    );

    app.get(
      '/profile/history',
      { config: { auth }, schema: { tags: ['client'], summary: 'Changes of details and of consent, newest first', security, response: { 200: History, ...authErrors } } },
      async (request) => readHistory(db, requireClient(request).clientId),
    );

    app.patch(
      '/profile',
      {
        config: { auth },
        schema: {
          tags: ['client'],
          summary: 'Report changed details (10.2.2: within 5 working days of the change); the history keeps every version',
          security,
          body: ChangeDetailsBody,
          response: { 200: Profile, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        const patch = { ...request.body.details };
        if (patch.iik) patch.iik = patch.iik.toUpperCase().replace(/\s/g, '');
        if (patch.bik) patch.bik = patch.bik.toUpperCase();
        const problems = checkDetails(patch);
        if (problems.length) {
          throw new ApiError(400, 'VALIDATION_FAILED', `Invalid details: ${problems.map((p) => p.path).join(', ')}`, problems.map((p) => ({ location: 'body', path: `/details${p.path}`, message: p.message })));
        }
        if (patch.phone) patch.phone = normalisePhone(patch.phone)!;
        if (patch.email) patch.email = patch.email.toLowerCase();
        const now = clock.now();
        const calendar = new BusinessCalendar(await readCalendar(db), settings);
        const today = calendar.localDate(now);
        const occurredOn = request.body.occurredOn ?? today;
        if (occurredOn > today) throw new ApiError(400, 'VALIDATION_FAILED', 'occurredOn cannot be in the future', [{ location: 'body', path: '/occurredOn', message: 'a past or today date' }]);
        const reportedLate = now.getTime() >= calendar.addWorkingDays(calendar.startOfDay(occurredOn), 5).getTime();
        await db.transaction(async (trx) => {
          const client = await trx('clients').where({ id: clientId }).forUpdate().first();
          if (!client.details) throw conflict('NO_DETAILS', 'This client has no application details to change (registered directly by staff)');
          const after = { ...client.details, ...patch };
          await trx('clients').where({ id: clientId }).update({ details: after, name: after.companyName, email: after.email });
          await trx('client_detail_changes').insert({
            client_id: clientId, before: client.details, after, occurred_on: occurredOn, reported_late: reportedLate,
            changed_by_kind: 'client', changed_by_id: clientId, changed_at: now,
          });
        });
        await tell(clientId, (h) => h.signal(detailsChangedSignal, { at: now.toISOString(), fields: Object.keys(patch) }), (e) => request.log.warn({ err: e }, 'lifecycle not signalled'));
        return (await readProfile(db, clientId))!;
      },
    );

    app.post(
      '/consent/withdraw',
      {
        config: { auth },
        schema: {
          tags: ['client'],
          summary: 'Withdraw consent to personal-data processing (10.7.3); recorded and shown to staff',
          security,
          body: WithdrawConsentBody,
          response: { 200: Profile, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        const now = clock.now();
        const withdrawn = await db.transaction(async (trx) => {
          const updated = await trx('clients').where({ id: clientId }).whereNull('personal_data_consent_withdrawn_at').update({ personal_data_consent_withdrawn_at: now });
          if (updated === 0) return false;
          await trx('consent_events').insert({ client_id: clientId, kind: 'withdrawn', at: now, note: request.body.note ?? null });
          return true;
        });
        if (!withdrawn) throw conflict('CONSENT_ALREADY_WITHDRAWN', 'Consent to personal-data processing was already withdrawn');
        await tell(clientId, (h) => h.signal(consentWithdrawnSignal, { at: now.toISOString() }), (e) => request.log.warn({ err: e }, 'lifecycle not signalled'));
        return (await readProfile(db, clientId))!;
      },
    );
  };
