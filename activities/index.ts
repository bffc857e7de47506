import { createActActivities } from './acts';
import { createCalendarActivities } from './calendar';
import { createCalendarHorizonActivities } from './calendar-horizon';
import { createClaimActivities } from './claims';
import { createCompensationActivities } from './compensations';
import { createContractActivities } from './contract';
import { createContractVersionActivities } from './contract-versions';
import { createForceMajeureActivities } from './force-majeure';
import { createDownloadActivities } from './downloads';
import type { ActivityDeps } from './deps';
import { createJoinApplicationActivities } from './join-applications';
import { createNoticeBatchActivities } from './notice-batches';
import { createNoticeActivities } from './notices';
import { createOrderActivities } from './orders';
import { createReconciliationActivities } from './reconciliation';
import { createRefundActivities } from './refunds';
import { createRetentionActivities } from './retention';
import { createTariffActivities } from './tariffs';
import { createTerminationActivities } from './terminations';
import { createTicketActivities } from './tickets';

export type { ActivityDeps } from './deps';

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createActActivities(deps),
    ...createCalendarActivities(deps),
    ...createCalendarHorizonActivities(deps),
    ...createClaimActivities(deps),
    ...createCompensationActivities(deps),
    ...createContractActivities(deps),
    ...createContractVersionActivities(deps),
    ...createForceMajeureActivities(deps),
    ...createDownloadActivities(deps),
    ...createJoinApplicationActivities(deps),
    ...createNoticeActivities(deps),
    ...createNoticeBatchActivities(deps),
    ...createOrderActivities(deps),
    ...createReconciliationActivities(deps),
    ...createRefundActivities(deps),
    ...createRetentionActivities(deps),
    ...createTariffActivities(deps),
    ...createTerminationActivities(deps),
    ...createTicketActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
