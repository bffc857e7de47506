import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';

/**
 * How many Updates a workflow has accepted (its history's UpdateAccepted events): the positive
 * sign that an Update's handler is running, for tests that hold it open at a gate.
 */
export async function updatesAccepted(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

/** The runs of a workflow id (each continue-as-new adds one), as the visibility store lists them. */
export async function runsOf(client: Pick<Client['workflow'], 'list'>, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const run of client.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run.runId);
  return runs;
}

/**
 * The steps a workflow took, as its history tells: activities scheduled on the task queue (`activities`) and local
 * activities run inside its workflow tasks (`local`, from their markers), by type, in order.
 */
export async function stepsTaken(
  handle: Pick<WorkflowHandle, 'fetchHistory'>,
): Promise<{ activities: string[]; local: string[] }> {
  const { events } = await handle.fetchHistory();
  const activities: string[] = [];
  const local: string[] = [];
  for (const event of events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name) activities.push(scheduled.activityType.name);
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      const data = marker.details?.data?.payloads?.[0]?.data;
      if (data) local.push(JSON.parse(Buffer.from(data).toString('utf8')).activity_type);
    }
  }
  return { activities, local };
}

/** The search attributes a workflow upserted, as its history tells: per upsert, the keys it set, in order. */
export async function searchAttributeUpserts(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<string[][]> {
  const { events } = await handle.fetchHistory();
  return (events ?? [])
    .map((event) => event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields)
    .filter((fields) => fields !== undefined && fields !== null)
    .map((fields) => Object.keys(fields!).sort());
}

/** The values one search attribute was upserted with, in order (a DATETIME as its ISO text; null when cleared). */
export async function upsertedValues(handle: Pick<WorkflowHandle, 'fetchHistory'>, key: string): Promise<unknown[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? [])
    .map((event) => event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.[key])
    .filter((payload) => payload !== undefined && payload !== null)
    .map((payload) => defaultPayloadConverter.fromPayload(payload!));
}
