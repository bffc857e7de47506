import { Type } from 'typebox';
import { IsoInstant, StringEnum, Uuid } from './common';

const DateOnly = (description: string) => Type.String({ format: 'date', description });

export const Tariff = Type.Object(
  {
    id: Uuid,
    pricePerCodeTiyn: Type.Integer({ description: 'Price per code excluding VAT, tiyn (6.1)' }),
    effectiveFrom: DateOnly('Local date the price applies from'),
    basis: Type.String({ description: 'The law or decision behind the price' }),
    announcedAt: IsoInstant,
    earliestEffectiveAt: Type.Union([IsoInstant, Type.Null()], {
      description: 'The end of the 20th working day after the announcement (6.1)',
    }),
    inForce: Type.Boolean({ description: 'The price in force today' }),
    upcoming: Type.Boolean(),
    withdrawnAt: Type.Union([IsoInstant, Type.Null()], {
      description: 'Withdrawn before its date (confirmed by a second person): never applied',
    }),
  },
  { $id: 'Tariff', title: 'Tariff' },
);

export const TariffList = Type.Object({ tariffs: Type.Array(Tariff) });

export const AnnounceTariffBody = Type.Object(
  {
    pricePerCodeTiyn: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    effectiveFrom: DateOnly('At least 20 working days after today (6.1)'),
    basis: Type.String({
      minLength: 5,
      maxLength: 2000,
      description: 'E.g. the order that changed the ceiling tariff, with its date and number',
    }),
  },
  { additionalProperties: false },
);

export const VatRate = Type.Object(
  {
    id: Uuid,
    rateBp: Type.Integer({ description: 'Basis points: 1600 = 16%' }),
    effectiveFrom: DateOnly('Local date the rate applies from'),
    source: Type.String({ description: 'The law, with its date, number and article' }),
    createdAt: IsoInstant,
    withdrawnAt: Type.Union([IsoInstant, Type.Null()], {
      description: 'Withdrawn before its date (confirmed by a second person): never applied',
    }),
  },
  { $id: 'VatRate', title: 'VAT rate' },
);

export const VatRateList = Type.Object({ vatRates: Type.Array(VatRate) });

export const AddVatRateBody = Type.Object(
  {
    rateBp: Type.Integer({
      minimum: 0,
      maximum: 3000,
      multipleOf: 100,
      description: 'Basis points: a whole percent, 0 to 30 % (e.g. 1600 = 16 %)',
    }),
    effectiveFrom: DateOnly('Local date the rate applies from'),
    source: Type.String({ minLength: 5, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const PriceQuery = Type.Object(
  { date: Type.Optional(DateOnly('Default: today in the operator zone')) },
  { additionalProperties: false },
);

export const toTariff = (row: Record<string, any>, today: string, current: string | undefined) => ({
  id: row.id,
  pricePerCodeTiyn: row.price_per_code_tiyn,
  effectiveFrom: row.effective_from,
  basis: row.basis,
  announcedAt: new Date(row.announced_at).toISOString(),
  earliestEffectiveAt: row.earliest_effective_at ? new Date(row.earliest_effective_at).toISOString() : null,
  inForce: row.id === current,
  upcoming: !row.withdrawn_at && row.effective_from > today,
  withdrawnAt: row.withdrawn_at ? new Date(row.withdrawn_at).toISOString() : null,
});

export const toVatRate = (row: Record<string, any>) => ({
  id: row.id,
  rateBp: row.rate_bp,
  effectiveFrom: row.effective_from,
  source: row.source,
  createdAt: new Date(row.created_at).toISOString(),
  withdrawnAt: row.withdrawn_at ? new Date(row.withdrawn_at).toISOString() : null,
});

const Reason = Type.String({ minLength: 5, maxLength: 2000 });

export const PricingChangeBody = Type.Object(
  {
    subject: StringEnum(['tariff', 'vat_rate']),
    recordId: Uuid,
    action: StringEnum(['withdraw', 'replace']),
    reason: Reason,
    replacement: Type.Optional(
      Type.Object(
        {
          effectiveFrom: DateOnly(
            'Tariff: at least 20 working days after the confirmation (6.1); VAT: after the last priced day',
          ),
          pricePerCodeTiyn: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          basis: Type.Optional(Type.String({ minLength: 5, maxLength: 2000 })),
          rateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 3000, multipleOf: 100 })),
          source: Type.Optional(Type.String({ minLength: 5, maxLength: 2000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PricingChange = Type.Object(
  {
    id: Uuid,
    subject: StringEnum(['tariff', 'vat_rate']),
    recordId: Uuid,
    action: StringEnum(['withdraw', 'replace']),
    replacement: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    reason: Type.String(),
    proposedBy: Uuid,
    proposedAt: IsoInstant,
    status: StringEnum(['pending', 'confirmed', 'rejected']),
    decidedBy: Type.Union([Uuid, Type.Null()]),
    decidedAt: Type.Union([IsoInstant, Type.Null()]),
    decisionNote: Type.Union([Type.String(), Type.Null()]),
    replacementId: Type.Union([Uuid, Type.Null()], { description: 'The record that replaced the withdrawn one' }),
  },
  { $id: 'PricingChange', title: 'Pricing change' },
);

export const PricingChangeList = Type.Object({ changes: Type.Array(PricingChange) });
export const PricingDecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
