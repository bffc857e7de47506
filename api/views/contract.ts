import type { Db } from '../../db/connection';
import { CalendarYearMissingError } from '../../lib/calendar';
import { lastDayToUse, unusedAdvanceSince } from '../../lib/one-year';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';
import { toContractVersion, toTermination } from '../schemas/lifecycle';
import { operatorCalendar } from './operator-calendar';

/** The contract's versions and ends (4.1.1, 4.3.1, 10.3.2, 10.4), and where it stands for a client (3.7). */

const terminationRows = (db: Db) => db('terminations as t').join('clients as c', 'c.id', 't.client_id');
const toTerminationCase = (row: Record<string, any>) => ({
  ...toTermination(row),
  clientName: row.client_name,
  bin: row.bin_iin,
});

/** A termination as staff see it, with the client's name and BIN. */
export async function terminationCase(db: Db, id: string) {
  const row = await terminationRows(db).where('t.id', id).first('t.*', 'c.name as client_name', 'c.bin_iin');
  if (!row) throw notFound('termination', id);
  return toTerminationCase(row);
}

/** Terminations, the ones under way first by date. */
export async function terminationCases(db: Db) {
  const rows = await terminationRows(db)
    .orderByRaw(`t.status IN ('scheduled','settling') DESC, t.termination_date ASC`)
    .limit(500)
    .select('t.*', 'c.name as client_name', 'c.bin_iin');
  return rows.map(toTerminationCase);
}

/** Clients the operator may terminate: no order within one year of the contract (4.3.1 b). */
export async function terminationGrounds(deps: Pick<AppDeps, 'db' | 'config' | 'clock'>) {
  const { db } = deps;
  const calendar = await operatorCalendar(deps);
  const today = calendar.localDate(deps.clock.now());
  const rows = await db('clients as c')
    .where('c.status', 'active')
    .whereNull('c.contract_ended_at')
    .whereNotNull('c.joined_on')
    .whereRaw(`c.joined_on + interval '1 year' < ?::date`, [today])
    .whereNotExists(db('orders as o').whereRaw('o.client_id = c.id'))
    .orderBy('c.joined_on')
    .select('c.id', 'c.name', 'c.bin_iin', 'c.joined_on');
  return rows.map((r) => ({
    clientId: r.id,
    name: r.name,
    bin: r.bin_iin,
    joinedOn: r.joined_on,
    yearEndedOn: calendar.localDate(calendar.addYears(calendar.startOfDay(r.joined_on), 1)),
  }));
}

/** Every version of the contract, newest first. */
export async function contractVersions(db: Db) {
  return (await db('contract_versions').orderBy('effective_at', 'desc')).map(toContractVersion);
}

/** The versions of the standard contract published for anyone (10.3.2): all but the withdrawn, newest first. */
export const publishedContractVersions = async (db: Db) =>
  (await db('contract_versions').whereNot({ status: 'withdrawn' }).orderBy('effective_at', 'desc')).map(
    toContractVersion,
  );

/** The contract as it stands for the client: the version in force, upcoming amendments, a termination under way, the one-year rule's date (3.7). */
export async function clientContract(deps: Pick<AppDeps, 'db' | 'config'>, clientId: string) {
  const { db } = deps;
  const client = await db('clients').where({ id: clientId }).first('effective_from', 'contract_ended_at');
  const versions = await db('contract_versions').whereNot({ status: 'withdrawn' }).orderBy('effective_at', 'desc');
  const inForce = versions.find((v) => v.status === 'in_force')!;
  const termination = await db('terminations')
    .where({ client_id: clientId })
    .whereIn('status', ['scheduled', 'settling'])
    .first();
  const payments = await db('bank_payments').where({ client_id: clientId, status: 'credited' }).distinct('received_on');
  const calendar = await operatorCalendar(deps);
  const [use] = await db('code_blocks')
    .where({ client_id: clientId })
    .where('amount', '>', 0)
    .max('delivered_at as at');
  const since = unusedAdvanceSince({
    paymentDates: payments.map((p) => p.received_on),
    lastUseDate: use?.at ? calendar.localDate(use.at) : null,
  });
  let returnedIfUnusedBy: string | null = null;
  try {
    if (since) returnedIfUnusedBy = lastDayToUse(calendar, since);
  } catch (error) {
    if (!(error instanceof CalendarYearMissingError)) throw error;
  }
  return {
    inForce: toContractVersion(inForce),
    upcoming: versions
      .filter((v) => v.status === 'announced')
      .reverse()
      .map(toContractVersion),
    effectiveFrom: client.effective_from ?? null,
    endedAt: client.contract_ended_at ? new Date(client.contract_ended_at).toISOString() : null,
    termination: termination ? toTermination(termination) : null,
    unusedAdvance: since && !client.contract_ended_at ? { paidOn: since, returnedIfUnusedBy } : null,
  };
}
