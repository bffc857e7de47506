import type { Knex } from 'knex';
import { detailedReportRows } from '../db/acts';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS, type CalendarSettings } from '../lib/calendar';
import type { ActParty } from '../lib/documents/act-pdf';
import { renderDetailedReportPdf } from '../lib/documents/detailed-report-pdf';
import { contractReferences, OPERATOR } from '../lib/operator';

/** The client as an act, VAT invoice or report names it: its requisites and its contract (in Kazakh and Russian). */
export async function clientParty(
  db: Knex,
  clientId: string,
): Promise<{ party: ActParty; contract: ReturnType<typeof contractReferences> }> {
  const client = await db('clients').where({ id: clientId }).first();
  const d = client.details ?? {};
  return {
    party: {
      name: d.companyName ?? client.name,
      binIin: client.bin_iin,
      address: d.legalAddress ?? '—',
      iik: d.iik ?? '—',
      bankName: d.bankName ?? '—',
      bik: d.bik ?? '—',
      kbe: d.kbe ?? '—',
    },
    contract: contractReferences(client.joined_on),
  };
}

/**
 * The detailed report of an act's period (6.9), made when asked — with a refusal or at any other
 * time: per GTIN, priced with the tariff and VAT rate of its own download dates (6.4).
 */
export async function detailedReportPdf(
  db: Knex,
  act: { client_id: string; number: string; period_from: string; period_to: string },
  issuedAt: Date,
  settings: CalendarSettings = DEFAULT_SETTINGS,
): Promise<Buffer> {
  const calendar = new BusinessCalendar({ years: {} }, settings);
  const rows = await detailedReportRows(
    db,
    act.client_id,
    calendar.startOfDay(act.period_from),
    calendar.startOfDay(addDaysToDate(act.period_to, 1)),
  );
  const { party } = await clientParty(db, act.client_id);
  return renderDetailedReportPdf({
    actNumber: act.number,
    periodFrom: act.period_from,
    periodTo: act.period_to,
    operator: OPERATOR,
    client: party,
    issuedOn: calendar.localDate(issuedAt),
    rows,
  });
}
