import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readCalendar } from '../../../db/calendar-store';
import { lastPricedDay } from '../../../db/prices';
import { addDaysToDate, BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { BusinessStatus } from '../../../lib/search-attributes';
import { tariffAnnouncement, tariffWorkflowId } from '../../../workflows/tariff-announcement';
import { requireStaff } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError, conflict } from '../../errors';
import { authErrors, errorResponses } from '../../schemas/common';
import { AddVatRateBody, AnnounceTariffBody, Tariff, TariffList, toTariff, toVatRate, VatRate, VatRateList } from '../../schemas/tariffs';
import { yearMissing } from '../public/calendar';

/** A tariff change must be announced at least this many working days ahead (6.1). */
export const TARIFF_NOTICE_WORKING_DAYS = 20;

const security = [{ staffToken: [] }];
const pricing = { staff: ['accountant', 'admin'] as const };

/** Tariffs (6.1) and VAT rates (the Tax Code) as dated records that staff keep up to date. */
export const staffTariffRoutes =
  ({ db, temporal, config, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    app.get(
      '/tariffs',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support', 'moderator'] } },
        schema: { tags: ['tariffs'], summary: 'Every tariff, past, in force and upcoming', security, response: { 200: TariffList, ...authErrors } },
      },
      async () => listTariffs(),
    );

    async function listTariffs() {
      const today = new BusinessCalendar({ years: {} }, settings).localDate(clock.now());
      const rows = await db('tariffs').orderBy('effective_from');
      const current = rows.filter((r) => r.effective_from <= today).pop()?.id;
      return { tariffs: rows.map((r) => toTariff(r, today, current)) };
    }

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
        const calendar = new BusinessCalendar(await readCalendar(db), settings);
        let earliest: Date;
        try {
          earliest = calendar.addWorkingDays(now, TARIFF_NOTICE_WORKING_DAYS);
        } catch (error) {
          if (error instanceof CalendarYearMissingError) throw yearMissing(error.year);
          throw error;
        }
        const earliestDate = calendar.localDate(earliest);
        if (request.body.effectiveFrom < earliestDate) {
          throw new ApiError(
            422,
            'TARIFF_NOTICE_TOO_SHORT',
            `A tariff change must be announced at least ${TARIFF_NOTICE_WORKING_DAYS} working days before it applies (6.1): announced today, the earliest date is ${earliestDate}`,
            { earliestEffectiveFrom: earliestDate, workingDays: TARIFF_NOTICE_WORKING_DAYS },
          );
        }
        const row = await db.transaction(async (trx) => {
          const [row] = await trx('tariffs')
            .insert({
              price_per_code_tiyn: request.body.pricePerCodeTiyn,
              effective_from: request.body.effectiveFrom,
              basis: request.body.basis,
              announced_at: now,
              announced_by: requireStaff(request).staffUserId,
              earliest_effective_at: earliest,
            })
            .onConflict('effective_from')
            .ignore()
            .returning('*');
          if (!row) throw conflict('TARIFF_EXISTS', `A tariff from ${request.body.effectiveFrom} already exists`);
          await temporal.client.workflow.start(tariffAnnouncement, {
            workflowId: tariffWorkflowId(row.id),
            taskQueue: config.temporalTaskQueue,
            args: [{ tariffId: row.id, pricePerCodeTiyn: row.price_per_code_tiyn, effectiveFrom: row.effective_from }],
            typedSearchAttributes: [{ key: BusinessStatus, value: 'notifying' }],
            staticSummary: `Tariff change: ${row.price_per_code_tiyn} tiyn per code from ${row.effective_from}`,
            staticDetails: `Basis: ${row.basis}`,
          });
          return row;
        });
        const today = calendar.localDate(now);
        return reply.status(202).send(toTariff(row, today, undefined));
      },
    );

    app.get(
      '/vat-rates',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support', 'moderator'] } },
        schema: { tags: ['tariffs'], summary: 'VAT rates with their dates and sources', security, response: { 200: VatRateList, ...authErrors } },
      },
      async () => ({ vatRates: (await db('vat_rates').orderBy('effective_from')).map(toVatRate) }),
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
            'Reservations keep the rate in force at emission; charges of later emissions use the new rate.',
          security,
          body: AddVatRateBody,
          response: { 201: VatRate, ...authErrors, ...errorResponses(409, 422) },
        },
      },
      async (request, reply) => {
        const priced = await lastPricedDay(db, config.operatorTimeZone);
        if (priced && request.body.effectiveFrom <= priced) {
          throw new ApiError(
            422,
            'VAT_RATE_REWRITES_PAST',
            `Charges and documents up to ${priced} were made at the rates then in force; a new rate takes effect from ${addDaysToDate(priced, 1)} at the earliest`,
            { earliestDate: addDaysToDate(priced, 1) },
          );
        }
        const [row] = await db('vat_rates')
          .insert({ rate_bp: request.body.rateBp, effective_from: request.body.effectiveFrom, source: request.body.source, created_by: requireStaff(request).staffUserId })
          .onConflict('effective_from')
          .ignore()
          .returning('*');
        if (!row) throw conflict('VAT_RATE_EXISTS', `A VAT rate from ${request.body.effectiveFrom} already exists`);
        return reply.status(201).send(toVatRate(row));
      },
    );
  };
