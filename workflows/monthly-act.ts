import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { SIGNING_WORKING_DAYS } from '../lib/contract-periods';
import type { IssuedAct } from '../activities/acts';
import { BusinessStatus, ClientId } from '../lib/search-attributes';
import { KeptCalendar, waitForDecisionOrDeadline } from './shared/deadline';
import { ShownAttributes } from './shared/shown-attributes';
import { deliverNotice } from './shared/notify';

export type ActStatus = 'no_services' | 'issued' | 'signed' | 'disputed' | 'auto_accepted' | 'confirmed';

export interface MonthlyActInput {
  clientId: string;
  /** YYYY-MM */
  month: string;
  /** A supplementary act: the month's charges no act covers yet (6.5: every service lands in an act). */
  supplementary?: boolean;
}

export interface MonthlyActState {
  clientId: string;
  month: string;
  status: ActStatus;
  act?: IssuedAct;
  revisions: number;
  refusal?: string;
}

export const monthlyActWorkflowId = (clientId: string, month: string) => `act-${clientId}-${month}`;
/** The supplementary act of `month` found in the run of `runMonth`. */
export const supplementaryActWorkflowId = (clientId: string, month: string, runMonth: string) =>
  `act-${clientId}-${month}-supplement-${runMonth}`;
export const actStateQuery = defineQuery<MonthlyActState>('actState');
/** The client's EDS signature (6.7); refused with the reason when it does not verify. */
export const signActUpdate = defineUpdate<MonthlyActState, [{ signature: string }]>('signAct');
/** The client's motivated refusal (6.8); the reason is required. */
export const refuseActUpdate = defineUpdate<MonthlyActState, [{ reason: string }]>('refuseAct');
/** The accountant resolves a dispute: confirm the act, or correct it with the accepted codes per line. */
export const resolveActUpdate = defineUpdate<
  MonthlyActState,
  [{ action: 'confirm' | 'correct'; staffId: string; reason: string; acceptedCodes?: number[] }]
>('resolveAct');

const {
  acceptAct,
  actNotice,
  confirmAct,
  correctAct,
  issueMonthlyAct,
  issueSupplementaryAct,
  recordActRefusal,
  recordActSignature,
} = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: { maximumInterval: '10 minutes' } });

/**
 * Since this patch (#20) the act's short steps run inside the workflow task that needs them: the notices (their text
 * recorded, idempotent by topic) and the calendar of the two waits, kept across them (an hour at most: the deadline's
 * wait, a working day after the reminder's, loads it again; a change told in between too); and the search attributes are
 * upserted when the status changes. An act left unanswered took 7 activities (issue, 3 notices, 2 calendar loads,
 * acceptance), each a round trip through the server; now 2.
 */
const LOCAL_STEPS_PATCH = 'act-local-steps';
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { maximumInterval: '10 minutes' },
});
const CALENDAR_KEPT_FOR_MS = 60 * 60_000;

/**
 * The act of a month (6.5, 6.7, 6.8, Прил. 2 п.5): issued from the ledger with its VAT invoice;
 * then the client signs it with EDS, or sends a motivated refusal — the accountant then confirms
 * it or issues a corrected act with its own 5 working days — or says nothing, and at the end of
 * the 5th working day the act counts as signed.
 */
export async function monthlyAct(input: MonthlyActInput): Promise<MonthlyActState> {
  const state: MonthlyActState = { clientId: input.clientId, month: input.month, status: 'issued', revisions: 0 };
  let decided = false;
  const stepsInTask = patched(LOCAL_STEPS_PATCH);
  const notice = stepsInTask ? local.actNotice : actNotice;
  const calendar = stepsInTask ? new KeptCalendar(CALENDAR_KEPT_FOR_MS) : undefined;
  const shown = new ShownAttributes(stepsInTask);
  const show = (details: string) => {
    shown.show([
      { key: ClientId, value: input.clientId },
      { key: BusinessStatus, value: `act_${state.status}` },
    ]);
    setCurrentDetails(
      `Act for ${input.month}${state.act ? ` № ${state.act.number} (${state.act.total} tiyn)` : ''}: ${state.status}. ${details}`,
    );
  };
  setHandler(actStateQuery, () => state);
  /** A signature or refusal being recorded: one answer at a time (a refused signature leaves the act awaiting). */
  let answering = false;
  const whileAwaiting = () => {
    if (state.status !== 'issued' || decided)
      throw new Error(`the act is ${state.status}: it no longer awaits the client`);
    if (answering) throw new Error('another answer to the act is being recorded');
  };
  const answer = async (record: (act: IssuedAct) => Promise<unknown>) => {
    answering = true;
    try {
      await record(await theAct());
    } finally {
      answering = false;
    }
  };
  /**
   * The act is in the database a moment before this workflow has its number: a client who saw
   * it there and answered at once waits for that moment to pass.
   */
  const theAct = async (): Promise<IssuedAct> => {
    await condition(() => state.act !== undefined || state.status === 'no_services');
    if (!state.act)
      throw ApplicationFailure.nonRetryable('there is no act for the month', 'ACT_NOT_FOUND', { status: 404 });
    return state.act;
  };
  setHandler(
    signActUpdate,
    async ({ signature }) => {
      await answer((act) => recordActSignature(act.actId, signature, new Date().toISOString()));
      decided = true;
      state.status = 'signed';
      show('Signed by the client with EDS (6.7).');
      return state;
    },
    { validator: (_request) => whileAwaiting() },
  );
  setHandler(
    refuseActUpdate,
    async ({ reason }) => {
      await answer((act) => recordActRefusal(act.actId, reason, new Date().toISOString()));
      decided = true;
      state.status = 'disputed';
      state.refusal = reason;
      show(`Refused with reasons: ${reason}. Detailed report produced (6.9); waiting for an accountant.`);
      return state;
    },
    {
      validator: ({ reason }) => {
        whileAwaiting();
        if (!reason?.trim()) throw new Error('a motivated refusal needs its reasons');
      },
    },
  );
  let resolution:
    { action: 'confirm' | 'correct'; staffId: string; reason: string; acceptedCodes?: number[] } | undefined;
  setHandler(
    resolveActUpdate,
    async (request) => {
      resolution = request;
      await condition(() => resolution === undefined);
      return state;
    },
    {
      validator: (request) => {
        if (state.status !== 'disputed' || resolution)
          throw new Error(`the act is ${state.status}: only a disputed act is resolved`);
        if (!request.reason?.trim()) throw new Error('a resolution needs a reason');
      },
    },
  );

  const issuedAt = new Date().toISOString();
  state.act =
    (input.supplementary
      ? await issueSupplementaryAct(input.clientId, input.month, issuedAt, workflowInfo().workflowId)
      : await issueMonthlyAct(input.clientId, input.month, issuedAt)) ?? undefined;
  if (!state.act) {
    state.status = 'no_services';
    show('No services in the month: no act (6.5).');
    return state;
  }
  for (;;) {
    state.revisions++;
    decided = false;
    state.status = 'issued';
    const act: IssuedAct = state.act;
    await deliverNotice(await notice(act.actId, 'issued'));
    show(`Awaiting the client's signature or motivated refusal until ${act.dueAt} (6.8).`);
    const reminder = await waitForDecisionOrDeadline({
      process: 'acts',
      compute: (c) => c.addWorkingDays(act.issuedAt, SIGNING_WORKING_DAYS - 1),
      done: () => decided,
      kept: calendar,
    });
    if (reminder === 'deadline') await deliverNotice(await notice(act.actId, 'reminder'));
    const outcome = await waitForDecisionOrDeadline({
      process: 'acts',
      compute: (c) => c.addWorkingDays(act.issuedAt, SIGNING_WORKING_DAYS),
      done: () => decided,
      kept: calendar,
    });
    // An answer being recorded as the deadline passes is heard out first.
    if (outcome === 'deadline') await condition(() => !answering);
    if (outcome === 'deadline' && !decided) {
      await acceptAct(act.actId, new Date().toISOString());
      state.status = 'auto_accepted';
      show('No answer by the end of the 5th working day: the act counts as signed (6.8).');
      await deliverNotice(await notice(act.actId, 'accepted'));
      return state;
    }
    if ((state.status as ActStatus) === 'signed') return state;
    // Disputed: an accountant decides.
    await condition(() => resolution !== undefined);
    const { action, staffId, reason, acceptedCodes } = resolution!;
    if (action === 'confirm') {
      await confirmAct(act.actId, staffId, reason, new Date().toISOString());
      state.status = 'confirmed';
      resolution = undefined;
      show(`Confirmed by an accountant: ${reason}.`);
      return state;
    }
    state.act = await correctAct(act.actId, acceptedCodes ?? [], staffId, reason, new Date().toISOString());
    resolution = undefined;
  }
}
