import { createActActivities } from './acts';
import { createCalendarActivities } from './calendar';
import { createDownloadActivities } from './downloads';
import type { ActivityDeps } from './deps';
import { createJoinApplicationActivities } from './join-applications';
import { createNoticeActivities } from './notices';
import { createOrderActivities } from './orders';
import { createRetentionActivities } from './retention';
import { createTariffActivities } from './tariffs';
import { createTicketActivities } from './tickets';

export type { ActivityDeps } from './deps';

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createActActivities(deps),
    ...createCalendarActivities(deps),
    ...createDownloadActivities(deps),
    ...createJoinApplicationActivities(deps),
    ...createNoticeActivities(deps),
    ...createOrderActivities(deps),
    ...createRetentionActivities(deps),
    ...createTariffActivities(deps),
    ...createTicketActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
