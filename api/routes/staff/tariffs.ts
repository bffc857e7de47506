import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { recordDatedPrice } from '../../../db/prices';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { conflict } from '../../http/errors';
import {
  announceNewTariff,
  assertTariffNotice,
  assertVatDate,
  TARIFF_NOTICE_WORKING_DAYS,
} from '../../intake/pricing-changes';
import { authErrors, errorResponses } from '../../schemas/common';
import {
  AddVatRateBody,
  AnnounceTariffBody,
  Tariff,
  TariffList,
  toTariff,
  toVatRate,
  VatRate,
  VatRateList,
} from '../../schemas/tariffs';
import { zoneCalendar } from '../../views/account';
import { tariffList, vatRateList } from '../../views/tariffs';

const security = [{ staffToken: [] }];
const pricing = { staff: ['accountant', 'admin'] as const };

/** Tariffs (6.1) and VAT rates (the Tax Code) as dated records that staff keep up to date. */
export const staffTariffRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config, clock } = deps;

    app.get(
      '/tariffs',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support', 'moderator'] } },
        schema: {
          tags: ['tariffs'],
          summary: 'Every tariff, past, in force and upcoming',
          security,
          response: { 200: TariffList, ...authErrors },
        },
      },
      async () => tariffList(deps),
    );

    app.post(
      '/tariffs',
      {
        config: { auth: pricing },
        schema: {
          tags: ['tariffs'],
          summary: 'Announce a new price per code; every active client is notified in the cabinet and by e-mail',
          description:
            `The date must be at least ${TARIFF_NOTICE_WORKING_DAYS} working days after the announcement (6.1): the period counts ` +
            'from the day after today and the price applies from the day after its 20th working day at the earliest; earlier → 422.',
          security,
          body: AnnounceTariffBody,
          response: { 202: Tariff, ...authErrors, ...errorResponses(409, 422, 503) },
        },
      },
      async (request, reply) => {
        const now = clock.now();
        const earliest = await assertTariffNotice(deps, request.body.effectiveFrom);
        const { pricePerCodeTiyn, effectiveFrom, basis } = request.body;
        const row = await announceNewTariff(deps, {
          pricePerCodeTiyn,
          effectiveFrom,
          basis,
          announcedBy: requireStaff(request).staffUserId,
          earliestEffectiveAt: earliest,
          now,
        });
        const today = zoneCalendar(config).localDate(now);
        return reply.status(202).send(toTariff(row, today, undefined));
      },
    );

    app.get(
      '/vat-rates',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support', 'moderator'] } },
        schema: {
          tags: ['tariffs'],
          summary: 'VAT rates with their dates and sources',
          security,
          response: { 200: VatRateList, ...authErrors },
        },
      },
      async () => vatRateList(db),
    );

    app.post(
      '/vat-rates',
      {
        config: { auth: pricing },
        schema: {
          tags: ['tariffs'],
          summary: 'Record a VAT rate set by law from a date, with its source',
          description:
            'A whole percent from 0 to 30 (the Tax Code’s rates). It cannot rewrite the past: its date must be after the last day on which ' +
            'money was reserved or charged or which an act or invoice covers (422 VAT_RATE_REWRITES_PAST with the earliest date). ' +
            'A download is charged VAT at the rate in force on its date (6.4), whatever the rate at emission. A rate not yet in effect is ' +
            'withdrawn or replaced through /pricing-changes, confirmed by a second person.',
          security,
          body: AddVatRateBody,
          response: { 201: VatRate, ...authErrors, ...errorResponses(409, 422) },
        },
      },
      async (request, reply) => {
        await assertVatDate(deps, request.body.effectiveFrom);
        const row = await recordDatedPrice(db, 'vat_rates', {
          rate_bp: request.body.rateBp,
          effective_from: request.body.effectiveFrom,
          source: request.body.source,
          created_by: requireStaff(request).staffUserId,
        });
        if (!row) throw conflict('VAT_RATE_EXISTS', `A VAT rate from ${request.body.effectiveFrom} already exists`);
        return reply.status(201).send(toVatRate(row));
      },
    );
  };
